/**
 * verifySignature: clock first, then the signature recomputed from the request and compared in
 * constant time. A failure says why ('signature', 'expired', 'not-yet-valid', 'presigned-expired');
 * its message never holds the secret, the session token, the expected signature or the canonical
 * request (which can contain the token).
 */
import { timingSafeEqual } from 'node:crypto';
import { canonicalRequest } from './canonical-request.js';
import { checkClock } from './clock.js';
import { hmacSha256Hex, signingKey } from './signing-key.js';
import { stringToSign } from './string-to-sign.js';
import type { ParsedSignature, SignedHttpRequest, VerifyOptions, VerifyResult } from './types.js';

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

function sameSignature(expectedHex: string, providedHex: string): boolean {
  // The expected signature is hex digits, one byte each in latin1; the provided one is any text,
  // encoded as UTF-8 so that no character of it can pass for a hex digit.
  const expected = Buffer.from(expectedHex, 'latin1');
  const provided = Buffer.from(providedHex, 'utf8');
  // Only the length (always 64) can leak here; the contents are compared in constant time.
  return expected.length === provided.length && timingSafeEqual(expected, provided);
}

function expectedSignature(req: SignedHttpRequest, sig: ParsedSignature, key: Buffer, options: VerifyOptions, omitSessionToken: boolean): { signature: string; toSign: string } {
  const canonical = canonicalRequest(req, sig, options.payloadHash, { normalizePath: options.normalizePath, omitSessionToken });
  const toSign = stringToSign(sig, canonical);
  return { signature: hmacSha256Hex(key, toSign), toSign };
}

export function verifySignature(req: SignedHttpRequest, sig: ParsedSignature, secretAccessKey: string, options: VerifyOptions): VerifyResult {
  const clock = checkClock(sig, options.now, options.maxSkewMs);
  if (!clock.ok) return clock;

  const key = signingKey(secretAccessKey, sig.scopeDate, sig.region, sig.service);
  const expected = expectedSignature(req, sig, key, options, false);
  if (sameSignature(expected.signature, sig.signature)) return { ok: true };
  // Some signers append X-Amz-Security-Token to a presigned URL after signing (AWS documents both
  // ways). Accepting that costs nothing in safety: a session token is bound to its access key, and
  // the signature still proves knowledge of that key's secret.
  const tokenInQuery = sig.form === 'query' && sig.securityToken !== undefined;
  if (tokenInQuery && sameSignature(expectedSignature(req, sig, key, options, true).signature, sig.signature)) return { ok: true };
  // S3 echoes the string to sign (date, scope and the canonical request's hash: nothing secret) so
  // that a client can see where its signer differs. Not the canonical request: it can hold the
  // session token. Not the signatures.
  const details = { AWSAccessKeyId: sig.accessKeyId, StringToSign: expected.toSign, StringToSignBytes: hexBytes(expected.toSign) };
  return { ok: false, reason: 'signature', message: SIGNATURE_MISMATCH_MESSAGE, details };
}

/** AWS's spelling of the bytes of a string: two hex digits each, space-separated. */
function hexBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
