/**
 * The checksum algorithms against their published check values (the CRC of the ASCII "123456789",
 * as catalogued for CRC-32/ISO-HDLC, CRC-32/ISCSI and CRC-64/NVME), AWS's own CRC32C example value,
 * incremental updates split anywhere, CRC combination, and the multipart ETag and composite rules.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as zlib from 'node:zlib';
import { describe, it } from 'node:test';
import { algorithmOfHeader, checksumHeaderName, checksumOf, createChecksum, createCrc32, fromBase64, parseAlgorithmName, toBase64, CHECKSUM_ALGORITHMS, type CrcAlgorithm } from './checksums.js';
import { combineCrc } from './crc-combine.js';
import { compositeChecksum, fullObjectCrc, multipartEtag } from './multipart-checksums.js';

const CHECK_INPUT = Buffer.from('123456789', 'ascii');
const CRCS: readonly CrcAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME'];

describe('checksum algorithms', () => {
  it('give the catalogued check values for "123456789"', () => {
    assert.equal(checksumOf('CRC32', CHECK_INPUT).toString('hex'), 'cbf43926');
    assert.equal(createCrc32(false).digest().toString('hex'), '00000000');
    const table = createCrc32(false);
    table.update(CHECK_INPUT);
    assert.equal(table.digest().toString('hex'), 'cbf43926', 'the table fallback agrees');
    assert.equal(checksumOf('CRC32C', CHECK_INPUT).toString('hex'), 'e3069283');
    assert.equal(checksumOf('CRC64NVME', CHECK_INPUT).toString('hex'), 'ae8b14860a799888');
    assert.equal(checksumOf('SHA1', Buffer.from('abc')).toString('hex'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(checksumOf('SHA256', Buffer.from('abc')).toString('hex'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('give AWS\'s CRC32C for 66,560 bytes of "a" (the sigv4-streaming-trailers example\'s sOO8/Q==)', () => {
    assert.equal(toBase64(checksumOf('CRC32C', Buffer.alloc(66_560, 'a'))), 'sOO8/Q==');
  });

  it('spell the empty body as S3 does', () => {
    assert.equal(toBase64(checksumOf('CRC32', Buffer.alloc(0))), 'AAAAAA==');
    assert.equal(toBase64(checksumOf('CRC32C', Buffer.alloc(0))), 'AAAAAA==');
    assert.equal(toBase64(checksumOf('CRC64NVME', Buffer.alloc(0))), 'AAAAAAAAAAA=');
  });

  it('are independent of how the input is split, at every length around the 8-byte stride', () => {
    const data = randomBytes(300);
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      for (let length = 0; length <= 40; length++) {
        const whole = checksumOf(algorithm, data.subarray(0, length));
        for (let cut = 0; cut <= length; cut++) {
          const split = createChecksum(algorithm);
          split.update(data.subarray(0, cut));
          split.update(data.subarray(cut, length));
          assert.deepEqual(split.digest(), whole, `${algorithm} length ${length} cut ${cut}`);
        }
      }
    }
  });

  it('CRC32 from the tables equals zlib\'s on random data', () => {
    const data = randomBytes(100_003);
    const table = createCrc32(false);
    table.update(data.subarray(0, 4_097));
    table.update(data.subarray(4_097));
    assert.equal(table.digest().readUInt32BE(0), zlib.crc32(data));
  });

  it('CRC32C and CRC64NVME agree with bit-at-a-time reference implementations', () => {
    const data = randomBytes(1_031);
    assert.equal(checksumOf('CRC32C', data).readUInt32BE(0), bitwiseCrc32(data, 0x82f63b78));
    assert.equal(checksumOf('CRC64NVME', data).readBigUInt64BE(0), bitwiseCrc64(data, 0x9a6c9329ac4bc9b5n));
  });
});

describe('base64 values and header names', () => {
  it('accept only canonical base64 of the exact length', () => {
    assert.deepEqual(fromBase64('sOO8/Q==', 4), Buffer.from('b0e3bcfd', 'hex'));
    assert.equal(fromBase64('sOO8/Q==', 8), undefined, 'wrong length');
    assert.equal(fromBase64('sOO8/Q=', 4), undefined, 'bad padding');
    assert.equal(fromBase64('sOO8/R==', 4), undefined, 'non-zero trailing bits');
    assert.equal(fromBase64('sO O8/Q==', 4), undefined, 'stray space');
    assert.equal(fromBase64('', 4), undefined);
  });

  it('map algorithms to and from their header names', () => {
    assert.equal(checksumHeaderName('CRC64NVME'), 'x-amz-checksum-crc64nvme');
    assert.equal(algorithmOfHeader('X-Amz-Checksum-CRC32C'), 'CRC32C');
    assert.equal(algorithmOfHeader('x-amz-checksum-md5'), undefined);
    assert.equal(parseAlgorithmName('crc32'), 'CRC32');
    assert.equal(parseAlgorithmName('MD5'), undefined);
  });
});

describe('combineCrc', () => {
  it('gives crc(A ‖ B) from crc(A), crc(B) and |B|, for every CRC and many lengths', () => {
    const data = randomBytes(70_000);
    for (const algorithm of CRCS) {
      for (const [lengthA, lengthB] of [[0, 0], [0, 5], [5, 0], [1, 1], [3, 8], [8, 7], [1_000, 4_096], [12_345, 57_655]] as const) {
        const a = data.subarray(0, lengthA);
        const b = data.subarray(lengthA, lengthA + lengthB);
        const combined = combineCrc(algorithm, checksumOf(algorithm, a), checksumOf(algorithm, b), lengthB);
        assert.deepEqual(combined, checksumOf(algorithm, data.subarray(0, lengthA + lengthB)), `${algorithm} ${lengthA}+${lengthB}`);
      }
    }
  });

  it('stays consistent for lengths far beyond what a test can hash (parts of GiBs of zeros)', () => {
    // The CRC of 5 MiB of zeros, doubled ten times by combination, stands for 5 GiB of zeros; the
    // exponent arithmetic must then give the same object CRC however the object is grouped.
    for (const algorithm of CRCS) {
      const zerosCrc = new Map<number, Buffer>();
      let size = 5 * 1024 * 1024;
      zerosCrc.set(size, checksumOf(algorithm, Buffer.alloc(size)));
      for (let doubling = 0; doubling < 10; doubling++) {
        zerosCrc.set(size * 2, combineCrc(algorithm, zerosCrc.get(size)!, zerosCrc.get(size)!, size));
        size *= 2;
      }
      const head = checksumOf(algorithm, Buffer.from('head'));
      const big = 2_560 * 1024 * 1024;
      const small = 5 * 1024 * 1024;
      const leftFirst = combineCrc(algorithm, combineCrc(algorithm, head, zerosCrc.get(big)!, big), zerosCrc.get(small)!, small);
      const rightFirst = combineCrc(algorithm, head, combineCrc(algorithm, zerosCrc.get(big)!, zerosCrc.get(small)!, small), big + small);
      assert.deepEqual(leftFirst, rightFirst, algorithm);
      assert.notDeepEqual(leftFirst, combineCrc(algorithm, head, zerosCrc.get(big)!, big));
    }
  });

  it('rejects a value of the wrong width', () => {
    assert.throws(() => combineCrc('CRC64NVME', Buffer.alloc(4), Buffer.alloc(8), 1), RangeError);
  });
});

describe('multipart values', () => {
  it('the ETag is the hex MD5 of the concatenated part MD5s, suffixed with the count', () => {
    const parts = [Buffer.from('part one'), Buffer.from('part two'), Buffer.from('3')];
    const md5s = parts.map((part) => createHash('md5').update(part).digest());
    const expected = createHash('md5').update(Buffer.concat(md5s)).digest('hex') + '-3';
    assert.equal(multipartEtag(md5s), expected);
    // The md5 of the 16 zero bytes of one part whose MD5 is all zeros: a fixed, hand-checkable value.
    assert.equal(multipartEtag([Buffer.alloc(16)]), '4ae71336e44bf9bf79d2752e234818a5-1');
  });

  it('a COMPOSITE checksum is the checksum of the concatenated part checksums, base64, suffixed', () => {
    const first = Buffer.from('hello ');
    const second = Buffer.from('world');
    const partCrcs = [checksumOf('CRC32', first), checksumOf('CRC32', second)];
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE(zlib.crc32(Buffer.concat(partCrcs)), 0);
    assert.equal(compositeChecksum('CRC32', partCrcs), expected.toString('base64') + '-2');
    const partShas = [checksumOf('SHA256', first), checksumOf('SHA256', second)];
    assert.equal(compositeChecksum('SHA256', partShas), createHash('sha256').update(Buffer.concat(partShas)).digest('base64') + '-2');
  });

  it('a FULL_OBJECT CRC equals the CRC of the whole object', () => {
    const parts = [randomBytes(5 * 1024 + 3), randomBytes(1), randomBytes(0), randomBytes(77_777)];
    for (const algorithm of CRCS) {
      const combined = fullObjectCrc(algorithm, parts.map((part) => ({ checksum: checksumOf(algorithm, part), size: part.length })));
      assert.deepEqual(combined, checksumOf(algorithm, Buffer.concat(parts)), algorithm);
    }
    assert.deepEqual(fullObjectCrc('CRC32', []), Buffer.alloc(4));
  });
});

function bitwiseCrc32(data: Uint8Array, polynomial: number): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ polynomial : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function bitwiseCrc64(data: Uint8Array, polynomial: bigint): bigint {
  const mask = (1n << 64n) - 1n;
  let crc = mask;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ polynomial : crc >> 1n;
  }
  return crc ^ mask;
}
