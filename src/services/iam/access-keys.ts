/**
 * Long-term access keys (AKIA...) of IAM users: create, list, activate/deactivate, delete, and
 * when each was last used.
 *
 * A key belongs to the user named in its record. Operations whose UserName is omitted act on the
 * caller's own user, as on AWS. Authentication reads the same records, so a key made Inactive or
 * deleted here is refused (InvalidClientTokenId) on its very next request.
 *
 * Known gaps: the root user's access key lives in iamd's settings, not in the directory, so it is
 * listed (ListAccessKeys as root) but cannot be created, deactivated or deleted through the API.
 * Last use is recorded in memory by the request pipeline (auth/usage-tracker.ts), not on the record.
 */
import type { AccessKeyRecord, AccessKeyStatus } from '../../directory/types.js';
import type { AwsError } from '../../protocol/aws-error.js';
import type { QueryInput } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type OperationContext, type OperationMap } from '../service.js';
import { USER_NAME, iamTime, limitExceeded, noSuchEntity, now, pageFields, paginate, pagingInput, validation } from './common.js';
import type { ConditionKeys } from './tags.js';
import { requireUser, targetArn, targetUserName, userTagKeys } from './users.js';

const ACCESS_KEY_ID = { min: 16, max: 128, pattern: /^\w+$/, patternText: '[\\w]+' };
const ACCESS_KEYS_PER_USER = 2;

function noSuchAccessKey(accessKeyId: string): AwsError {
  return noSuchEntity(`The Access Key with id ${accessKeyId} cannot be found.`);
}

function sameUser(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.toLowerCase() === b.toLowerCase();
}

/** The keys of a user (undefined: root's keys kept in the directory), oldest first. */
function keysOf(ctx: OperationContext, userName: string | undefined): AccessKeyRecord[] {
  return ctx.app.directory
    .list('access-key')
    .filter((key) => sameUser(key.userName, userName))
    .sort((a, b) => (a.createDate < b.createDate ? -1 : a.createDate > b.createDate ? 1 : a.accessKeyId < b.accessKeyId ? -1 : 1));
}

/** Checks the target user exists (root always does), then finds its key `accessKeyId`. */
function requireKey(ctx: OperationContext, userName: string | undefined, accessKeyId: string): AccessKeyRecord {
  if (userName !== undefined) requireUser(ctx, userName);
  if (userName === undefined && accessKeyId === ctx.app.root.accessKeyId) {
    throw validation("The root user's access key is managed in iamd's settings and cannot be changed through the IAM API.");
  }
  const key = ctx.app.directory.get('access-key', accessKeyId);
  if (!key || !sameUser(key.userName, userName)) throw noSuchAccessKey(accessKeyId);
  return key;
}

function userCondition(ctx: OperationContext, userName: string | undefined): { conditionKeys: ConditionKeys } {
  return { conditionKeys: userTagKeys(ctx, userName) };
}

function keyMetadataXml(key: AccessKeyRecord): XmlObject {
  return { UserName: key.userName, AccessKeyId: key.accessKeyId, Status: key.status, CreateDate: iamTime(key.createDate) };
}

function statusOf(query: QueryInput): AccessKeyStatus {
  return query.requiredOneOf('Status', ['Active', 'Inactive'] as const);
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccessKey.html */
const createAccessKey = operation<{ userName: string | undefined }>({
  input: (query, ctx) => ({ userName: targetUserName(ctx, query.optional('UserName', USER_NAME)) }),
  authorize: (input, ctx) => ({ action: 'iam:CreateAccessKey', resource: targetArn(ctx, input.userName), ...userCondition(ctx, input.userName) }),
  handle(input, ctx) {
    if (input.userName === undefined) {
      throw validation("iamd keeps the root user's access key in its settings; specify UserName to create an access key for an IAM user.");
    }
    const user = requireUser(ctx, input.userName);
    if (keysOf(ctx, user.userName).length >= ACCESS_KEYS_PER_USER) {
      throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
    }
    const key: AccessKeyRecord = {
      accessKeyId: ctx.app.ids.accessKeyId('AKIA', ctx.app.accountId),
      userName: user.userName,
      secretAccessKey: ctx.app.ids.secretAccessKey(),
      status: 'Active',
      createDate: now(ctx),
    };
    ctx.app.directory.apply([{ kind: 'access-key', put: key }]);
    return {
      AccessKey: { UserName: key.userName, AccessKeyId: key.accessKeyId, Status: key.status, SecretAccessKey: key.secretAccessKey, CreateDate: iamTime(key.createDate) },
    };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html */
const listAccessKeys = operation<{ userName: string | undefined; query: QueryInput }>({
  input: (query, ctx) => ({ userName: targetUserName(ctx, query.optional('UserName', USER_NAME)), query: pagingInput(query) }),
  authorize: (input, ctx) => ({ action: 'iam:ListAccessKeys', resource: targetArn(ctx, input.userName), ...userCondition(ctx, input.userName) }),
  handle(input, ctx) {
    let metadata: XmlObject[];
    if (input.userName === undefined) {
      // The root user's own key (from the settings, always active) and any root keys in the directory.
      metadata = [{ AccessKeyId: ctx.app.root.accessKeyId, Status: 'Active' }, ...keysOf(ctx, undefined).map(keyMetadataXml)];
    } else {
      const user = requireUser(ctx, input.userName);
      metadata = keysOf(ctx, user.userName).map(keyMetadataXml);
    }
    const page = paginate(metadata, input.query);
    return { AccessKeyMetadata: page.items, ...pageFields(page) };
  },
});

interface UpdateAccessKeyInput { userName: string | undefined; accessKeyId: string; status: AccessKeyStatus }

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccessKey.html */
const updateAccessKey = operation<UpdateAccessKeyInput>({
  input: (query, ctx) => ({
    userName: targetUserName(ctx, query.optional('UserName', USER_NAME)),
    accessKeyId: query.required('AccessKeyId', ACCESS_KEY_ID),
    status: statusOf(query),
  }),
  authorize: (input, ctx) => ({ action: 'iam:UpdateAccessKey', resource: targetArn(ctx, input.userName), ...userCondition(ctx, input.userName) }),
  handle(input, ctx) {
    const key = requireKey(ctx, input.userName, input.accessKeyId);
    if (key.status !== input.status) ctx.app.directory.apply([{ kind: 'access-key', put: { ...key, status: input.status } }]);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteAccessKey.html */
const deleteAccessKey = operation<{ userName: string | undefined; accessKeyId: string }>({
  input: (query, ctx) => ({
    userName: targetUserName(ctx, query.optional('UserName', USER_NAME)),
    accessKeyId: query.required('AccessKeyId', ACCESS_KEY_ID),
  }),
  authorize: (input, ctx) => ({ action: 'iam:DeleteAccessKey', resource: targetArn(ctx, input.userName), ...userCondition(ctx, input.userName) }),
  handle(input, ctx) {
    const key = requireKey(ctx, input.userName, input.accessKeyId);
    ctx.app.directory.apply([{ kind: 'access-key', delete: key.accessKeyId }]);
    ctx.app.usage.forgetAccessKey(key.accessKeyId);
    return undefined;
  },
});

/**
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccessKeyLastUsed.html
 * Authorized on the key owner's ARN (the action's resource type is user). A key never used reads
 * as AWS answers it: Region and ServiceName "N/A", no LastUsedDate.
 */
const getAccessKeyLastUsed = operation<{ accessKeyId: string }>({
  input: (query) => ({ accessKeyId: query.required('AccessKeyId', ACCESS_KEY_ID) }),
  authorize(input, ctx) {
    const isRootKey = input.accessKeyId === ctx.app.root.accessKeyId;
    const key = ctx.app.directory.get('access-key', input.accessKeyId);
    if (!isRootKey && !key) return { action: 'iam:GetAccessKeyLastUsed', resource: '*' };
    const owner = isRootKey ? undefined : key!.userName;
    return { action: 'iam:GetAccessKeyLastUsed', resource: targetArn(ctx, owner), ...userCondition(ctx, owner) };
  },
  handle(input, ctx) {
    const key = ctx.app.directory.get('access-key', input.accessKeyId);
    if (input.accessKeyId === ctx.app.root.accessKeyId) return { AccessKeyLastUsed: { Region: 'N/A', ServiceName: 'N/A' } };
    if (!key) throw noSuchAccessKey(input.accessKeyId);
    const used = ctx.app.usage.accessKey(key.accessKeyId);
    return {
      AccessKeyLastUsed: {
        LastUsedDate: used ? iamTime(used.time) : undefined,
        ServiceName: used?.service ?? 'N/A',
        Region: used?.region ?? 'N/A',
      },
      UserName: key.userName,
    };
  },
});

export const accessKeyOperations: OperationMap = {
  CreateAccessKey: createAccessKey,
  ListAccessKeys: listAccessKeys,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
};
