/**
 * The condition functions (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition) as booleans. Operands
 * of Fn::Equals are evaluated by the caller's resolver and compared as text, so `!Equals [true,
 * "true"]` holds, as in CloudFormation.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-conditions.html
 */
import { fail, messages } from './errors.js';
import { checkFunctionShape } from './function-shapes.js';
import { asFunctionCall, scalarText } from './values.js';

export interface BooleanEnvironment {
  resolveOperand(value: unknown): unknown;
  conditionValue(name: string): boolean;
}

const CONDITION_FUNCTIONS: ReadonlySet<string> = new Set(['Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Condition']);

export function isConditionFunction(value: unknown): boolean {
  const call = asFunctionCall(value, true);
  return call !== undefined && CONDITION_FUNCTIONS.has(call.name);
}

/** `notBoolean` is the message when `value` is not a condition function at all. */
export function evaluateBoolean(value: unknown, environment: BooleanEnvironment, notBoolean: () => string = messages.conditionsOnlyBoolean): boolean {
  const call = asFunctionCall(value, true);
  if (!call || !CONDITION_FUNCTIONS.has(call.name)) return fail(notBoolean());
  checkFunctionShape(call.name, call.argument);
  const operands = Array.isArray(call.argument) ? call.argument : [];
  switch (call.name) {
    case 'Fn::Equals': {
      const [left, right] = operands.map((operand) => scalarText(environment.resolveOperand(operand)));
      if (left === undefined || right === undefined) return fail(messages.equalsShape());
      return left === right;
    }
    case 'Fn::And':
      return operands.map((operand) => evaluateBoolean(operand, environment, messages.andShape)).every(Boolean);
    case 'Fn::Or':
      return operands.map((operand) => evaluateBoolean(operand, environment, messages.orShape)).some(Boolean);
    case 'Fn::Not':
      return !evaluateBoolean(operands[0], environment, messages.notShape);
    default:
      return environment.conditionValue(String(call.argument));
  }
}
