/**
 * The errors a request body can earn, with S3's codes and wire texts, and where each was found:
 * - IncompleteBody 400 "The request body terminated unexpectedly": a truncated body and, per reports
 *   from real S3, any malformed aws-chunked framing (bad size line, missing CRLF, malformed
 *   chunk-signature, missing final CRLF) (versity/versitygw#1666, #1685; aws/aws-sdk-java-v2#2908).
 * - IncompleteBody "You did not provide the number of bytes specified by the Content-Length HTTP
 *   header" with NumberBytesExpected/NumberBytesProvided: a byte count, including a decoded length
 *   differing from x-amz-decoded-content-length (versity/versitygw#1684).
 * - InvalidChunkSizeError "Only the last chunk is allowed to have a size less than 8192 bytes" with
 *   Chunk (the number of the chunk that showed the short one was not last) and BadChunkSize (the short
 *   chunk's size), also for unsigned payloads (versity/versitygw#1665, #1683, #2085;
 *   aws/aws-sdk-js-v3#6799).
 * - MalformedTrailerError "The request contained trailing data that was not well-formed or did not
 *   conform to our published schema.": a bad trailer, one not declared in x-amz-trailer, or a
 *   trailer without x-amz-trailer (scality/Arsenal#2596).
 * - XAmzContentSHA256Mismatch "The provided 'x-amz-content-sha256' header does not match what was
 *   computed." with ClientComputedContentSHA256 and S3ComputedContentSHA256 (captures in
 *   grosskur/lua-resty-aws#2, s3tools/s3cmd#812).
 * - BadDigest "The Content-MD5 you specified did not match what we received."; InvalidDigest "The
 *   Content-MD5 you specified is not valid." (S3 error list; ceph/s3-tests#18).
 * - BadDigest "The CRC32 you specified did not match the calculated checksum." (aws/aws-sdk-ruby#3322;
 *   the other algorithms by the same pattern).
 * - InvalidRequest "Value for x-amz-checksum-crc32 header is invalid." (localstack/localstack#12169),
 *   "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."
 *   (versity/versitygw#1186, #1188), "Value for x-amz-sdk-checksum-algorithm header is invalid."
 *   for an algorithm that differs from the checksum header's (versity/versitygw#1598).
 * - InvalidArgument for an x-amz-content-sha256 that is neither a hash nor a known sentinel, with
 *   ArgumentName and ArgumentValue (versity/versitygw#1352).
 * - A chunk or trailer signature that does not verify: S3's SignatureDoesNotMatch 403; so too a
 *   STREAMING-* body without a usable x-amz-decoded-content-length (versity/versitygw#1088).
 * Ours, not AWS's (no capture found): the text for a chunk above the configured maximum, and
 * NotImplemented 501 for the SigV4A (ECDSA) streaming modes.
 *
 * Extra envelope elements ride in `extraFields`, as SignatureFailureError carries them for
 * RequestTimeTooSkewed, so that one S3 error serializer writes both.
 */
import { AwsError } from '../../../protocol/aws-error.js';

import type { ChecksumAlgorithm } from './checksums.js';

/** An S3 error about a request's body, with the extra XML elements S3 gives it. */
export class PayloadError extends AwsError {
  constructor(code: string, message: string, statusCode: number, extraFields: Readonly<Record<string, string>> = {}) {
    super(code, message, statusCode, undefined, extraFields);
    this.name = 'PayloadError';
  }
}

export const S3_SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

export function bodyTerminatedUnexpectedly(): PayloadError {
  return new PayloadError('IncompleteBody', 'The request body terminated unexpectedly', 400);
}

export function byteCountMismatch(expected: number, provided: number): PayloadError {
  return new PayloadError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400, {
    NumberBytesExpected: String(expected),
    NumberBytesProvided: String(provided),
  });
}

export function chunkTooSmall(chunkNumber: number, badChunkSize: number, minimum: number): PayloadError {
  return new PayloadError('InvalidChunkSizeError', `Only the last chunk is allowed to have a size less than ${minimum} bytes`, 400, {
    Chunk: String(chunkNumber),
    BadChunkSize: String(badChunkSize),
  });
}

export function chunkTooLarge(chunkNumber: number, size: number, maximum: number): PayloadError {
  return new PayloadError('InvalidChunkSizeError', `A chunk may hold at most ${maximum} bytes`, 400, {
    Chunk: String(chunkNumber),
    BadChunkSize: String(size),
  });
}

export function malformedTrailer(): PayloadError {
  return new PayloadError('MalformedTrailerError', 'The request contained trailing data that was not well-formed or did not conform to our published schema.', 400);
}

export function chunkSignatureMismatch(): PayloadError {
  return new PayloadError('SignatureDoesNotMatch', S3_SIGNATURE_MISMATCH_MESSAGE, 403);
}

export function contentSha256Mismatch(clientHex: string, computedHex: string): PayloadError {
  return new PayloadError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
    ClientComputedContentSHA256: clientHex,
    S3ComputedContentSHA256: computedHex,
  });
}

export function contentMd5Mismatch(): AwsError {
  return new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
}

export function invalidContentMd5(): AwsError {
  return new AwsError('InvalidDigest', 'The Content-MD5 you specified is not valid.', 400);
}

export function checksumMismatch(algorithm: ChecksumAlgorithm): AwsError {
  return new AwsError('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`, 400);
}

export function invalidChecksumHeader(headerName: string): AwsError {
  return new AwsError('InvalidRequest', `Value for ${headerName} header is invalid.`, 400);
}

export function multipleChecksumHeaders(): AwsError {
  return new AwsError('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.', 400);
}

export function invalidContentSha256(value: string): PayloadError {
  return new PayloadError(
    'InvalidArgument',
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, ' +
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, ' +
      'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
    400,
    { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value },
  );
}

/** SigV4A (ECDSA) streaming payloads: valid for S3, not verified by iamd. */
export function unsupportedStreamingAlgorithm(value: string): AwsError {
  return new AwsError('NotImplemented', `x-amz-content-sha256 ${value} (SigV4A streaming) is not implemented.`, 501);
}
