/**
 * The string to sign: algorithm, request time in ISO 8601 basic format, credential scope and the hex
 * SHA-256 of the canonical request. The time is reformatted from requestTime, so a request dated by
 * an HTTP Date header signs the same way as one carrying X-Amz-Date.
 */
import * as crypto from 'node:crypto';
import { formatAmzDate } from './amz-date.js';
import type { ParsedSignature } from './types.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';

// crypto.hash (Node >= 20.12) hashes in one call, about twice as fast as createHash for a text of a
// canonical request's size; older releases fall back to createHash.
const oneShotHash: typeof crypto.hash | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;

/** The hex SHA-256 of a text (UTF-8) or of bytes. */
export function sha256Hex(data: string | Buffer): string {
  if (oneShotHash) return oneShotHash('sha256', data, 'hex');
  return crypto.createHash('sha256').update(data).digest('hex');
}

export function stringToSign(sig: ParsedSignature, canonicalRequestText: string): string {
  return ALGORITHM + '\n' + formatAmzDate(sig.requestTime) + '\n' + sig.credentialScope + '\n' + sha256Hex(canonicalRequestText);
}
