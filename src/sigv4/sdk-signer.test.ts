/**
 * Sign with the AWS SDK's own signer (@smithy/signature-v4, as the JS SDK v3 uses it) and verify with
 * ours, in the header and the presigned form, across the encoding, header and clock edge cases.
 * The request we verify is what the SDK's HTTP handler would put on the wire: its path as is, its
 * query serialised with RFC 3986 escaping, its headers as pairs.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseSignature, verifySignature, type SignedHttpRequest, type VerifyResult } from './index.js';

const SIGNING_DATE = new Date('2024-03-01T10:20:30Z');
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MINUTE = 60_000;

type Query = Record<string, string | string[] | null>;

interface RequestSpec {
  method?: string;
  path?: string;
  query?: Query;
  headers?: Record<string, string>;
  body?: string;
}

interface SignOptions {
  service?: string;
  s3?: boolean;
  sessionToken?: string;
  presign?: { expiresIn: number };
}

/** The SDK's escaping (encodeURIComponent plus !'()*), as its HTTP handlers build the query string. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => '%' + character.charCodeAt(0).toString(16).toUpperCase());
}

function wireQuery(query: Query): string {
  const parts: string[] = [];
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (Array.isArray(value)) for (const item of value) parts.push(`${escapeUri(key)}=${escapeUri(item)}`);
    else parts.push(value === null || value === undefined ? escapeUri(key) : `${escapeUri(key)}=${escapeUri(value)}`);
  }
  return parts.join('&');
}

/** Test helper: signs (or presigns) a request with the SDK signer and returns it as it would arrive. */
async function signRequest(spec: RequestSpec, options: SignOptions = {}): Promise<SignedHttpRequest> {
  const signer = new SignatureV4({
    service: options.service ?? (options.s3 ? 's3' : 'sts'),
    region: 'eu-west-3',
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}) },
    sha256: Sha256,
    uriEscapePath: !options.s3,
    applyChecksum: options.s3 === true,
  });
  const request = new HttpRequest({
    method: spec.method ?? 'POST',
    protocol: 'https:',
    hostname: 'iamd.example.test',
    path: spec.path ?? '/',
    query: spec.query ?? {},
    headers: { host: 'iamd.example.test', ...spec.headers },
    ...(spec.body !== undefined ? { body: spec.body } : {}),
  });
  const signed = options.presign
    ? await signer.presign(request, { signingDate: SIGNING_DATE, expiresIn: options.presign.expiresIn })
    : await signer.sign(request, { signingDate: SIGNING_DATE });
  return {
    method: signed.method,
    rawPath: signed.path,
    rawQuery: wireQuery(signed.query as Query),
    headers: Object.entries(signed.headers as Record<string, string>),
  };
}

function bodyHash(spec: RequestSpec): string {
  return spec.body === undefined ? EMPTY_SHA256 : createHash('sha256').update(spec.body, 'utf8').digest('hex');
}

function verify(req: SignedHttpRequest, options: { payloadHash: string; normalizePath?: boolean; now?: Date; secret?: string }): VerifyResult {
  const sig = parseSignature(req);
  assert.ok(sig, 'no signature found');
  return verifySignature(req, sig, options.secret ?? SECRET, {
    payloadHash: options.payloadHash,
    normalizePath: options.normalizePath ?? true,
    now: options.now ?? SIGNING_DATE,
  });
}

const at = (offsetMs: number) => new Date(SIGNING_DATE.getTime() + offsetMs);
const OK = { ok: true };

/** Every non-S3 edge case, checked in both forms. */
const NON_S3_CASES: Array<[string, RequestSpec]> = [
  ['an STS query-protocol POST', { body: 'Action=GetCallerIdentity&Version=2011-06-15', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } }],
  ['a percent-encoded unicode path (encoded once more)', { method: 'GET', path: '/foo%20bar/%C3%BC/%252F' }],
  ['a raw unicode path with a space and %2F', { method: 'GET', path: '/foo bar/ü/%2F' }],
  ['dot segments and repeated slashes', { method: 'GET', path: '/a/./b/../c//d/' }],
  ['repeated keys, empty values, unicode and unsorted names', { method: 'GET', query: { k: ['b', 'a', 'a'], empty: '', 'a-b': 'x', A: 'upper', ü: 'ß', a: 'lower' } }],
  ['reserved characters', { method: 'GET', query: { q: 'a+b*c~d e', 'x+y': '%20', t: "!'()", slash: '/?#[]@' } }],
  ['header values with outer and inner spaces and tabs', { headers: { 'x-spaces': '  lead and   inner   trail  ', 'x-tabs': 'a\t\tb', 'x-quoted': '"a   b"' } }],
  ['mixed-case header names', { headers: { 'X-Mixed-Case': 'v', 'CONTENT-TYPE': 'text/plain', 'X-Amz-Target': 'Service.Op' } }],
];

describe('verifying what @smithy/signature-v4 signs', () => {
  for (const [label, spec] of NON_S3_CASES) {
    it(`header form: ${label}`, async () => {
      assert.deepEqual(verify(await signRequest(spec), { payloadHash: bodyHash(spec) }), OK);
    });
    it(`presigned form: ${label}`, async () => {
      const req = await signRequest(spec, { presign: { expiresIn: 900 } });
      assert.equal(parseSignature(req)?.form, 'query');
      assert.deepEqual(verify(req, { payloadHash: bodyHash(spec) }), OK);
    });
  }

  it('a non-S3 path is not accepted when verified the S3 way (the double encoding matters)', async () => {
    const spec = { method: 'GET', path: '/foo%20bar/x' };
    assert.equal(verify(await signRequest(spec), { payloadHash: bodyHash(spec), normalizePath: false }).ok, false);
  });

  it('a key sent without "=" counts as an empty value', async () => {
    const spec = { method: 'GET', query: { flag: '', other: 'v' } };
    for (const presign of [undefined, { expiresIn: 60 }]) {
      const req = await signRequest(spec, presign ? { presign } : {});
      const rawQuery = req.rawQuery.replace(/(^|&)flag=(&|$)/, '$1flag$2');
      assert.notEqual(rawQuery, req.rawQuery);
      assert.deepEqual(verify({ ...req, rawQuery }, { payloadHash: bodyHash(spec) }), OK);
    }
  });

  it('duplicate headers are joined with "," in arrival order', async () => {
    const req = await signRequest({ headers: { 'x-dup': 'one,two,three' } });
    const headers = req.headers.filter(([name]) => name !== 'x-dup');
    const split: SignedHttpRequest = { ...req, headers: [['X-Dup', ' one'], ...headers, ['x-dup', 'two '], ['X-DUP', 'three']] };
    assert.deepEqual(verify(split, { payloadHash: EMPTY_SHA256 }), OK);
    const reordered: SignedHttpRequest = { ...req, headers: [['x-dup', 'two'], ...headers, ['x-dup', 'one'], ['x-dup', 'three']] };
    assert.equal(verify(reordered, { payloadHash: EMPTY_SHA256 }).ok, false);
  });

  it('a session token, in the header and in the presigned query', async () => {
    const header = await signRequest({}, { sessionToken: SESSION_TOKEN });
    assert.equal(parseSignature(header)?.securityToken, SESSION_TOKEN);
    assert.deepEqual(verify(header, { payloadHash: EMPTY_SHA256 }), OK);
    const presigned = await signRequest({}, { sessionToken: SESSION_TOKEN, presign: { expiresIn: 900 } });
    assert.equal(parseSignature(presigned)?.securityToken, SESSION_TOKEN);
    assert.deepEqual(verify(presigned, { payloadHash: EMPTY_SHA256 }), OK);
    // The token is signed: another token does not verify.
    const swapped = { ...presigned, rawQuery: presigned.rawQuery.replace(/X-Amz-Security-Token=[^&]*/, 'X-Amz-Security-Token=other') };
    assert.equal(verify(swapped, { payloadHash: EMPTY_SHA256 }).ok, false);
  });

  it('a wrong secret fails with reason "signature"', async () => {
    const result = verify(await signRequest({}), { payloadHash: EMPTY_SHA256, secret: SECRET.replace('K7', 'K8') });
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, 'signature');
  });

  it('a different body (payload hash) fails', async () => {
    const req = await signRequest({ body: 'Action=GetCallerIdentity' });
    assert.equal(verify(req, { payloadHash: bodyHash({ body: 'Action=AssumeRole' }) }).ok, false);
  });
});

describe('S3 signing (uriEscapePath false, applyChecksum)', () => {
  const paths = ['/my-bucket/photos/2024%20trip/%C3%BC%2Bplus%21.jpg', '/my-bucket/a//b/./c/../d', '/my-bucket/lower%c3%bchex', '/my-bucket/'];
  for (const path of paths) {
    it(`header form, path as sent: ${path}`, async () => {
      const spec = { method: 'PUT', path, query: { 'x-id': 'PutObject' }, body: 'hello' };
      const req = await signRequest(spec, { s3: true });
      const payloadHash = req.headers.find(([name]) => name === 'x-amz-content-sha256')?.[1];
      assert.equal(payloadHash, bodyHash(spec));
      assert.deepEqual(verify(req, { payloadHash: payloadHash!, normalizePath: false }), OK);
      // Verified the non-S3 way (normalised, encoded again) the same request fails, unless the path
      // is one that canonicalises identically both ways.
      if (path !== '/my-bucket/') assert.equal(verify(req, { payloadHash: payloadHash!, normalizePath: true }).ok, false);
    });
    it(`presigned form with UNSIGNED-PAYLOAD: ${path}`, async () => {
      const req = await signRequest({ method: 'GET', path, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }, { s3: true, presign: { expiresIn: 3600 } });
      assert.match(req.rawQuery, /x-amz-content-sha256=UNSIGNED-PAYLOAD/);
      assert.deepEqual(verify(req, { payloadHash: 'UNSIGNED-PAYLOAD', normalizePath: false }), OK);
    });
  }
});

describe('clock', () => {
  const reasonAt = (result: VerifyResult) => (result.ok ? 'ok' : result.reason);

  it('header form: accepted within ±14 minutes, refused at ±16', async () => {
    const req = await signRequest({});
    const check = (offset: number) => reasonAt(verify(req, { payloadHash: EMPTY_SHA256, now: at(offset) }));
    assert.equal(check(14 * MINUTE), 'ok');
    assert.equal(check(-14 * MINUTE), 'ok');
    assert.equal(check(15 * MINUTE), 'ok');
    assert.equal(check(16 * MINUTE), 'expired');
    assert.equal(check(-16 * MINUTE), 'not-yet-valid');
  });

  it('presigned form: valid until requestTime + X-Amz-Expires', async () => {
    const req = await signRequest({ method: 'GET' }, { presign: { expiresIn: 300 } });
    const check = (offset: number) => reasonAt(verify(req, { payloadHash: EMPTY_SHA256, now: at(offset) }));
    assert.equal(check(299_000), 'ok');
    assert.equal(check(300_000), 'ok');
    assert.equal(check(301_000), 'presigned-expired');
    assert.equal(check(-14 * MINUTE), 'ok');
    assert.equal(check(-16 * MINUTE), 'not-yet-valid');
  });

  it('a long presigned URL outlives the 15-minute skew window', async () => {
    const req = await signRequest({ method: 'GET' }, { presign: { expiresIn: 604800 } });
    assert.equal(reasonAt(verify(req, { payloadHash: EMPTY_SHA256, now: at(6 * 24 * 60 * MINUTE) })), 'ok');
  });

  it('clock messages use the query services wording and hold no secret', async () => {
    const req = await signRequest({}, { sessionToken: SESSION_TOKEN });
    const result = verify(req, { payloadHash: EMPTY_SHA256, now: at(16 * MINUTE) });
    assert.ok(!result.ok);
    assert.equal(result.message, 'Signature expired: 20240301T102030Z is now earlier than 20240301T102130Z (20240301T103630Z - 15 min.)');
    const future = verify(req, { payloadHash: EMPTY_SHA256, now: at(-16 * MINUTE) });
    assert.ok(!future.ok);
    assert.equal(future.message, 'Signature not yet current: 20240301T102030Z is still later than 20240301T101930Z (20240301T100430Z + 15 min.)');
    for (const text of [result.message, future.message, JSON.stringify(result.details)]) {
      assert.ok(!text.includes(SECRET) && !text.includes(SESSION_TOKEN));
    }
  });
});
