/**
 * The session inventory through iamd's API and the `iamd sessions` command: sessions from all four
 * sources (AssumeRole, GetSessionToken, GetFederationToken, the instance metadata service) with their
 * principal, source, times, last use and where from; filters and pages; IAM authorization of the
 * iamd:* actions, and their audit records.
 */
import {
  AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AwsQueryClient, ServiceError } from '../src/cli/aws-client.js';
import { IAMD_API, listSessions, type SessionRow } from '../src/cli/sessions.js';
import { callerEnv, runIamd } from './helpers/cli.js';
import { createInstanceRole, credentialsOf, endpointsOf, fetchCredentials, putInstance } from './helpers/imds.js';
import { iamClient, startTestServer, stsClient, type Credentials, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
});
const READ = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] });

function iamdClient(server: TestServer, credentials: Credentials): AwsQueryClient {
  return new AwsQueryClient({ endpoint: new URL(server.url), region: 'us-east-1', credentials, credentialSource: 'test' });
}

async function userWithKey(server: TestServer, name: string, policy: object): Promise<Credentials> {
  const iam = iamClient(server);
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: policy }) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

const session = (credentials: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } | undefined): Credentials => ({
  accessKeyId: credentials!.AccessKeyId!, secretAccessKey: credentials!.SecretAccessKey!, sessionToken: credentials!.SessionToken!,
});

let server: TestServer;
let alice: Credentials;
let assumed: Credentials;
let userSession: Credentials;
let federated: Credentials;
let instanceCredentials: Credentials;
let instanceId: string;
let started: number;

before(async () => {
  server = await startTestServer();
  const profile = await createInstanceRole(server, 'web', { trust: TRUST, policy: READ });
  alice = await userWithKey(server, 'alice', [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:GetFederationToken'], Resource: '*' }]);
  started = Date.now();
  const sts = stsClient(server, alice);
  assumed = session((await sts.send(new AssumeRoleCommand({ RoleArn: profile.roleArn, RoleSessionName: 'deploy', DurationSeconds: 1800 }))).Credentials);
  userSession = session((await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials);
  federated = session((await sts.send(new GetFederationTokenCommand({ Name: 'contractor', Policy: READ }))).Credentials);
  const instance = await putInstance(server, profile);
  instanceId = instance.instanceId;
  instanceCredentials = credentialsOf(await fetchCredentials(endpointsOf(server, instanceId).imdsUrl));

  // Use: the role session twice from the host; the instance's credential through its own address.
  await stsClient(server, assumed).send(new GetCallerIdentityCommand({}));
  await stsClient(server, assumed).send(new GetCallerIdentityCommand({}));
  const onInstance = new STSClient({ endpoint: endpointsOf(server, instanceId).apiUrl, region: 'us-east-1', credentials: instanceCredentials, maxAttempts: 1 });
  await onInstance.send(new GetCallerIdentityCommand({}));
});

after(() => server.close());

describe('the session inventory (ListSessions)', () => {
  let rows: Map<string, SessionRow>;

  before(async () => {
    rows = new Map((await listSessions(iamdClient(server, server.root), {})).map((row) => [row.AccessKeyId, row]));
  });

  it('lists an AssumeRole session: role, session name, caller, times, last use from the host', () => {
    const row = rows.get(assumed.accessKeyId)!;
    assert.ok(row, 'the AssumeRole session is listed');
    assert.equal(row.Origin, 'AssumeRole');
    assert.equal(row.Principal, `arn:aws:sts::${ACCOUNT}:assumed-role/web/deploy`);
    assert.equal(row.PrincipalType, 'AssumedRole');
    assert.equal(row.RoleName, 'web');
    assert.equal(row.RoleSessionName, 'deploy');
    assert.equal(row.IssuedTo, `arn:aws:iam::${ACCOUNT}:user/alice`);
    const issued = Date.parse(row.IssuedAt);
    assert.ok(issued >= started - 1000 && issued <= Date.now(), row.IssuedAt);
    assert.match(row.IssuedAt, /\.\d{3}Z$/, 'issue time to the millisecond');
    assert.equal(Date.parse(row.Expiration) - issued, 1800_000);
    assert.equal(row.RequestCount, 2);
    assert.equal(row.LastUsedFrom, '127.0.0.1');
    assert.equal(row.LastUsedViaInstanceId, undefined);
    assert.ok(Date.parse(row.LastUsedAt!) >= issued);
    assert.equal(row.Revoked, false);
    assert.equal(row.Expired, false);
    assert.equal(row.ServedByInstanceMetadata, false);
  });

  it('lists a GetSessionToken session and a GetFederationToken session, unused', () => {
    const user = rows.get(userSession.accessKeyId)!;
    assert.equal(user.Origin, 'GetSessionToken');
    assert.equal(user.Principal, `arn:aws:iam::${ACCOUNT}:user/alice`);
    assert.equal(user.PrincipalType, 'User');
    assert.equal(user.IssuedTo, `arn:aws:iam::${ACCOUNT}:user/alice`);
    assert.equal(Date.parse(user.Expiration) - Date.parse(user.IssuedAt), 900_000);
    assert.equal(user.RequestCount, 0);
    assert.equal(user.LastUsedAt, undefined);
    const fed = rows.get(federated.accessKeyId)!;
    assert.equal(fed.Origin, 'GetFederationToken');
    assert.equal(fed.Principal, `arn:aws:sts::${ACCOUNT}:federated-user/contractor`);
    assert.equal(fed.PrincipalType, 'FederatedUser');
  });

  it('lists the instance\'s credential: delivered to the instance, served by its metadata service, used from inside it', () => {
    const row = rows.get(instanceCredentials.accessKeyId)!;
    assert.equal(row.Origin, 'InstanceMetadata');
    assert.equal(row.InstanceId, instanceId);
    assert.equal(row.Principal, `arn:aws:sts::${ACCOUNT}:assumed-role/web/${instanceId}`);
    assert.equal(row.IssuedTo, `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${instanceId}`);
    assert.equal(row.ServedByInstanceMetadata, true);
    assert.equal(row.RequestCount, 1);
    assert.equal(row.LastUsedViaInstanceId, instanceId);
    assert.match(row.LastUsedFrom!, /^172\.31\.\d+\.\d+$/, 'from the instance\'s private IP');
  });

  it('filters by role, instance and access key, and pages', async () => {
    const client = iamdClient(server, server.root);
    const byRole = await listSessions(client, { RoleName: 'WEB' });
    assert.deepEqual(byRole.map((row) => row.AccessKeyId).sort(), [assumed.accessKeyId, instanceCredentials.accessKeyId].sort());
    assert.deepEqual((await listSessions(client, { InstanceId: instanceId })).map((row) => row.AccessKeyId), [instanceCredentials.accessKeyId]);
    assert.deepEqual((await listSessions(client, { AccessKeyId: federated.accessKeyId })).map((row) => row.AccessKeyId), [federated.accessKeyId]);
    const first = await client.call(IAMD_API, 'ListSessions', { MaxItems: '2' });
    const text = JSON.stringify(first);
    assert.match(text, /"name":"IsTruncated","text":"true"/);
    await assert.rejects(client.call(IAMD_API, 'ListSessions', { InstanceId: 'not-an-instance' }), (error: ServiceError) => error.code === 'ValidationError');
  });
});

describe('iamd sessions (the command)', () => {
  it('prints the inventory as a table: access key, principal, source, times, last use, from, requests, revoked', async () => {
    const result = await runIamd(['sessions'], callerEnv(server.url, server.root));
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0]!, /^ACCESS KEY\s+PRINCIPAL\s+SOURCE\s+ISSUED\s+EXPIRES\s+LAST USED\s+FROM\s+REQUESTS\s+REVOKED$/);
    const assumedLine = lines.find((line) => line.startsWith(assumed.accessKeyId))!;
    assert.match(assumedLine, /assumed-role\/web\/deploy\s+user\/alice\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    assert.match(assumedLine, /127\.0\.0\.1\s+2\s+no$/);
    const instanceLine = lines.find((line) => line.startsWith(instanceCredentials.accessKeyId))!;
    assert.match(instanceLine, new RegExp(`assumed-role/web/${instanceId}\\s+${instanceId}\\s`));
    assert.match(instanceLine, new RegExp(`${instanceId} \\(172\\.31\\.\\d+\\.\\d+\\)\\s+1\\s+no$`));
  });

  it('--role, --instance and --json', async () => {
    const env = callerEnv(server.url, server.root);
    const byRole = JSON.parse((await runIamd(['sessions', '--role', 'web', '--json'], env)).stdout) as { Sessions: SessionRow[] };
    assert.deepEqual(byRole.Sessions.map((row) => row.AccessKeyId).sort(), [assumed.accessKeyId, instanceCredentials.accessKeyId].sort());
    assert.equal(typeof byRole.Sessions[0]!.Revoked, 'boolean');
    assert.equal(typeof byRole.Sessions[0]!.RequestCount, 'number');
    const byInstance = await runIamd(['sessions', '--instance', instanceId], env);
    assert.equal(byInstance.stdout.trim().split('\n').length, 2, byInstance.stdout);
    const none = await runIamd(['sessions', '--role', 'nobody'], env);
    assert.equal(none.stdout, 'no sessions\n');
  });

  it('exits 254 with the service\'s error for a caller without permission, 2 on a usage error', async () => {
    const denied = await runIamd(['sessions'], callerEnv(server.url, alice));
    assert.equal(denied.status, 254);
    assert.match(denied.stderr, /^iamd: AccessDenied: User: arn:aws:iam::000000000000:user\/alice is not authorized to perform: iamd:ListSessions/);
    const usage = await runIamd(['sessions', '--rol', 'web'], callerEnv(server.url, server.root));
    assert.equal(usage.status, 2);
  });
});

describe('authorization and audit of the iamd API', () => {
  it('iamd:* actions are authorized by IAM policy on the role, instance or session ARN', async () => {
    const auditor = await userWithKey(server, 'auditor', [
      { Effect: 'Allow', Action: 'iamd:ListSessions', Resource: `arn:aws:iam::${ACCOUNT}:role/web` },
      { Effect: 'Allow', Action: 'iamd:RevokeSession', Resource: `arn:aws:sts::${ACCOUNT}:assumed-role/web/*` },
    ]);
    const client = iamdClient(server, auditor);
    assert.equal((await listSessions(client, { RoleName: 'web' })).length, 2);
    await assert.rejects(listSessions(client, {}), (error: ServiceError) => error.code === 'AccessDenied'
      && error.message === `User: arn:aws:iam::${ACCOUNT}:user/auditor is not authorized to perform: iamd:ListSessions because no identity-based policy allows the iamd:ListSessions action`);
    await assert.rejects(client.call(IAMD_API, 'RevokeSession', { AccessKeyId: userSession.accessKeyId, DryRun: 'true' }), (error: ServiceError) => error.code === 'AccessDenied');
    await assert.rejects(client.call(IAMD_API, 'RevokeRoleSessions', { RoleName: 'web', DryRun: 'true' }), (error: ServiceError) => error.code === 'AccessDenied');
    // allowed on a session of role web (a dry run: nothing changes)
    await client.call(IAMD_API, 'RevokeSession', { AccessKeyId: assumed.accessKeyId, DryRun: 'true' });
    // an AWS-managed policy granting everything covers iamd:* too
    await iamClient(server).send(new AttachUserPolicyCommand({ UserName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    assert.ok((await listSessions(client, {})).length >= 4);
  });

  it('every call is audited like any other, denied ones included', () => {
    const events = server.audit.records.filter((event) => event.eventSource === 'iamd.amazonaws.com');
    assert.ok(events.some((event) => event.eventName === 'ListSessions' && event.errorCode === undefined));
    assert.ok(events.some((event) => event.eventName === 'ListSessions' && event.errorCode === 'AccessDenied'));
    assert.ok(events.some((event) => event.eventName === 'RevokeSession' && event.errorCode === undefined));
  });
});
