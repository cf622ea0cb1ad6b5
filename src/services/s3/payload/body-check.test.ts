/**
 * BodyCheck and checkBody: what a body yields when it is right, which error fails it when it is not,
 * and that a failure reaches both the consumer of the stream (as storage.stage would see it) and the
 * result promise.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { AwsError } from '../../../protocol/aws-error.js';
import { BodyCheck, type BodyCheckOptions, type BodyCheckResult } from './body-check.js';
import { checkBody } from './checked-body.js';
import type { ParsedSignature } from '../../../sigv4/types.js';
import { chunkSigningContext } from '../../../sigv4/streaming-signature.js';
import { checksumOf } from './checksums.js';
import { planPayload } from './payload-headers.js';

const DATA = Buffer.from('The quick brown fox jumps over the lazy dog');
const MD5_HEX = '9e107d9d372bb6826bd81d3542a419d6';
const SHA256_HEX = 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592';

/** Reads a stream to its end, as storage.stage would; rejects if the stream fails. */
async function drain(stream: Readable): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of stream) pieces.push(piece as Buffer);
  return Buffer.concat(pieces);
}

async function run(options: BodyCheckOptions, pieces: readonly Buffer[] = [DATA.subarray(0, 10), DATA.subarray(10)]): Promise<BodyCheckResult> {
  const check = new BodyCheck(options);
  const sink = new PassThrough();
  await pipeline(Readable.from(pieces), check, sink.resume());
  return check.result;
}

async function expectFailure(options: BodyCheckOptions, code: string, message?: string): Promise<AwsError> {
  const check = new BodyCheck(options);
  const consumed = drain(Readable.from([DATA]).pipe(check));
  const failure = await assert.rejects(consumed, (error: AwsError) => error.code === code && (message === undefined || error.message === message)).then(() => undefined);
  assert.equal(failure, undefined);
  const error = await check.result.then(() => assert.fail('the result resolved'), (reason: AwsError) => reason);
  assert.equal(error.code, code);
  return error;
}

describe('BodyCheck', () => {
  it('passes the bytes through and yields size, MD5 (ETag) and the requested checksums', async () => {
    const check = new BodyCheck({ algorithms: ['CRC32', 'CRC64NVME'] });
    const output = await drain(Readable.from([DATA.subarray(0, 3), DATA.subarray(3)]).pipe(check));
    assert.ok(output.equals(DATA));
    const result = await check.result;
    assert.equal(result.size, DATA.length);
    assert.equal(result.etag, MD5_HEX);
    assert.equal(result.md5.toString('hex'), MD5_HEX);
    assert.deepEqual(result.checksums, {
      CRC32: checksumOf('CRC32', DATA).toString('base64'),
      CRC64NVME: checksumOf('CRC64NVME', DATA).toString('base64'),
    });
  });

  it('accepts matching x-amz-content-sha256, Content-MD5, checksum header and trailer', async () => {
    const result = await run({
      expectedSize: DATA.length,
      contentSha256: Buffer.from(SHA256_HEX, 'hex'),
      contentMd5: Buffer.from(MD5_HEX, 'hex'),
      expectedChecksums: { CRC32C: checksumOf('CRC32C', DATA) },
      trailerChecksum: 'SHA1',
      trailers: () => new Map([['x-amz-checksum-sha1', checksumOf('SHA1', DATA).toString('base64')]]),
    });
    assert.deepEqual(Object.keys(result.checksums).sort(), ['CRC32C', 'SHA1'], 'the SHA-256 of x-amz-content-sha256 is not a requested checksum');
    const both = await run({ contentSha256: Buffer.from(SHA256_HEX, 'hex'), algorithms: ['SHA256'] });
    assert.equal(both.checksums.SHA256, Buffer.from(SHA256_HEX, 'hex').toString('base64'));
  });

  it('an empty body', async () => {
    const result = await run({ expectedSize: 0, algorithms: ['CRC32'] }, []);
    assert.equal(result.etag, 'd41d8cd98f00b204e9800998ecf8427e');
    assert.equal(result.checksums.CRC32, 'AAAAAA==');
  });

  it('XAmzContentSHA256Mismatch carries both hashes', async () => {
    const claimed = createHash('sha256').update('something else').digest();
    const error = await expectFailure({ contentSha256: claimed }, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
    assert.equal(error.statusCode, 400);
    assert.deepEqual((error as AwsError & { extraFields: unknown }).extraFields, { ClientComputedContentSHA256: claimed.toString('hex'), S3ComputedContentSHA256: SHA256_HEX });
  });

  it('BadDigest for a Content-MD5 or a checksum that does not match', async () => {
    await expectFailure({ contentMd5: Buffer.alloc(16) }, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    await expectFailure({ expectedChecksums: { CRC32: Buffer.alloc(4) } }, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
    await expectFailure({ trailerChecksum: 'CRC64NVME', trailers: () => new Map([['x-amz-checksum-crc64nvme', 'AAAAAAAAAAA=']]) }, 'BadDigest',
      'The CRC64NVME you specified did not match the calculated checksum.');
  });

  it('MalformedTrailerError for a checksum trailer that is missing or not a value', async () => {
    await expectFailure({ trailerChecksum: 'CRC32', trailers: () => new Map() }, 'MalformedTrailerError');
    await expectFailure({ trailerChecksum: 'CRC32', trailers: () => new Map([['x-amz-checksum-crc32', 'not base64']]) }, 'MalformedTrailerError');
  });

  it('IncompleteBody for a byte count that differs from Content-Length', async () => {
    const error = await expectFailure({ expectedSize: DATA.length + 1 }, 'IncompleteBody');
    assert.deepEqual((error as AwsError & { extraFields: unknown }).extraFields, { NumberBytesExpected: String(DATA.length + 1), NumberBytesProvided: String(DATA.length) });
  });

  it('a client that goes away is IncompleteBody; any other upstream error is kept', async () => {
    const reset = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    const check = new BodyCheck();
    check.on('error', () => undefined);
    check.destroy(reset);
    await assert.rejects(check.result, { code: 'IncompleteBody', message: 'The request body terminated unexpectedly' });
    const disk = Object.assign(new Error('no space'), { code: 'ENOSPC' });
    const other = new BodyCheck();
    other.on('error', () => undefined);
    other.destroy(disk);
    await assert.rejects(other.result, disk);
  });
});

describe('checkBody', () => {
  const SIGNED_LIKE = { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-trailer': 'x-amz-checksum-crc32', 'content-encoding': 'aws-chunked' };

  function chunked(data: Buffer, trailerValue: string): Buffer {
    return Buffer.from(`${data.length.toString(16)}\r\n${data.toString('latin1')}\r\n0\r\nx-amz-checksum-crc32:${trailerValue}\r\n\r\n`, 'latin1');
  }

  it('decodes, checks the trailer and yields the result', async () => {
    const plan = planPayload({ ...SIGNED_LIKE, 'x-amz-decoded-content-length': String(DATA.length) });
    const { body, result, trailers } = checkBody(Readable.from([chunked(DATA, checksumOf('CRC32', DATA).toString('base64'))]), plan);
    assert.ok((await drain(body)).equals(DATA));
    const checked = await result;
    assert.equal(checked.etag, MD5_HEX);
    assert.equal(checked.checksums.CRC32, checksumOf('CRC32', DATA).toString('base64'));
    assert.equal(trailers().get('x-amz-checksum-crc32'), checked.checksums.CRC32);
  });

  it('a trailer checksum mismatch fails the body before its end and rejects the result', async () => {
    const plan = planPayload({ ...SIGNED_LIKE, 'x-amz-decoded-content-length': String(DATA.length) });
    const { body, result } = checkBody(Readable.from([chunked(DATA, 'AAAAAA==')]), plan);
    await assert.rejects(drain(body), { code: 'BadDigest', message: 'The CRC32 you specified did not match the calculated checksum.' });
    await assert.rejects(result, { code: 'BadDigest' });
  });

  it('a framing error in the decoder reaches the consumer and the result, and the source is drained, not destroyed', async () => {
    const plan = planPayload({ ...SIGNED_LIKE, 'x-amz-decoded-content-length': String(DATA.length) });
    const source = new PassThrough();
    const { body, result } = checkBody(source, plan);
    source.write('zz\r\n');
    source.end(Buffer.alloc(100_000));
    await assert.rejects(drain(body), { code: 'IncompleteBody' });
    await assert.rejects(result, { code: 'IncompleteBody' });
    if (!source.readableEnded) await once(source, 'end');
    assert.ok(source.readableEnded, 'the source was read to its end');
  });

  it('a consumer that stops early rejects the result', async () => {
    const plan = planPayload({});
    const source = new PassThrough();
    const { body, result } = checkBody(source, plan);
    source.write(DATA);
    body.destroy();
    await assert.rejects(result, { code: 'IncompleteBody' });
    source.end();
  });

  it('a source that fails (the client went away) is IncompleteBody', async () => {
    const source = new PassThrough();
    const { body, result } = checkBody(source, planPayload({ 'content-length': '100' }));
    source.write(DATA);
    source.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    await assert.rejects(drain(body), { code: 'IncompleteBody' });
    await assert.rejects(result, { code: 'IncompleteBody' });
  });

  it('AWS\'s signed-trailer example, end to end: headers planned, signatures verified, its CRC32C trailer checked', async () => {
    const signature: ParsedSignature = {
      form: 'header', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', scopeDate: '20130524', region: 'us-east-1', service: 's3',
      credentialScope: '20130524/us-east-1/s3/aws4_request', signedHeaders: [],
      signature: '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e', amzDate: '20130524T000000Z', requestTime: new Date(Date.UTC(2013, 4, 24)),
    };
    const plan = planPayload({
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '66560', 'x-amz-trailer': 'x-amz-checksum-crc32c',
    }, { signing: chunkSigningContext(signature, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY') });
    const data = Buffer.alloc(66_560, 'a');
    const wire = Buffer.concat([
      Buffer.from('10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n'), data.subarray(0, 65_536),
      Buffer.from('\r\n400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n'), data.subarray(65_536),
      Buffer.from('\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n'),
      Buffer.from('x-amz-checksum-crc32c:sOO8/Q==\r\nx-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n'),
    ]);
    const { body, result } = checkBody(Readable.from([wire]), plan);
    assert.ok((await drain(body)).equals(data));
    const checked = await result;
    assert.equal(checked.checksums.CRC32C, 'sOO8/Q==');
    assert.equal(checked.size, 66_560);
  });

  it('a plain body is checked against Content-Length and x-amz-content-sha256', async () => {
    const good = checkBody(Readable.from([DATA]), planPayload({ 'content-length': String(DATA.length), 'x-amz-content-sha256': SHA256_HEX }));
    await drain(good.body);
    assert.equal((await good.result).size, DATA.length);
    const bad = checkBody(Readable.from([DATA]), planPayload({ 'x-amz-content-sha256': SHA256_HEX.replace('d7', 'd8') }));
    await assert.rejects(drain(bad.body), { code: 'XAmzContentSHA256Mismatch' });
  });
});
