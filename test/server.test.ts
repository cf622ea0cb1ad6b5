/**
 * `bin/iamd serve` as a user runs it: health, the root key (given or generated, printed once,
 * kept 0600), persistence across a restart, graceful shutdown, HTTPS with aws:SecureTransport,
 * and logs without secrets.
 */
import { CreateAccessKeyCommand, CreateUserCommand, GetAccessKeyLastUsedCommand, IAMClient, ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServerProcess } from './helpers/process.js';
import { expectAwsError, iamClient, startTestServer, type Credentials } from './helpers/server.js';

const ROOT = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const rootEnv = { IAMD_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, IAMD_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey };
const dirs: string[] = [];
const dataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'iamd-serve-'));
  dirs.push(dir);
  return join(dir, 'data');
};
after(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

const clients = (url: string, credentials: Credentials, handler?: NodeHttpHandler) => {
  const config = { endpoint: url, region: 'eu-west-3', credentials, maxAttempts: 1, ...(handler ? { requestHandler: handler } : {}) };
  return { sts: new STSClient(config), iam: new IAMClient(config) };
};

describe('iamd serve', () => {
  it('answers health without auth, keeps everything across a restart, and stops cleanly on SIGTERM', async () => {
    const dir = dataDir();
    const first = await startServerProcess(['--data-dir', dir], rootEnv);
    const health = await fetch(`${first.url}/_iamd/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json() as { status: string }).status, 'ok');
    assert.match(first.url, /^http:\/\/127\.0\.0\.1:\d+$/);

    const root = clients(first.url, ROOT);
    assert.equal((await root.sts.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:root');
    await root.iam.send(new CreateUserCommand({ UserName: 'persistent' }));
    await root.iam.send(new PutUserPolicyCommand({ UserName: 'persistent', PolicyName: 'list', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}' }));
    const key = (await root.iam.send(new CreateAccessKeyCommand({ UserName: 'persistent' }))).AccessKey!;
    const user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    await clients(first.url, user).sts.send(new GetCallerIdentityCommand({}));
    assert.equal(await first.stop('SIGTERM'), 0);
    const log = first.stderr();
    assert.match(log, /"msg":"request"/);
    assert.match(log, /"msg":"stopped"/);
    for (const secret of [ROOT.secretAccessKey, user.secretAccessKey]) assert.ok(!log.includes(secret), 'a secret reached the log');

    // the secret is sealed at rest: not in the database file
    const database = readFileSync(join(dir, 'iamd.sqlite'));
    assert.ok(!database.includes(Buffer.from(user.secretAccessKey)), 'an access key secret is stored in clear');

    const second = await startServerProcess(['--data-dir', dir], rootEnv);
    try {
      // the last use recorded before the shutdown was flushed by it (asked before the user calls again)
      const lastUsed = await clients(second.url, ROOT).iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: user.accessKeyId }));
      assert.equal(lastUsed.AccessKeyLastUsed?.Region, 'eu-west-3');
      assert.equal(lastUsed.AccessKeyLastUsed?.ServiceName, 'sts');
      const again = clients(second.url, user);
      assert.equal((await again.sts.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:user/persistent');
      const users = await again.iam.send(new ListUsersCommand({}));
      assert.deepEqual(users.Users!.map((u) => u.UserName), ['persistent']);
    } finally {
      assert.equal(await second.stop('SIGINT'), 0);
    }
  });

  it('generates a root key on first start, prints it once and keeps it owner-only', async () => {
    const dir = dataDir();
    const first = await startServerProcess(['--data-dir', dir]);
    const printedId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(first.stdout())?.[1];
    const printedSecret = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(first.stdout())?.[1];
    assert.match(printedId ?? '', /^AKIA[A-Z2-7]{16}$/);
    const generated = { accessKeyId: printedId!, secretAccessKey: printedSecret! };
    assert.equal((await clients(first.url, generated).sts.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
    assert.ok(!first.stderr().includes(printedSecret!), 'the generated secret reached the log');
    await first.stop();

    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const file of readdirSync(dir).filter((name) => /\.(json|key)$/.test(name))) {
      assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600, `${file} is not owner-only`);
    }
    const second = await startServerProcess(['--data-dir', dir]);
    try {
      assert.doesNotMatch(second.stdout(), /AWS_SECRET_ACCESS_KEY/);
      assert.equal((await clients(second.url, generated).sts.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
    } finally {
      await second.stop();
    }
  });

  it('takes its settings from the environment and a different account id', async () => {
    const dir = dataDir();
    const server = await startServerProcess([], { ...rootEnv, IAMD_DATA_DIR: dir, IAMD_ACCOUNT_ID: '123456789012', IAMD_HOST: '127.0.0.1' });
    try {
      const who = await clients(server.url, ROOT).sts.send(new GetCallerIdentityCommand({}));
      assert.equal(who.Arn, 'arn:aws:iam::123456789012:root');
    } finally {
      await server.stop();
    }
  });

  it('serves HTTPS with a generated certificate, where aws:SecureTransport is true', async () => {
    const dir = dataDir();
    const server = await startServerProcess(['--data-dir', dir, '--tls'], rootEnv);
    const insecureAgent = new NodeHttpHandler({ httpsAgent: new Agent({ rejectUnauthorized: false }) });
    const onlyTls = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}';
    try {
      assert.match(server.url, /^https:/);
      const root = clients(server.url, ROOT, insecureAgent);
      await root.iam.send(new CreateUserCommand({ UserName: 'tls-only' }));
      await root.iam.send(new PutUserPolicyCommand({ UserName: 'tls-only', PolicyName: 'tls', PolicyDocument: onlyTls }));
      const key = (await root.iam.send(new CreateAccessKeyCommand({ UserName: 'tls-only' }))).AccessKey!;
      await clients(server.url, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }, insecureAgent).iam.send(new ListUsersCommand({}));
    } finally {
      await server.stop();
    }
    // the same policy over plain HTTP denies
    const plain = await startTestServer();
    try {
      const iam = iamClient(plain);
      await iam.send(new CreateUserCommand({ UserName: 'tls-only' }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'tls-only', PolicyName: 'tls', PolicyDocument: onlyTls }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'tls-only' }))).AccessKey!;
      await expectAwsError(iamClient(plain, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }).send(new ListUsersCommand({})), 'AccessDenied');
    } finally {
      await plain.close();
    }
  });

  it('refuses bad settings with a usage error', async () => {
    await assert.rejects(startServerProcess(['--port', 'seventy']), /exited with 2/);
  });
});

describe('iamd rotate-token-key', () => {
  it('seals new session tokens with a new key while tokens sealed before stay valid', async () => {
    const dir = dataDir();
    const { spawnSync } = await import('node:child_process');
    const { IAMD_BIN } = await import('./helpers/process.js');
    const first = await startServerProcess(['--data-dir', dir], rootEnv);
    const root = clients(first.url, ROOT);
    await root.iam.send(new CreateUserCommand({ UserName: 'rotator' }));
    const key = (await root.iam.send(new CreateAccessKeyCommand({ UserName: 'rotator' }))).AccessKey!;
    const user = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
    const before = (await clients(first.url, user).sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
    await first.stop();

    const keyring = (): { active: string; keys: Record<string, string> } => JSON.parse(readFileSync(join(dir, 'token-keys.json'), 'utf8'));
    const oldKey = keyring().active;
    const rotated = spawnSync(process.execPath, [IAMD_BIN, 'rotate-token-key', '--data-dir', dir], { encoding: 'utf8' });
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.notEqual(keyring().active, oldKey);
    assert.equal(Object.keys(keyring().keys).length, 2);

    const second = await startServerProcess(['--data-dir', dir], rootEnv);
    try {
      const old = { accessKeyId: before.AccessKeyId!, secretAccessKey: before.SecretAccessKey!, sessionToken: before.SessionToken! };
      assert.equal((await clients(second.url, old).sts.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:user/rotator');
      const after = (await clients(second.url, user).sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials!;
      // the key id travels in bytes 1-4 of the token
      const keyIdOf = (token: string): string => Buffer.from(token, 'base64').subarray(1, 5).toString('hex');
      assert.equal(keyIdOf(before.SessionToken!), oldKey);
      assert.equal(keyIdOf(after.SessionToken!), keyring().active);
    } finally {
      await second.stop();
    }
  });
});
