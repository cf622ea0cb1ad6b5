/**
 * What CreateStack and UpdateStack check before they answer (everything a ValidationError can be
 * about): the template parses and validates, its Fn::GetAtt attributes exist for the types iamd
 * implements, the caller acknowledged the capabilities it needs, its parameters resolve, its
 * conditions evaluate, and its resources have no circular dependency. The result is what the
 * stack runner applies.
 */
import { isAwsError } from '../../../protocol/aws-error.js';
import type { App } from '../../../server/app.js';
import { insufficientCapabilities, validationError } from '../errors.js';
import { providerFor } from '../providers/registry.js';
import { evaluationContext, ssmValue, type StackEvaluation } from '../runner/evaluation.js';
import {
  creationOrder, evaluateConditions, findReferences, parseTemplate, requiredCapabilities, resolveParameters, resourceDependencies, TemplateError,
  templateMessages, validateTemplate, type ParameterValueInput, type Template,
} from '../template/index.js';
import type { StackParameter, StackRecord } from '../types.js';

export interface PreparedTemplate extends StackEvaluation {
  body: string;
  stackParameters: StackParameter[];
}

/** Runs a template engine step, turning its TemplateError into the API's ValidationError. */
export function templateStep<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof TemplateError) throw validationError(error.message);
    if (isAwsError(error)) throw error;
    throw validationError(`Template format error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The last body parsed and its template: a stack operation reads its template twice (its
 * resource types when authorized, then the whole of it in the handler), and parses it once.
 * Templates are not changed after parsing, so the two reads may share one.
 */
let lastParsed: { body: string; template: Template } | undefined;

/** Parses a template body (YAML or JSON); throws the parser's error. */
export function parseTemplateOnce(body: string): Template {
  if (lastParsed?.body !== body) lastParsed = { body, template: parseTemplate(body) };
  return lastParsed.template;
}

/** Parses and validates a template body (ValidateTemplate, GetTemplateSummary and the stack operations). */
export function parsedTemplate(body: string): Template {
  return templateStep(() => {
    const template = parseTemplateOnce(body);
    validateTemplate(template);
    return template;
  });
}

/**
 * Every attribute a template reads with literal names, by Fn::GetAtt or as `${Resource.Attribute}`
 * in Fn::Sub, must be one the resource's type has (for the types iamd implements).
 */
function checkAttributes(template: Template): void {
  const values = [...Object.values(template.resources).map((resource) => resource.properties), ...Object.values(template.outputs).map((output) => output.value)];
  for (const { target, attribute, via } of findReferences(values).references) {
    if (attribute === undefined || via === 'Ref') continue;
    const type = template.resources[target]?.type;
    const provider = type === undefined ? undefined : providerFor(type);
    if (!provider || provider.attributes.includes(attribute)) continue;
    throw validationError(via === 'Fn::GetAtt'
      ? `Template error: resource ${target} does not support attribute type ${attribute} in Fn::GetAtt`
      : templateMessages.subInvalidAttribute(`${target}.${attribute}`));
  }
}

/** InsufficientCapabilitiesException unless the caller acknowledged what the template needs. */
export function checkCapabilities(template: Template, given: readonly string[]): void {
  const { capability } = templateStep(() => requiredCapabilities(template));
  if (capability === 'CAPABILITY_NAMED_IAM' && !given.includes('CAPABILITY_NAMED_IAM')) throw insufficientCapabilities('CAPABILITY_NAMED_IAM');
  if (capability === 'CAPABILITY_IAM' && !given.includes('CAPABILITY_IAM') && !given.includes('CAPABILITY_NAMED_IAM')) throw insufficientCapabilities('CAPABILITY_IAM');
}

export function prepareTemplate(
  app: App,
  body: string,
  given: readonly ParameterValueInput[],
  capabilities: readonly string[],
  stack: StackRecord,
  /** an update of `stack`: a parameter given with UsePreviousValue keeps the stack's current value */
  isUpdate = false,
): PreparedTemplate {
  const previous = isUpdate ? new Map(stack.parameters.map((parameter) => [parameter.key, parameter.value])) : undefined;
  const template = parsedTemplate(body);
  if (template.transform !== undefined) throw validationError('iamd does not process template transforms (Transform); expand the template before creating the stack.');
  checkAttributes(template);
  checkCapabilities(template, capabilities);
  const parameters = templateStep(() => resolveParameters(template, given, {
    ssmParameter: (name) => ssmValue(app, name),
    ...(previous ? { previous } : {}),
  }));
  const base = { template, parameters, conditions: new Map<string, boolean>(), dependencies: new Map<string, Set<string>>() };
  const context = evaluationContext(app, () => stack, base);
  const conditions = templateStep(() => evaluateConditions(template, context));
  const dependencies = templateStep(() => resourceDependencies(template, conditions));
  templateStep(() => creationOrder(dependencies));
  const stackParameters: StackParameter[] = Object.entries(template.parameters).map(([key, declaration]) => {
    const resolved = parameters.get(key);
    const value = resolved === undefined ? '' : Array.isArray(resolved.value) ? resolved.value.join(',') : resolved.value;
    return {
      key,
      value,
      noEcho: declaration.noEcho,
      ...(resolved?.resolvedValue !== undefined ? { resolvedValue: resolved.resolvedValue } : {}),
    };
  });
  return { body, template, parameters, conditions, dependencies, stackParameters };
}
