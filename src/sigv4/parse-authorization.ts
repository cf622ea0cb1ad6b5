/**
 * parseSignature: finds the SigV4 authentication a request carries (Authorization header or presigned
 * query), checks its form, and returns it parsed; the signature itself is checked by verifySignature.
 * Returns null for a request with no SigV4 at all (the pipeline decides whether anonymous is allowed).
 */
import { parseCredentialScope } from './credential-scope.js';
import { readAuthorizationHeader } from './authorization-header.js';
import { HOST_NOT_SIGNED, ONE_AUTH_MECHANISM, incompleteSignature } from './parse-errors.js';
import { readPresignedQuery } from './presigned-query.js';
import { HeaderIndex, queryPairs, queryParam } from './raw-request.js';
import { splitOn } from './split-on.js';
import type { ParsedSignature, SignedHttpRequest } from './types.js';

export interface ParseSignatureOptions {
  /** When given, a credential scoped to another service is refused ("scoped to correct service"). */
  service?: string;
}

/** SignedHeaders as lower-cased names, lower-cased in place (no second array: this runs per request). */
function signedHeaderNames(list: string): string[] {
  const names = splitOn(list, ';');
  for (let index = 0; index < names.length; index++) names[index] = names[index]!.toLowerCase();
  return names;
}

export function parseSignature(req: SignedHttpRequest, options: ParseSignatureOptions = {}): ParsedSignature | null {
  const headers = new HeaderIndex(req.headers);
  const authorization = headers.first('authorization');
  const pairs = queryPairs(req.rawQuery);
  const presigned = queryParam(pairs, 'X-Amz-Algorithm') !== undefined || queryParam(pairs, 'X-Amz-Credential') !== undefined;
  if (authorization === undefined && !presigned) return null;
  if (authorization !== undefined && presigned) throw incompleteSignature(ONE_AUTH_MECHANISM);

  const fields = authorization !== undefined ? readAuthorizationHeader(headers, authorization) : readPresignedQuery(pairs);
  const scope = parseCredentialScope(fields, options.service);
  const signedHeaders = signedHeaderNames(fields.signedHeaders);
  // Without Host in the signature a captured request could be replayed against another endpoint.
  if (!signedHeaders.includes('host')) throw incompleteSignature(HOST_NOT_SIGNED);

  const signature: ParsedSignature = {
    form: fields.form,
    accessKeyId: scope.accessKeyId,
    scopeDate: scope.scopeDate,
    region: scope.region,
    service: scope.service,
    credentialScope: scope.credentialScope,
    signedHeaders,
    signature: fields.signature,
    amzDate: fields.amzDate,
    requestTime: fields.requestTime,
  };
  // Absent optional fields are left out rather than set to undefined.
  if (fields.expiresSeconds !== undefined) signature.expiresSeconds = fields.expiresSeconds;
  if (fields.securityToken !== undefined) signature.securityToken = fields.securityToken;
  return signature;
}
