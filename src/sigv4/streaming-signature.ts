/**
 * The signatures of a signed aws-chunked body (S3 API reference, "sigv4-streaming" and
 * "sigv4-streaming-trailers"). Each chunk's signature chains to the one before it, the first to the
 * request's own ("seed") signature:
 *   AWS4-HMAC-SHA256-PAYLOAD \n <amz date> \n <scope> \n <previous signature> \n <sha256("")> \n <sha256(chunk data)>
 * and the trailer's, after the final empty chunk, to that chunk's signature:
 *   AWS4-HMAC-SHA256-TRAILER \n <amz date> \n <scope> \n <previous signature> \n <sha256(trailer lines)>
 * where the trailer lines are `name:value\n` each. The key is the request's SigV4 signing key.
 */
import { timingSafeEqual } from 'node:crypto';
import { formatAmzDate } from './amz-date.js';
import { hmacSha256, signingKey } from './signing-key.js';
import { sha256Hex } from './string-to-sign.js';
import type { ParsedSignature } from './types.js';

export const EMPTY_SHA256_HEX = sha256Hex('');

/** What chunk signatures are verified with, fixed by the request that carries them. */
export interface ChunkSigningContext {
  /** the request's signing key (read-only: signingKey's cached Buffer) */
  key: Buffer;
  /** X-Amz-Date, ISO 8601 basic */
  amzDate: string;
  /** e.g. 20130524/us-east-1/s3/aws4_request */
  credentialScope: string;
  /** the request's own signature, lower-case hex */
  seedSignature: string;
}

/** The context for a request already verified by src/sigv4, with its secret. */
export function chunkSigningContext(signature: ParsedSignature, secretAccessKey: string): ChunkSigningContext {
  return {
    key: signingKey(secretAccessKey, signature.scopeDate, signature.region, signature.service),
    amzDate: formatAmzDate(signature.requestTime),
    credentialScope: signature.credentialScope,
    seedSignature: signature.signature,
  };
}

export function chunkStringToSign(context: ChunkSigningContext, previousSignature: string, chunkSha256Hex: string): string {
  return `AWS4-HMAC-SHA256-PAYLOAD\n${context.amzDate}\n${context.credentialScope}\n${previousSignature}\n${EMPTY_SHA256_HEX}\n${chunkSha256Hex}`;
}

export function trailerStringToSign(context: ChunkSigningContext, previousSignature: string, trailerText: string): string {
  return `AWS4-HMAC-SHA256-TRAILER\n${context.amzDate}\n${context.credentialScope}\n${previousSignature}\n${sha256Hex(trailerText)}`;
}

export function signString(key: Buffer, stringToSign: string): Buffer {
  return hmacSha256(key, stringToSign);
}

/** Constant time in the contents; `providedHex` has already been checked to be 64 hex digits. */
export function isSameSignature(computed: Buffer, providedHex: string): boolean {
  const provided = Buffer.from(providedHex, 'hex');
  return provided.length === computed.length && timingSafeEqual(computed, provided);
}
