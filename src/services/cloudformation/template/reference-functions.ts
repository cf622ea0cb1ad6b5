/**
 * The functions that read from outside the template's own text: Ref, Fn::GetAtt,
 * Fn::ImportValue and Fn::GetAZs.
 */
import { fail, messages } from './errors.js';
import type { Evaluator } from './evaluator.js';
import { getAttParts } from './function-shapes.js';
import { parameterKind, splitList } from './parameter-types.js';
import { isPseudoParameter, pseudoParameterValue } from './pseudo-parameters.js';
import type { EvaluationContext } from './types.js';
import { scalarText } from './values.js';

/** Ref of a parameter is its value (an array for list types; the SSM value for SSM-backed types). */
export function refValue(name: string, context: EvaluationContext): unknown {
  if (isPseudoParameter(name)) return pseudoParameterValue(name, context.pseudo);
  const parameter = context.parameters.get(name);
  if (parameter) {
    if (parameter.resolvedValue === undefined) return parameter.value;
    const listType = parameter.type !== undefined && parameterKind(parameter.type)?.list === true;
    return listType ? splitList(parameter.resolvedValue) : parameter.resolvedValue;
  }
  return context.resourceRef(name);
}

export function getAtt(argument: unknown, evaluator: Evaluator): unknown {
  const parts = getAttParts(argument) ?? fail(messages.getAttShape());
  const attribute = typeof parts.attribute === 'string' ? parts.attribute : scalarText(evaluator.resolve(parts.attribute));
  if (attribute === undefined || attribute === '') return fail(messages.getAttShape());
  return evaluator.context.resourceAttribute(parts.target, attribute);
}

export function importValue(argument: unknown, evaluator: Evaluator): string {
  const name = scalarText(evaluator.resolve(argument)) ?? fail(messages.importValueShape());
  return evaluator.context.importValue(name);
}

/** Fn::GetAZs "" (or no region) means the stack's own region. */
export function getAzs(argument: unknown, evaluator: Evaluator): string[] {
  const region = scalarText(evaluator.resolve(argument)) ?? fail(messages.getAzsShape());
  return evaluator.context.availabilityZones(region === '' ? evaluator.context.pseudo.region : region);
}
