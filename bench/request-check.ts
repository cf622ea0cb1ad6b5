/**
 * (a) The in-process request check: SigV4 verification, principal lookup and policy evaluation of
 * a role session with three policies (one a DateLessThan aws:TokenIssueTime Deny), against the
 * bare crypto any verifier must do (SHA-256 of the canonical request plus one HMAC).
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac } from 'node:crypto';
import { authenticate } from '../src/auth/authenticate.js';
import type { RequestInfo } from '../src/auth/request-context.js';
import { canonicalRequest, parseSignature, signingKey, stringToSign, type SignedHttpRequest } from '../src/sigv4/index.js';
import { benchSession, SIGNING_DATE } from './fixtures.js';
import type { BenchLine } from './types.js';

function perSecond(seconds: number, body: () => void): number {
  for (let i = 0; i < 20_000; i++) body();
  let count = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) body();
    count += 1000;
  }
  return count / ((performance.now() - started) / 1000);
}

export async function run(): Promise<BenchLine[]> {
  const { app, claims, sessionToken } = benchSession();
  const body = 'Action=GetObject&Version=2006-03-01';
  const signed = await new SignatureV4({ credentials: { ...claims, sessionToken }, service: 's3', region: 'us-east-1', sha256: Sha256 })
    .sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/', headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-www-form-urlencoded' }, body }), { signingDate: SIGNING_DATE });
  const request: SignedHttpRequest = { method: 'POST', rawPath: '/', rawQuery: '', headers: Object.entries(signed.headers) };
  const info: RequestInfo = { sourceIp: '10.1.2.3', secure: false, userAgent: 'bench', region: 'us-east-1', localAddress: '127.0.0.1', time: SIGNING_DATE };
  const authorization = { action: 's3:GetObject', resource: 'arn:aws:s3:::data/reports/2026.csv' };

  const check = (): void => {
    const signature = parseSignature(request)!;
    const payloadHash = createHash('sha256').update(body).digest('hex');
    const caller = authenticate(app, { request, signature, payloadHash, normalizePath: true, protocol: 'query' });
    app.authorizer.require(caller, info, authorization);
  };
  check(); // throws if the scenario is not allowed: the benchmark measures a real, allowed check

  const signature = parseSignature(request)!;
  const canonical = canonicalRequest(request, signature, createHash('sha256').update(body).digest('hex'), { normalizePath: true });
  const key = signingKey(claims.secretAccessKey, signature.scopeDate, signature.region, signature.service);
  const toSign = stringToSign(signature, canonical);
  const bare = (): void => {
    const hash = createHash('sha256').update(canonical).digest('hex');
    createHmac('sha256', key).update(toSign + hash).digest('hex');
  };

  const seconds = 2;
  const checks = perSecond(seconds, check);
  const baseline = perSecond(seconds, bare);
  app.close();
  return [
    { name: 'request check (SigV4 + principal + 3 policies)', value: checks, unit: 'checks/s/core', note: 'target >= 50,000' },
    { name: 'bare crypto (SHA-256 + HMAC)', value: baseline, unit: 'ops/s/core' },
    { name: 'request check / bare crypto', value: checks / baseline, unit: 'ratio' },
  ];
}
