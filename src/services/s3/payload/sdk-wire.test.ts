/**
 * What the AWS SDK for JavaScript actually sends for PutObject, read by planPayload and checkBody in
 * an in-process HTTP server: a Buffer body with a checksum header, and streams in aws-chunked
 * framing with a checksum trailer, for every algorithm. The SDK is the acceptance client
 * (CLIENTS.md); if its framing drifts, this test says so before the S3 end-to-end suite does.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { PutObjectCommand, S3Client, type ChecksumAlgorithm as SdkChecksumAlgorithm } from '@aws-sdk/client-s3';
import { isAwsError } from '../../../protocol/aws-error.js';
import type { BodyCheckResult } from './body-check.js';
import { checkBody } from './checked-body.js';
import { checksumOf, toBase64, type ChecksumAlgorithm } from './checksums.js';
import { planPayload } from './payload-headers.js';

interface Received {
  headers: IncomingHttpHeaders;
  data: Buffer;
  checked: BodyCheckResult;
}

let server: Server;
let client: S3Client;
let received: Received[] = [];

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

before(async () => {
  server = createServer((request, response) => {
    void (async () => {
      try {
        const { body, result } = checkBody(request, planPayload(request.headers));
        const pieces: Buffer[] = [];
        for await (const piece of body) pieces.push(piece as Buffer);
        const checked = await result;
        received.push({ headers: request.headers, data: Buffer.concat(pieces), checked });
        response.writeHead(200, { ETag: `"${checked.etag}"` }).end();
      } catch (error) {
        const failure = isAwsError(error) ? error : { code: 'InternalError', message: String(error), statusCode: 500 };
        response.writeHead(failure.statusCode, { 'Content-Type': 'application/xml', Connection: 'close' }).end(errorXml(failure.code, failure.message));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new S3Client({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
});

after(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

function put(body: Buffer | Readable, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}): Promise<unknown> {
  received = [];
  return client.send(new PutObjectCommand({ Bucket: 'bucket', Key: 'key', Body: body, ...extra }));
}

function streamOf(data: Buffer, pieceSize: number): Readable {
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += pieceSize) pieces.push(data.subarray(offset, offset + pieceSize));
  return Readable.from(pieces, { objectMode: false });
}

describe('the JS SDK\'s PutObject, as received', () => {
  it('a Buffer body: a plain body, its default CRC32 checked and computed', async () => {
    const data = randomBytes(10_000);
    await put(data);
    const [request] = received;
    assert.ok(request, 'the server saw the request');
    assert.ok(request.data.equals(data));
    assert.equal(request.headers['x-amz-checksum-crc32'], toBase64(checksumOf('CRC32', data)));
    assert.equal(request.checked.checksums.CRC32, request.headers['x-amz-checksum-crc32']);
    assert.equal(request.checked.size, data.length);
  });

  const algorithms: ReadonlyArray<ChecksumAlgorithm> = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];
  for (const algorithm of algorithms) {
    it(`a stream with ${algorithm}: aws-chunked, unsigned, the trailer checked`, async () => {
      const data = randomBytes(3 * 16_384 + 123);
      await put(streamOf(data, 16_384), { ContentLength: data.length, ChecksumAlgorithm: algorithm as SdkChecksumAlgorithm });
      const [request] = received;
      assert.ok(request, 'the server saw the request');
      assert.equal(request.headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
      assert.equal(request.headers['x-amz-trailer'], `x-amz-checksum-${algorithm.toLowerCase()}`);
      assert.ok(request.data.equals(data));
      assert.equal(request.checked.checksums[algorithm], toBase64(checksumOf(algorithm, data)));
    });
  }

  it('a stream of small pieces is refused as S3 refuses it, and the SDK recognises the error', async () => {
    const data = randomBytes(5_000);
    await assert.rejects(put(streamOf(data, 1_000), { ContentLength: data.length }), (error: Error) => {
      assert.equal(error.name, 'InvalidChunkSizeError');
      assert.match(error.message, /^Only the last chunk is allowed to have a size less than 8192 bytes/);
      return true;
    });
  });

  it('a wrong checksum given by the caller is BadDigest', async () => {
    await assert.rejects(put(Buffer.from('hello'), { ChecksumCRC32: 'AAAAAA==' }), (error: Error) => {
      assert.equal(error.name, 'BadDigest');
      assert.equal(error.message, 'The CRC32 you specified did not match the calculated checksum.');
      return true;
    });
  });
});
