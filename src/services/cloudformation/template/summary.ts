/**
 * templateSummary: what GetTemplateSummary reports about a template without creating anything.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_GetTemplateSummary.html
 */
import { requiredCapabilities } from './capabilities.js';
import type { Template, TemplateSummary } from './types.js';

export function templateSummary(template: Template): TemplateSummary {
  const capabilities = requiredCapabilities(template);
  const summary: TemplateSummary = {
    parameters: Object.entries(template.parameters).map(([key, declaration]) => {
      const parameter: TemplateSummary['parameters'][number] = {
        ParameterKey: key,
        ParameterType: declaration.type,
        NoEcho: declaration.noEcho,
        ParameterConstraints: declaration.allowedValues ? { AllowedValues: [...declaration.allowedValues] } : {},
      };
      if (declaration.default !== undefined) parameter.DefaultValue = declaration.default;
      if (declaration.description !== undefined) parameter.Description = declaration.description;
      return parameter;
    }),
    capabilities: capabilities.capability ? [capabilities.capability] : [],
    resourceTypes: [...new Set(Object.values(template.resources).map((resource) => resource.type))],
    declaredTransforms: declaredTransforms(template.transform),
  };
  if (template.description !== undefined) summary.description = template.description;
  if (capabilities.reason !== undefined) summary.capabilitiesReason = capabilities.reason;
  if (template.formatVersion !== undefined) summary.version = template.formatVersion;
  return summary;
}

/** Transform is a macro name or a list of them. */
function declaredTransforms(transform: unknown): string[] {
  if (typeof transform === 'string') return [transform];
  if (Array.isArray(transform)) return transform.filter((name): name is string => typeof name === 'string');
  return [];
}
