/**
 * S3 on the wire, below the SDKs: a body in signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, each
 * chunk's signature verified) accepted, and refused when one chunk is changed; `Expect:
 * 100-continue`; an upload cut off mid-body leaves no object; and a presigned request's trail
 * record holds neither its signature nor its credential.
 */
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { signingKey } from '../src/sigv4/signing-key.js';
import { expectAwsError, s3Client, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
  const s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: 'wire' }));
  s3.destroy();
});
after(() => server.close());

const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const EMPTY = sha256Hex('');

/** Signs the request's headers with smithy's signer, x-amz-content-sha256 given (a STREAMING-* mode or a hash). */
async function signHeaders(method: string, path: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const url = new URL(server.url);
  const signed = await new SignatureV4({ credentials: server.root, service: 's3', region: 'us-east-1', sha256: Sha256, uriEscapePath: false }).sign(new HttpRequest({
    method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, headers: { host: url.host, ...headers },
  }));
  return signed.headers;
}

/** The aws-chunked body of `data` in chunks of `size`, each signed in the chain that starts at the seed signature. */
function signedChunks(data: Buffer, size: number, seed: string, amzDate: string, scope: string): Buffer {
  const key = signingKey(server.root.secretAccessKey, scope.slice(0, 8), 'us-east-1', 's3');
  const parts: Buffer[] = [];
  let previous = seed;
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += size) chunks.push(data.subarray(offset, offset + size));
  chunks.push(Buffer.alloc(0));
  for (const chunk of chunks) {
    const toSign = `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate}\n${scope}\n${previous}\n${EMPTY}\n${sha256Hex(chunk)}`;
    const signature = createHmac('sha256', key).update(toSign).digest('hex');
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${signature}\r\n`), chunk, Buffer.from('\r\n'));
    previous = signature;
  }
  return Buffer.concat(parts);
}

function send(method: string, path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; text: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, method, path, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('signed chunks', () => {
  async function signedUpload(key: string, data: Buffer, tamper: boolean): Promise<{ status: number; text: string }> {
    const path = `/wire/${key}`;
    const encodedLength = signedChunks(data, 64 * 1024, '0'.repeat(64), '20000101T000000Z', '20000101/us-east-1/s3/aws4_request').length;
    const headers = await signHeaders('PUT', path, {
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(data.length), 'content-length': String(encodedLength),
    });
    const seed = /Signature=([0-9a-f]{64})/.exec(headers.authorization!)![1]!;
    const amzDate = headers['x-amz-date']!;
    const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
    const body = signedChunks(data, 64 * 1024, seed, amzDate, scope);
    if (tamper) body[body.length - 200] ^= 1;
    return send('PUT', path, headers, body);
  }

  it('stores a body whose every chunk signature holds', async () => {
    const data = randomBytes(200 * 1024);
    const answer = await signedUpload('chunked/ok.bin', data, false);
    assert.equal(answer.status, 200, answer.text);
    const s3 = s3Client(server);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'wire', Key: 'chunked/ok.bin' }));
    assert.equal(head.ContentLength, data.length);
    assert.equal(head.ETag, `"${createHash('md5').update(data).digest('hex')}"`);
    assert.equal(head.ContentEncoding, undefined, 'aws-chunked is not part of the object');
    s3.destroy();
  });

  it('refuses a body with one changed byte, and stores nothing', async () => {
    const answer = await signedUpload('chunked/bad.bin', randomBytes(200 * 1024), true);
    assert.equal(answer.status, 403);
    assert.match(answer.text, /<Code>SignatureDoesNotMatch<\/Code>/);
    const s3 = s3Client(server);
    await expectAwsError(s3.send(new HeadObjectCommand({ Bucket: 'wire', Key: 'chunked/bad.bin' })), 'NotFound');
    s3.destroy();
  });

  it('refuses a body whose signed hash does not match', async () => {
    const path = '/wire/hash/wrong.txt';
    const headers = await signHeaders('PUT', path, { 'x-amz-content-sha256': sha256Hex('expected body') });
    const answer = await send('PUT', path, headers, Buffer.from('another body!'));
    assert.equal(answer.status, 400);
    assert.match(answer.text, /<Code>XAmzContentSHA256Mismatch<\/Code>/);
  });
});

describe('the transport', () => {
  it('answers Expect: 100-continue, then takes the body', async () => {
    const path = '/wire/continue.txt';
    const body = Buffer.from('sent after 100 Continue');
    const headers = await signHeaders('PUT', path, { 'x-amz-content-sha256': sha256Hex(body) });
    const url = new URL(server.url);
    const result = await new Promise<{ continued: boolean; status: number }>((resolve, reject) => {
      let continued = false;
      const outgoing = request({ host: url.hostname, port: url.port, method: 'PUT', path, headers: { ...headers, expect: '100-continue', 'content-length': String(body.length) } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ continued, status: res.statusCode ?? 0 }));
      });
      outgoing.on('continue', () => {
        continued = true;
        outgoing.end(body);
      });
      outgoing.on('error', reject);
      outgoing.flushHeaders();
    });
    assert.deepEqual(result, { continued: true, status: 200 });
  });

  it('leaves no object when the client goes away mid-body, and keeps the previous one', async () => {
    const s3 = s3Client(server);
    await s3.send(new PutObjectCommand({ Bucket: 'wire', Key: 'cut.bin', Body: 'previous' }));
    const path = '/wire/cut.bin';
    const headers = await signHeaders('PUT', path, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(1024 * 1024) });
    const url = new URL(server.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        const head = [`PUT ${path} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), '', ''].join('\r\n');
        socket.write(head);
        socket.write(randomBytes(100 * 1024), () => setTimeout(() => {
          socket.destroy();
          resolve();
        }, 100));
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'wire', Key: 'cut.bin' }));
    assert.equal(head.ContentLength, 'previous'.length);
    s3.destroy();
  });
});

describe('presigned requests in the trail', () => {
  it('record neither the signature nor the credential', async () => {
    const url = new URL(`${server.url}/wire/continue.txt`);
    const presigned = await new SignatureV4({ credentials: server.root, service: 's3', region: 'us-east-1', sha256: Sha256, uriEscapePath: false }).presign(new HttpRequest({
      method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    }), { expiresIn: 60 });
    const query = new URLSearchParams(presigned.query as Record<string, string>);
    const signature = query.get('X-Amz-Signature')!;
    const answer = await fetch(`${server.url}${presigned.path}?${query.toString()}`);
    assert.equal(answer.status, 200);
    await answer.text();
    const record = [...server.audit.records].reverse().find((event) => event.eventName === 'GetObject' && event.requestParameters?.key === 'continue.txt')!;
    assert.ok(record, 'the presigned GetObject is in the trail');
    const text = JSON.stringify(record);
    assert.ok(!text.includes(signature), 'no signature');
    assert.ok(!/X-Amz-Credential|X-Amz-Signature/i.test(text), 'no SigV4 query parameters');
    assert.ok(!text.includes(server.root.secretAccessKey));
  });
});
