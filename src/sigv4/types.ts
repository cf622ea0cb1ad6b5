/**
 * The shapes the SigV4 verifier works on. A request is described exactly as it arrived (raw path,
 * raw query, raw header pairs), because SigV4 signs bytes, and any normalisation done by an HTTP
 * framework before us (decoding the path, merging headers) would change what we verify.
 */

export interface SignedHttpRequest {
  method: string;
  /**
   * Path exactly as received (percent-encoding untouched), without the query. Node hands `req.url`
   * over as latin1; a request line holding raw UTF-8 bytes (not legal HTTP, but the AWS test suite
   * has such cases) must be re-read as UTF-8 before it is put here.
   */
  rawPath: string;
  /** Query string exactly as received, without '?', '' when there is none. */
  rawQuery: string;
  /** Raw header pairs in arrival order (node's req.rawHeaders paired); names in any case, duplicates kept. */
  headers: ReadonlyArray<readonly [string, string]>;
}

export interface ParsedSignature {
  form: 'header' | 'query';
  accessKeyId: string;
  /** YYYYMMDD */
  scopeDate: string;
  region: string;
  service: string;
  /** e.g. 20150830/us-east-1/iam/aws4_request */
  credentialScope: string;
  /** Lower-cased, in the order the client listed them. */
  signedHeaders: readonly string[];
  /** As sent (AWS clients send lower-case hex). */
  signature: string;
  /** The X-Amz-Date (header or query) or the Date header, as sent. */
  amzDate: string;
  requestTime: Date;
  /** Presigned form only: X-Amz-Expires. */
  expiresSeconds?: number;
  /** x-amz-security-token header or X-Amz-Security-Token query parameter. */
  securityToken?: string;
}

export interface VerifyOptions {
  /** Hex SHA-256 of the body, or the x-amz-content-sha256 value / 'UNSIGNED-PAYLOAD' for S3. */
  payloadHash: string;
  /** true for every service but S3. */
  normalizePath: boolean;
  now: Date;
  /** Allowed clock difference; default 15 minutes, as AWS. */
  maxSkewMs?: number;
}

export type VerifyFailureReason = 'signature' | 'expired' | 'not-yet-valid' | 'presigned-expired';

export type VerifyFailure = {
  ok: false;
  reason: VerifyFailureReason;
  /** The query-protocol (IAM/STS) wording; auth-errors.ts picks each protocol's own. */
  message: string;
  /** Values some protocols echo as extra error fields (S3: RequestTime, ServerTime, ...). */
  details?: Readonly<Record<string, string>>;
};

export type VerifyResult = { ok: true } | VerifyFailure;
