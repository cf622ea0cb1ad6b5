/**
 * IAM users: create, read, list, rename/move, delete, and their tags.
 *
 * Users are keyed by name (case-insensitively, as IAM does). Other records refer to a user by
 * name: group memberships (GroupRecord.members) and access keys (AccessKeyRecord.userName), so a
 * rename rewrites those in the same atomic directory change.
 *
 * This module also exports the user helpers the access-key and group modules share: looking a
 * user up with IAM's NoSuchEntity, what a request on a user is authorized against, the user an
 * operation with an optional UserName is about, and the User element.
 *
 * Known gaps: no login profiles, MFA devices, signing certificates, SSH keys or service-specific
 * credentials, so DeleteUser never reports those conflicts; GetUser for the root user has no
 * CreateDate (iamd does not know when the account was created); PasswordLastUsed is never set.
 */
import type { DirectoryChange } from '../../directory/directory.js';
import type { Tag, UserRecord } from '../../directory/types.js';
import { rootArn } from '../../domain/arn.js';
import type { AwsError } from '../../protocol/aws-error.js';
import type { QueryInput } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import {
  ARN, IAM_ACTION, PATH, USER_NAME, arnOf, byName, checkBoundary, deleteConflict, entityAlreadyExists, entityArnFor, iamTime,
  limitExceeded, moveTarget, noSuchEntity, now, pageFields, paginate, pagingInput, pathOf, validation, withPathPrefix,
} from './common.js';
import {
  mergeTags, removeTags, requestTagKeys, requiredTags, resourceTagKeys, tagKeysOf, tagsOf, tagsPage, tagsXml, type ConditionKeys,
} from './tags.js';

// --- helpers shared with access-keys.ts and groups.ts

export function noSuchUser(name: string): AwsError {
  return noSuchEntity(`The user with name ${name} cannot be found.`);
}

export function requireUser(ctx: OperationContext, name: string): UserRecord {
  const user = ctx.app.directory.get('user', name);
  if (!user) throw noSuchUser(name);
  return user;
}

/**
 * The user an operation whose UserName is optional is about: the named user, else the calling
 * IAM user. `undefined` means the account's root user (a root caller without UserName). Role
 * sessions must name a user, with AWS's ValidationError.
 */
export function targetUserName(ctx: OperationContext, given: string | undefined): string | undefined {
  if (given !== undefined) return given;
  const caller = ctx.caller;
  if (caller.kind === 'user' || caller.kind === 'user-session') return caller.userName;
  if (caller.kind === 'root' || caller.kind === 'root-session') return undefined;
  throw validation('Must specify userName when calling with non-User credentials');
}

/** The ARN of the target of targetUserName: a user's, or root's. */
export function targetArn(ctx: OperationContext, userName: string | undefined): string {
  return userName === undefined ? rootArn(ctx.app.accountId) : entityArnFor(ctx, 'user', userName);
}

/**
 * aws:ResourceTag/K and iam:ResourceTag/K of user `name` (both are documented for the user
 * resource type); none when `name` is undefined (the root user) or there is no such user.
 */
export function userTagKeys(ctx: OperationContext, name: string | undefined): ConditionKeys {
  return name === undefined ? {} : resourceTagKeys(ctx.app.directory.get('user', name)?.tags ?? []);
}

/** What an action on user `name` is authorized against: its ARN (path-less when it does not exist) and its tags, then `keys`. */
export function userAuthorization(ctx: OperationContext, action: string, name: string, keys: ConditionKeys = {}): Authorization {
  return { action: IAM_ACTION(action), resource: entityArnFor(ctx, 'user', name), conditionKeys: { ...userTagKeys(ctx, name), ...keys } };
}

/**
 * The User element. Get/Create return tags and the permissions boundary; list operations
 * (ListUsers, GetGroup) do not, as on AWS.
 */
export function userXml(user: UserRecord, detail: 'full' | 'summary'): XmlObject {
  const summary: XmlObject = { Path: user.path, UserName: user.userName, UserId: user.userId, Arn: user.arn, CreateDate: iamTime(user.createDate) };
  if (detail === 'summary') return summary;
  return {
    ...summary,
    PermissionsBoundary: user.permissionsBoundaryArn === undefined
      ? undefined
      : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: user.permissionsBoundaryArn },
    Tags: tagsXml(user.tags),
  };
}

const USERS_PER_ACCOUNT = 5000;

function userName(query: QueryInput, name = 'UserName'): string {
  return query.required(name, USER_NAME);
}

// --- operations

interface CreateUserInput { userName: string; path: string; boundary?: string; tags: Tag[] }

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html */
const createUser = operation<CreateUserInput>({
  input: (query) => ({
    userName: userName(query),
    path: pathOf(query),
    boundary: query.optional('PermissionsBoundary', ARN),
    tags: tagsOf(query),
  }),
  authorize: (input, ctx) => ({
    action: 'iam:CreateUser',
    resource: arnOf(ctx, 'user', input.path, input.userName),
    conditionKeys: { 'iam:PermissionsBoundary': input.boundary, ...requestTagKeys(input.tags) },
  }),
  handle(input, ctx) {
    const directory = ctx.app.directory;
    if (directory.get('user', input.userName)) throw entityAlreadyExists(`User with name ${input.userName} already exists.`);
    if (input.boundary !== undefined) checkBoundary(ctx, input.boundary);
    if (directory.count('user') >= USERS_PER_ACCOUNT) throw limitExceeded(`Cannot exceed quota for UsersPerAccount: ${USERS_PER_ACCOUNT}`);
    const user: UserRecord = {
      userId: ctx.app.ids.uniqueId('AIDA'),
      userName: input.userName,
      path: input.path,
      arn: arnOf(ctx, 'user', input.path, input.userName),
      createDate: now(ctx),
      tags: input.tags,
      inlinePolicies: {},
      attachedPolicyArns: [],
      ...(input.boundary !== undefined ? { permissionsBoundaryArn: input.boundary } : {}),
    };
    directory.apply([{ kind: 'user', put: user }]);
    return { User: userXml(user, 'full') };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html */
const getUser = operation<{ userName: string | undefined }>({
  input: (query, ctx) => ({ userName: targetUserName(ctx, query.optional('UserName', USER_NAME)) }),
  authorize: (input, ctx) => ({ action: 'iam:GetUser', resource: targetArn(ctx, input.userName), conditionKeys: userTagKeys(ctx, input.userName) }),
  handle(input, ctx) {
    // The root user is not an IAM user; AWS answers with the account as the user, without UserName or Path.
    if (input.userName === undefined) return { User: { UserId: ctx.app.accountId, Arn: rootArn(ctx.app.accountId) } };
    return { User: userXml(requireUser(ctx, input.userName), 'full') };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html */
const listUsers = operation<{ query: QueryInput }>({
  input: (query) => ({ query: pagingInput(query) }),
  // ListUsers has no resource type in the Service Authorization Reference: it is authorized on "*".
  authorize: () => ({ action: 'iam:ListUsers', resource: '*' }),
  handle({ query }, ctx) {
    const users = withPathPrefix(ctx.app.directory.list('user'), query).sort(byName((user) => user.userName));
    const page = paginate(users, query);
    return { Users: page.items.map((user) => userXml(user, 'summary')), ...pageFields(page) };
  },
});

interface UpdateUserInput { userName: string; newUserName?: string; newPath?: string }

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateUser.html */
const updateUser = operation<UpdateUserInput>({
  input: (query) => ({
    userName: userName(query),
    newUserName: query.optional('NewUserName', USER_NAME),
    newPath: query.optional('NewPath', PATH),
  }),
  authorize: (input, ctx) => userAuthorization(ctx, 'UpdateUser', input.userName),
  handle(input, ctx) {
    const directory = ctx.app.directory;
    const user = requireUser(ctx, input.userName);
    const { name, path, arn } = moveTarget(ctx, 'user', 'iam:UpdateUser', { name: user.userName, path: user.path, arn: user.arn }, input.newUserName, input.newPath);
    const other = directory.get('user', name);
    if (other && other.userId !== user.userId) throw entityAlreadyExists(`User with name ${name} already exists.`);
    const updated: UserRecord = { ...user, userName: name, path, arn };
    const changes: DirectoryChange[] = [{ kind: 'user', delete: user.userName }, { kind: 'user', put: updated }];
    if (name !== user.userName) {
      const old = user.userName.toLowerCase();
      for (const group of directory.list('group')) {
        if (!group.members.some((member) => member.toLowerCase() === old)) continue;
        changes.push({ kind: 'group', put: { ...group, members: group.members.map((member) => (member.toLowerCase() === old ? name : member)) } });
      }
      for (const key of directory.list('access-key')) {
        if (key.userName?.toLowerCase() === old) changes.push({ kind: 'access-key', put: { ...key, userName: name } });
      }
    }
    directory.apply(changes);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html */
const deleteUser = operation<{ userName: string }>({
  input: (query) => ({ userName: userName(query) }),
  authorize: (input, ctx) => userAuthorization(ctx, 'DeleteUser', input.userName),
  handle(input, ctx) {
    const directory = ctx.app.directory;
    const user = requireUser(ctx, input.userName);
    const lower = user.userName.toLowerCase();
    if (directory.list('access-key').some((key) => key.userName?.toLowerCase() === lower)) {
      throw deleteConflict('Cannot delete entity, must delete access keys first.');
    }
    if (Object.keys(user.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    if (user.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (directory.list('group').some((group) => group.members.some((member) => member.toLowerCase() === lower))) {
      throw deleteConflict('Cannot delete entity, must remove users from group first.');
    }
    directory.apply([{ kind: 'user', delete: user.userName }]);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagUser.html */
const tagUser = operation<{ userName: string; tags: Tag[] }>({
  input(query) {
    const tags = requiredTags(query);
    return { userName: userName(query), tags };
  },
  authorize: (input, ctx) => userAuthorization(ctx, 'TagUser', input.userName, requestTagKeys(input.tags)),
  handle(input, ctx) {
    const user = requireUser(ctx, input.userName);
    ctx.app.directory.apply([{ kind: 'user', put: { ...user, tags: mergeTags(user.tags, input.tags) } }]);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagUser.html */
const untagUser = operation<{ userName: string; keys: string[] }>({
  input(query) {
    const keys = tagKeysOf(query, 'count');
    return { userName: userName(query), keys };
  },
  authorize: (input, ctx) => userAuthorization(ctx, 'UntagUser', input.userName, { 'aws:TagKeys': input.keys }),
  handle(input, ctx) {
    const user = requireUser(ctx, input.userName);
    ctx.app.directory.apply([{ kind: 'user', put: { ...user, tags: removeTags(user.tags, input.keys) } }]);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUserTags.html */
const listUserTags = operation<{ userName: string; query: QueryInput }>({
  input: (query) => ({ userName: userName(query), query: pagingInput(query) }),
  authorize: (input, ctx) => userAuthorization(ctx, 'ListUserTags', input.userName),
  handle: (input, ctx) => tagsPage(requireUser(ctx, input.userName).tags, input.query),
});

export const userOperations: OperationMap = {
  CreateUser: createUser,
  GetUser: getUser,
  ListUsers: listUsers,
  UpdateUser: updateUser,
  DeleteUser: deleteUser,
  TagUser: tagUser,
  UntagUser: untagUser,
  ListUserTags: listUserTags,
};
