/**
 * The foundation's scenarios with AWS's own CLI v2 (/usr/bin/aws) and boto3: identities, users,
 * keys, groups, roles, trust policies, AssumeRole, instance profiles, AWS-managed policies with
 * pagination, authorization failures, and AWS's revoke-older-sessions policy.
 * Skipped locally when the clients are missing; required in CI (IAMD_REQUIRE_REAL_CLIENTS=1).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { aws, awsJson, boto3, realClient } from './helpers/real-clients.js';
import { startTestServer, type Credentials, type TestServer } from './helpers/server.js';

let server: TestServer;
const files = mkdtempSync(join(tmpdir(), 'iamd-cli-'));
const file = (name: string, content: string): string => {
  const path = join(files, name);
  writeFileSync(path, content);
  return `file://${path}`;
};

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });
const USER_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'iam:ListUsers', 'iam:GetUser'], Resource: '*' }] });

interface AccessKeyOut { AccessKey: { AccessKeyId: string; SecretAccessKey: string } }
interface AssumeOut { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string }; AssumedRoleUser: { Arn: string; AssumedRoleId: string } }

const sessionOf = (out: AssumeOut): Credentials => ({
  accessKeyId: out.Credentials.AccessKeyId, secretAccessKey: out.Credentials.SecretAccessKey, sessionToken: out.Credentials.SessionToken,
});

before(async () => { server = await startTestServer(); });
after(() => server.close());

describe('AWS CLI v2', realClient('aws-cli'), () => {
  let alice: Credentials;

  it('shows the root ARN for the root key', async () => {
    const who = await awsJson<{ Arn: string; Account: string }>(server, server.root, ['sts', 'get-caller-identity']);
    assert.equal(who.Arn, 'arn:aws:iam::000000000000:root');
    assert.equal(who.Account, '000000000000');
  });

  it('creates a user with a key and a policy, and the user is authorized by it', async () => {
    await awsJson(server, server.root, ['iam', 'create-user', '--user-name', 'alice', '--tags', 'Key=team,Value=blue']);
    await awsJson(server, server.root, ['iam', 'put-user-policy', '--user-name', 'alice', '--policy-name', 'basics', '--policy-document', file('user.json', USER_POLICY)]);
    const key = await awsJson<AccessKeyOut>(server, server.root, ['iam', 'create-access-key', '--user-name', 'alice']);
    alice = { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
    const who = await awsJson<{ Arn: string }>(server, alice, ['sts', 'get-caller-identity']);
    assert.equal(who.Arn, 'arn:aws:iam::000000000000:user/alice');
    const policy = await awsJson<{ PolicyDocument: { Statement: Array<{ Action: string[] }> } }>(server, server.root, ['iam', 'get-user-policy', '--user-name', 'alice', '--policy-name', 'basics']);
    assert.deepEqual(policy.PolicyDocument.Statement[0]!.Action, ['sts:AssumeRole', 'iam:ListUsers', 'iam:GetUser']);
    const denied = await aws(server, alice, ['iam', 'create-user', '--user-name', 'mallory']);
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /AccessDenied/);
    assert.match(denied.stderr, /user\/alice is not authorized to perform: iam:CreateUser/);
  });

  it('manages groups and membership', async () => {
    await awsJson(server, server.root, ['iam', 'create-group', '--group-name', 'devs']);
    await awsJson(server, server.root, ['iam', 'add-user-to-group', '--group-name', 'devs', '--user-name', 'alice']);
    const group = await awsJson<{ Users: Array<{ UserName: string }> }>(server, server.root, ['iam', 'get-group', '--group-name', 'devs']);
    assert.deepEqual(group.Users.map((user) => user.UserName), ['alice']);
    const groups = await awsJson<{ Groups: Array<{ GroupName: string }> }>(server, server.root, ['iam', 'list-groups-for-user', '--user-name', 'alice']);
    assert.deepEqual(groups.Groups.map((g) => g.GroupName), ['devs']);
  });

  it('creates a role with a trust policy, an AWS-managed policy and an instance profile', async () => {
    await awsJson(server, server.root, ['iam', 'create-role', '--role-name', 'app', '--assume-role-policy-document', file('trust.json', TRUST), '--max-session-duration', '7200']);
    const role = await awsJson<{ Role: { Arn: string; RoleId: string; AssumeRolePolicyDocument: { Statement: unknown[] }; MaxSessionDuration: number } }>(server, server.root, ['iam', 'get-role', '--role-name', 'app']);
    assert.equal(role.Role.Arn, 'arn:aws:iam::000000000000:role/app');
    assert.match(role.Role.RoleId, /^AROA/);
    assert.equal(role.Role.AssumeRolePolicyDocument.Statement.length, 1); // the CLI decoded the URL-encoded document
    assert.equal(role.Role.MaxSessionDuration, 7200);
    await awsJson(server, server.root, ['iam', 'attach-role-policy', '--role-name', 'app', '--policy-arn', 'arn:aws:iam::aws:policy/IAMReadOnlyAccess']);
    const attached = await awsJson<{ AttachedPolicies: Array<{ PolicyName: string }> }>(server, server.root, ['iam', 'list-attached-role-policies', '--role-name', 'app']);
    assert.deepEqual(attached.AttachedPolicies.map((p) => p.PolicyName), ['IAMReadOnlyAccess']);
    await awsJson(server, server.root, ['iam', 'create-instance-profile', '--instance-profile-name', 'app-profile']);
    await awsJson(server, server.root, ['iam', 'add-role-to-instance-profile', '--instance-profile-name', 'app-profile', '--role-name', 'app']);
    const profile = await awsJson<{ InstanceProfile: { Arn: string; Roles: Array<{ RoleName: string }> } }>(server, server.root, ['iam', 'get-instance-profile', '--instance-profile-name', 'app-profile']);
    assert.equal(profile.InstanceProfile.Arn, 'arn:aws:iam::000000000000:instance-profile/app-profile');
    assert.deepEqual(profile.InstanceProfile.Roles.map((r) => r.RoleName), ['app']);
    const conflict = await aws(server, server.root, ['iam', 'delete-role', '--role-name', 'app']);
    assert.match(conflict.stderr, /DeleteConflict/);
  });

  it('assumes the role; the session has the role identity and permissions', async () => {
    const out = await awsJson<AssumeOut>(server, alice, ['sts', 'assume-role', '--role-arn', 'arn:aws:iam::000000000000:role/app', '--role-session-name', 'cli-session']);
    assert.match(out.Credentials.AccessKeyId, /^ASIA/);
    assert.equal(out.AssumedRoleUser.Arn, 'arn:aws:sts::000000000000:assumed-role/app/cli-session');
    const session = sessionOf(out);
    const who = await awsJson<{ Arn: string }>(server, session, ['sts', 'get-caller-identity']);
    assert.equal(who.Arn, 'arn:aws:sts::000000000000:assumed-role/app/cli-session');
    const users = await awsJson<{ Users: Array<{ UserName: string }> }>(server, session, ['iam', 'list-users']);
    assert.ok(users.Users.some((user) => user.UserName === 'alice'));
    const denied = await aws(server, session, ['iam', 'create-user', '--user-name', 'mallory']);
    assert.match(denied.stderr, /AccessDenied/);
  });

  it('lists every AWS-managed policy, paging through them', async () => {
    const out = await awsJson<{ Policies: Array<{ PolicyName: string; Arn: string }> }>(server, server.root, ['iam', 'list-policies', '--scope', 'AWS']);
    assert.ok(out.Policies.length > 1500, `only ${out.Policies.length} policies`);
    const names = new Set(out.Policies.map((p) => p.PolicyName));
    for (const name of ['AmazonSSMManagedInstanceCore', 'AmazonS3ReadOnlyAccess', 'AdministratorAccess']) assert.ok(names.has(name), name);
    assert.equal(names.size, out.Policies.length);
    const version = await awsJson<{ PolicyVersion: { Document: { Statement: Array<{ Action: string }> } } }>(server, server.root, ['iam', 'get-policy-version', '--policy-arn', 'arn:aws:iam::aws:policy/AdministratorAccess', '--version-id', 'v1']);
    assert.deepEqual(version.PolicyVersion.Document.Statement, [{ Effect: 'Allow', Action: '*', Resource: '*' }]);
  });

  it("revokes the role's older sessions with AWSRevokeOlderSessions, leaving newer ones and user keys working", async () => {
    const older = sessionOf(await awsJson<AssumeOut>(server, alice, ['sts', 'assume-role', '--role-arn', 'arn:aws:iam::000000000000:role/app', '--role-session-name', 'older']));
    await sleep(20);
    const cutoff = new Date().toISOString();
    await sleep(20);
    const revoke = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } } }] });
    await awsJson(server, server.root, ['iam', 'put-role-policy', '--role-name', 'app', '--policy-name', 'AWSRevokeOlderSessions', '--policy-document', revoke]);
    const newer = sessionOf(await awsJson<AssumeOut>(server, alice, ['sts', 'assume-role', '--role-arn', 'arn:aws:iam::000000000000:role/app', '--role-session-name', 'newer']));
    const denied = await aws(server, older, ['iam', 'list-users']);
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /AccessDenied/);
    assert.match(denied.stderr, /explicit deny in an identity-based policy/);
    await awsJson(server, newer, ['iam', 'list-users']);
    await awsJson(server, alice, ['iam', 'list-users']);
  });

  it('reports an unknown key and a wrong secret with AWS codes', async () => {
    const unknown = await aws(server, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x'.repeat(40) }, ['sts', 'get-caller-identity']);
    assert.match(unknown.stderr, /InvalidClientTokenId/);
    const wrong = await aws(server, { ...server.root, secretAccessKey: 'y'.repeat(40) }, ['sts', 'get-caller-identity']);
    assert.match(wrong.stderr, /SignatureDoesNotMatch/);
    assert.ok(!wrong.stderr.includes(server.root.secretAccessKey));
  });
});

describe('boto3', realClient('boto3'), () => {
  const run = async (credentials: Credentials | undefined, script: string): Promise<Record<string, unknown>> => {
    const result = await boto3(server, credentials, script);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };

  it('runs the same scenario: users, keys, roles, AssumeRole, pagination, denial', async () => {
    const out = await run(server.root, `
iam = boto3.client('iam', endpoint_url=ENDPOINT)
sts = boto3.client('sts', endpoint_url=ENDPOINT)
out = {'root': sts.get_caller_identity()['Arn']}
iam.create_user(UserName='bob')
iam.put_user_policy(UserName='bob', PolicyName='p', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': ['sts:AssumeRole', 'iam:ListUsers'], 'Resource': '*'}]}))
key = iam.create_access_key(UserName='bob')['AccessKey']
iam.create_role(RoleName='boto-role', AssumeRolePolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::000000000000:user/bob'}, 'Action': 'sts:AssumeRole'}]}))
role = iam.get_role(RoleName='boto-role')['Role']
out['trust_is_dict'] = isinstance(role['AssumeRolePolicyDocument'], dict)
for i in range(5):
    iam.create_user(UserName='pager-%d' % i)
pages = list(iam.get_paginator('list_users').paginate(PaginationConfig={'PageSize': 2}))
out['pages'] = len(pages)
out['users'] = sum(len(p['Users']) for p in pages)
out['aws_policies'] = sum(len(p['Policies']) for p in iam.get_paginator('list_policies').paginate(Scope='AWS'))
bob = boto3.Session(aws_access_key_id=key['AccessKeyId'], aws_secret_access_key=key['SecretAccessKey'], region_name='us-east-1')
out['bob'] = bob.client('sts', endpoint_url=ENDPOINT).get_caller_identity()['Arn']
try:
    bob.client('iam', endpoint_url=ENDPOINT).create_user(UserName='mallory')
    out['denied'] = None
except botocore.exceptions.ClientError as e:
    out['denied'] = e.response['Error']['Code']
    out['denied_status'] = e.response['ResponseMetadata']['HTTPStatusCode']
creds = bob.client('sts', endpoint_url=ENDPOINT).assume_role(RoleArn=role['Arn'], RoleSessionName='boto')['Credentials']
session = boto3.Session(aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'], region_name='us-east-1')
out['session'] = session.client('sts', endpoint_url=ENDPOINT).get_caller_identity()['Arn']
try:
    boto3.client('sts', endpoint_url=ENDPOINT, aws_access_key_id='AKIAIOSFODNN7EXAMPLE', aws_secret_access_key='x' * 40).get_caller_identity()
except botocore.exceptions.ClientError as e:
    out['unknown_key'] = e.response['Error']['Code']
print(json.dumps(out))
`);
    assert.equal(out.root, 'arn:aws:iam::000000000000:root');
    assert.equal(out.trust_is_dict, true);
    assert.ok((out.pages as number) >= 3);
    assert.ok((out.users as number) >= 6);
    assert.ok((out.aws_policies as number) > 1500);
    assert.equal(out.bob, 'arn:aws:iam::000000000000:user/bob');
    assert.equal(out.denied, 'AccessDenied');
    assert.equal(out.denied_status, 403);
    assert.equal(out.session, 'arn:aws:sts::000000000000:assumed-role/boto-role/boto');
    assert.equal(out.unknown_key, 'InvalidClientTokenId');
  });

  it('sees the revoke policy deny an older session and allow a newer one', async () => {
    const out = await run(server.root, `
import time, datetime
iam = boto3.client('iam', endpoint_url=ENDPOINT)
sts = boto3.client('sts', endpoint_url=ENDPOINT)
iam.create_role(RoleName='boto-revoked', AssumeRolePolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::000000000000:user/bob'}, 'Action': 'sts:AssumeRole'}]}))
iam.put_role_policy(RoleName='boto-revoked', PolicyName='read', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 'iam:ListUsers', 'Resource': '*'}]}))
key = iam.create_access_key(UserName='bob')['AccessKey']
bob = boto3.Session(aws_access_key_id=key['AccessKeyId'], aws_secret_access_key=key['SecretAccessKey'], region_name='us-east-1')
def session(name):
    c = bob.client('sts', endpoint_url=ENDPOINT).assume_role(RoleArn='arn:aws:iam::000000000000:role/boto-revoked', RoleSessionName=name)['Credentials']
    return boto3.Session(aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'], region_name='us-east-1').client('iam', endpoint_url=ENDPOINT)
older = session('older')
time.sleep(1.1)
cutoff = datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%SZ')
time.sleep(1.1)
iam.put_role_policy(RoleName='boto-revoked', PolicyName='AWSRevokeOlderSessions', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': {'Effect': 'Deny', 'Action': ['*'], 'Resource': ['*'], 'Condition': {'DateLessThan': {'aws:TokenIssueTime': cutoff}}}}))
newer = session('newer')
out = {}
try:
    older.list_users()
    out['older'] = 'allowed'
except botocore.exceptions.ClientError as e:
    out['older'] = e.response['Error']['Code']
newer.list_users()
out['newer'] = 'allowed'
print(json.dumps(out))
`);
    assert.equal(out.older, 'AccessDenied');
    assert.equal(out.newer, 'allowed');
  });
});
