/**
 * A pass-through stream that checks a (decoded) body while it flows to storage: it counts the bytes,
 * always computes the MD5 (the ETag), and computes every checksum the request asked for or declared
 * (only those are reported: a SHA-256 computed just to verify x-amz-content-sha256 is not).
 * When the body ends it compares, in this order: the byte count, x-amz-content-sha256 (when it is a
 * hash), Content-MD5, the x-amz-checksum-* header, the checksum trailer. A mismatch fails the stream
 * before its end, so a consumer such as storage.stage rejects and discards what it staged; `result`
 * rejects with the same error. The values arrive already parsed (payload-headers.ts).
 */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { isAwsError } from '../../../protocol/aws-error.js';
import type { ChecksumSet } from '../storage/types.js';
import { checksumHeaderName, createChecksum, DIGEST_LENGTHS, fromBase64, toBase64, type Checksum, type ChecksumAlgorithm } from './checksums.js';
import { bodyTerminatedUnexpectedly, byteCountMismatch, checksumMismatch, contentMd5Mismatch, contentSha256Mismatch, malformedTrailer } from './errors.js';

export interface BodyCheckOptions {
  /** Content-Length of a plain body (an aws-chunked body's decoded length is the decoder's to check) */
  expectedSize?: number;
  /** x-amz-content-sha256 when it is a hash */
  contentSha256?: Buffer;
  /** Content-MD5, decoded */
  contentMd5?: Buffer;
  /** x-amz-checksum-* header values, decoded */
  expectedChecksums?: Partial<Record<ChecksumAlgorithm, Buffer>>;
  /** the algorithm whose x-amz-checksum-* trailer (x-amz-trailer) must match */
  trailerChecksum?: ChecksumAlgorithm;
  /** where the trailers are once the body has ended (AwsChunkedDecoder.trailers) */
  trailers?: () => ReadonlyMap<string, string>;
  /** more algorithms to compute (x-amz-sdk-checksum-algorithm, an upload's algorithm, a default) */
  algorithms?: readonly ChecksumAlgorithm[];
}

export interface BodyCheckResult {
  size: number;
  md5: Buffer;
  /** hex MD5, the single-part ETag without quotes */
  etag: string;
  /** base64, for every algorithm computed */
  checksums: ChecksumSet;
}

export class BodyCheck extends Transform {
  /** Settles when the body has been checked; rejects with the error that failed the stream. */
  readonly result: Promise<BodyCheckResult>;
  private resolveResult!: (result: BodyCheckResult) => void;
  private rejectResult!: (error: Error) => void;
  private settled = false;
  private size = 0;
  private readonly md5 = createHash('md5');
  private readonly checksums = new Map<ChecksumAlgorithm, Checksum>();
  /** the algorithms the request asked for: SHA256 computed only to verify x-amz-content-sha256 is not one */
  private readonly reported: Set<ChecksumAlgorithm>;

  constructor(private readonly options: BodyCheckOptions = {}) {
    super();
    this.result = new Promise<BodyCheckResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    // A caller that only consumes the stream sees the error there; never an unhandled rejection.
    this.result.catch(() => undefined);
    this.reported = this.requestedAlgorithms();
    for (const algorithm of this.reported) this.checksums.set(algorithm, createChecksum(algorithm));
    if (options.contentSha256 && !this.checksums.has('SHA256')) this.checksums.set('SHA256', createChecksum('SHA256'));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    this.md5.update(chunk);
    for (const checksum of this.checksums.values()) checksum.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      const result = this.verify();
      this.settle(undefined, result);
      callback();
    } catch (error) {
      this.settle(error as Error);
      callback(error as Error);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!error) {
      // The normal end (auto-destroy, a no-op once settled), or a consumer that gave up: no 'error'
      // event then, but the result cannot resolve any more.
      this.settle(bodyTerminatedUnexpectedly());
      callback(null);
      return;
    }
    const reason = asPayloadError(error);
    this.settle(reason);
    callback(reason);
  }

  private settle(error: Error | undefined, result?: BodyCheckResult): void {
    if (this.settled) return;
    this.settled = true;
    if (error) this.rejectResult(error);
    else this.resolveResult(result!);
  }

  private requestedAlgorithms(): Set<ChecksumAlgorithm> {
    const algorithms = new Set<ChecksumAlgorithm>(this.options.algorithms ?? []);
    for (const algorithm of Object.keys(this.options.expectedChecksums ?? {}) as ChecksumAlgorithm[]) algorithms.add(algorithm);
    if (this.options.trailerChecksum) algorithms.add(this.options.trailerChecksum);
    return algorithms;
  }

  private verify(): BodyCheckResult {
    const { expectedSize, contentSha256, contentMd5, expectedChecksums = {}, trailerChecksum } = this.options;
    if (expectedSize !== undefined && expectedSize !== this.size) throw byteCountMismatch(expectedSize, this.size);
    const digests = new Map<ChecksumAlgorithm, Buffer>();
    for (const [algorithm, checksum] of this.checksums) digests.set(algorithm, checksum.digest());
    const md5 = this.md5.digest();

    if (contentSha256 && !contentSha256.equals(digests.get('SHA256')!)) throw contentSha256Mismatch(contentSha256.toString('hex'), digests.get('SHA256')!.toString('hex'));
    if (contentMd5 && !contentMd5.equals(md5)) throw contentMd5Mismatch();
    for (const [algorithm, expected] of Object.entries(expectedChecksums) as Array<[ChecksumAlgorithm, Buffer]>) {
      if (!expected.equals(digests.get(algorithm)!)) throw checksumMismatch(algorithm);
    }
    if (trailerChecksum) {
      const sent = this.options.trailers?.().get(checksumHeaderName(trailerChecksum));
      const expected = sent === undefined ? undefined : fromBase64(sent, DIGEST_LENGTHS[trailerChecksum]);
      if (!expected) throw malformedTrailer();
      if (!expected.equals(digests.get(trailerChecksum)!)) throw checksumMismatch(trailerChecksum);
    }

    const checksums: ChecksumSet = {};
    for (const algorithm of this.reported) checksums[algorithm] = toBase64(digests.get(algorithm)!);
    return { size: this.size, md5, etag: md5.toString('hex'), checksums };
  }
}

/**
 * What a failed body reports: our own errors as they are; a client that went away mid-body
 * (ECONNRESET, a premature close) as IncompleteBody; anything else (a disk error) untouched.
 */
function asPayloadError(error: Error): Error {
  if (isAwsError(error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || error.message === 'aborted') return bodyTerminatedUnexpectedly();
  return error;
}
