/**
 * Incremental hashers for S3's checksum algorithms, and the spelling of their values on the wire.
 *
 * S3 sends every checksum as the base64 of its big-endian bytes: 4 for CRC32 and CRC32C, 8 for
 * CRC64NVME, 20 for SHA1, 32 for SHA256 (the empty body's CRC32 is `AAAAAA==`). Header names are
 * `x-amz-checksum-<lower-case algorithm>`; the SDKs name the algorithm they want in
 * `x-amz-sdk-checksum-algorithm` (upper case) and the multipart kind in `x-amz-checksum-type`.
 *
 * CRC32 uses zlib.crc32 (native, Node 20.15+) when the runtime has it; CRC32C and CRC64NVME are
 * computed by the table-driven code beside this file.
 */
import { createHash, type Hash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm } from '../storage/types.js';
import { buildCrc32Tables, updateCrc32Register } from './crc32-tables.js';
import { crc64Digest, initialCrc64Register, updateCrc64Register } from './crc64-nvme.js';

export { CHECKSUM_ALGORITHMS, type ChecksumAlgorithm };

export type CrcAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME';

export interface Checksum {
  update(chunk: Uint8Array): void;
  /** The value's bytes (big-endian for the CRCs). Call once, after the last update. */
  digest(): Buffer;
}

export const DIGEST_LENGTHS: Readonly<Record<ChecksumAlgorithm, number>> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

const CRC32_TABLES = buildCrc32Tables(0xedb88320);
const CRC32C_TABLES = buildCrc32Tables(0x82f63b78);

type NativeCrc32 = (data: Uint8Array, value?: number) => number;
// zlib.crc32 appeared in Node 20.15 and 22.2; typed, but absent from older 20.x releases.
const nativeCrc32: NativeCrc32 | undefined = typeof zlib.crc32 === 'function' ? zlib.crc32 : undefined;

function bigEndian32(value: number): Buffer {
  const digest = Buffer.alloc(4);
  digest.writeUInt32BE(value >>> 0, 0);
  return digest;
}

/** CRC-32 (ISO-HDLC): zlib's native one, or the table fallback. `useNative: false` is for tests. */
export function createCrc32(useNative = nativeCrc32 !== undefined): Checksum {
  if (useNative && nativeCrc32) {
    const crc32 = nativeCrc32;
    let value = 0;
    return { update: (chunk) => { value = crc32(chunk, value); }, digest: () => bigEndian32(value) };
  }
  return tableCrc32(CRC32_TABLES);
}

function tableCrc32(tables: Uint32Array): Checksum {
  let register = 0xffffffff;
  return {
    update: (chunk) => { register = updateCrc32Register(tables, register, chunk); },
    digest: () => bigEndian32(register ^ 0xffffffff),
  };
}

function hashChecksum(hash: Hash): Checksum {
  return { update: (chunk) => { hash.update(chunk); }, digest: () => hash.digest() };
}

export function createChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case 'CRC32':
      return createCrc32();
    case 'CRC32C':
      return tableCrc32(CRC32C_TABLES);
    case 'CRC64NVME': {
      const register = initialCrc64Register();
      return { update: (chunk) => updateCrc64Register(register, chunk), digest: () => crc64Digest(register) };
    }
    case 'SHA1':
      return hashChecksum(createHash('sha1'));
    case 'SHA256':
      return hashChecksum(createHash('sha256'));
  }
}

/** The checksum of one buffer, as raw bytes. */
export function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): Buffer {
  const checksum = createChecksum(algorithm);
  checksum.update(data);
  return checksum.digest();
}

export function isCrcAlgorithm(algorithm: ChecksumAlgorithm): algorithm is CrcAlgorithm {
  return algorithm === 'CRC32' || algorithm === 'CRC32C' || algorithm === 'CRC64NVME';
}

export function toBase64(digest: Uint8Array): string {
  return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('base64');
}

const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The bytes of a base64 value, or undefined unless it is canonical padded base64 of exactly
 * `length` bytes (Node's decoder would silently skip stray characters and accept a wrong length).
 */
export function fromBase64(text: string, length: number): Buffer | undefined {
  if (!CANONICAL_BASE64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== length || bytes.toString('base64') !== text) return undefined;
  return bytes;
}

/** `CRC64NVME` → `x-amz-checksum-crc64nvme` */
export function checksumHeaderName(algorithm: ChecksumAlgorithm): string {
  return 'x-amz-checksum-' + algorithm.toLowerCase();
}

/** The algorithm an `x-amz-checksum-*` header (or trailer) names, any case; undefined for any other name. */
export function algorithmOfHeader(name: string): ChecksumAlgorithm | undefined {
  const lower = name.toLowerCase();
  return CHECKSUM_ALGORITHMS.find((algorithm) => checksumHeaderName(algorithm) === lower);
}

/** The algorithm an `x-amz-sdk-checksum-algorithm` value names (the SDKs send upper case; any case is accepted). */
export function parseAlgorithmName(value: string): ChecksumAlgorithm | undefined {
  const upper = value.trim().toUpperCase();
  return CHECKSUM_ALGORITHMS.find((algorithm) => algorithm === upper);
}
