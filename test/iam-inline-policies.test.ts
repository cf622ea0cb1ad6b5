/**
 * Inline policies of users, groups and roles end to end with the JS SDK v3: documents come back
 * URL-encoded, names replace case-insensitively, lists page, quotas are counted without
 * whitespace, and a change takes effect on the user's very next request. AWS's revoke-older-
 * sessions document is accepted as a role policy in both its forms.
 */
import {
  AddUserToGroupCommand, CreateGroupCommand, CreateRoleCommand, CreateUserCommand, DeleteGroupPolicyCommand,
  DeleteRolePolicyCommand, DeleteUserPolicyCommand, GetGroupPolicyCommand, GetRolePolicyCommand, GetUserPolicyCommand,
  ListGroupPoliciesCommand, ListRolePoliciesCommand, ListRolesCommand, ListUserPoliciesCommand, PutGroupPolicyCommand,
  PutRolePolicyCommand, PutUserPolicyCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allow, createUserWithKey } from './helpers/iam.js';
import { expectAwsError, iamClient, startTestServer, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
/** A valid identity policy of about `size` characters without whitespace (one long Sid). */
const sized = (size: number, sid = 'S') => {
  const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  return base.replace(`"Sid":"${sid}"`, `"Sid":"${sid}${'x'.repeat(size - base.length)}"`);
};

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = iamClient(server);
  await iam.send(new CreateUserCommand({ UserName: 'carol' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trust }));
});
after(() => server.close());

describe('user inline policies', () => {
  it('puts, gets (URL-encoded), replaces by name and deletes', async () => {
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::bucket/*', 'arn:aws:s3:::bucket'] }],
    });
    await iam.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'ReadBucket', PolicyDocument: document }));
    const got = await iam.send(new GetUserPolicyCommand({ UserName: 'CAROL', PolicyName: 'ReadBucket' }));
    assert.equal(got.UserName, 'carol');
    assert.equal(got.PolicyName, 'ReadBucket');
    assert.notEqual(got.PolicyDocument, document);
    assert.match(got.PolicyDocument!, /^%7B%22Version%22%3A%222012-10-17%22/);
    assert.equal(decodeURIComponent(got.PolicyDocument!), document);

    const replacement = allow('s3:PutObject', 'arn:aws:s3:::bucket/*');
    await iam.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'readbucket', PolicyDocument: replacement }));
    const names = (await iam.send(new ListUserPoliciesCommand({ UserName: 'carol' }))).PolicyNames;
    assert.deepEqual(names, ['readbucket']);
    assert.equal(decodeURIComponent((await iam.send(new GetUserPolicyCommand({ UserName: 'carol', PolicyName: 'ReadBucket' }))).PolicyDocument!), replacement);

    await iam.send(new DeleteUserPolicyCommand({ UserName: 'carol', PolicyName: 'READBUCKET' }));
    assert.deepEqual((await iam.send(new ListUserPoliciesCommand({ UserName: 'carol' }))).PolicyNames, []);
    const missing = await expectAwsError(iam.send(new GetUserPolicyCommand({ UserName: 'carol', PolicyName: 'ReadBucket' })), 'NoSuchEntity');
    assert.equal(missing.message, 'The user policy with name ReadBucket cannot be found.');
    await expectAwsError(iam.send(new DeleteUserPolicyCommand({ UserName: 'carol', PolicyName: 'ReadBucket' })), 'NoSuchEntity');
  });

  it('answers NoSuchEntity for a user that does not exist', async () => {
    const error = await expectAwsError(iam.send(new PutUserPolicyCommand({ UserName: 'ghost', PolicyName: 'p', PolicyDocument: allow('s3:*') })), 'NoSuchEntity');
    assert.equal(error.message, 'The user with name ghost cannot be found.');
    await expectAwsError(iam.send(new ListUserPoliciesCommand({ UserName: 'ghost' })), 'NoSuchEntity');
    await expectAwsError(iam.send(new GetUserPolicyCommand({ UserName: 'ghost', PolicyName: 'p' })), 'NoSuchEntity');
  });

  it('refuses a malformed document', async () => {
    await expectAwsError(iam.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'bad', PolicyDocument: '{"Version":"2012-10-17"' })), 'MalformedPolicyDocument');
    await expectAwsError(iam.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'bad', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 's3:*', Resource: '*' }] }) })), 'MalformedPolicyDocument');
    // an identity policy names no principal
    await expectAwsError(iam.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'bad', PolicyDocument: trust })), 'MalformedPolicyDocument');
    assert.deepEqual((await iam.send(new ListUserPoliciesCommand({ UserName: 'carol' }))).PolicyNames, []);
  });

  it('pages through policy names in order', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'many' }));
    for (const name of ['p-c', 'p-a', 'P-b', 'p-e', 'p-d']) {
      await iam.send(new PutUserPolicyCommand({ UserName: 'many', PolicyName: name, PolicyDocument: allow('s3:GetObject') }));
    }
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(new ListUserPoliciesCommand({ UserName: 'many', MaxItems: 2, Marker: marker }));
      pages++;
      names.push(...page.PolicyNames!);
      assert.equal(page.IsTruncated, page.Marker !== undefined);
      marker = page.Marker;
    } while (marker);
    assert.equal(pages, 3);
    assert.deepEqual(names, ['p-a', 'P-b', 'p-c', 'p-d', 'p-e']);
  });

  it('counts all of a user\'s inline policies against 2,048 characters without whitespace', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'quota' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'quota', PolicyName: 'one', PolicyDocument: sized(1000) }));
    // whitespace does not count
    const spacious = JSON.stringify(JSON.parse(sized(1000, 'T')), null, 8);
    assert.ok(spacious.length > 1048);
    await iam.send(new PutUserPolicyCommand({ UserName: 'quota', PolicyName: 'two', PolicyDocument: spacious }));
    const error = await expectAwsError(iam.send(new PutUserPolicyCommand({ UserName: 'quota', PolicyName: 'three', PolicyDocument: sized(200, 'U') })), 'LimitExceeded');
    assert.match(error.message, /2048/);
    // replacing a policy counts the new document instead of the old one
    await iam.send(new PutUserPolicyCommand({ UserName: 'quota', PolicyName: 'two', PolicyDocument: sized(800, 'T') }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'quota', PolicyName: 'three', PolicyDocument: sized(200, 'U') }));
  });
});

describe('group inline policies', () => {
  it('puts, gets, lists and deletes, with a 5,120-character quota', async () => {
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'ops', PolicyName: 'big', PolicyDocument: sized(4000) }));
    const got = await iam.send(new GetGroupPolicyCommand({ GroupName: 'OPS', PolicyName: 'big' }));
    assert.equal(got.GroupName, 'ops');
    assert.equal(decodeURIComponent(got.PolicyDocument!), sized(4000));
    await expectAwsError(iam.send(new PutGroupPolicyCommand({ GroupName: 'ops', PolicyName: 'more', PolicyDocument: sized(1200, 'M') })), 'LimitExceeded');
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'ops', PolicyName: 'more', PolicyDocument: sized(1000, 'M') }));
    assert.deepEqual((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'ops' }))).PolicyNames, ['big', 'more']);
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'ops', PolicyName: 'big' }));
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'ops', PolicyName: 'more' }));
    const missing = await expectAwsError(iam.send(new GetGroupPolicyCommand({ GroupName: 'ops', PolicyName: 'big' })), 'NoSuchEntity');
    assert.equal(missing.message, 'The group policy with name big cannot be found.');
    const noGroup = await expectAwsError(iam.send(new ListGroupPoliciesCommand({ GroupName: 'ghosts' })), 'NoSuchEntity');
    assert.equal(noGroup.message, 'The group with name ghosts cannot be found.');
  });
});

describe('role inline policies', () => {
  it('puts, gets, lists and deletes, with a 10,240-character quota', async () => {
    await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'big', PolicyDocument: sized(9000) }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'WORKER', PolicyName: 'big' }));
    assert.equal(got.RoleName, 'worker');
    assert.equal(decodeURIComponent(got.PolicyDocument!), sized(9000));
    const error = await expectAwsError(iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'more', PolicyDocument: sized(1300, 'M') })), 'LimitExceeded');
    assert.match(error.message, /10240/);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'worker', PolicyName: 'big' }));
    const missing = await expectAwsError(iam.send(new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'big' })), 'NoSuchEntity');
    assert.equal(missing.message, 'The role policy with name big cannot be found.');
    const noRole = await expectAwsError(iam.send(new PutRolePolicyCommand({ RoleName: 'ghost', PolicyName: 'p', PolicyDocument: allow('s3:*') })), 'NoSuchEntity');
    assert.equal(noRole.message, 'The role with name ghost cannot be found.');
  });

  it('accepts AWS\'s revoke-older-sessions document as AWSRevokeOlderSessions, in both forms', async () => {
    const arrayForm = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],"Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":"2024-10-10T09:43:48.085Z"}}}]}';
    await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: arrayForm }));
    let got = await iam.send(new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'AWSRevokeOlderSessions' }));
    assert.equal(decodeURIComponent(got.PolicyDocument!), arrayForm);

    // Revoking again moves the cut-off forward: the same name, replaced. AWS's docs show this form.
    const objectForm = JSON.stringify({
      Version: '2012-10-17',
      Statement: { Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '2024-10-11T08:00:00Z' } } },
    }, null, 2);
    await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'AWSRevokeOlderSessions', PolicyDocument: objectForm }));
    got = await iam.send(new GetRolePolicyCommand({ RoleName: 'worker', PolicyName: 'AWSRevokeOlderSessions' }));
    assert.equal(decodeURIComponent(got.PolicyDocument!), objectForm);
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'worker' }))).PolicyNames, ['AWSRevokeOlderSessions']);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'worker', PolicyName: 'AWSRevokeOlderSessions' }));
  });
});

describe('authorization', () => {
  it('applies a user\'s inline policy from the very next request, and stops when it is deleted', async () => {
    const dave = await createUserWithKey(server, 'dave');
    const asDave = iamClient(server, dave);
    const denied = await expectAwsError(asDave.send(new ListRolesCommand({})), 'AccessDenied');
    assert.equal(denied.$metadata?.httpStatusCode, 403);
    assert.match(denied.message, new RegExp(`arn:aws:iam::${ACCOUNT}:user/dave is not authorized to perform: iam:ListRoles`));

    await iam.send(new PutUserPolicyCommand({ UserName: 'dave', PolicyName: 'list-roles', PolicyDocument: allow('iam:ListRoles') }));
    const listed = await asDave.send(new ListRolesCommand({}));
    assert.ok(listed.Roles!.some((role) => role.RoleName === 'worker'));

    await iam.send(new DeleteUserPolicyCommand({ UserName: 'dave', PolicyName: 'list-roles' }));
    await expectAwsError(asDave.send(new ListRolesCommand({})), 'AccessDenied');
  });

  it('needs permission for the inline-policy actions themselves, and a group\'s policy applies to its members', async () => {
    const erin = await createUserWithKey(server, 'erin');
    const asErin = iamClient(server, erin);
    await expectAwsError(asErin.send(new PutUserPolicyCommand({ UserName: 'erin', PolicyName: 'escalate', PolicyDocument: allow('*') })), 'AccessDenied');
    await expectAwsError(asErin.send(new ListUserPoliciesCommand({ UserName: 'erin' })), 'AccessDenied');

    await iam.send(new AddUserToGroupCommand({ GroupName: 'ops', UserName: 'erin' }));
    await iam.send(new PutGroupPolicyCommand({
      GroupName: 'ops', PolicyName: 'self-read',
      PolicyDocument: allow(['iam:ListUserPolicies', 'iam:GetUserPolicy'], 'arn:aws:iam::*:user/${aws:username}'),
    }));
    assert.deepEqual((await asErin.send(new ListUserPoliciesCommand({ UserName: 'erin' }))).PolicyNames, []);
    await expectAwsError(asErin.send(new ListUserPoliciesCommand({ UserName: 'carol' })), 'AccessDenied');
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'ops', PolicyName: 'self-read' }));
    await expectAwsError(asErin.send(new ListUserPoliciesCommand({ UserName: 'erin' })), 'AccessDenied');
  });
});
