/**
 * A revoke is durable before its call returns: `bin/iamd serve` killed with SIGKILL right after a
 * RevokeSession answered comes back with the session still refused, the inventory intact, and the
 * role's other session working. A graceful restart keeps the sessions' last use as well.
 */
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AwsQueryClient } from '../src/cli/aws-client.js';
import { IAMD_API, listSessions } from '../src/cli/sessions.js';
import { startServerProcess } from './helpers/process.js';
import { expectAwsError, type Credentials } from './helpers/server.js';

const ROOT = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const rootEnv = { IAMD_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, IAMD_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey };
const ACCOUNT = '000000000000';
const dirs: string[] = [];
after(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iamd-revoke-restart-'));
  dirs.push(dir);
  return join(dir, 'data');
}

const config = (url: string, credentials: Credentials) => ({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
const iamd = (url: string): AwsQueryClient => new AwsQueryClient({ endpoint: new URL(url), region: 'us-east-1', credentials: ROOT, credentialSource: 'test' });

/** A role `web` that user `ops` may assume, and two sessions of it. */
async function twoSessions(url: string): Promise<[Credentials, Credentials]> {
  const iam = new IAMClient(config(url, ROOT));
  await iam.send(new CreateRoleCommand({
    RoleName: 'web',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] }),
  }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'web', PolicyName: 'read', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*"}]}' }));
  await iam.send(new CreateUserCommand({ UserName: 'ops' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'ops', PolicyName: 'assume', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ops' }))).AccessKey!;
  const sts = new STSClient(config(url, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! }));
  const assume = async (name: string): Promise<Credentials> => {
    const out = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/web`, RoleSessionName: name }))).Credentials!;
    return { accessKeyId: out.AccessKeyId!, secretAccessKey: out.SecretAccessKey!, sessionToken: out.SessionToken! };
  };
  return [await assume('leaked'), await assume('kept')];
}

describe('a revoke survives a restart', () => {
  it('SIGKILL right after RevokeSession answered: after the restart the session is still refused, the other still works', async () => {
    const dir = dataDir();
    const first = await startServerProcess(['--data-dir', dir], rootEnv);
    let second;
    try {
      const [leaked, kept] = await twoSessions(first.url);
      await new STSClient(config(first.url, leaked)).send(new GetCallerIdentityCommand({}));
      await iamd(first.url).call(IAMD_API, 'RevokeSession', { AccessKeyId: leaked.accessKeyId });
      // No grace: the process dies the moment the answer is in (exit code null: killed by the signal).
      assert.equal(await first.stop('SIGKILL'), null);

      second = await startServerProcess(['--data-dir', dir], rootEnv);
      await expectAwsError(new IAMClient(config(second.url, leaked)).send(new GetRoleCommand({ RoleName: 'web' })), 'InvalidClientTokenId');
      assert.equal((await new IAMClient(config(second.url, kept)).send(new GetRoleCommand({ RoleName: 'web' }))).Role?.RoleName, 'web');
      const rows = new Map((await listSessions(iamd(second.url), { RoleName: 'web' })).map((row) => [row.AccessKeyId, row]));
      assert.equal(rows.get(leaked.accessKeyId)?.Revoked, true);
      assert.equal(rows.get(leaked.accessKeyId)?.RevokedBy, 'session');
      assert.equal(rows.get(kept.accessKeyId)?.Revoked, false);
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) await first.stop('SIGKILL');
      if (second) await second.stop();
    }
  });

  it('a graceful restart keeps revocations and the sessions\' last use', async () => {
    const dir = dataDir();
    const first = await startServerProcess(['--data-dir', dir], rootEnv);
    const [leaked, kept] = await twoSessions(first.url);
    await new IAMClient(config(first.url, kept)).send(new GetRoleCommand({ RoleName: 'web' }));
    await iamd(first.url).call(IAMD_API, 'RevokeSession', { AccessKeyId: leaked.accessKeyId });
    assert.equal(await first.stop('SIGTERM'), 0);

    const second = await startServerProcess(['--data-dir', dir], rootEnv);
    try {
      const rows = new Map((await listSessions(iamd(second.url), {})).map((row) => [row.AccessKeyId, row]));
      assert.equal(rows.get(kept.accessKeyId)?.RequestCount, 1);
      assert.equal(rows.get(leaked.accessKeyId)?.Revoked, true);
      await expectAwsError(new STSClient(config(second.url, leaked)).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    } finally {
      await second.stop();
    }
  });
});
