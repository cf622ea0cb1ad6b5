/**
 * IAM users and their access keys, end to end with the JS SDK v3: create/get/list/update/delete,
 * tags, permissions boundaries, DeleteConflict rules, the two-keys quota, inactive keys refused at
 * authentication, and what a non-root user may do with and without an allowing policy.
 */
import {
  CreateAccessKeyCommand, CreateGroupCommand, CreateUserCommand, DeleteAccessKeyCommand, DeleteUserCommand, GetAccessKeyLastUsedCommand,
  GetGroupCommand, GetUserCommand, IAMClient, ListAccessKeysCommand, ListGroupsForUserCommand, ListUsersCommand, ListUserTagsCommand,
  AddUserToGroupCommand, RemoveUserFromGroupCommand, TagUserCommand, UntagUserCommand, UpdateAccessKeyCommand, UpdateUserCommand,
  DeleteUserPolicyCommand, AttachUserPolicyCommand, DetachUserPolicyCommand, CreateRoleCommand, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allow, createUserWithKey, putUserPolicy } from './helpers/iam.js';
import { expectAwsError, iamClient, startTestServer, stsClient, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = iamClient(server);
});
after(async () => { await server.close(); });

describe('IAM users', () => {
  it('creates a user with a path, tags and a permissions boundary, and returns it from GetUser', async () => {
    const boundary = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    const created = (await iam.send(new CreateUserCommand({
      UserName: 'Alice', Path: '/engineering/', PermissionsBoundary: boundary, Tags: [{ Key: 'team', Value: 'platform' }],
    }))).User!;
    assert.equal(created.UserName, 'Alice');
    assert.equal(created.Path, '/engineering/');
    assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:user/engineering/Alice`);
    assert.match(created.UserId!, /^AIDA[A-Z2-7]{17}$/);
    assert.ok(created.CreateDate instanceof Date);
    assert.deepEqual(created.Tags, [{ Key: 'team', Value: 'platform' }]);
    assert.deepEqual(created.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary });

    // names are unique without regard to case, and lookups ignore case too
    const fetched = (await iam.send(new GetUserCommand({ UserName: 'alice' }))).User!;
    assert.equal(fetched.UserName, 'Alice');
    assert.equal(fetched.UserId, created.UserId);
    assert.deepEqual(fetched.Tags, created.Tags);
    assert.equal(fetched.PermissionsBoundary?.PermissionsBoundaryArn, boundary);
    const duplicate = await expectAwsError(iam.send(new CreateUserCommand({ UserName: 'ALICE' })), 'EntityAlreadyExistsException');
    assert.equal(duplicate.message, 'User with name ALICE already exists.');
    assert.equal(duplicate.$metadata?.httpStatusCode, 409);
  });

  it('refuses a permissions boundary that is not an existing managed policy, and bad names', async () => {
    const missing = `arn:aws:iam::${ACCOUNT}:policy/does-not-exist`;
    const error = await expectAwsError(iam.send(new CreateUserCommand({ UserName: 'bounded', PermissionsBoundary: missing })), 'NoSuchEntityException');
    assert.equal(error.message, `Scope ARN: ${missing} does not exist or is not attachable.`);
    await expectAwsError(iam.send(new GetUserCommand({ UserName: 'bounded' })), 'NoSuchEntityException');
    const invalid = await expectAwsError(iam.send(new CreateUserCommand({ UserName: 'has space' })), 'ValidationError');
    assert.match(invalid.message, /at 'userName' failed to satisfy constraint/);
    const notFound = await expectAwsError(iam.send(new GetUserCommand({ UserName: 'nobody' })), 'NoSuchEntityException');
    assert.equal(notFound.message, 'The user with name nobody cannot be found.');
  });

  it('answers GetUser and ListAccessKeys without UserName for the caller: the root user for root', async () => {
    const root = (await iam.send(new GetUserCommand({}))).User!;
    assert.equal(root.UserId, ACCOUNT);
    assert.equal(root.Arn, `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(root.UserName, undefined);
    // ... and ListAccessKeys without UserName lists the root user's own key
    const rootKeys = (await iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!;
    assert.deepEqual(rootKeys.map((key) => [key.AccessKeyId, key.Status, key.UserName]), [[server.root.accessKeyId, 'Active', undefined]]);
  });

  it('lists users by name, filtered by path prefix, over several pages', async () => {
    for (const name of ['page-e', 'page-b', 'page-d', 'page-a', 'page-c']) {
      await iam.send(new CreateUserCommand({ UserName: name, Path: '/paging/' }));
    }
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(new ListUsersCommand({ PathPrefix: '/paging/', MaxItems: 2, ...(marker ? { Marker: marker } : {}) }));
      pages++;
      names.push(...page.Users!.map((user) => user.UserName!));
      assert.equal(page.IsTruncated, page.Marker !== undefined);
      for (const user of page.Users!) assert.equal(user.Tags, undefined, 'ListUsers does not return tags');
      marker = page.Marker;
    } while (marker);
    assert.equal(pages, 3);
    assert.deepEqual(names, ['page-a', 'page-b', 'page-c', 'page-d', 'page-e']);

    const all = await iam.send(new ListUsersCommand({}));
    assert.ok(all.Users!.some((user) => user.UserName === 'Alice'));
    assert.equal(all.IsTruncated, false);
    const none = await iam.send(new ListUsersCommand({ PathPrefix: '/nothing-here/' }));
    assert.deepEqual(none.Users, []);
    const tooMany = await expectAwsError(iam.send(new ListUsersCommand({ MaxItems: 1001 })), 'ValidationError');
    assert.match(tooMany.message, /at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000/);
  });

  it('tags, lists tags page by page, and untags a user', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'tagged', Tags: [{ Key: 'a', Value: '1' }] }));
    await iam.send(new TagUserCommand({ UserName: 'tagged', Tags: [{ Key: 'b', Value: '2' }, { Key: 'A', Value: 'replaced' }, { Key: 'c', Value: '' }] }));
    const first = await iam.send(new ListUserTagsCommand({ UserName: 'tagged', MaxItems: 2 }));
    assert.equal(first.IsTruncated, true);
    const second = await iam.send(new ListUserTagsCommand({ UserName: 'tagged', Marker: first.Marker! }));
    assert.equal(second.IsTruncated, false);
    assert.deepEqual([...first.Tags!, ...second.Tags!], [{ Key: 'A', Value: 'replaced' }, { Key: 'b', Value: '2' }, { Key: 'c', Value: '' }]);

    await iam.send(new UntagUserCommand({ UserName: 'tagged', TagKeys: ['a', 'c'] }));
    assert.deepEqual((await iam.send(new ListUserTagsCommand({ UserName: 'tagged' }))).Tags, [{ Key: 'b', Value: '2' }]);
    await expectAwsError(iam.send(new TagUserCommand({ UserName: 'nobody', Tags: [{ Key: 'k', Value: 'v' }] })), 'NoSuchEntityException');
  });

  it('renames and moves a user, carrying its group memberships and access keys along', async () => {
    const credentials = await createUserWithKey(server, 'bob');
    await iam.send(new CreateGroupCommand({ GroupName: 'rename-crew' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'rename-crew', UserName: 'bob' }));
    const original = (await iam.send(new GetUserCommand({ UserName: 'bob' }))).User!;

    await iam.send(new UpdateUserCommand({ UserName: 'bob', NewUserName: 'robert', NewPath: '/renamed/' }));
    const renamed = (await iam.send(new GetUserCommand({ UserName: 'robert' }))).User!;
    assert.equal(renamed.UserId, original.UserId);
    assert.equal(renamed.Arn, `arn:aws:iam::${ACCOUNT}:user/renamed/robert`);
    await expectAwsError(iam.send(new GetUserCommand({ UserName: 'bob' })), 'NoSuchEntityException');

    assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'robert' }))).Groups!.map((group) => group.GroupName), ['rename-crew']);
    assert.deepEqual((await iam.send(new GetGroupCommand({ GroupName: 'rename-crew' }))).Users!.map((user) => user.UserName), ['robert']);
    const keys = (await iam.send(new ListAccessKeysCommand({ UserName: 'robert' }))).AccessKeyMetadata!;
    assert.deepEqual(keys.map((key) => [key.UserName, key.AccessKeyId]), [['robert', credentials.accessKeyId]]);
    // the key still signs in, now as the renamed user
    const who = await stsClient(server, credentials).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT}:user/renamed/robert`);

    await iam.send(new CreateUserCommand({ UserName: 'taken' }));
    const clash = await expectAwsError(iam.send(new UpdateUserCommand({ UserName: 'robert', NewUserName: 'TAKEN' })), 'EntityAlreadyExistsException');
    assert.equal(clash.message, 'User with name TAKEN already exists.');
    // a change of case only is a rename of the same user
    await iam.send(new UpdateUserCommand({ UserName: 'robert', NewUserName: 'Robert' }));
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'robert' }))).User!.UserName, 'Robert');
  });

  it('refuses to delete a user that still has access keys, policies or groups, with AWS messages', async () => {
    const credentials = await createUserWithKey(server, 'carol');
    const conflict = async (message: string): Promise<void> => {
      const error = await expectAwsError(iam.send(new DeleteUserCommand({ UserName: 'carol' })), 'DeleteConflictException');
      assert.equal(error.message, message);
      assert.equal(error.$metadata?.httpStatusCode, 409);
    };
    await conflict('Cannot delete entity, must delete access keys first.');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'carol', AccessKeyId: credentials.accessKeyId }));

    await putUserPolicy(iam, 'carol', 'inline', allow('iam:GetUser', '*'));
    await conflict('Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'carol', PolicyName: 'inline' }));

    const readOnly = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    await iam.send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: readOnly }));
    await conflict('Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachUserPolicyCommand({ UserName: 'carol', PolicyArn: readOnly }));

    await iam.send(new CreateGroupCommand({ GroupName: 'carol-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'carol-group', UserName: 'carol' }));
    await conflict('Cannot delete entity, must remove users from group first.');
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'carol-group', UserName: 'carol' }));

    await iam.send(new DeleteUserCommand({ UserName: 'carol' }));
    await expectAwsError(iam.send(new GetUserCommand({ UserName: 'carol' })), 'NoSuchEntityException');
    await expectAwsError(iam.send(new DeleteUserCommand({ UserName: 'carol' })), 'NoSuchEntityException');
  });
});

describe('IAM access keys', () => {
  it('creates at most two keys per user, lists them, and reports never-used keys as N/A', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'dave' }));
    const first = (await iam.send(new CreateAccessKeyCommand({ UserName: 'dave' }))).AccessKey!;
    assert.match(first.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(first.SecretAccessKey!.length, 40);
    assert.equal(first.Status, 'Active');
    assert.equal(first.UserName, 'dave');
    const second = (await iam.send(new CreateAccessKeyCommand({ UserName: 'dave' }))).AccessKey!;
    const limit = await expectAwsError(iam.send(new CreateAccessKeyCommand({ UserName: 'dave' })), 'LimitExceededException');
    assert.equal(limit.message, 'Cannot exceed quota for AccessKeysPerUser: 2');

    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'dave' }));
    assert.deepEqual(new Set(listed.AccessKeyMetadata!.map((key) => key.AccessKeyId)), new Set([first.AccessKeyId, second.AccessKeyId]));
    for (const key of listed.AccessKeyMetadata!) {
      assert.equal(key.UserName, 'dave');
      assert.equal(key.Status, 'Active');
      assert.ok(key.CreateDate instanceof Date);
      assert.equal((key as { SecretAccessKey?: string }).SecretAccessKey, undefined);
    }
    const paged = await iam.send(new ListAccessKeysCommand({ UserName: 'dave', MaxItems: 1 }));
    assert.equal(paged.AccessKeyMetadata!.length, 1);
    assert.equal(paged.IsTruncated, true);

    const lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: first.AccessKeyId! }));
    assert.equal(lastUsed.UserName, 'dave');
    assert.deepEqual(lastUsed.AccessKeyLastUsed, { Region: 'N/A', ServiceName: 'N/A' });

    await expectAwsError(iam.send(new CreateAccessKeyCommand({ UserName: 'nobody' })), 'NoSuchEntityException');
    await expectAwsError(iam.send(new ListAccessKeysCommand({ UserName: 'nobody' })), 'NoSuchEntityException');
  });

  it('refuses an inactive key at authentication and accepts it again once reactivated', async () => {
    const credentials = await createUserWithKey(server, 'erin');
    const sts = stsClient(server, credentials);
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${ACCOUNT}:user/erin`);

    await iam.send(new UpdateAccessKeyCommand({ UserName: 'erin', AccessKeyId: credentials.accessKeyId, Status: 'Inactive' }));
    assert.equal((await iam.send(new ListAccessKeysCommand({ UserName: 'erin' }))).AccessKeyMetadata![0]!.Status, 'Inactive');
    await expectAwsError(sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');

    await iam.send(new UpdateAccessKeyCommand({ UserName: 'erin', AccessKeyId: credentials.accessKeyId, Status: 'Active' }));
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).UserId, server.app.directory.get('user', 'erin')!.userId);

    const badStatus = await expectAwsError(iam.send(new UpdateAccessKeyCommand({ UserName: 'erin', AccessKeyId: credentials.accessKeyId, Status: 'Paused' as 'Active' })), 'ValidationError');
    assert.match(badStatus.message, /Member must satisfy enum value set: \[Active, Inactive\]/);

    await iam.send(new DeleteAccessKeyCommand({ UserName: 'erin', AccessKeyId: credentials.accessKeyId }));
    await expectAwsError(sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    const gone = await expectAwsError(iam.send(new DeleteAccessKeyCommand({ UserName: 'erin', AccessKeyId: credentials.accessKeyId })), 'NoSuchEntityException');
    assert.equal(gone.message, `The Access Key with id ${credentials.accessKeyId} cannot be found.`);
  });

  it("does not let one user's name reach another user's key", async () => {
    const franks = await createUserWithKey(server, 'frank');
    await iam.send(new CreateUserCommand({ UserName: 'grace' }));
    await expectAwsError(iam.send(new UpdateAccessKeyCommand({ UserName: 'grace', AccessKeyId: franks.accessKeyId, Status: 'Inactive' })), 'NoSuchEntityException');
    await expectAwsError(iam.send(new DeleteAccessKeyCommand({ UserName: 'grace', AccessKeyId: franks.accessKeyId })), 'NoSuchEntityException');
    assert.equal((await iam.send(new ListAccessKeysCommand({ UserName: 'frank' }))).AccessKeyMetadata![0]!.Status, 'Active');
  });
});

describe('IAM users: what a non-root user may do', () => {
  it('denies without a policy, allows with an inline policy, and applies the caller as the default user', async () => {
    const credentials = await createUserWithKey(server, 'heidi');
    const asHeidi = iamClient(server, credentials);
    const denied = await expectAwsError(asHeidi.send(new ListUsersCommand({})), 'AccessDenied');
    assert.match(denied.message, /arn:aws:iam::000000000000:user\/heidi/);
    assert.match(denied.message, /iam:ListUsers/);
    await expectAwsError(asHeidi.send(new GetUserCommand({})), 'AccessDenied');

    const self = `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`;
    await putUserPolicy(iam, 'heidi', 'self-service', JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' },
        { Effect: 'Allow', Action: ['iam:GetUser', 'iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:DeleteAccessKey'], Resource: self },
      ],
    }));
    assert.ok((await asHeidi.send(new ListUsersCommand({}))).Users!.some((user) => user.UserName === 'heidi'));
    // no UserName: the caller's own user
    assert.equal((await asHeidi.send(new GetUserCommand({}))).User!.UserName, 'heidi');
    const own = (await asHeidi.send(new CreateAccessKeyCommand({}))).AccessKey!;
    assert.equal(own.UserName, 'heidi');
    assert.equal((await asHeidi.send(new ListAccessKeysCommand({}))).AccessKeyMetadata!.length, 2);
    await asHeidi.send(new DeleteAccessKeyCommand({ AccessKeyId: own.AccessKeyId! }));
    // ... but not somebody else
    await expectAwsError(asHeidi.send(new GetUserCommand({ UserName: 'Alice' })), 'AccessDenied');
    await expectAwsError(asHeidi.send(new CreateAccessKeyCommand({ UserName: 'dave' })), 'AccessDenied');
  });

  it('needs UpdateUser on the new name as well as the old one to rename', async () => {
    const credentials = await createUserWithKey(server, 'ivan');
    await iam.send(new CreateUserCommand({ UserName: 'rename-me' }));
    await putUserPolicy(iam, 'ivan', 'rename', allow('iam:UpdateUser', `arn:aws:iam::${ACCOUNT}:user/rename-me`));
    const asIvan = iamClient(server, credentials);
    await expectAwsError(asIvan.send(new UpdateUserCommand({ UserName: 'rename-me', NewUserName: 'renamed' })), 'AccessDenied');
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'rename-me' }))).User!.UserName, 'rename-me');

    await putUserPolicy(iam, 'ivan', 'rename', allow('iam:UpdateUser', [`arn:aws:iam::${ACCOUNT}:user/rename-me`, `arn:aws:iam::${ACCOUNT}:user/renamed`]));
    await asIvan.send(new UpdateUserCommand({ UserName: 'rename-me', NewUserName: 'renamed' }));
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'renamed' }))).User!.UserName, 'renamed');
  });

  it('requires a role session to name the user, as it has no user of its own', async () => {
    const credentials = await createUserWithKey(server, 'judy');
    await iam.send(new CreateRoleCommand({
      RoleName: 'judy-role',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/judy` }, Action: 'sts:AssumeRole' }] }),
    }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'judy-role', PolicyName: 'read', PolicyDocument: allow(['iam:GetUser', 'iam:ListAccessKeys'], '*') }));
    const session = (await stsClient(server, credentials).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/judy-role`, RoleSessionName: 'judy' }))).Credentials!;
    const asSession = iamClient(server, { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! });
    for (const call of [() => asSession.send(new GetUserCommand({})), () => asSession.send(new ListAccessKeysCommand({}))]) {
      const error = await expectAwsError(call(), 'ValidationError');
      assert.equal(error.message, 'Must specify userName when calling with non-User credentials');
    }
    assert.equal((await asSession.send(new GetUserCommand({ UserName: 'judy' }))).User!.UserName, 'judy');
  });
});
