/**
 * planPayload: what each combination of body headers asks for, and which ones S3 refuses before
 * reading the body.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signingKey } from '../../../sigv4/signing-key.js';
import type { ParsedSignature } from '../../../sigv4/types.js';
import { chunkSigningContext } from '../../../sigv4/streaming-signature.js';
import { checksumOf } from './checksums.js';
import { planPayload, storedContentEncoding } from './payload-headers.js';

const SHA256_OF_EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const CRC32_OF_HELLO = checksumOf('CRC32', Buffer.from('hello')).toString('base64');

function refuses(headers: Record<string, string>, code: string, message?: string, extraFields?: Record<string, string>): void {
  assert.throws(() => planPayload(headers), (error: Error & { code?: string; extraFields?: Record<string, string> }) => {
    assert.equal(error.code, code);
    if (message !== undefined) assert.equal(error.message, message);
    if (extraFields) assert.deepEqual(error.extraFields, extraFields);
    return true;
  });
}

describe('planPayload', () => {
  it('a signed plain body: the hash and Content-Length are checked, nothing decoded', () => {
    const plan = planPayload({ 'x-amz-content-sha256': SHA256_OF_EMPTY, 'content-length': '0' });
    assert.equal(plan.decoding, undefined);
    assert.equal(plan.check.contentSha256?.toString('hex'), SHA256_OF_EMPTY);
    assert.equal(plan.check.expectedSize, 0);
    assert.deepEqual(plan.check.algorithms, []);
  });

  it('UNSIGNED-PAYLOAD and no header at all (a presigned URL): no hash to check', () => {
    assert.equal(planPayload({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }).check.contentSha256, undefined);
    assert.equal(planPayload({}).check.contentSha256, undefined);
  });

  it('the JS SDK\'s streaming upload: decode, check the declared trailer, store the encoding without aws-chunked', () => {
    const plan = planPayload({
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': '5',
      'x-amz-trailer': 'x-amz-checksum-crc32',
      'x-amz-sdk-checksum-algorithm': 'CRC32',
    });
    assert.deepEqual(plan.decoding, {
      mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', signing: undefined, decodedContentLength: 5, declaredTrailers: ['x-amz-checksum-crc32'], minChunkSize: undefined, maxChunkSize: undefined,
    });
    assert.equal(plan.check.trailerChecksum, 'CRC32');
    assert.equal(plan.check.expectedSize, undefined);
    assert.equal(plan.checksumAlgorithm, 'CRC32');
  });

  it('a checksum header, Content-MD5 and an SDK algorithm that agrees', () => {
    const plan = planPayload({ 'x-amz-checksum-crc32': CRC32_OF_HELLO, 'content-md5': 'XUFAKrxLKna5cZ2REBfFkg==', 'x-amz-sdk-checksum-algorithm': 'crc32' });
    assert.deepEqual(plan.check.expectedChecksums, { CRC32: checksumOf('CRC32', Buffer.from('hello')) });
    assert.equal(plan.check.contentMd5?.toString('hex'), '5d41402abc4b2a76b9719d911017c592');
    assert.equal(plan.checksumAlgorithm, 'CRC32');
  });

  it('an SDK algorithm alone is computed, and so are the caller\'s defaults', () => {
    const plan = planPayload({ 'x-amz-sdk-checksum-algorithm': 'SHA256' }, { algorithms: ['CRC64NVME'] });
    assert.deepEqual(plan.check.algorithms, ['CRC64NVME', 'SHA256']);
  });

  it('signed streaming modes take the signing context', () => {
    const signature: ParsedSignature = {
      form: 'header', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', scopeDate: '20130524', region: 'us-east-1', service: 's3',
      credentialScope: '20130524/us-east-1/s3/aws4_request', signedHeaders: [], signature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      amzDate: '20130524T000000Z', requestTime: new Date(Date.UTC(2013, 4, 24)),
    };
    const signing = chunkSigningContext(signature, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    assert.deepEqual(signing.key, signingKey('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '20130524', 'us-east-1', 's3'));
    assert.equal(signing.amzDate, '20130524T000000Z');
    const plan = planPayload({ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '66560' }, { signing });
    assert.equal(plan.decoding?.signing, signing);
    assert.deepEqual(plan.decoding?.declaredTrailers, []);
  });

  it('a signed streaming mode without a signed request, or without x-amz-decoded-content-length: SignatureDoesNotMatch', () => {
    refuses({ 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'x-amz-decoded-content-length': '1' }, 'SignatureDoesNotMatch');
    refuses({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, 'SignatureDoesNotMatch');
    refuses({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '-1' }, 'SignatureDoesNotMatch');
  });

  it('an x-amz-content-sha256 that is neither a hash nor a mode: InvalidArgument naming it', () => {
    refuses({ 'x-amz-content-sha256': 'GIBBERISH' }, 'InvalidArgument', undefined, { ArgumentName: 'x-amz-content-sha256', ArgumentValue: 'GIBBERISH' });
    refuses({ 'x-amz-content-sha256': 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD' }, 'NotImplemented');
  });

  it('two checksum headers, even empty ones, or a header and a trailer: one message', () => {
    const message = 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.';
    refuses({ 'x-amz-checksum-crc32': '', 'x-amz-checksum-sha1': '' }, 'InvalidRequest', message);
    refuses({
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '5',
      'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-checksum-crc32c': 'AAAAAA==',
    }, 'InvalidRequest', message);
  });

  it('a checksum value of the wrong form', () => {
    refuses({ 'x-amz-checksum-crc32': 'AAAAAAAAAAA=' }, 'InvalidRequest', 'Value for x-amz-checksum-crc32 header is invalid.');
    refuses({ 'x-amz-checksum-sha256': 'not base64' }, 'InvalidRequest', 'Value for x-amz-checksum-sha256 header is invalid.');
  });

  it('an SDK algorithm that is unknown or differs from the value sent', () => {
    const message = 'Value for x-amz-sdk-checksum-algorithm header is invalid.';
    refuses({ 'x-amz-sdk-checksum-algorithm': 'MD5' }, 'InvalidRequest', message);
    refuses({ 'x-amz-sdk-checksum-algorithm': 'CRC32', 'x-amz-checksum-crc32c': 'AAAAAA==' }, 'InvalidRequest', message);
  });

  it('a Content-MD5 that is not 16 bytes of base64: InvalidDigest', () => {
    refuses({ 'content-md5': 'abc' }, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
    refuses({ 'content-md5': Buffer.alloc(20).toString('base64') }, 'InvalidDigest');
  });
});

describe('storedContentEncoding', () => {
  it('drops aws-chunked and keeps the rest', () => {
    assert.equal(storedContentEncoding('aws-chunked'), undefined);
    assert.equal(storedContentEncoding('gzip,aws-chunked'), 'gzip');
    assert.equal(storedContentEncoding('aws-chunked, gzip, br'), 'gzip, br');
    assert.equal(storedContentEncoding(undefined), undefined);
  });
});
