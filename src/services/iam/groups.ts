/**
 * IAM groups and their members.
 *
 * A group keeps its members as user names (GroupRecord.members, in the spelling of the user's
 * current name; compared case-insensitively). A user's group policies apply to the user: the
 * authorizer gathers the inline and attached policies of every group the user is in.
 *
 * Groups cannot be tagged and have no permissions boundary (as on AWS). Group inline and attached
 * policies are managed by inline-policies.ts and attached-policies.ts.
 */
import type { DirectoryChange } from '../../directory/directory.js';
import type { GroupRecord, UserRecord } from '../../directory/types.js';
import type { AwsError } from '../../protocol/aws-error.js';
import type { QueryInput } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type OperationContext, type OperationMap } from '../service.js';
import {
  GROUP_NAME, PATH, USER_NAME, arnOf, byName, deleteConflict, entityAlreadyExists, entityArnFor, iamTime, limitExceeded, moveTarget,
  noSuchEntity, now, pageFields, paginate, pagingInput, pathOf, withPathPrefix,
} from './common.js';
import { requireUser, userAuthorization, userXml } from './users.js';

const GROUPS_PER_ACCOUNT = 300;
const GROUPS_PER_USER = 10;

function noSuchGroup(name: string): AwsError {
  return noSuchEntity(`The group with name ${name} cannot be found.`);
}

function requireGroup(ctx: OperationContext, name: string): GroupRecord {
  const group = ctx.app.directory.get('group', name);
  if (!group) throw noSuchGroup(name);
  return group;
}

function isMember(group: GroupRecord, userName: string): boolean {
  const lower = userName.toLowerCase();
  return group.members.some((member) => member.toLowerCase() === lower);
}

function groupsOf(ctx: OperationContext, user: UserRecord): GroupRecord[] {
  return ctx.app.directory.list('group').filter((group) => isMember(group, user.userName));
}

function groupXml(group: GroupRecord): XmlObject {
  return { Path: group.path, GroupName: group.groupName, GroupId: group.groupId, Arn: group.arn, CreateDate: iamTime(group.createDate) };
}

const sortedGroups = byName((group: GroupRecord) => group.groupName);

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateGroup.html */
const createGroup = operation<{ groupName: string; path: string }>({
  input: (query) => ({ groupName: query.required('GroupName', GROUP_NAME), path: pathOf(query) }),
  authorize: (input, ctx) => ({ action: 'iam:CreateGroup', resource: arnOf(ctx, 'group', input.path, input.groupName) }),
  handle(input, ctx) {
    const directory = ctx.app.directory;
    if (directory.get('group', input.groupName)) throw entityAlreadyExists(`Group with name ${input.groupName} already exists.`);
    if (directory.count('group') >= GROUPS_PER_ACCOUNT) throw limitExceeded(`Cannot exceed quota for GroupsPerAccount: ${GROUPS_PER_ACCOUNT}`);
    const group: GroupRecord = {
      groupId: ctx.app.ids.uniqueId('AGPA'),
      groupName: input.groupName,
      path: input.path,
      arn: arnOf(ctx, 'group', input.path, input.groupName),
      createDate: now(ctx),
      inlinePolicies: {},
      attachedPolicyArns: [],
      members: [],
    };
    directory.apply([{ kind: 'group', put: group }]);
    return { Group: groupXml(group) };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetGroup.html — the group and its users, paginated. */
const getGroup = operation<{ groupName: string; query: QueryInput }>({
  input: (query) => ({ groupName: query.required('GroupName', GROUP_NAME), query: pagingInput(query) }),
  authorize: (input, ctx) => ({ action: 'iam:GetGroup', resource: entityArnFor(ctx, 'group', input.groupName) }),
  handle(input, ctx) {
    const group = requireGroup(ctx, input.groupName);
    const users = group.members
      .flatMap((member) => ctx.app.directory.get('user', member) ?? [])
      .sort(byName((user) => user.userName));
    const page = paginate(users, input.query);
    return { Group: groupXml(group), Users: page.items.map((user) => userXml(user, 'summary')), ...pageFields(page) };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroups.html */
const listGroups = operation<{ query: QueryInput }>({
  input: (query) => ({ query: pagingInput(query) }),
  // ListGroups has no resource type in the Service Authorization Reference: it is authorized on "*".
  authorize: () => ({ action: 'iam:ListGroups', resource: '*' }),
  handle({ query }, ctx) {
    const groups = withPathPrefix(ctx.app.directory.list('group'), query).sort(sortedGroups);
    const page = paginate(groups, query);
    return { Groups: page.items.map(groupXml), ...pageFields(page) };
  },
});

interface UpdateGroupInput { groupName: string; newGroupName?: string; newPath?: string }

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateGroup.html */
const updateGroup = operation<UpdateGroupInput>({
  input: (query) => ({
    groupName: query.required('GroupName', GROUP_NAME),
    newGroupName: query.optional('NewGroupName', GROUP_NAME),
    newPath: query.optional('NewPath', PATH),
  }),
  authorize: (input, ctx) => ({ action: 'iam:UpdateGroup', resource: entityArnFor(ctx, 'group', input.groupName) }),
  handle(input, ctx) {
    const directory = ctx.app.directory;
    const group = requireGroup(ctx, input.groupName);
    const { name, path, arn } = moveTarget(ctx, 'group', 'iam:UpdateGroup', { name: group.groupName, path: group.path, arn: group.arn }, input.newGroupName, input.newPath);
    const other = directory.get('group', name);
    if (other && other.groupId !== group.groupId) throw entityAlreadyExists(`Group with name ${name} already exists.`);
    const changes: DirectoryChange[] = [{ kind: 'group', delete: group.groupName }, { kind: 'group', put: { ...group, groupName: name, path, arn } }];
    directory.apply(changes);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroup.html */
const deleteGroup = operation<{ groupName: string }>({
  input: (query) => ({ groupName: query.required('GroupName', GROUP_NAME) }),
  authorize: (input, ctx) => ({ action: 'iam:DeleteGroup', resource: entityArnFor(ctx, 'group', input.groupName) }),
  handle(input, ctx) {
    const group = requireGroup(ctx, input.groupName);
    if (group.members.length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
    if (Object.keys(group.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (group.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    ctx.app.directory.apply([{ kind: 'group', delete: group.groupName }]);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddUserToGroup.html — adding a member twice is not an error. */
const addUserToGroup = operation<{ groupName: string; userName: string }>({
  input: (query) => ({ groupName: query.required('GroupName', GROUP_NAME), userName: query.required('UserName', USER_NAME) }),
  authorize: (input, ctx) => ({ action: 'iam:AddUserToGroup', resource: entityArnFor(ctx, 'group', input.groupName) }),
  handle(input, ctx) {
    const group = requireGroup(ctx, input.groupName);
    const user = requireUser(ctx, input.userName);
    if (isMember(group, user.userName)) return undefined;
    if (groupsOf(ctx, user).length >= GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${GROUPS_PER_USER}`);
    ctx.app.directory.apply([{ kind: 'group', put: { ...group, members: [...group.members, user.userName] } }]);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveUserFromGroup.html — removing a non-member is not an error. */
const removeUserFromGroup = operation<{ groupName: string; userName: string }>({
  input: (query) => ({ groupName: query.required('GroupName', GROUP_NAME), userName: query.required('UserName', USER_NAME) }),
  authorize: (input, ctx) => ({ action: 'iam:RemoveUserFromGroup', resource: entityArnFor(ctx, 'group', input.groupName) }),
  handle(input, ctx) {
    const group = requireGroup(ctx, input.groupName);
    const user = requireUser(ctx, input.userName);
    if (!isMember(group, user.userName)) return undefined;
    const lower = user.userName.toLowerCase();
    ctx.app.directory.apply([{ kind: 'group', put: { ...group, members: group.members.filter((member) => member.toLowerCase() !== lower) } }]);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroupsForUser.html */
const listGroupsForUser = operation<{ userName: string; query: QueryInput }>({
  input: (query) => ({ userName: query.required('UserName', USER_NAME), query: pagingInput(query) }),
  authorize: (input, ctx) => userAuthorization(ctx, 'ListGroupsForUser', input.userName),
  handle(input, ctx) {
    const user = requireUser(ctx, input.userName);
    const page = paginate(groupsOf(ctx, user).sort(sortedGroups), input.query);
    return { Groups: page.items.map(groupXml), ...pageFields(page) };
  },
});

export const groupOperations: OperationMap = {
  CreateGroup: createGroup,
  GetGroup: getGroup,
  ListGroups: listGroups,
  UpdateGroup: updateGroup,
  DeleteGroup: deleteGroup,
  AddUserToGroup: addUserToGroup,
  RemoveUserFromGroup: removeUserFromGroup,
  ListGroupsForUser: listGroupsForUser,
};
