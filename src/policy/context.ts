/**
 * Condition keys are case-insensitive ("aws:CurrentTime is equivalent to AWS:currenttime",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html): the engine
 * expects them lowercased, once, when the request context is built.
 */
import type { ContextValue } from './types.js';

/** A context key map with lowercased names; entries whose value is undefined are left out. */
export function contextKeys(
  entries: Readonly<Record<string, ContextValue | undefined>> | Iterable<readonly [string, ContextValue | undefined]>,
): Map<string, ContextValue> {
  const keys = new Map<string, ContextValue>();
  const pairs = isIterable(entries) ? entries : Object.entries(entries);
  for (const [name, value] of pairs) if (value !== undefined) keys.set(name.toLowerCase(), value);
  return keys;
}

function isIterable<T>(value: object): value is Iterable<T> {
  return Symbol.iterator in value;
}
