/**
 * STS end to end with the JS SDK v3: identities, AssumeRole with its trust policy, session
 * policies, expiry, tampering, GetSessionToken, GetAccessKeyInfo, and AWS's revoke-older-sessions
 * policy (both document forms, seconds and milliseconds).
 */
import { CreateAccessKeyCommand, CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, CreateUserCommand, ListUsersCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetAccessKeyInfoCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { allow, createUserWithKey as createUser } from './helpers/iam.js';
import { expectAwsError, iamClient, startTestServer, stsClient, type Credentials, type TestServer } from './helpers/server.js';

const trustAccount = (account: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }],
});

let server: TestServer;
let alice: Credentials;

const createUserWithKey = (name: string, policy?: string): Promise<Credentials> => createUser(server, name, policy);

async function assume(credentials: Credentials, roleName: string, extra: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}): Promise<Credentials> {
  const out = await stsClient(server, credentials).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::000000000000:role/${roleName}`, RoleSessionName: 'test-session', ...extra,
  }));
  return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
}

before(async () => {
  server = await startTestServer();
  alice = await createUserWithKey('alice', allow(['sts:AssumeRole', 'iam:ListUsers']));
  const iam = iamClient(server);
  await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trustAccount('000000000000'), MaxSessionDuration: 7200 }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'reader', PolicyName: 'read', PolicyDocument: allow(['iam:List*', 'iam:Get*']) }));
});
after(() => server.close());

describe('GetCallerIdentity', () => {
  it('names the root user for the root key', async () => {
    const out = await stsClient(server).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Arn, 'arn:aws:iam::000000000000:root');
    assert.equal(out.Account, '000000000000');
    assert.equal(out.UserId, '000000000000');
  });

  it('names an IAM user, and needs no permission', async () => {
    const bob = await createUserWithKey('bob');
    const out = await stsClient(server, bob).send(new GetCallerIdentityCommand({}));
    assert.equal(out.Arn, 'arn:aws:iam::000000000000:user/bob');
    assert.match(out.UserId!, /^AIDA[A-Z2-7]{17}$/);
  });

  it('rejects an unknown key and a wrong secret with AWS codes', async () => {
    const unknown = await expectAwsError(stsClient(server, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x'.repeat(40) }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    assert.equal(unknown.$metadata?.httpStatusCode, 403);
    const wrong = await expectAwsError(stsClient(server, { ...server.root, secretAccessKey: server.root.secretAccessKey.slice(1) + 'A' }).send(new GetCallerIdentityCommand({})), 'SignatureDoesNotMatch');
    assert.equal(wrong.$metadata?.httpStatusCode, 403);
    assert.ok(!wrong.message.includes(server.root.secretAccessKey));
  });
});

describe('AssumeRole', () => {
  it('issues ASIA credentials whose identity is the assumed-role session', async () => {
    const session = await assume(alice, 'reader', { RoleSessionName: 'alice-at-work' });
    assert.match(session.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
    const who = await stsClient(server, session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:sts::000000000000:assumed-role/reader/alice-at-work');
    assert.match(who.UserId!, /^AROA[A-Z2-7]{17}:alice-at-work$/);
    // the role's policy applies to the session
    await iamClient(server, session).send(new ListUsersCommand({}));
    await expectAwsError(iamClient(server, session).send(new CreateUserCommand({ UserName: 'nope' })), 'AccessDenied');
  });

  it('needs the caller to be allowed sts:AssumeRole when the trust policy names only the account', async () => {
    const carol = await createUserWithKey('carol');
    const denied = await expectAwsError(assume(carol, 'reader'), 'AccessDenied');
    assert.match(denied.message, /arn:aws:iam::000000000000:user\/carol is not authorized to perform: sts:AssumeRole/);
  });

  it('lets a trust policy that names the user directly grant on its own', async () => {
    const dave = await createUserWithKey('dave');
    await iamClient(server).send(new CreateRoleCommand({
      RoleName: 'for-dave',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/dave' }, Action: 'sts:AssumeRole' }] }),
    }));
    const session = await assume(dave, 'for-dave');
    assert.match(session.accessKeyId, /^ASIA/);
  });

  it('answers AccessDenied, not NoSuchEntity, for a role that does not exist', async () => {
    await expectAwsError(assume(alice, 'no-such-role'), 'AccessDenied');
  });

  it('evaluates sts:ExternalId in the trust policy', async () => {
    await iamClient(server).send(new CreateRoleCommand({
      RoleName: 'third-party',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'secret-handshake' } } }] }),
    }));
    await expectAwsError(assume(alice, 'third-party'), 'AccessDenied');
    await expectAwsError(assume(alice, 'third-party', { ExternalId: 'wrong-handshake' }), 'AccessDenied');
    const ok = await assume(alice, 'third-party', { ExternalId: 'secret-handshake' });
    assert.match(ok.accessKeyId, /^ASIA/);
  });

  it('enforces DurationSeconds against the role maximum and role chaining', async () => {
    await expectAwsError(assume(alice, 'reader', { DurationSeconds: 7201 }), 'ValidationError');
    await expectAwsError(assume(alice, 'reader', { DurationSeconds: 899 }), 'ValidationError');
    const long = await stsClient(server, alice).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/reader', RoleSessionName: 'long', DurationSeconds: 7200 }));
    const seconds = (long.Credentials!.Expiration!.getTime() - Date.now()) / 1000;
    assert.ok(seconds > 7100 && seconds <= 7200, `expiry ${seconds}s`);
  });

  it('intersects a session policy with the role permissions', async () => {
    const narrowed = await assume(alice, 'reader', { Policy: allow('iam:GetUser') });
    await expectAwsError(iamClient(server, narrowed).send(new ListUsersCommand({})), 'AccessDenied');
    const malformed = assume(alice, 'reader', { Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe"}]}' });
    // the wire code is MalformedPolicyDocument; the SDK names the exception after its shape
    await expectAwsError(malformed, 'MalformedPolicyDocumentException');
  });

  it('rejects a tampered or foreign session token', async () => {
    const session = await assume(alice, 'reader');
    const token = Buffer.from(session.sessionToken!, 'base64');
    token[token.length - 20] ^= 1;
    await expectAwsError(stsClient(server, { ...session, sessionToken: token.toString('base64') }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    const other = await assume(alice, 'reader');
    await expectAwsError(stsClient(server, { ...session, sessionToken: other.sessionToken! }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
  });

  it('gives a session nothing from a role deleted and re-created under the same name', async () => {
    const iam = iamClient(server);
    await iam.send(new CreateRoleCommand({ RoleName: 'phoenix', AssumeRolePolicyDocument: trustAccount('000000000000') }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'phoenix', PolicyName: 'read', PolicyDocument: allow('iam:ListUsers') }));
    const old = await assume(alice, 'phoenix');
    await iamClient(server, old).send(new ListUsersCommand({}));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'phoenix', PolicyName: 'read' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'phoenix' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'phoenix', AssumeRolePolicyDocument: trustAccount('000000000000') }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'phoenix', PolicyName: 'read', PolicyDocument: allow('iam:ListUsers') }));
    await expectAwsError(iamClient(server, old).send(new ListUsersCommand({})), 'AccessDenied');
    await iamClient(server, await assume(alice, 'phoenix')).send(new ListUsersCommand({}));
  });

  it('refuses the root user', async () => {
    await expectAwsError(assume(server.root, 'reader'), 'AccessDenied');
  });
});

describe('expiry', () => {
  it('answers ExpiredToken once a session has expired', async () => {
    let offset = 0;
    const clock = { now: () => new Date(Date.now() + offset) };
    const timed = await startTestServer({ clock });
    try {
      const iam = iamClient(timed);
      await iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: trustAccount('000000000000') }));
      await iam.send(new CreateUserCommand({ UserName: 'u' }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'u', PolicyName: 'p', PolicyDocument: allow('sts:AssumeRole') }));
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'u' }))).AccessKey!;
      const out = await stsClient(timed, { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! })
        .send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 'short', DurationSeconds: 900 }));
      const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
      await stsClient(timed, session).send(new GetCallerIdentityCommand({}));
      // The server's clock moves past the expiry; the SDK signs with its own clock, so keep within the skew window
      // by signing with the same offset.
      offset = 901_000;
      const late = stsClient(timed, session);
      late.config.systemClockOffset = offset;
      await expectAwsError(late.send(new GetCallerIdentityCommand({})), 'ExpiredToken');
    } finally {
      await timed.close();
    }
  });
});

describe('GetSessionToken and GetAccessKeyInfo', () => {
  it('gives a user a session that keeps the user identity and permissions', async () => {
    const out = await stsClient(server, alice).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    const who = await stsClient(server, session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:iam::000000000000:user/alice');
    await iamClient(server, session).send(new ListUsersCommand({}));
    await expectAwsError(stsClient(server, session).send(new GetSessionTokenCommand({})), 'AccessDenied');
  });

  it('returns the owning account of any key id, ours or encoded', async () => {
    const info = await stsClient(server).send(new GetAccessKeyInfoCommand({ AccessKeyId: alice.accessKeyId }));
    assert.equal(info.Account, '000000000000');
    // AWS's documented example key decodes to its account
    const example = await stsClient(server).send(new GetAccessKeyInfoCommand({ AccessKeyId: 'ASIAQNZGKIQY56JQ7WML' }));
    assert.equal(example.Account, '029608264753');
  });
});

describe("AWS's revoke-older-sessions policy", () => {
  const revokeDocument = (cutoff: string, form: 'array' | 'object') => {
    const statement = { Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } } };
    return JSON.stringify({ Version: '2012-10-17', Statement: form === 'array' ? [statement] : statement });
  };

  for (const form of ['array', 'object'] as const) {
    for (const precision of ['milliseconds', 'seconds'] as const) {
      it(`denies sessions issued before the cut-off only (${form} form, ${precision})`, async () => {
        const role = `revocable-${form}-${precision}`;
        const iam = iamClient(server);
        await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: trustAccount('000000000000') }));
        await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'read', PolicyDocument: allow('iam:ListUsers') }));
        const older = await assume(alice, role);
        await sleep(precision === 'seconds' ? 1100 : 15);
        const now = new Date();
        const cutoff = precision === 'seconds' ? now.toISOString().replace(/\.\d{3}Z$/, 'Z') : now.toISOString();
        await sleep(precision === 'seconds' ? 1100 : 15);
        await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: revokeDocument(cutoff, form) }));
        const newer = await assume(alice, role);

        const denied = await expectAwsError(iamClient(server, older).send(new ListUsersCommand({})), 'AccessDenied');
        assert.match(denied.message, /explicit deny in an identity-based policy/);
        await iamClient(server, newer).send(new ListUsersCommand({}));
        // a long-term user key carries no aws:TokenIssueTime: unaffected
        await iamClient(server, alice).send(new ListUsersCommand({}));
      });
    }
  }
});

describe('GetFederationToken', () => {
  const federate = async (credentials: Credentials, name: string, extra: Partial<ConstructorParameters<typeof GetFederationTokenCommand>[0]> = {}) => {
    const out = await stsClient(server, credentials).send(new GetFederationTokenCommand({ Name: name, DurationSeconds: 900, ...extra }));
    return { out, session: { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! } };
  };

  it('issues a federated user bounded by both its session policy and the calling user', async () => {
    const fed = await createUserWithKey('federator', allow(['sts:GetFederationToken', 'iam:ListUsers', 'iam:GetUser']));
    const { out, session } = await federate(fed, 'partner-app', { Policy: allow(['iam:ListUsers', 'iam:CreateUser']) });
    assert.equal(out.FederatedUser!.Arn, 'arn:aws:sts::000000000000:federated-user/partner-app');
    assert.equal(out.FederatedUser!.FederatedUserId, '000000000000:partner-app');
    const who = await stsClient(server, session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, 'arn:aws:sts::000000000000:federated-user/partner-app');
    assert.equal(who.UserId, '000000000000:partner-app');
    await iamClient(server, session).send(new ListUsersCommand({})); // both allow
    await expectAwsError(iamClient(server, session).send(new CreateUserCommand({ UserName: 'x' })), 'AccessDenied'); // only the session policy allows
  });

  it('has no permissions without a session policy, and needs sts:GetFederationToken', async () => {
    const fed = await createUserWithKey('federator2', allow(['sts:GetFederationToken', 'iam:ListUsers']));
    const { session } = await federate(fed, 'bare');
    await expectAwsError(iamClient(server, session).send(new ListUsersCommand({})), 'AccessDenied');
    const nobody = await createUserWithKey('not-a-federator');
    await expectAwsError(federate(nobody, 'denied'), 'AccessDenied');
    await expectAwsError(federate(session, 'chained'), 'AccessDenied');
  });
});
