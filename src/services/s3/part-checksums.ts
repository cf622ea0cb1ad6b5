/** What a completed multipart upload's object carries: its ETag and checksum, from its parts. */
import { fromBase64, isCrcAlgorithm } from './payload/checksums.js';
import { DIGEST_LENGTHS } from './payload/checksums.js';
import { compositeChecksum, fullObjectCrc, multipartEtag } from './payload/multipart-checksums.js';
import { toBase64 } from './payload/checksums.js';
import type { ChecksumSet, PartRecord, UploadRecord } from './storage/types.js';

export function completedEtag(parts: readonly PartRecord[]): string {
  return multipartEtag(parts.map((part) => Buffer.from(part.etag, 'hex')));
}

/** The COMPOSITE (checksum of the parts' checksums, `-N`) or FULL_OBJECT (CRC combined) checksum, as the upload was created. */
export function completedChecksum(upload: UploadRecord, parts: readonly PartRecord[]): ChecksumSet {
  const algorithm = upload.checksumAlgorithm;
  if (algorithm === undefined) return {};
  const digests = parts.map((part) => {
    const value = part.checksums[algorithm];
    return value === undefined ? undefined : fromBase64(value, DIGEST_LENGTHS[algorithm]);
  });
  if (digests.some((digest) => digest === undefined)) return {};
  const raw = digests as Buffer[];
  if (upload.checksumType === 'FULL_OBJECT' && isCrcAlgorithm(algorithm)) {
    return { [algorithm]: toBase64(fullObjectCrc(algorithm, raw.map((checksum, index) => ({ checksum, size: parts[index]!.size })))) };
  }
  return { [algorithm]: compositeChecksum(algorithm, raw) };
}
