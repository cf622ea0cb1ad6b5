/**
 * Bad input never crashes the server and never answers 500: each gets AWS's error.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { formRequest, presign, send, signHeaders } from './helpers/sign.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(() => server.close());

const codeOf = (body: string): string | undefined => /<Code>([^<]*)<\/Code>/.exec(body)?.[1];

async function signedForm(body: string, service = 'sts'): Promise<{ status: number; body: string }> {
  const raw = { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
  return send(server.url, await signHeaders(server.url, server.root, raw, { service }));
}

function rawHttp(text: string | Buffer, closeAfter = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.running.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString(); });
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(text, () => { if (closeAfter) socket.end(); });
    setTimeout(() => { socket.destroy(); resolve(answer); }, 1000);
  });
}

describe('bad input', () => {
  it('answers an unsigned request with MissingAuthenticationToken', async () => {
    const response = await send(server.url, formRequest('GetCallerIdentity'));
    assert.equal(response.status, 403);
    assert.equal(codeOf(response.body), 'MissingAuthenticationToken');
    assert.match(response.body, /<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type>/);
    assert.match(response.body, /<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });

  it('answers a malformed Authorization header with IncompleteSignature', async () => {
    const response = await send(server.url, { ...formRequest('GetCallerIdentity'), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 garbage' } });
    assert.equal(codeOf(response.body), 'IncompleteSignature');
    assert.ok(response.status >= 400 && response.status < 500);
  });

  it('answers a missing or unknown Action with InvalidAction', async () => {
    const missing = await signedForm('Version=2011-06-15');
    assert.equal(codeOf(missing.body), 'InvalidAction');
    assert.equal(missing.status, 400);
    const unknown = await signedForm('Action=StealEverything&Version=2011-06-15');
    assert.equal(codeOf(unknown.body), 'InvalidAction');
    assert.match(unknown.body, /Could not find operation StealEverything for version 2011-06-15/);
  });

  it('answers a malformed form body with MalformedQueryString', async () => {
    const response = await signedForm('Action=GetCallerIdentity&Version=2011-06-15&Junk=%ZZ');
    assert.equal(response.status, 400);
    assert.equal(codeOf(response.body), 'MalformedQueryString');
  });

  it('answers a body over the limit with 413 and keeps serving', async () => {
    const big = 'Action=GetCallerIdentity&Pad=' + 'x'.repeat(3 * 1024 * 1024);
    const response = await send(server.url, { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: big });
    assert.equal(response.status, 413);
    assert.equal(codeOf(response.body), 'RequestEntityTooLarge');
    assert.equal((await signedForm('Action=GetCallerIdentity&Version=2011-06-15')).status, 200);
  });

  it('answers another content type with 415', async () => {
    const raw = { method: 'POST', path: '/', headers: { 'content-type': 'application/json' }, body: '{"Action":"GetCallerIdentity"}' };
    const response = await send(server.url, await signHeaders(server.url, server.root, raw));
    assert.equal(response.status, 415);
  });

  it('answers oversized headers with 431 and survives truncated requests', async () => {
    const huge = await rawHttp(`POST / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431/);
    await rawHttp('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=Get', true);
    await rawHttp('GARBAGE\r\n\r\n', true);
    assert.equal((await signedForm('Action=GetCallerIdentity&Version=2011-06-15')).status, 200);
  });

  it('never answers 500 to random bytes in the body, the query and the headers', async () => {
    let seed = 42;
    const random = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    const junk = (length: number): string => Array.from({ length }, () => String.fromCharCode(Math.floor(random() * 127) + 1)).join('');
    for (let i = 0; i < 150; i++) {
      const body = i % 3 === 0 ? `Action=${encodeURIComponent(junk(8))}&${junk(20)}` : junk(40);
      const raw = { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-amz-date': junk(5).replace(/[^\w]/g, 'a') } as Record<string, string>, body };
      const signed = i % 2 === 0 ? await signHeaders(server.url, server.root, raw) : raw;
      if (i % 5 === 0) signed.headers.authorization = `AWS4-HMAC-SHA256 Credential=${junk(10).replace(/[^\w/]/g, '')}, SignedHeaders=host, Signature=${junk(6).replace(/\W/g, '')}`;
      const response = await fetch(`${server.url}/?${encodeURIComponent(junk(10))}=${encodeURIComponent(junk(10))}`, { method: 'POST', headers: Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k !== 'host')), body });
      assert.ok(response.status < 500, `request ${i} answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer().catch(() => undefined);
    }
  });
});

describe('presigned requests', () => {
  it('accepts a presigned GetCallerIdentity until it expires', async () => {
    const raw = { method: 'GET', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: {} };
    const url = await presign(server.url, server.root, raw, 60);
    const ok = await fetch(url);
    assert.equal(ok.status, 200, await ok.clone().text());
    assert.match(await ok.text(), /<Arn>arn:aws:iam::000000000000:root<\/Arn>/);

    const old = await presign(server.url, server.root, raw, 60, { signingDate: new Date(Date.now() - 120_000) });
    const expired = await fetch(old);
    const body = await expired.text();
    // AWS's Common Errors: RequestExpired (400) for a request past its expiry, such as a presigned URL
    assert.equal(expired.status, 400);
    assert.equal(codeOf(body), 'RequestExpired');
    assert.ok(!body.includes(server.root.secretAccessKey));
  });

  it('rejects a presigned URL whose query was changed', async () => {
    const raw = { method: 'GET', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: {} };
    const url = await presign(server.url, server.root, raw, 60);
    const tampered = await fetch(url.replace('GetCallerIdentity', 'GetCallerIdentitx'));
    assert.equal(tampered.status, 403);
    assert.equal(codeOf(await tampered.text()), 'SignatureDoesNotMatch');
  });
});

describe('clock skew', () => {
  it('rejects a request signed 16 minutes off and accepts one 14 minutes off', async () => {
    const request = formRequest('GetCallerIdentity');
    const late = await send(server.url, await signHeaders(server.url, server.root, request, { signingDate: new Date(Date.now() - 16 * 60_000) }));
    assert.equal(late.status, 403);
    assert.ok(['SignatureDoesNotMatch', 'RequestExpired'].includes(codeOf(late.body) ?? ''), late.body);
    const early = await send(server.url, await signHeaders(server.url, server.root, request, { signingDate: new Date(Date.now() + 16 * 60_000) }));
    assert.equal(early.status, 403);
    const near = await send(server.url, await signHeaders(server.url, server.root, request, { signingDate: new Date(Date.now() - 14 * 60_000) }));
    assert.equal(near.status, 200);
  });

  it('accepts any region in the credential scope', async () => {
    const raw = formRequest('GetCallerIdentity');
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Sha256 } = await import('@aws-crypto/sha256-js');
    const { HttpRequest } = await import('@smithy/protocol-http');
    const url = new URL(server.url);
    const signed = await new SignatureV4({ credentials: server.root, service: 'sts', region: 'ap-southeast-2', sha256: Sha256 })
      .sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers: { host: url.host, ...raw.headers }, body: raw.body }));
    const response = await send(server.url, { ...raw, headers: signed.headers });
    assert.equal(response.status, 200, response.body);
  });
});
