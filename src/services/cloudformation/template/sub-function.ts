/**
 * Fn::Sub evaluated: `Fn::Sub: text` or `Fn::Sub: [text, { Var: value }]`. A variable is looked up
 * in the map first, then as a parameter / pseudo parameter / resource (`${Name}`) or a resource
 * attribute (`${Resource.Attribute}`). Every variable must come out as text.
 */
import { fail, messages } from './errors.js';
import type { Evaluator } from './evaluator.js';
import { parseSubString, splitSubVariable } from './sub.js';
import { isPlainObject, scalarText } from './values.js';

export function sub(argument: unknown, evaluator: Evaluator): string {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof text !== 'string' || !isPlainObject(variables)) return fail(messages.subShape());
  const parts = parseSubString(text).map((part) => {
    if ('literal' in part) return part.literal;
    const value = part.variable in variables ? evaluator.resolve(variables[part.variable]) : variableValue(part.variable, evaluator);
    return scalarText(value) ?? fail(messages.subNotString(part.variable));
  });
  return parts.join('');
}

function variableValue(variable: string, evaluator: Evaluator): unknown {
  const { target, attribute } = splitSubVariable(variable);
  return attribute === undefined ? evaluator.ref(target) : evaluator.context.resourceAttribute(target, attribute);
}
