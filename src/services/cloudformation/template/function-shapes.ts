/**
 * The argument shape each intrinsic function takes, checked the same way when a template is
 * validated (arguments may still be other functions) and when a value is evaluated.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
 */
import { fail, messages } from './errors.js';
import { asFunctionCall, isPlainObject, isScalar } from './values.js';

const isCall = (value: unknown): boolean => asFunctionCall(value) !== undefined;
const isScalarOrCall = (value: unknown): boolean => isScalar(value) || isCall(value);
const isListOrCall = (value: unknown): boolean => Array.isArray(value) || isCall(value);
const pairOf = (argument: unknown, length: number): argument is unknown[] => Array.isArray(argument) && argument.length === length;

/** Fn::GetAtt as [resource, attribute] (the attribute may be a Ref), or 'Resource.Attribute'. */
export function getAttParts(argument: unknown): { target: string; attribute: unknown } | undefined {
  if (typeof argument === 'string') {
    const dot = argument.indexOf('.');
    return dot > 0 && dot < argument.length - 1 ? { target: argument.slice(0, dot), attribute: argument.slice(dot + 1) } : undefined;
  }
  if (!pairOf(argument, 2)) return undefined;
  const [target, attribute] = argument;
  if (typeof target !== 'string' || target === '') return undefined;
  if ((typeof attribute === 'string' && attribute !== '') || isCall(attribute)) return { target, attribute };
  return undefined;
}

type ShapeCheck = (argument: unknown) => boolean;

const SHAPES: Readonly<Record<string, readonly [ShapeCheck, () => string]>> = {
  Ref: [(a) => typeof a === 'string' && a !== '', messages.refShape],
  Condition: [(a) => typeof a === 'string' && a !== '', messages.conditionFunctionShape],
  'Fn::GetAtt': [(a) => getAttParts(a) !== undefined, messages.getAttShape],
  'Fn::Join': [(a) => pairOf(a, 2) && isScalar(a[0]) && isListOrCall(a[1]), messages.joinShape],
  'Fn::Split': [(a) => pairOf(a, 2) && isScalar(a[0]) && isScalarOrCall(a[1]), messages.splitShape],
  'Fn::Select': [(a) => pairOf(a, 2) && isScalarOrCall(a[0]) && isListOrCall(a[1]), messages.selectShape],
  'Fn::FindInMap': [isFindInMapArgument, messages.findInMapShape],
  'Fn::Sub': [isSubArgument, messages.subShape],
  'Fn::If': [(a) => pairOf(a, 3) && typeof a[0] === 'string', messages.ifShape],
  'Fn::Equals': [(a) => pairOf(a, 2), messages.equalsShape],
  'Fn::And': [(a) => Array.isArray(a) && a.length >= 2 && a.length <= 10, messages.andShape],
  'Fn::Or': [(a) => Array.isArray(a) && a.length >= 2 && a.length <= 10, messages.orShape],
  'Fn::Not': [(a) => pairOf(a, 1), messages.notShape],
  'Fn::Base64': [isScalarOrCall, messages.base64Shape],
  'Fn::GetAZs': [isScalarOrCall, messages.getAzsShape],
  'Fn::ImportValue': [isScalarOrCall, messages.importValueShape],
  'Fn::Cidr': [(a) => pairOf(a, 3) && a.every(isScalarOrCall), messages.cidrShape],
};

function isFindInMapArgument(argument: unknown): boolean {
  if (!Array.isArray(argument)) return false;
  const keysValid = argument.length >= 3 && argument.slice(0, 3).every(isScalarOrCall);
  if (argument.length === 3) return keysValid;
  // AWS::LanguageExtensions adds a fourth argument, { DefaultValue: … }.
  return keysValid && argument.length === 4 && isPlainObject(argument[3]) && 'DefaultValue' in argument[3];
}

function isSubArgument(argument: unknown): boolean {
  if (typeof argument === 'string') return true;
  return pairOf(argument, 2) && typeof argument[0] === 'string' && isPlainObject(argument[1]);
}

/** Throws AWS's message when `name` is not a function CloudFormation evaluates, or `argument` has the wrong shape. */
export function checkFunctionShape(name: string, argument: unknown): void {
  const shape = SHAPES[name];
  if (!shape) fail(messages.unsupportedFunction(name));
  const [accepts, message] = shape;
  if (!accepts(argument)) fail(message());
}
