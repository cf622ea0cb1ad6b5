/**
 * resolveValue: a template value with every intrinsic function evaluated. Objects and lists are
 * rebuilt; a property or list item that comes out as AWS::NoValue is left out; strings have their
 * `{{resolve:ssm:…}}` dynamic references replaced. Fn::If evaluates only the branch taken.
 */
import { evaluateBoolean } from './condition-functions.js';
import { resolveDynamicReferences } from './dynamic-references.js';
import { fail, messages } from './errors.js';
import type { Evaluator, FunctionImplementation } from './evaluator.js';
import { checkFunctionShape } from './function-shapes.js';
import { base64, cidr, findInMap, join, select, split } from './list-functions.js';
import { getAtt, getAzs, importValue, refValue } from './reference-functions.js';
import { sub } from './sub-function.js';
import type { EvaluationContext } from './types.js';
import { asFunctionCall, isPlainObject } from './values.js';

const withDynamicReferences = (implementation: FunctionImplementation): FunctionImplementation =>
  (argument, evaluator) => {
    const result = implementation(argument, evaluator);
    return typeof result === 'string' ? resolveDynamicReferences(result, evaluator.context.ssmParameter) : result;
  };

/** Fn::Equals/And/Or/Not written outside the Conditions section evaluate to a boolean. */
const conditionFunction = (name: string): FunctionImplementation => (argument, evaluator) =>
  evaluateBoolean({ [name]: argument }, {
    resolveOperand: (operand) => evaluator.resolve(operand),
    conditionValue: (condition) => evaluator.context.conditions.get(condition) ?? fail(messages.conditionNotDefined(condition)),
  });

const FUNCTIONS: Readonly<Record<string, FunctionImplementation>> = {
  Ref: (argument, evaluator) => evaluator.ref(String(argument)),
  'Fn::GetAtt': getAtt,
  'Fn::Join': withDynamicReferences(join),
  'Fn::Split': split,
  'Fn::Select': select,
  'Fn::FindInMap': findInMap,
  'Fn::Sub': withDynamicReferences(sub),
  'Fn::Base64': base64,
  'Fn::Cidr': cidr,
  'Fn::GetAZs': getAzs,
  'Fn::ImportValue': importValue,
  'Fn::If': ifFunction,
  'Fn::Equals': conditionFunction('Fn::Equals'),
  'Fn::And': conditionFunction('Fn::And'),
  'Fn::Or': conditionFunction('Fn::Or'),
  'Fn::Not': conditionFunction('Fn::Not'),
};

function ifFunction(argument: unknown, evaluator: Evaluator): unknown {
  const [condition, whenTrue, whenFalse] = argument as [string, unknown, unknown];
  const holds = evaluator.context.conditions.get(condition);
  if (holds === undefined) return fail(messages.ifUnresolvedCondition(condition));
  return evaluator.resolve(holds ? whenTrue : whenFalse);
}

export function resolveValue(value: unknown, context: EvaluationContext): unknown {
  const evaluator: Evaluator = {
    context,
    resolve: (inner) => resolve(inner, evaluator),
    ref: (name) => refValue(name, context),
  };
  return resolve(value, evaluator);
}

function resolve(value: unknown, evaluator: Evaluator): unknown {
  if (typeof value === 'string') return resolveDynamicReferences(value, evaluator.context.ssmParameter);
  if (Array.isArray(value)) return value.map((item) => resolve(item, evaluator)).filter((item) => item !== undefined);
  if (!isPlainObject(value)) return value;
  const call = asFunctionCall(value);
  if (call) {
    checkFunctionShape(call.name, call.argument);
    const implementation = FUNCTIONS[call.name] ?? fail(messages.unsupportedFunction(call.name));
    return implementation(call.argument, evaluator);
  }
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolve(item, evaluator);
    if (resolved !== undefined) result[key] = resolved;
  }
  return result;
}
