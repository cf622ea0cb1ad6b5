/**
 * A SigV4 signer for iamd's own client commands (`iamd instances`, `iamd exec`), built from the
 * verifier's canonicalisation (canonical request, string to sign, signing key), so the client and
 * the server cannot disagree on a detail. Header form only, which is what query-protocol POSTs
 * (IAM, STS, EC2) need; presigning is left out.
 *
 * Every header the caller passes is signed, except the hop-by-hop and proxy-rewritten ones AWS's
 * signers leave unsigned; `host` and `x-amz-date` (and `x-amz-security-token` with a session
 * token) are added. The AWS CLI and boto3 sign no `x-amz-content-sha256` on query-protocol calls,
 * the JS SDK does: `contentSha256Header` chooses.
 */
import { formatAmzDate, formatAmzDay } from './amz-date.js';
import { canonicalRequest } from './canonical-request.js';
import { hmacSha256Hex, signingKey } from './signing-key.js';
import { ALGORITHM, sha256Hex, stringToSign } from './string-to-sign.js';
import type { ParsedSignature, SignedHttpRequest } from './types.js';

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface RequestToSign {
  method: string;
  /** e.g. http://127.0.0.1:4566/ ; its host (with a non-default port) becomes the Host header */
  url: URL;
  headers: Readonly<Record<string, string>>;
  body: string;
}

export interface SignOptions {
  region: string;
  service: string;
  date: Date;
  /** also send and sign x-amz-content-sha256 (the JS SDK does, the CLI and boto3 do not on query calls) */
  contentSha256Header?: boolean;
}

/** Headers a proxy or the HTTP stack may add, drop or rewrite: signing them would break the signature. */
const UNSIGNED_HEADERS = new Set([
  'authorization', 'connection', 'content-length', 'expect', 'keep-alive', 'proxy-authorization', 'proxy-connection',
  'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'x-amzn-trace-id',
]);

/** The headers to send: the caller's (names lower-cased), plus host, x-amz-date, the token and Authorization. */
export function signRequest(request: RequestToSign, credentials: SigningCredentials, options: SignOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const payloadHash = sha256Hex(request.body);
  headers.host = request.url.host;
  headers['x-amz-date'] = formatAmzDate(options.date);
  if (credentials.sessionToken !== undefined) headers['x-amz-security-token'] = credentials.sessionToken;
  if (options.contentSha256Header) headers['x-amz-content-sha256'] = payloadHash;

  const signedHeaders = Object.keys(headers).filter((name) => !UNSIGNED_HEADERS.has(name)).sort();
  const scopeDate = formatAmzDay(options.date);
  const credentialScope = `${scopeDate}/${options.region}/${options.service}/aws4_request`;
  // The verifier's functions read a request as it arrives and a parsed signature; describe ours so.
  const wire: SignedHttpRequest = {
    method: request.method,
    rawPath: request.url.pathname || '/',
    rawQuery: request.url.search.replace(/^\?/, ''),
    headers: Object.entries(headers),
  };
  const signature: ParsedSignature = {
    form: 'header',
    accessKeyId: credentials.accessKeyId,
    scopeDate,
    region: options.region,
    service: options.service,
    credentialScope,
    signedHeaders,
    signature: '',
    amzDate: headers['x-amz-date'],
    requestTime: options.date,
  };
  const canonical = canonicalRequest(wire, signature, payloadHash, { normalizePath: options.service !== 's3' });
  const key = signingKey(credentials.secretAccessKey, scopeDate, options.region, options.service);
  const hex = hmacSha256Hex(key, stringToSign(signature, canonical));
  headers.authorization =
    `${ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${hex}`;
  return headers;
}
