/**
 * Templates: GetTemplate (the stack's template as given), ValidateTemplate (parameters,
 * description, capabilities) and GetTemplateSummary (also parameter types and constraints,
 * resource types and version), from a body, a TemplateURL or a stack.
 */
import type { XmlObject } from '../../../protocol/xml.js';
import { operation, type OperationMap } from '../../service.js';
import { templateSummary } from '../template/index.js';
import { stackNameOrId, templateSource, templateText, type TemplateSource } from './input.js';
import { parsedTemplate, templateStep } from './prepare-template.js';
import { cfnAction, requireStack, stackAuthorization } from './stacks.js';

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplate.html */
const GetTemplate = operation<{ stackName: string }>({
  input: (query) => ({ stackName: stackNameOrId(query) }),
  authorize: (input, ctx) => stackAuthorization(ctx, 'GetTemplate', input.stackName),
  handle(input, ctx) {
    const stack = requireStack(ctx.app, input.stackName);
    return { TemplateBody: stack.templateBody, StagesAvailable: ['Original', 'Processed'] };
  },
});

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ValidateTemplate.html — no resource-level permissions. */
const ValidateTemplate = operation<TemplateSource>({
  input: (query) => templateSource(query),
  authorize: () => ({ action: cfnAction('ValidateTemplate'), resource: '*' }),
  async handle(source, ctx) {
    const template = parsedTemplate(await templateText(ctx, source));
    const summary = templateStep(() => templateSummary(template));
    return {
      Parameters: summary.parameters.map((parameter) => ({
        ParameterKey: parameter.ParameterKey,
        DefaultValue: parameter.DefaultValue,
        NoEcho: parameter.NoEcho,
        Description: parameter.Description,
      })),
      Description: summary.description,
      Capabilities: summary.capabilities,
      CapabilitiesReason: summary.capabilitiesReason,
      DeclaredTransforms: summary.declaredTransforms,
    };
  },
});

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplateSummary.html */
const GetTemplateSummary = operation<{ source: TemplateSource; stackName?: string }>({
  input: (query) => {
    const stackName = query.has('StackName') ? stackNameOrId(query) : undefined;
    return { source: templateSource(query, stackName !== undefined), ...(stackName !== undefined ? { stackName } : {}) };
  },
  authorize: (input, ctx) => (input.stackName !== undefined
    ? stackAuthorization(ctx, 'GetTemplateSummary', input.stackName)
    : { action: cfnAction('GetTemplateSummary'), resource: '*' }),
  async handle(input, ctx) {
    const body = input.stackName !== undefined ? requireStack(ctx.app, input.stackName).templateBody : await templateText(ctx, input.source);
    const template = parsedTemplate(body);
    const summary = templateStep(() => templateSummary(template));
    const result: XmlObject = {
      Parameters: summary.parameters.map((parameter) => ({
        ParameterKey: parameter.ParameterKey,
        DefaultValue: parameter.DefaultValue,
        ParameterType: parameter.ParameterType,
        NoEcho: parameter.NoEcho,
        Description: parameter.Description,
        ParameterConstraints: { AllowedValues: parameter.ParameterConstraints.AllowedValues },
      })),
      Description: summary.description,
      Capabilities: summary.capabilities,
      CapabilitiesReason: summary.capabilitiesReason,
      ResourceTypes: summary.resourceTypes,
      Version: summary.version,
      Metadata: template.metadata === undefined ? undefined : JSON.stringify(template.metadata),
      DeclaredTransforms: summary.declaredTransforms,
      ResourceIdentifierSummaries: resourceIdentifiers(template.resources),
    };
    return result;
  },
});

/** Which logical ids each resource type has (the identifiers part is left empty: iamd does not import resources). */
function resourceIdentifiers(resources: Record<string, { type: string }>): XmlObject[] {
  const byType = new Map<string, string[]>();
  for (const [logicalId, resource] of Object.entries(resources)) byType.set(resource.type, [...(byType.get(resource.type) ?? []), logicalId]);
  return [...byType].map(([type, logicalIds]) => ({ ResourceType: type, LogicalResourceIds: logicalIds }));
}

export const templateOperations: OperationMap = { GetTemplate, ValidateTemplate, GetTemplateSummary };
