/**
 * Revoking sessions, with the acceptance clients: a targeted revoke denies exactly that session on
 * its very next request (JS SDK, AWS CLI, boto3) while the role's other sessions and IAM users keep
 * working; revoking the credential an instance's metadata service serves makes it serve a fresh one
 * at the next fetch (one session, or every session of the instance); a role-wide revoke
 * (AWSRevokeOlderSessions) leaves IMDS serving the denied credential, as AWS does, until --reissue;
 * dry runs change nothing.
 */
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateAccessKeyCommand, CreateUserCommand, GetRoleCommand, ListRolePoliciesCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AwsQueryClient } from '../src/cli/aws-client.js';
import { IAMD_API, listSessions, readSessions } from '../src/cli/sessions.js';
import { child } from '../src/protocol/xml-reader.js';
import { callerEnv, runIamd } from './helpers/cli.js';
import { createInstanceRole, credentialsOf, endpointsOf, fetchCredentials, putInstance, type InstanceProfile } from './helpers/imds.js';
import { aws, boto3, realClient } from './helpers/real-clients.js';
import { expectAwsError, iamClient, startTestServer, stsClient, type Credentials, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
const ROLE = 'app';
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
  ],
});
const READ = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'ec2:Describe*'], Resource: '*' }] });

let server: TestServer;
let profile: InstanceProfile;
let ops: Credentials;
let bob: Credentials;

function iamdClient(credentials: Credentials = server.root): AwsQueryClient {
  return new AwsQueryClient({ endpoint: new URL(server.url), region: 'us-east-1', credentials, credentialSource: 'test' });
}

async function userWithKey(name: string, statements: object[]): Promise<Credentials> {
  const iam = iamClient(server);
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

async function assume(sessionName: string): Promise<Credentials> {
  const out = await stsClient(server, ops).send(new AssumeRoleCommand({ RoleArn: profile.roleArn, RoleSessionName: sessionName }));
  return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
}

async function getRole(credentials: Credentials): Promise<string | undefined> {
  return (await iamClient(server, credentials).send(new GetRoleCommand({ RoleName: ROLE }))).Role?.RoleName;
}

async function revokeSession(accessKeyId: string, dryRun = false): Promise<string[]> {
  const root = await iamdClient().call(IAMD_API, 'RevokeSession', { AccessKeyId: accessKeyId, ...(dryRun ? { DryRun: 'true' } : {}) });
  return readSessions(child(child(root, 'RevokeSessionResult'), 'Sessions')).map((row) => row.AccessKeyId);
}

before(async () => {
  server = await startTestServer();
  profile = await createInstanceRole(server, ROLE, { trust: TRUST, policy: READ });
  ops = await userWithKey('ops', [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: profile.roleArn }]);
  bob = await userWithKey('bob', [{ Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' }]);
});

after(() => server.close());

describe('targeted revoke of one session', () => {
  it('JS SDK: the revoked session is refused on its very next request, on every service; the role\'s other sessions and IAM users keep working', async () => {
    const leaked = await assume('leaked');
    const other = await assume('other');
    assert.equal(await getRole(leaked), ROLE);

    assert.deepEqual(await revokeSession(leaked.accessKeyId), [leaked.accessKeyId]);
    const refused = await expectAwsError(iamClient(server, leaked).send(new GetRoleCommand({ RoleName: ROLE })), 'InvalidClientTokenId');
    assert.equal(refused.message, 'The security token included in the request is invalid.');
    assert.equal(refused.$metadata?.httpStatusCode, 403);
    await expectAwsError(stsClient(server, leaked).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    const ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: leaked, maxAttempts: 1 });
    await expectAwsError(ec2.send(new DescribeInstancesCommand({})), 'AuthFailure');

    assert.equal(await getRole(other), ROLE);
    assert.equal(await getRole(bob), ROLE);
    assert.equal(await getRole(await assume('after')), ROLE);

    const [row] = await listSessions(iamdClient(), { AccessKeyId: leaked.accessKeyId });
    assert.equal(row!.Revoked, true);
    assert.equal(row!.RevokedBy, 'session');
    assert.equal(row!.RevokedByArn, `arn:aws:iam::${ACCOUNT}:root`);
    // the refused requests are in the trail, under the revoked key
    assert.ok(server.audit.records.some((event) => event.userIdentity.accessKeyId === leaked.accessKeyId && event.errorCode === 'InvalidClientTokenId'));
  });

  it('AWS CLI: `iamd sessions revoke ASIA...`, then the CLI with that key gets InvalidClientTokenId', realClient('aws-cli'), async () => {
    const leaked = await assume('leaked-cli');
    const other = await assume('other-cli');
    const before = await aws(server, leaked, ['sts', 'get-caller-identity']);
    assert.equal(before.status, 0, before.stderr);

    const revoked = await runIamd(['sessions', 'revoke', leaked.accessKeyId], callerEnv(server.url, server.root));
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`^revoked 1 session ${leaked.accessKeyId}\\n`));
    const denied = await aws(server, leaked, ['iam', 'get-role', '--role-name', ROLE]);
    assert.equal(denied.status, 254);
    assert.match(denied.stderr, /An error occurred \(InvalidClientTokenId\) when calling the GetRole operation: The security token included in the request is invalid\./);
    const still = await aws(server, other, ['iam', 'get-role', '--role-name', ROLE]);
    assert.equal(still.status, 0, still.stderr);
    assert.equal((await aws(server, bob, ['iam', 'get-role', '--role-name', ROLE])).status, 0);
  });

  it('boto3: the revoked session gets InvalidClientTokenId (403), the other session works', realClient('boto3'), async () => {
    const leaked = await assume('leaked-boto3');
    const other = await assume('other-boto3');
    const script = `
c = boto3.client("iam", endpoint_url=ENDPOINT)
try:
    print(json.dumps({"role": c.get_role(RoleName=${JSON.stringify(ROLE)})["Role"]["RoleName"]}))
except botocore.exceptions.ClientError as error:
    print(json.dumps({"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}))
`;
    const run = async (credentials: Credentials) => {
      const result = await boto3(server, credentials, script);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as { role?: string; code?: string; status?: number };
    };
    assert.deepEqual(await run(leaked), { role: ROLE });
    await revokeSession(leaked.accessKeyId);
    assert.deepEqual(await run(leaked), { code: 'InvalidClientTokenId', status: 403 });
    assert.deepEqual(await run(other), { role: ROLE });
  });

  it('revoking again or an unknown key: nothing new, and NoSuchEntity', async () => {
    const leaked = await assume('twice');
    await revokeSession(leaked.accessKeyId);
    assert.deepEqual(await revokeSession(leaked.accessKeyId), []);
    const unknown = await runIamd(['sessions', 'revoke', 'ASIAAAAAAAAAAAAAAAAA'], callerEnv(server.url, server.root));
    assert.equal(unknown.status, 254);
    assert.match(unknown.stderr, /^iamd: NoSuchEntity: No live session has the access key id ASIAAAAAAAAAAAAAAAAA\./);
  });
});

describe('revoking what an instance\'s metadata service serves', () => {
  it('revoking the served credential makes IMDS serve a fresh one at the next fetch; the copy stays refused', async () => {
    const instance = await putInstance(server, profile);
    const { imdsUrl } = endpointsOf(server, instance.instanceId);
    const served = await fetchCredentials(imdsUrl);
    assert.deepEqual(await fetchCredentials(imdsUrl), served, 'served unchanged until something happens');
    const copy = credentialsOf(served);
    assert.equal(await getRole(copy), ROLE);

    await revokeSession(served.AccessKeyId);
    const fresh = await fetchCredentials(imdsUrl);
    assert.notEqual(fresh.AccessKeyId, served.AccessKeyId);
    assert.equal(await getRole(credentialsOf(fresh)), ROLE);
    await expectAwsError(iamClient(server, copy).send(new GetRoleCommand({ RoleName: ROLE })), 'InvalidClientTokenId');
    const [row] = await listSessions(iamdClient(), { AccessKeyId: fresh.AccessKeyId });
    assert.equal(row!.ServedByInstanceMetadata, true);
  });

  it('`iamd sessions revoke --instance` cuts every session issued to the instance (v1 and v2); both deliveries get fresh ones', async () => {
    const instance = await putInstance(server, profile);
    const { imdsUrl } = endpointsOf(server, instance.instanceId);
    const v2 = await fetchCredentials(imdsUrl);
    const v1 = await fetchCredentials(imdsUrl, true);
    assert.notEqual(v1.AccessKeyId, v2.AccessKeyId);
    const unrelated = await assume('unrelated');

    const dry = await runIamd(['sessions', 'revoke', '--instance', instance.instanceId, '--dry-run', '--json'], callerEnv(server.url, server.root));
    assert.equal(dry.status, 0, dry.stderr);
    const planned = JSON.parse(dry.stdout) as { DryRun: boolean; Sessions: Array<{ AccessKeyId: string; InstanceId: string }> };
    assert.equal(planned.DryRun, true);
    assert.deepEqual(planned.Sessions.map((row) => row.AccessKeyId).sort(), [v1.AccessKeyId, v2.AccessKeyId].sort());
    assert.equal(await getRole(credentialsOf(v2)), ROLE, 'a dry run changes nothing');
    assert.equal((await fetchCredentials(imdsUrl)).AccessKeyId, v2.AccessKeyId);

    const result = await runIamd(['sessions', 'revoke', '--instance', instance.instanceId], callerEnv(server.url, server.root));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`^revoked 2 sessions issued to ${instance.instanceId} \\(it gets a fresh credential at its next fetch\\)\\n`));
    for (const old of [v1, v2]) await expectAwsError(iamClient(server, credentialsOf(old)).send(new GetRoleCommand({ RoleName: ROLE })), 'InvalidClientTokenId');
    const fresh2 = await fetchCredentials(imdsUrl);
    const fresh1 = await fetchCredentials(imdsUrl, true);
    assert.ok(![v1.AccessKeyId, v2.AccessKeyId].includes(fresh2.AccessKeyId) && ![v1.AccessKeyId, v2.AccessKeyId].includes(fresh1.AccessKeyId));
    assert.equal(await getRole(credentialsOf(fresh2)), ROLE);
    assert.equal(await getRole(credentialsOf(fresh1)), ROLE);
    assert.equal(await getRole(unrelated), ROLE);
    const rows = await listSessions(iamdClient(), { InstanceId: instance.instanceId });
    assert.deepEqual(rows.filter((row) => row.Revoked).map((row) => row.RevokedBy), ['instance', 'instance']);
  });
});

describe('role-wide revoke (AWSRevokeOlderSessions) and --reissue', () => {
  it('without --reissue IMDS keeps serving the denied credential (as AWS); with it, the instance recovers at its next fetch and the copy stays denied', async () => {
    const instance = await putInstance(server, profile);
    const { imdsUrl } = endpointsOf(server, instance.instanceId);
    const served = await fetchCredentials(imdsUrl);
    const copy = credentialsOf(served);
    const assumed = await assume('before-role-revoke');
    const env = callerEnv(server.url, server.root);

    // A dry run lists what it would cut, by instance and caller, and changes nothing.
    const dry = await runIamd(['revoke-sessions', '--role', ROLE, '--reissue', '--dry-run'], env);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^dry run: AWSRevokeOlderSessions on role app would deny every session issued before \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\n/);
    assert.match(dry.stdout, /dry run: would revoke \d+ sessions of role app; nothing was changed\n/);
    assert.ok(dry.stdout.includes(served.AccessKeyId) && dry.stdout.includes(assumed.accessKeyId));
    assert.match(dry.stdout, new RegExp(`${served.AccessKeyId}\\s+assumed-role/app/${instance.instanceId}\\s+${instance.instanceId}\\s`));
    assert.match(dry.stdout, new RegExp(`${assumed.accessKeyId}\\s+assumed-role/app/before-role-revoke\\s+user/ops\\s`));
    assert.match(dry.stdout, new RegExp(`${instance.instanceId}.* would serve a fresh credential at the next fetch\\n`));
    assert.deepEqual((await iamClient(server).send(new ListRolePoliciesCommand({ RoleName: ROLE }))).PolicyNames, ['instance']);
    assert.equal(await getRole(copy), ROLE);

    const revoke = await runIamd(['revoke-sessions', '--role', ROLE], env);
    assert.equal(revoke.status, 0, revoke.stderr);
    assert.match(revoke.stdout, /^AWSRevokeOlderSessions on role app denies every session issued before /);
    await expectAwsError(iamClient(server, copy).send(new GetRoleCommand({ RoleName: ROLE })), 'AccessDenied');
    await expectAwsError(iamClient(server, assumed).send(new GetRoleCommand({ RoleName: ROLE })), 'AccessDenied');
    const stillServed = await fetchCredentials(imdsUrl);
    assert.equal(stillServed.AccessKeyId, served.AccessKeyId, 'IMDS keeps serving the cached, denied credential');
    assert.equal(await getRole(bob), ROLE);
    assert.equal(await getRole(await assume('after-role-revoke')), ROLE);
    const [row] = await listSessions(iamdClient(), { AccessKeyId: served.AccessKeyId });
    assert.equal(row!.RevokedBy, 'role');
    assert.equal(row!.RevokedByArn, profile.roleArn);

    const reissue = await runIamd(['revoke-sessions', '--role', ROLE, '--reissue', '--json'], env);
    assert.equal(reissue.status, 0, reissue.stderr);
    const answer = JSON.parse(reissue.stdout) as { ReissuedInstances: string[]; PolicyName: string };
    assert.ok(answer.ReissuedInstances.includes(instance.instanceId));
    assert.equal(answer.PolicyName, 'AWSRevokeOlderSessions');
    const fresh = await fetchCredentials(imdsUrl);
    assert.notEqual(fresh.AccessKeyId, served.AccessKeyId);
    assert.equal(await getRole(credentialsOf(fresh)), ROLE);
    await expectAwsError(iamClient(server, copy).send(new GetRoleCommand({ RoleName: ROLE })), 'AccessDenied');
  });
});
