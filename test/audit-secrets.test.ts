/**
 * No secret reaches the trail or the log: calls that carry or return secrets (CreateAccessKey,
 * GetSessionToken, AssumeRole, GetFederationToken, requests signed with session tokens, a presigned
 * URL carrying a token and a signature, a password parameter, failed authentications with real
 * tokens), then every stored record (the trail's tables), the JSON-lines file and every log line are
 * searched for each secret key, session token, signature and password.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient, ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { jsonLogger } from '../src/server/logger.js';
import { allow } from './helpers/iam.js';
import type { Credentials } from './helpers/server.js';
import { formRequest, presign, send, signHeaders } from './helpers/sign.js';
import { startTrailServer, type TrailServer } from './helpers/trail.js';

const ACCOUNT = '000000000000';
let server: TrailServer;
let logFile: string;
const logLines: string[] = [];

before(async () => {
  const logger = jsonLogger('debug', (bytes) => { logLines.push(Buffer.from(bytes).toString('utf8')); });
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  logFile = join(mkdtempSync(join(tmpdir(), 'iamd-audit-log-')), 'trail.jsonl');
  server = await startTrailServer({ logger, logFile });
});
after(() => server.close());

const config = (credentials: Credentials, region = 'us-east-1') => ({ endpoint: server.url, region, credentials, maxAttempts: 1 });
const sessionOf = (out: { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } }): Credentials =>
  ({ accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! });

it('keeps every secret out of the trail, the JSON-lines file and the log', async () => {
  const secrets: string[] = [server.root.secretAccessKey];
  const rootIam = new IAMClient(config(server.root));
  await rootIam.send(new CreateUserCommand({ UserName: 'leaky' }));
  await rootIam.send(new PutUserPolicyCommand({ UserName: 'leaky', PolicyName: 'all', PolicyDocument: allow(['sts:*', 'iam:*', 'cloudtrail:*']) }));
  await rootIam.send(new CreateRoleCommand({
    RoleName: 'target', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] }),
  }));
  const key = (await rootIam.send(new CreateAccessKeyCommand({ UserName: 'leaky' }))).AccessKey!;
  rootIam.destroy();
  const leaky = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  secrets.push(leaky.secretAccessKey);

  const sts = new STSClient(config(leaky));
  const userSession = sessionOf(await sts.send(new GetSessionTokenCommand({})));
  const roleSession = sessionOf(await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/target`, RoleSessionName: 'stolen' })));
  const federated = sessionOf(await sts.send(new GetFederationTokenCommand({ Name: 'fed', Policy: allow('sts:*') })));
  sts.destroy();
  const sessions = [userSession, roleSession, federated];
  for (const session of sessions) secrets.push(session.secretAccessKey, session.sessionToken!);

  // Calls signed with each session's token, through three services.
  for (const session of sessions) {
    const client = new STSClient(config(session, 'eu-central-1'));
    await client.send(new GetCallerIdentityCommand({}));
    client.destroy();
  }
  const roleIam = new IAMClient(config(roleSession));
  await roleIam.send(new ListUsersCommand({})).catch(() => undefined);
  roleIam.destroy();
  const trail = new CloudTrailClient(config(roleSession));
  await trail.send(new LookupEventsCommand({ MaxResults: 5 })).catch(() => undefined);
  trail.destroy();

  // A presigned URL carries the token and the signature in its query string.
  const url = await presign(server.url, roleSession, { method: 'GET', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: {} }, 300);
  const presigned = await fetch(url);
  assert.equal(presigned.status, 200);
  const signature = new URL(url).searchParams.get('X-Amz-Signature')!;
  secrets.push(signature);

  // A password parameter (of an operation iamd does not serve: recorded, refused, redacted).
  const password = 'Sup3r-S3cret-passw0rd!';
  const withPassword = await signHeaders(server.url, leaky, formRequest('CreateLoginProfile', { UserName: 'leaky', Password: password }, '2010-05-08'), { service: 'iam' });
  secrets.push(/Signature=([0-9a-f]+)/.exec(withPassword.headers.authorization!)![1]!);
  assert.equal((await send(server.url, withPassword)).status, 400);
  secrets.push(password);

  // Failed authentications that carry a real token: a wrong secret, a token of another key.
  const wrongSecret = await signHeaders(server.url, { ...roleSession, secretAccessKey: 'A'.repeat(40) }, formRequest('GetCallerIdentity'));
  assert.equal((await send(server.url, wrongSecret)).status, 403);
  const swapped = await signHeaders(server.url, { ...userSession, sessionToken: federated.sessionToken }, formRequest('GetCallerIdentity'));
  assert.equal((await send(server.url, swapped)).status, 403);

  await server.trail.settled();
  const db = new Database(server.trailFile, { readonly: true });
  const rows = db.prepare('SELECT * FROM audit_events').all() as Array<Record<string, unknown>>;
  const resources = db.prepare('SELECT * FROM audit_event_resources').all() as Array<Record<string, unknown>>;
  const strings = db.prepare('SELECT * FROM audit_strings').all() as Array<Record<string, unknown>>;
  db.close();
  assert.ok(strings.length > 0, 'identities and user agents are kept in audit_strings');
  assert.ok(rows.length >= 15, `expected the calls to be recorded, found ${rows.length}`);
  const stored = JSON.stringify(rows) + JSON.stringify(resources) + JSON.stringify(strings);
  const jsonLines = readFileSync(logFile, 'utf8');
  assert.equal(jsonLines.trim().split('\n').length, rows.length, 'the JSON-lines file has one line per record');
  const logged = logLines.join('');
  assert.ok(logged.includes('"msg":"request"'));

  for (const secret of secrets) {
    // Whole, and a distinctive 24-character piece of it (a token cut short is still a leak).
    const pieces = secret.length > 24 ? [secret, secret.slice(8, 32)] : [secret];
    for (const piece of pieces) {
      assert.ok(!stored.includes(piece), `the trail holds a secret (${piece.slice(0, 6)}...)`);
      assert.ok(!jsonLines.includes(piece), `the JSON-lines file holds a secret (${piece.slice(0, 6)}...)`);
      assert.ok(!logged.includes(piece), `the log holds a secret (${piece.slice(0, 6)}...)`);
    }
  }

  // What was recorded instead.
  const records = jsonLines.trim().split('\n').map((line) => JSON.parse(line) as { eventName: string; requestParameters: Record<string, unknown> | null; errorCode?: string; userIdentity: { accessKeyId?: string } });
  const login = records.find((record) => record.eventName === 'CreateLoginProfile')!;
  assert.deepEqual(login.requestParameters, { userName: 'leaky', password: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
  const viaUrl = records.filter((record) => record.eventName === 'GetCallerIdentity' && record.userIdentity.accessKeyId === roleSession.accessKeyId);
  assert.ok(viaUrl.every((record) => record.requestParameters === null), 'the presigned URL\'s X-Amz-* fields are not parameters');
  assert.ok(records.some((record) => record.errorCode === 'SignatureDoesNotMatch' && record.userIdentity.accessKeyId === roleSession.accessKeyId));
});
