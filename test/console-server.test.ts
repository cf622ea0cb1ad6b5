/**
 * The console as the server delivers it, without a browser: its routes under /_iamd/console/ and
 * their security headers (CSP with no inline or outside script, no framing, no form posts; no
 * cookie), no outside resource referenced by any file, the script budget, revalidation, refusals;
 * the browser's SigV4 signer (console/lib/sigv4.ts, run here on Node's WebCrypto) agreeing with
 * AWS's own signer and accepted by the server, Unicode parameters included; and the browser's
 * readings of a role (the revoke policy it writes and reads, trusted entities) and of the trail.
 */
import { GetRoleCommand } from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import type { webcrypto } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { loadAssets } from '../src/console/assets.js';
import { revokeCutoff as serverCutoff, revokePolicyDocument } from '../src/sessions/role-cutoff.js';
import { signHeaders } from './helpers/sign.js';
import { iamClient, startTestServer, type TestServer } from './helpers/server.js';

type CryptoKey = webcrypto.CryptoKey;

/** What the tests use of console/lib/sigv4.ts (compiled to dist/console/lib/sigv4.js). */
interface BrowserSigner {
  importSecret(secretAccessKey: string): Promise<CryptoKey>;
  deriveSigningKey(secret: CryptoKey, day: string, region: string, service: string): Promise<Uint8Array>;
  authorization(request: { method: string; headers: Record<string, string>; body: string }, accessKeyId: string,
    scope: { day: string; region: string; service: string }, signingKey: Uint8Array): Promise<string>;
  amzDate(date: Date): string;
  formBody(params: Record<string, string>): string;
}

const signerModule = new URL('../console/lib/sigv4.js', import.meta.url).href;
let server: TestServer;
let signer: BrowserSigner;

before(async () => {
  server = await startTestServer();
  signer = (await import(signerModule)) as BrowserSigner;
});
after(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

/** GET with the path sent exactly as written (fetch would resolve the dot segments first). */
function rawStatus(path: string): Promise<number> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port: Number(port), path, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('console routes', () => {
  it('redirects /_iamd/console to /_iamd/console/', async () => {
    const response = await get('/_iamd/console');
    assert.equal(response.status, 308);
    assert.equal(response.headers.get('location'), '/_iamd/console/');
  });

  it('serves the page with a strict Content-Security-Policy, no framing, no cookie', async () => {
    const response = await get('/_iamd/console/');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'none'", "object-src 'none'", "base-uri 'none'"]) {
      assert.ok(csp.split('; ').includes(directive), `CSP has ${directive}: ${csp}`);
    }
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('set-cookie'), null);
    const html = await response.text();
    assert.match(html, /<script type="module" src="main.js"><\/script>/);
  });

  it('has no inline script or style and references nothing outside the server', () => {
    const assets = loadAssets();
    assert.ok(assets.has('index.html') && assets.has('main.js') && assets.has('console.css') && assets.has('pages/role.js'));
    const html = assets.get('index.html')!.body.toString('utf8');
    for (const tag of html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) assert.match(tag, /^<script [^>]*src="[^"]+"[^>]*><\/script>$/, `inline script: ${tag}`);
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
    for (const [name, asset] of assets) {
      const text = asset.body.toString('utf8').replace('xmlns="http://www.w3.org/2000/svg"', '');
      assert.doesNotMatch(text, /(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}\//i, `${name} references another origin`);
      assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/, `${name} builds markup from strings`);
      if (name.endsWith('.js')) assert.equal(asset.contentType, 'text/javascript; charset=utf-8');
    }
  });

  it('keeps all of its script (every page together) under 300 KB', () => {
    const total = [...loadAssets()].filter(([name]) => name.endsWith('.js')).reduce((sum, [, asset]) => sum + asset.body.length, 0);
    assert.ok(total > 10_000 && total < 300 * 1024, `${total} bytes of script`);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await get('/_iamd/console/main.js');
    const etag = first.headers.get('etag');
    assert.ok(etag);
    assert.equal((await get('/_iamd/console/main.js', { 'if-none-match': etag })).status, 304);
    assert.equal((await get('/_iamd/console/main.js', { 'if-none-match': '"other"' })).status, 200);
  });

  it('refuses other methods, unknown files and paths out of the console, and writes nothing to the trail', async () => {
    const before = server.audit.records.length;
    const post = await fetch(`${server.url}/_iamd/console/`, { method: 'POST', body: 'x=1' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    for (const path of ['/_iamd/console/nope.js', '/_iamd/console/../../package.json', '/_iamd/console/%2e%2e/%2e%2e/package.json', '/_iamd/console/lib/../../../tsconfig.json']) {
      assert.equal(await rawStatus(path), 404, path);
    }
    assert.equal(server.audit.records.length, before);
  });
});

describe('the browser\'s SigV4 signer', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

  it('signs exactly as AWS\'s signer (@smithy/signature-v4) does', async () => {
    const date = new Date('2026-03-14T15:09:26Z');
    const body = signer.formBody({ Action: 'GetRole', Version: '2010-05-08', RoleName: 'ünïcødé (role) ✓' });
    const expected = await signHeaders('http://127.0.0.1:4566', credentials, { method: 'POST', path: '/', headers: {}, body }, { service: 'iam', signingDate: date });
    const key = await signer.deriveSigningKey(await signer.importSecret(credentials.secretAccessKey), '20260314', 'us-east-1', 'iam');
    // AWS's signer adds and signs x-amz-content-sha256; ours signs whatever headers it is given.
    const headers = { host: '127.0.0.1:4566', 'x-amz-date': signer.amzDate(date), 'x-amz-content-sha256': expected.headers['x-amz-content-sha256']! };
    assert.equal(expected.headers['x-amz-date'], headers['x-amz-date']);
    const ours = await signer.authorization({ method: 'POST', headers, body },
      credentials.accessKeyId, { day: '20260314', region: 'us-east-1', service: 'iam' }, key);
    assert.equal(ours, expected.headers.authorization);
  });

  it('is accepted by the server, Unicode in the parameters included', async () => {
    const description = 'Rôle de démonstration: ünïcødé ✓ & = + / ~ *';
    const now = new Date();
    const day = now.toISOString().slice(0, 10).replace(/-/g, '');
    const key = await signer.deriveSigningKey(await signer.importSecret(server.root.secretAccessKey), day, 'us-east-1', 'iam');
    const body = signer.formBody({
      Action: 'CreateRole', Version: '2010-05-08', RoleName: 'signed-in-browser', Description: description,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    });
    const headers = { host: new URL(server.url).host, 'x-amz-date': signer.amzDate(now) };
    const authorization = await signer.authorization({ method: 'POST', headers, body }, server.root.accessKeyId, { day, region: 'us-east-1', service: 'iam' }, key);
    const response = await fetch(`${server.url}/`, {
      method: 'POST', body, headers: { 'x-amz-date': headers['x-amz-date'], authorization, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    assert.equal(response.status, 200, await response.text());
    const role = await iamClient(server).send(new GetRoleCommand({ RoleName: 'signed-in-browser' }));
    assert.equal(role.Role?.Description, description);
  });
});

/** What the tests use of console/api/iam.ts and console/api/cloudtrail.ts. */
interface BrowserIam {
  revokeOlderSessionsDocument(cutoff: Date): string;
  revokeCutoff(document: string): string | undefined;
  trustedEntities(trustPolicy: string): string[];
}
interface BrowserTrail {
  resultOf(event: { errorCode?: string }): 'succeeded' | 'denied' | 'failed';
}
interface StackEvent { eventId: string; timestamp: string; logicalResourceId: string; resourceType: string; status: string; statusReason?: string }
/** What the tests use of console/api/stack-failure.ts. */
interface BrowserStackFailure {
  stackFailure(stack: { stackName: string; status: string }, events: StackEvent[]): { resources: StackEvent[]; stackReasons: string[] } | undefined;
}

describe('the browser\'s reading of roles, the trail and stacks', () => {
  let iam: BrowserIam;
  let trail: BrowserTrail;
  let stacks: BrowserStackFailure;
  before(async () => {
    iam = (await import(new URL('../console/api/iam.js', import.meta.url).href)) as BrowserIam;
    trail = (await import(new URL('../console/api/cloudtrail.js', import.meta.url).href)) as BrowserTrail;
    stacks = (await import(new URL('../console/api/stack-failure.js', import.meta.url).href)) as BrowserStackFailure;
  });

  it('writes the AWSRevokeOlderSessions document iamd itself writes (the console\'s form), and reads its cut-off back', () => {
    const cutoff = new Date('2026-05-01T12:34:56.789Z');
    assert.equal(iam.revokeOlderSessionsDocument(cutoff), revokePolicyDocument(cutoff));
    assert.equal(serverCutoff({ AWSRevokeOlderSessions: iam.revokeOlderSessionsDocument(cutoff) }), cutoff.getTime());
    assert.equal(iam.revokeCutoff(revokePolicyDocument(cutoff)), '2026-05-01T12:34:56.789Z');
    // AWS's other form: one Statement object, whole seconds; the latest of several times wins.
    const single = JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'] } } } });
    assert.equal(iam.revokeCutoff(single), '2026-02-01T00:00:00Z');
    assert.equal(iam.revokeCutoff('{"Version":"2012-10-17","Statement":[]}'), undefined);
  });

  it('names who may assume a role from its trust policy', () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' },
      { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
    ] });
    assert.deepEqual(iam.trustedEntities(trust), ['AWS service: ec2.amazonaws.com', 'AWS service: lambda.amazonaws.com', 'AWS: arn:aws:iam::000000000000:root']);
    assert.deepEqual(iam.trustedEntities('not json'), []);
  });

  it('tells denied calls (policy or credentials) from other failures', () => {
    assert.equal(trail.resultOf({}), 'succeeded');
    for (const code of ['AccessDenied', 'UnauthorizedOperation', 'Client.UnauthorizedOperation', 'InvalidClientTokenId', 'SignatureDoesNotMatch', 'ExpiredToken', 'AuthFailure']) {
      assert.equal(trail.resultOf({ errorCode: code }), 'denied', code);
    }
    assert.equal(trail.resultOf({ errorCode: 'NoSuchEntity' }), 'failed');
  });

  it('reads why a stack failed from the events of its last operation, the cancelled resources only when nothing else failed', () => {
    let n = 0;
    /** events oldest first here, answered newest first as DescribeStackEvents does */
    const history = (...lines: Array<[string, string, string?]>): StackEvent[] => lines.map(([logicalResourceId, status, statusReason]) => ({
      eventId: `e${++n}`, timestamp: '2026-01-01T00:00:00.000Z', logicalResourceId, status,
      resourceType: logicalResourceId === 'app' ? 'AWS::CloudFormation::Stack' : 'AWS::IAM::Role',
      ...(statusReason !== undefined ? { statusReason } : {}),
    })).reverse();
    const created = history(['app', 'CREATE_IN_PROGRESS', 'User Initiated'], ['Old', 'CREATE_FAILED', 'an earlier failure'],
      ['app', 'ROLLBACK_COMPLETE'], ['app', 'UPDATE_IN_PROGRESS', 'User Initiated'], ['Waiter', 'UPDATE_FAILED', 'Resource update cancelled'],
      ['Role', 'UPDATE_FAILED', 'Policy does not exist'], ['app', 'UPDATE_ROLLBACK_IN_PROGRESS', 'The following resource(s) failed to update: [Role]. '],
      ['app', 'UPDATE_ROLLBACK_COMPLETE']);
    const failure = stacks.stackFailure({ stackName: 'app', status: 'UPDATE_ROLLBACK_COMPLETE' }, created)!;
    assert.deepEqual(failure.resources.map((event) => `${event.logicalResourceId} ${event.statusReason}`), ['Role Policy does not exist']);
    assert.deepEqual(failure.stackReasons, ['The following resource(s) failed to update: [Role]. ']);
    const cancelledOnly = history(['app', 'DELETE_IN_PROGRESS', 'User Initiated'], ['Waiter', 'CREATE_FAILED', 'Resource creation cancelled'], ['app', 'DELETE_FAILED', 'x']);
    assert.deepEqual(stacks.stackFailure({ stackName: 'app', status: 'DELETE_FAILED' }, cancelledOnly)!.resources.map((event) => event.logicalResourceId), ['Waiter']);
    assert.equal(stacks.stackFailure({ stackName: 'app', status: 'CREATE_COMPLETE' }, created), undefined);
  });
});
