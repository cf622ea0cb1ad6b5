/**
 * Our signer against AWS's (@smithy/signature-v4, the JS SDK's): the same request on the same date
 * gets the same Authorization; and against our verifier.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { parseSignature, verifySignature } from './index.js';
import { signRequest, type SigningCredentials } from './sign.js';
import { sha256Hex } from './string-to-sign.js';

const DATE = new Date('2024-03-01T10:20:30.456Z');
const KEYS: SigningCredentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const SESSION: SigningCredentials = { accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: 'session/secret+key', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE//token+with/slashes==' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

interface Case {
  label: string;
  url: string;
  service: string;
  region: string;
  body: string;
  headers?: Record<string, string>;
  credentials: SigningCredentials;
  contentSha256Header?: boolean;
}

const CASES: Case[] = [
  { label: 'an EC2 query POST on a non-default port', url: 'http://127.0.0.1:4566/', service: 'ec2', region: 'us-east-1', body: 'Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0', credentials: KEYS },
  { label: 'an IAM call with a session token', url: 'http://127.16.32.5:4566/', service: 'iam', region: 'eu-west-3', body: 'Action=GetInstanceProfile&Version=2010-05-08&InstanceProfileName=web%2Bapp', credentials: SESSION },
  { label: 'https on the default port, with x-amz-content-sha256', url: 'https://iamd.example.test/', service: 'sts', region: 'us-west-2', body: 'Action=GetCallerIdentity&Version=2011-06-15', credentials: SESSION, contentSha256Header: true },
  { label: 'extra headers in mixed case, unsignable ones left out', url: 'http://localhost:4566/', service: 'sts', region: 'us-east-1', body: '', headers: { 'X-Custom': '  a   b ', 'User-Agent': 'iamd/0.1' }, credentials: KEYS },
];

async function smithyAuthorization(test: Case): Promise<string> {
  const url = new URL(test.url);
  const signer = new SignatureV4({
    service: test.service, region: test.region, credentials: test.credentials, sha256: Sha256,
    applyChecksum: test.contentSha256Header === true,
  });
  const request = new HttpRequest({
    method: 'POST', protocol: url.protocol, hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), path: url.pathname,
    headers: { host: url.host, ...FORM, ...test.headers }, body: test.body,
  });
  const signed = await signer.sign(request, { signingDate: DATE });
  return signed.headers.authorization!;
}

function ours(test: Case): Record<string, string> {
  return signRequest(
    { method: 'POST', url: new URL(test.url), headers: { ...FORM, ...test.headers }, body: test.body },
    test.credentials,
    { region: test.region, service: test.service, date: DATE, contentSha256Header: test.contentSha256Header === true },
  );
}

describe('signRequest', () => {
  for (const test of CASES) {
    it(`signs as @smithy/signature-v4 does: ${test.label}`, async () => {
      assert.equal(ours(test).authorization, await smithyAuthorization(test));
    });

    it(`verifies with our verifier: ${test.label}`, () => {
      const headers = ours(test);
      const wire = { method: 'POST', rawPath: '/', rawQuery: '', headers: Object.entries(headers) };
      const signature = parseSignature(wire, { service: test.service });
      assert.ok(signature);
      assert.equal(signature.securityToken, test.credentials.sessionToken);
      const payloadHash = sha256Hex(test.body);
      assert.deepEqual(verifySignature(wire, signature, test.credentials.secretAccessKey, { payloadHash, normalizePath: true, now: DATE }), { ok: true });
      assert.equal(verifySignature(wire, signature, test.credentials.secretAccessKey, { payloadHash: sha256Hex(test.body + 'x'), normalizePath: true, now: DATE }).ok, false);
    });
  }

  it('adds host, x-amz-date and the token, and leaves User-Agent unsigned', () => {
    const headers = ours(CASES[3]!);
    assert.equal(headers.host, 'localhost:4566');
    assert.equal(headers['x-amz-date'], '20240301T102030Z');
    assert.match(headers.authorization!, /SignedHeaders=content-type;host;x-amz-date;x-custom,/);
    assert.match(ours(CASES[1]!).authorization!, /SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,/);
    assert.equal(ours(CASES[1]!)['x-amz-security-token'], SESSION.sessionToken);
  });
});
