/**
 * Reading what an operation answered (the XmlObject its handler returned, before any XML is
 * written), and the service errors a provider may treat as "already gone".
 */
import type { XmlObject, XmlValue } from '../../../protocol/xml.js';
import { ServiceCallError } from './invoker.js';

/** The value at `path` (object keys; a number indexes a list). */
export function valueAt(result: XmlObject, ...path: Array<string | number>): XmlValue {
  let value: XmlValue = result;
  for (const step of path) {
    if (value === null || value === undefined) return undefined;
    if (typeof step === 'number') value = Array.isArray(value) ? (value as readonly XmlValue[])[step] : undefined;
    else value = typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) ? (value as XmlObject)[step] : undefined;
  }
  return value;
}

/** The string at `path`; an operation that answered without it is a bug in iamd, not a user error. */
export function stringAt(result: XmlObject, ...path: Array<string | number>): string {
  const value = valueAt(result, ...path);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  throw new Error(`the operation's result has no ${path.join('.')}`);
}

/** A service error that says the thing is not there (a delete of something already gone succeeds). */
export function isNotFound(error: unknown): boolean {
  return error instanceof ServiceCallError && (error.code === 'NoSuchEntity' || error.code.endsWith('NotFound') || error.code === 'Gateway.NotAttached'
    || error.code === 'NoSuchBucket' || error.code === 'NoSuchBucketPolicy' || error.code === 'NoSuchTagSet');
}

/** Runs a delete-like call, treating "not found" as done. */
export async function unlessGone(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
