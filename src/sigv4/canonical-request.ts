/**
 * The canonical request: method, CanonicalURI, CanonicalQueryString, CanonicalHeaders (each line
 * newline-terminated), SignedHeaders and the payload hash, joined by newlines. The payload hash is the
 * caller's: the pipeline knows whether it hashed the body or trusts x-amz-content-sha256.
 */
import { canonicalHeaderBlock } from './canonical-headers.js';
import { canonicalQuery } from './canonical-query.js';
import { canonicalUri } from './canonical-uri.js';
import type { ParsedSignature, SignedHttpRequest } from './types.js';

export interface CanonicalRequestOptions {
  normalizePath: boolean;
  /**
   * Presigned form only: leave X-Amz-Security-Token out of the canonical query. AWS documents that
   * "for some services" the token is appended after signing (the suite's post-sts-header-after case).
   */
  omitSessionToken?: boolean;
}

const NOTHING = new Set<string>();
const SIGNATURE_ONLY = new Set(['X-Amz-Signature']);
const SIGNATURE_AND_TOKEN = new Set(['X-Amz-Signature', 'X-Amz-Security-Token']);

function excludedQueryNames(sig: ParsedSignature, options: CanonicalRequestOptions): ReadonlySet<string> {
  if (sig.form === 'header') return NOTHING;
  return options.omitSessionToken ? SIGNATURE_AND_TOKEN : SIGNATURE_ONLY;
}

export function canonicalRequest(req: SignedHttpRequest, sig: ParsedSignature, payloadHash: string, options: CanonicalRequestOptions): string {
  return (
    req.method + '\n' +
    canonicalUri(req.rawPath, options.normalizePath) + '\n' +
    canonicalQuery(req.rawQuery, excludedQueryNames(sig, options)) + '\n' +
    canonicalHeaderBlock(req.headers, sig.signedHeaders) + '\n' +
    sig.signedHeaders.join(';') + '\n' +
    payloadHash
  );
}
