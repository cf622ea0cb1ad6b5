/**
 * The CloudFormation template engine: parse (JSON or YAML with short-form tags), validate,
 * resolve parameters, evaluate conditions and intrinsic functions, order resources by their
 * dependencies, detect required capabilities, summarise.
 *
 * Everything here is pure: no I/O, no clock. What the engine needs from the outside world
 * (resources' physical ids and attributes, exports, SSM parameters, availability zones) comes
 * through `EvaluationContext` / the `lookups` argument.
 *
 * Errors are `TemplateError`; its message is exactly the ValidationError message AWS returns,
 * so the API layer can wrap it as `ValidationError` (400) unchanged.
 *
 * Typical use for CreateStack:
 *   const template = parseTemplate(body); validateTemplate(template);
 *   const parameters = resolveParameters(template, input.Parameters, { ssmParameter });
 *   const conditions = evaluateConditions(template, contextWithoutConditions);
 *   const waves = creationOrder(resourceDependencies(template, conditions));
 *   for each wave, for each id: resolveValue(template.resources[id].properties, context) → provider
 *   outputValues(template, context) once every resource exists.
 *
 * Interface notes (for the API/stack engineer):
 * - ResolvedParameters entries carry an optional `type` (the declared type); resolveParameters
 *   sets it. It lets Ref of an SSM-backed list type split the resolved value. Entries built by
 *   hand without it still work for every other type.
 * - resolveValue returns undefined when the whole value is AWS::NoValue.
 * - resourceDependencies throws "Unresolved resource dependencies" when a created resource names
 *   a resource whose Condition is false; outputValues does the same for the Outputs block.
 * - requiredCapabilities().resources are logical ids.
 */

export { messages as templateMessages, TemplateError } from './errors.js';
export { findReferences } from './references.js';
export type {
  CapabilityRequirement,
  EvaluationContext,
  OutputDeclaration,
  OutputValue,
  ParameterDeclaration,
  ParameterValueInput,
  PseudoParameters,
  ResolvedParameter,
  ResolvedParameters,
  ResourceDeclaration,
  Template,
  TemplateSummary,
} from './types.js';
export type { ParameterLookups } from './parameters.js';

export { parseTemplate } from './parse.js';
export { validateTemplate } from './validate.js';
export { resolveParameters } from './parameters.js';
export { evaluateConditions } from './conditions.js';
export { resolveValue } from './intrinsics.js';
export { creationOrder, resourceDependencies } from './dependencies.js';
export { requiredCapabilities } from './capabilities.js';
export { templateSummary } from './summary.js';
export { outputValues } from './outputs.js';
