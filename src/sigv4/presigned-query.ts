/**
 * The presigned (query-string) form: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date,
 * X-Amz-SignedHeaders and X-Amz-Signature are required, X-Amz-Expires (1..604800 seconds) and
 * X-Amz-Security-Token are optional. All missing parameters are reported at once, as AWS does.
 */
import { parseAmzDate } from './amz-date.js';
import { BASIC_FORMAT_HINT, incompleteSignature, unsupportedAlgorithm } from './parse-errors.js';
import type { RawAuthFields } from './raw-auth-fields.js';
import { queryParam, type QueryPair } from './raw-request.js';
import { ALGORITHM } from './string-to-sign.js';

const REQUIRED = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];
const ONE_WEEK_SECONDS = 604800;

function expiresSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^-\d+$/.test(text)) throw incompleteSignature('X-Amz-Expires must be non-negative');
  if (!/^\d+$/.test(text)) throw incompleteSignature('X-Amz-Expires should be a number');
  const seconds = Number(text);
  if (seconds < 1) throw incompleteSignature('X-Amz-Expires must be at least 1 second');
  if (seconds > ONE_WEEK_SECONDS) throw incompleteSignature(`X-Amz-Expires must be less than a week (in seconds) that is ${ONE_WEEK_SECONDS}`);
  return seconds;
}

export function readPresignedQuery(pairs: readonly QueryPair[]): RawAuthFields {
  let missing = '';
  for (const name of REQUIRED) {
    if (!queryParam(pairs, name)) missing += `AWS query-string parameters must include '${name}'. `;
  }
  if (missing) throw incompleteSignature(`${missing}Re-examine the query-string parameters.`);

  const algorithm = queryParam(pairs, 'X-Amz-Algorithm')!;
  if (algorithm !== ALGORITHM) throw unsupportedAlgorithm(algorithm);
  const amzDate = queryParam(pairs, 'X-Amz-Date')!;
  const requestTime = parseAmzDate(amzDate);
  if (!requestTime) throw incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. ${BASIC_FORMAT_HINT}`);

  const expires = expiresSeconds(queryParam(pairs, 'X-Amz-Expires'));
  const securityToken = queryParam(pairs, 'X-Amz-Security-Token');
  const fields: RawAuthFields = {
    form: 'query',
    credential: queryParam(pairs, 'X-Amz-Credential')!,
    signedHeaders: queryParam(pairs, 'X-Amz-SignedHeaders')!,
    signature: queryParam(pairs, 'X-Amz-Signature')!,
    amzDate,
    requestTime,
    dateSource: 'X-Amz-Date',
  };
  // Absent optional fields are left out rather than set to undefined.
  if (expires !== undefined) fields.expiresSeconds = expires;
  if (securityToken !== undefined) fields.securityToken = securityToken;
  return fields;
}
