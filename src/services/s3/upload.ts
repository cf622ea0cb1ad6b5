/**
 * Receiving a body into storage: the request's bytes go through the payload checks (aws-chunked
 * decoding with chunk signatures, the signed hash, Content-MD5, checksum headers and trailers:
 * payload/) into a staged file; the caller commits it only once every check passed, and a failure
 * discards it. Copies stream an existing object's bytes the same way, computing what a new object
 * needs (its MD5 and checksum).
 */
import type { Readable } from 'node:stream';
import type { RestInput } from '../../protocol/rest-input.js';
import { S3Error } from '../../protocol/rest-xml.js';
import type { App } from '../../server/app.js';
import { BodyCheck, checkBody, planPayload, type CheckedBody } from './payload/index.js';
import type { ChecksumAlgorithm, ChecksumSet, ObjectRecord, StagedBlob } from './storage/types.js';

export interface StoredBody {
  blob: StagedBlob;
  size: number;
  md5: Buffer;
  checksums: ChecksumSet;
}

/** The request's body, decoded and checked as it streams; `algorithm` is computed whatever the request says. */
export function receiveBody(input: RestInput, algorithm?: ChecksumAlgorithm): CheckedBody {
  const signing = input.chunkSigning;
  const plan = planPayload(Object.fromEntries(input.headers), {
    ...(signing ? { signing } : {}),
    algorithms: algorithm ? [algorithm] : [],
  });
  return checkBody(input.body, plan);
}

/** The object keeps the checksum of the algorithm it was stored with, not the others computed to verify the request (its signed SHA-256). */
function keptChecksum(checksums: ChecksumSet, algorithm: ChecksumAlgorithm | undefined): ChecksumSet {
  const value = algorithm === undefined ? undefined : checksums[algorithm];
  return value === undefined ? {} : { [algorithm!]: value };
}

async function stageChecked(app: App, body: Readable, result: Promise<{ size: number; md5: Buffer; checksums: ChecksumSet }>, algorithm: ChecksumAlgorithm | undefined): Promise<StoredBody> {
  const blob = await app.objects.stage(body);
  try {
    const checked = await result;
    return { blob, size: checked.size, md5: checked.md5, checksums: keptChecksum(checked.checksums, algorithm) };
  } catch (error) {
    blob.discard();
    throw error;
  }
}

/** S3's largest single upload (PutObject, or one part): 5 GiB. */
const MAX_UPLOAD_BYTES = 5 * 1024 ** 3;

/** Stages the request's body; rejects (leaving nothing behind) when any payload check fails. */
export function storeBody(app: App, input: RestInput, algorithm?: ChecksumAlgorithm): Promise<StoredBody> {
  const declared = Number(input.header('x-amz-decoded-content-length') ?? input.header('content-length') ?? '0');
  if (declared > MAX_UPLOAD_BYTES) {
    throw new S3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { ProposedSize: String(declared), MaxSizeAllowed: String(MAX_UPLOAD_BYTES) });
  }
  const checked = receiveBody(input, algorithm);
  return stageChecked(app, checked.body, checked.result, algorithm);
}

/** Stages a copy of an object's bytes (or a range of them), with their MD5 and `algorithm`'s checksum. */
export function copyBody(app: App, source: ObjectRecord, range: { start: number; end: number } | undefined, algorithm?: ChecksumAlgorithm): Promise<StoredBody> {
  const check = new BodyCheck({ algorithms: algorithm ? [algorithm] : [] });
  const bytes = app.objects.openBody(source, range);
  bytes.on('error', (error) => check.destroy(error));
  bytes.pipe(check);
  return stageChecked(app, check, check.result, algorithm);
}
