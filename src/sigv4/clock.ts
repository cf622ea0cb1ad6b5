/**
 * The time checks, done before any HMAC so a stale request costs nothing.
 * - Header form (and a presigned request without X-Amz-Expires): the request time must be within
 *   maxSkew (15 min) of now, either way.
 * - Presigned form: now must not be past requestTime + X-Amz-Expires, and the request time must not be
 *   more than maxSkew in the future.
 * Messages use the query services' wording ("Signature expired: ... is now earlier than ...
 * (... - 15 min.)"); auth-errors.ts picks each protocol's own code and text.
 */
import { formatAmzDate, formatIsoSeconds } from './amz-date.js';
import type { ParsedSignature, VerifyResult } from './types.js';

export const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;
const CLOCK_OK: VerifyResult = Object.freeze({ ok: true });

function minutes(milliseconds: number): string {
  return String(milliseconds / 60000);
}

function skewDetails(sig: ParsedSignature, now: Date, maxSkewMs: number): Record<string, string> {
  return { RequestTime: sig.amzDate, ServerTime: formatIsoSeconds(now), MaxAllowedSkewMilliseconds: String(maxSkewMs) };
}

/** The text of a skew failure: `<request time> is still later than <now + skew> (<now> + 15 min.)`. */
function skewMessage(sig: ParsedSignature, now: Date, maxSkewMs: number, relation: string, sign: '+' | '-'): string {
  const limit = new Date(now.getTime() + (sign === '+' ? maxSkewMs : -maxSkewMs));
  return `${formatAmzDate(sig.requestTime)} ${relation} ${formatAmzDate(limit)} (${formatAmzDate(now)} ${sign} ${minutes(maxSkewMs)} min.)`;
}

/** Strings are formatted only on the failure paths: a request within the window allocates nothing. */
export function checkClock(sig: ParsedSignature, now: Date, maxSkewMs = DEFAULT_MAX_SKEW_MS): VerifyResult {
  const requestMs = sig.requestTime.getTime();
  const nowMs = now.getTime();

  if (requestMs > nowMs + maxSkewMs) {
    return {
      ok: false,
      reason: 'not-yet-valid',
      message: `Signature not yet current: ${skewMessage(sig, now, maxSkewMs, 'is still later than', '+')}`,
      details: skewDetails(sig, now, maxSkewMs),
    };
  }
  if (sig.form === 'query' && sig.expiresSeconds !== undefined) {
    const expiresAtMs = requestMs + sig.expiresSeconds * 1000;
    if (nowMs <= expiresAtMs) return CLOCK_OK;
    return {
      ok: false,
      reason: 'presigned-expired',
      message: 'Request has expired.',
      details: { 'X-Amz-Expires': String(sig.expiresSeconds), Expires: formatIsoSeconds(new Date(expiresAtMs)), ServerTime: formatIsoSeconds(now) },
    };
  }
  if (requestMs < nowMs - maxSkewMs) {
    return {
      ok: false,
      reason: 'expired',
      message: `Signature expired: ${skewMessage(sig, now, maxSkewMs, 'is now earlier than', '-')}`,
      details: skewDetails(sig, now, maxSkewMs),
    };
  }
  return CLOCK_OK;
}
