/**
 * S3 request bodies: decoding aws-chunked framing, verifying chunk and trailer signatures, and
 * checking the bytes against what the request claims, while they stream to storage. Pure: no I/O
 * besides the streams handed in, no clock.
 *
 * An operation that stores a body (PutObject, UploadPart):
 *
 *   const plan = planPayload(request.headers, {             // refuses bad headers before the body
 *     signing: chunkSigningContext(parsedSignature, secret),  // for signed STREAMING-* bodies
 *     algorithms: upload?.checksumAlgorithm ? [upload.checksumAlgorithm] : [],
 *   });
 *   const { body, result } = checkBody(request, plan);       // request → aws-chunked decoder → body check
 *   const blob = await storage.stage(body);                   // rejects (and discards) on any failure
 *   const checked = await result;                             // { size, md5, etag, checksums }
 *   storage.putObject(bucket, key, { etag: checked.etag, checksums: checked.checksums, ... }, blob, now);
 *
 * The object keeps the request's Content-Encoding without aws-chunked (storedContentEncoding,
 * which object-headers.ts applies to the headers it stores).
 *
 * CompleteMultipartUpload: multipartEtag(part MD5s); compositeChecksum(algorithm, part digests) for
 * COMPOSITE, fullObjectCrc(algorithm, parts) for FULL_OBJECT (combineCrc underneath).
 *
 * Errors are AwsErrors with S3's codes and texts (errors.ts); those with extra XML elements
 * (NumberBytesExpected, ClientComputedContentSHA256, Chunk, ...) carry them in `extraFields`.
 * Known gaps: SigV4A (ECDSA) streaming bodies are refused with NotImplemented.
 */
export {
  CHECKSUM_ALGORITHMS,
  DIGEST_LENGTHS,
  algorithmOfHeader,
  checksumHeaderName,
  checksumOf,
  createChecksum,
  fromBase64,
  isCrcAlgorithm,
  parseAlgorithmName,
  toBase64,
  type Checksum,
  type ChecksumAlgorithm,
  type CrcAlgorithm,
} from './checksums.js';
export { combineCrc } from './crc-combine.js';
export { compositeChecksum, fullObjectCrc, multipartEtag, type PartCrc } from './multipart-checksums.js';
export { AwsChunkedDecoder, S3_MIN_CHUNK_SIZE, STREAMING_MODES, type AwsChunkedOptions, type StreamingMode } from './aws-chunked.js';
export { chunkSigningContext, type ChunkSigningContext } from '../../../sigv4/streaming-signature.js';
export { BodyCheck, type BodyCheckOptions, type BodyCheckResult } from './body-check.js';
export { planPayload, storedContentEncoding, type PayloadPlan, type PayloadPlanOptions, type RequestHeaders } from './payload-headers.js';
export { checkBody, type CheckedBody } from './checked-body.js';
export {
  PayloadError,
  bodyTerminatedUnexpectedly,
  byteCountMismatch,
  checksumMismatch,
  contentMd5Mismatch,
  invalidChecksumHeader,
  invalidContentMd5,
  malformedTrailer,
  multipleChecksumHeaders,
} from './errors.js';
