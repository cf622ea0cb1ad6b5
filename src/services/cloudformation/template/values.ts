/**
 * Small helpers over parsed template values (plain JSON-like data: objects, arrays, strings,
 * numbers, booleans, null).
 */

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An intrinsic function call: an object whose single key is `Ref`, `Fn::…` or (only where
 * conditions are evaluated) `Condition`.
 */
export interface FunctionCall {
  name: string;
  argument: unknown;
}

export function asFunctionCall(value: unknown, allowCondition = false): FunctionCall | undefined {
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  const name = keys[0]!;
  if (name === 'Ref' || name.startsWith('Fn::') || (allowCondition && name === 'Condition')) {
    return { name, argument: value[name] };
  }
  return undefined;
}

/** A scalar as CloudFormation passes it on: numbers and booleans become their text. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}

export function isScalar(value: unknown): boolean {
  return scalarText(value) !== undefined;
}
