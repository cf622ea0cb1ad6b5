/**
 * What a completed multipart upload carries, computed from its parts alone:
 * - the ETag: hex MD5 of the concatenated binary part MD5s, then `-` and the part count;
 * - a COMPOSITE checksum: the algorithm applied to the concatenated binary part checksums, base64,
 *   then `-` and the part count ("checksum of checksums", S3 user guide, "Checking object integrity");
 * - a FULL_OBJECT checksum (CRCs only): the CRC of the whole object, combined from the parts' CRCs and
 *   sizes (crc-combine.ts); plain base64, no suffix.
 */
import { createHash } from 'node:crypto';
import { checksumOf, toBase64, type ChecksumAlgorithm, type CrcAlgorithm } from './checksums.js';
import { combineCrc } from './crc-combine.js';

export function multipartEtag(partMd5s: readonly Uint8Array[]): string {
  const md5 = createHash('md5');
  for (const partMd5 of partMd5s) md5.update(partMd5);
  return md5.digest('hex') + '-' + partMd5s.length;
}

export function compositeChecksum(algorithm: ChecksumAlgorithm, partDigests: readonly Uint8Array[]): string {
  return toBase64(checksumOf(algorithm, Buffer.concat(partDigests))) + '-' + partDigests.length;
}

export interface PartCrc {
  /** the part's CRC, raw bytes */
  checksum: Uint8Array;
  size: number;
}

/** The whole object's CRC (raw bytes) from its parts in order; the empty object's CRC for no parts. */
export function fullObjectCrc(algorithm: CrcAlgorithm, parts: readonly PartCrc[]): Buffer {
  let combined = checksumOf(algorithm, Buffer.alloc(0));
  for (const part of parts) combined = combineCrc(algorithm, combined, part.checksum, part.size);
  return combined;
}
