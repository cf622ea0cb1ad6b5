/**
 * IAM groups end to end with the JS SDK v3: create/get/list/update/delete, membership, the
 * DeleteConflict rules, pagination of ListGroups and GetGroup's users, and group policies applying
 * to the group's members.
 */
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, CreateGroupCommand, CreateUserCommand, DeleteGroupCommand, DeleteGroupPolicyCommand, DetachGroupPolicyCommand,
  GetGroupCommand, IAMClient, ListGroupsCommand, ListGroupsForUserCommand, ListUsersCommand, PutGroupPolicyCommand,
  RemoveUserFromGroupCommand, UpdateGroupCommand,
} from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allow, createUserWithKey, putUserPolicy } from './helpers/iam.js';
import { expectAwsError, iamClient, startTestServer, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = iamClient(server);
});
after(async () => { await server.close(); });

const putGroupPolicy = (groupName: string, policyName: string, document: string) =>
  iam.send(new PutGroupPolicyCommand({ GroupName: groupName, PolicyName: policyName, PolicyDocument: document }));

describe('IAM groups', () => {
  it('creates a group with a path and returns it from GetGroup and ListGroups', async () => {
    const created = (await iam.send(new CreateGroupCommand({ GroupName: 'Admins', Path: '/ops/' }))).Group!;
    assert.equal(created.GroupName, 'Admins');
    assert.equal(created.Path, '/ops/');
    assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:group/ops/Admins`);
    assert.match(created.GroupId!, /^AGPA[A-Z2-7]{17}$/);
    assert.ok(created.CreateDate instanceof Date);

    const fetched = await iam.send(new GetGroupCommand({ GroupName: 'admins' }));
    assert.deepEqual(fetched.Group, created);
    assert.deepEqual(fetched.Users, []);
    assert.equal(fetched.IsTruncated, false);
    const listed = await iam.send(new ListGroupsCommand({ PathPrefix: '/ops/' }));
    assert.deepEqual(listed.Groups, [created]);

    const duplicate = await expectAwsError(iam.send(new CreateGroupCommand({ GroupName: 'ADMINS' })), 'EntityAlreadyExistsException');
    assert.equal(duplicate.message, 'Group with name ADMINS already exists.');
    const missing = await expectAwsError(iam.send(new GetGroupCommand({ GroupName: 'nope' })), 'NoSuchEntityException');
    assert.equal(missing.message, 'The group with name nope cannot be found.');
  });

  it('lists groups by name over several pages', async () => {
    for (const name of ['g-c', 'g-a', 'g-e', 'g-b', 'g-d']) await iam.send(new CreateGroupCommand({ GroupName: name, Path: '/paged/' }));
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(new ListGroupsCommand({ PathPrefix: '/paged/', MaxItems: 2, ...(marker ? { Marker: marker } : {}) }));
      names.push(...page.Groups!.map((group) => group.GroupName!));
      pages++;
      marker = page.Marker;
    } while (marker);
    assert.equal(pages, 3);
    assert.deepEqual(names, ['g-a', 'g-b', 'g-c', 'g-d', 'g-e']);
  });

  it('adds and removes members, lists a group\'s users page by page and a user\'s groups', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'crew' }));
    for (const name of ['m-3', 'm-1', 'm-2']) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'crew', UserName: name }));
    }
    // adding twice is not an error and does not duplicate
    await iam.send(new AddUserToGroupCommand({ GroupName: 'crew', UserName: 'M-1' }));

    const first = await iam.send(new GetGroupCommand({ GroupName: 'crew', MaxItems: 2 }));
    assert.equal(first.IsTruncated, true);
    assert.equal(first.Group!.GroupName, 'crew');
    const second = await iam.send(new GetGroupCommand({ GroupName: 'crew', Marker: first.Marker! }));
    assert.equal(second.IsTruncated, false);
    const members = [...first.Users!, ...second.Users!];
    assert.deepEqual(members.map((user) => user.UserName), ['m-1', 'm-2', 'm-3']);
    assert.equal(members[0]!.Arn, `arn:aws:iam::${ACCOUNT}:user/m-1`);

    await iam.send(new AddUserToGroupCommand({ GroupName: 'Admins', UserName: 'm-1' }));
    const groups = await iam.send(new ListGroupsForUserCommand({ UserName: 'm-1' }));
    assert.deepEqual(groups.Groups!.map((group) => group.GroupName), ['Admins', 'crew']);
    const paged = await iam.send(new ListGroupsForUserCommand({ UserName: 'm-1', MaxItems: 1 }));
    assert.equal(paged.IsTruncated, true);
    assert.deepEqual(paged.Groups!.map((group) => group.GroupName), ['Admins']);

    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'crew', UserName: 'm-2' }));
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'crew', UserName: 'm-2' }));
    assert.deepEqual((await iam.send(new GetGroupCommand({ GroupName: 'crew' }))).Users!.map((user) => user.UserName), ['m-1', 'm-3']);
    assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'm-2' }))).Groups, []);

    const noGroup = await expectAwsError(iam.send(new AddUserToGroupCommand({ GroupName: 'ghosts', UserName: 'm-1' })), 'NoSuchEntityException');
    assert.equal(noGroup.message, 'The group with name ghosts cannot be found.');
    const noUser = await expectAwsError(iam.send(new AddUserToGroupCommand({ GroupName: 'crew', UserName: 'ghost' })), 'NoSuchEntityException');
    assert.equal(noUser.message, 'The user with name ghost cannot be found.');
    await expectAwsError(iam.send(new ListGroupsForUserCommand({ UserName: 'ghost' })), 'NoSuchEntityException');
  });

  it('renames and moves a group, keeping its members', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'old-name' }));
    await iam.send(new CreateUserCommand({ UserName: 'mover' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'old-name', UserName: 'mover' }));
    const original = (await iam.send(new GetGroupCommand({ GroupName: 'old-name' }))).Group!;

    await iam.send(new UpdateGroupCommand({ GroupName: 'old-name', NewGroupName: 'new-name', NewPath: '/moved/' }));
    const renamed = await iam.send(new GetGroupCommand({ GroupName: 'new-name' }));
    assert.equal(renamed.Group!.GroupId, original.GroupId);
    assert.equal(renamed.Group!.Arn, `arn:aws:iam::${ACCOUNT}:group/moved/new-name`);
    assert.deepEqual(renamed.Users!.map((user) => user.UserName), ['mover']);
    await expectAwsError(iam.send(new GetGroupCommand({ GroupName: 'old-name' })), 'NoSuchEntityException');
    assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'mover' }))).Groups!.map((group) => group.GroupName), ['new-name']);

    const clash = await expectAwsError(iam.send(new UpdateGroupCommand({ GroupName: 'new-name', NewGroupName: 'crew' })), 'EntityAlreadyExistsException');
    assert.equal(clash.message, 'Group with name crew already exists.');
  });

  it('refuses to delete a group that has members or policies, then deletes it', async () => {
    await iam.send(new CreateGroupCommand({ GroupName: 'doomed' }));
    await iam.send(new CreateUserCommand({ UserName: 'doomed-member' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'doomed', UserName: 'doomed-member' }));
    const members = await expectAwsError(iam.send(new DeleteGroupCommand({ GroupName: 'doomed' })), 'DeleteConflictException');
    assert.equal(members.message, 'Cannot delete entity, must remove users from group first.');
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'doomed', UserName: 'doomed-member' }));

    await putGroupPolicy('doomed', 'inline', allow('iam:ListUsers', '*'));
    const policies = await expectAwsError(iam.send(new DeleteGroupCommand({ GroupName: 'doomed' })), 'DeleteConflictException');
    assert.equal(policies.message, 'Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'doomed', PolicyName: 'inline' }));

    const readOnly = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'doomed', PolicyArn: readOnly }));
    const attached = await expectAwsError(iam.send(new DeleteGroupCommand({ GroupName: 'doomed' })), 'DeleteConflictException');
    assert.equal(attached.message, 'Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachGroupPolicyCommand({ GroupName: 'doomed', PolicyArn: readOnly }));

    await iam.send(new DeleteGroupCommand({ GroupName: 'doomed' }));
    await expectAwsError(iam.send(new GetGroupCommand({ GroupName: 'doomed' })), 'NoSuchEntityException');
    await expectAwsError(iam.send(new DeleteGroupCommand({ GroupName: 'doomed' })), 'NoSuchEntityException');
  });
});

describe('IAM groups: policies and permissions', () => {
  it("grants a member the group's inline policy, and takes it back when the member leaves", async () => {
    const credentials = await createUserWithKey(server, 'joiner');
    const asJoiner = iamClient(server, credentials);
    await expectAwsError(asJoiner.send(new ListUsersCommand({})), 'AccessDenied');

    await iam.send(new CreateGroupCommand({ GroupName: 'listers' }));
    await putGroupPolicy('listers', 'list-users', allow('iam:ListUsers', '*'));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'listers', UserName: 'joiner' }));
    assert.ok((await asJoiner.send(new ListUsersCommand({}))).Users!.some((user) => user.UserName === 'joiner'));

    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'listers', UserName: 'joiner' }));
    await expectAwsError(asJoiner.send(new ListUsersCommand({})), 'AccessDenied');
  });

  it('authorizes group operations on the group ARN', async () => {
    const credentials = await createUserWithKey(server, 'crew-manager');
    await putUserPolicy(iam, 'crew-manager', 'manage-crew', allow(['iam:GetGroup', 'iam:AddUserToGroup'], `arn:aws:iam::${ACCOUNT}:group/crew`));
    const asManager = iamClient(server, credentials);
    assert.equal((await asManager.send(new GetGroupCommand({ GroupName: 'crew' }))).Group!.GroupName, 'crew');
    await asManager.send(new AddUserToGroupCommand({ GroupName: 'crew', UserName: 'crew-manager' }));
    const denied = await expectAwsError(asManager.send(new GetGroupCommand({ GroupName: 'Admins' })), 'AccessDenied');
    assert.match(denied.message, /iam:GetGroup on resource: arn:aws:iam::000000000000:group\/ops\/Admins/);
    await expectAwsError(asManager.send(new CreateGroupCommand({ GroupName: 'mine' })), 'AccessDenied');
    await expectAwsError(asManager.send(new ListGroupsCommand({})), 'AccessDenied');
  });
});
