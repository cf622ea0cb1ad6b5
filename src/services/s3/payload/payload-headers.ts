/**
 * Reads the headers that describe a request body into a plan for decoding and checking it, refusing
 * contradictory or malformed ones before a byte of the body is read:
 * - x-amz-content-sha256: a hex hash (verified at the end), UNSIGNED-PAYLOAD, or one of the
 *   STREAMING-* modes (the body is aws-chunked; x-amz-decoded-content-length then gives its size);
 * - Content-MD5; at most one x-amz-checksum-<algorithm> header, or, for the trailer modes, one
 *   x-amz-checksum-<algorithm> named by x-amz-trailer; x-amz-sdk-checksum-algorithm, which must agree;
 * - Content-Length (a plain body's size), Content-Encoding (stored without aws-chunked).
 * Error codes and texts: errors.ts.
 */
import type { ChecksumAlgorithm } from '../storage/types.js';
import { STREAMING_MODES, type AwsChunkedOptions, type StreamingMode } from './aws-chunked.js';
import type { BodyCheckOptions } from './body-check.js';
import type { ChunkSigningContext } from '../../../sigv4/streaming-signature.js';
import { algorithmOfHeader, checksumHeaderName, DIGEST_LENGTHS, fromBase64, parseAlgorithmName } from './checksums.js';
import { AwsError } from '../../../protocol/aws-error.js';
import {
  chunkSignatureMismatch,
  invalidChecksumHeader,
  invalidContentMd5,
  invalidContentSha256,
  multipleChecksumHeaders,
  unsupportedStreamingAlgorithm,
} from './errors.js';

/** Node's IncomingHttpHeaders: lower-case names, repeated headers already joined with ", ". */
export type RequestHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface PayloadPlanOptions {
  /** for the signed STREAMING modes: chunkSigningContext(the request's parsed signature, its secret) */
  signing?: ChunkSigningContext;
  /** algorithms to compute whatever the request says (an upload's algorithm, a default CRC64NVME) */
  algorithms?: readonly ChecksumAlgorithm[];
  /** aws-chunked limits (defaults: S3's 8192 minimum, 64 MiB maximum) */
  minChunkSize?: number;
  maxChunkSize?: number;
}

export interface PayloadPlan {
  /** present when the body is aws-chunked */
  decoding?: AwsChunkedOptions;
  check: Omit<BodyCheckOptions, 'trailers'>;
  /** the algorithm the client named or sent a value for, if any */
  checksumAlgorithm?: ChecksumAlgorithm;
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;
const DECIMAL = /^\d{1,16}$/;
const SIGV4A_STREAMING = ['STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD', 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER'];

function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function isStreamingMode(value: string): value is StreamingMode {
  return (STREAMING_MODES as readonly string[]).includes(value);
}

export function planPayload(headers: RequestHeaders, options: PayloadPlanOptions = {}): PayloadPlan {
  const contentSha256 = header(headers, 'x-amz-content-sha256');
  const mode = contentSha256 !== undefined && isStreamingMode(contentSha256) ? contentSha256 : undefined;
  if (contentSha256 !== undefined && !mode && contentSha256 !== 'UNSIGNED-PAYLOAD' && !HEX_SHA256.test(contentSha256)) {
    throw SIGV4A_STREAMING.includes(contentSha256) ? unsupportedStreamingAlgorithm(contentSha256) : invalidContentSha256(contentSha256);
  }

  const headerChecksums = checksumHeaders(headers);
  const trailerAlgorithms = mode && mode !== 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' ? declaredTrailers(headers) : [];
  const trailerChecksums = trailerAlgorithms.map(algorithmOfHeader).filter((algorithm): algorithm is ChecksumAlgorithm => algorithm !== undefined);
  if (headerChecksums.length + trailerChecksums.length > 1) throw multipleChecksumHeaders();
  const sentAlgorithm = headerChecksums[0]?.[0] ?? trailerChecksums[0];
  const sdkAlgorithm = sdkChecksumAlgorithm(headers, sentAlgorithm);
  const checksumAlgorithm = sentAlgorithm ?? sdkAlgorithm;

  const contentMd5Text = header(headers, 'content-md5');
  const contentMd5 = contentMd5Text === undefined ? undefined : fromBase64(contentMd5Text.trim(), 16);
  if (contentMd5Text !== undefined && !contentMd5) throw invalidContentMd5();

  const check: Omit<BodyCheckOptions, 'trailers'> = {
    contentSha256: contentSha256 !== undefined && HEX_SHA256.test(contentSha256) ? Buffer.from(contentSha256, 'hex') : undefined,
    contentMd5,
    expectedChecksums: Object.fromEntries(headerChecksums),
    trailerChecksum: trailerChecksums[0],
    algorithms: [...(options.algorithms ?? []), ...(checksumAlgorithm ? [checksumAlgorithm] : [])],
  };
  const plan: PayloadPlan = { check, checksumAlgorithm };

  if (!mode) {
    const contentLength = header(headers, 'content-length');
    if (contentLength !== undefined && DECIMAL.test(contentLength)) check.expectedSize = Number(contentLength);
    return plan;
  }
  if (mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' && !options.signing) throw chunkSignatureMismatch();
  plan.decoding = {
    mode,
    signing: mode === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' ? undefined : options.signing,
    decodedContentLength: decodedContentLength(headers),
    declaredTrailers: trailerAlgorithms,
    minChunkSize: options.minChunkSize,
    maxChunkSize: options.maxChunkSize,
  };
  return plan;
}

/** [algorithm, decoded value] of the x-amz-checksum-<algorithm> header, if any. */
function checksumHeaders(headers: RequestHeaders): Array<[ChecksumAlgorithm, Buffer]> {
  const algorithms = Object.keys(headers).map(algorithmOfHeader).filter((algorithm): algorithm is ChecksumAlgorithm => algorithm !== undefined);
  // Counted before any value is looked at: two headers are refused even when both are empty.
  if (algorithms.length > 1) throw multipleChecksumHeaders();
  return algorithms.map((algorithm) => {
    const value = fromBase64((header(headers, checksumHeaderName(algorithm)) ?? '').trim(), DIGEST_LENGTHS[algorithm]);
    if (!value) throw invalidChecksumHeader(checksumHeaderName(algorithm));
    return [algorithm, value];
  });
}

/** x-amz-trailer's names, lower case. */
function declaredTrailers(headers: RequestHeaders): string[] {
  const value = header(headers, 'x-amz-trailer');
  if (value === undefined) return [];
  return value.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
}

function sdkChecksumAlgorithm(headers: RequestHeaders, sentAlgorithm: ChecksumAlgorithm | undefined): ChecksumAlgorithm | undefined {
  const value = header(headers, 'x-amz-sdk-checksum-algorithm');
  if (value === undefined) return undefined;
  const algorithm = parseAlgorithmName(value);
  if (!algorithm || (sentAlgorithm && algorithm !== sentAlgorithm)) {
    throw new AwsError('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.', 400);
  }
  return algorithm;
}

/**
 * A streaming body's size. S3 answers a missing or unusable x-amz-decoded-content-length with
 * SignatureDoesNotMatch, not with a header error (versity/versitygw#1088).
 */
function decodedContentLength(headers: RequestHeaders): number {
  const value = header(headers, 'x-amz-decoded-content-length');
  if (value === undefined || !DECIMAL.test(value)) throw chunkSignatureMismatch();
  return Number(value);
}

/** Content-Encoding as the object keeps it: aws-chunked is transport framing, not the object's encoding. */
export function storedContentEncoding(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const kept = value.split(',').map((token) => token.trim()).filter((token) => token !== '' && token.toLowerCase() !== 'aws-chunked');
  return kept.length > 0 ? kept.join(', ') : undefined;
}
