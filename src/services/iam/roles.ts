/**
 * IAM roles: create, describe, update, tag and delete. A role is one RoleRecord in the directory;
 * its inline policies (inline-policies.ts), attached policies (attached-policies.ts) and boundary
 * (permissions-boundaries.ts) live on the same record, and instance profiles name it by role name.
 *
 * The trust policy is validated as IAM validates it: grammar (the policy engine, as a trust
 * policy), then the ACLSizePerRole quota of 2,048 characters without whitespace.
 * Known gaps: the account quota on the number of roles (RolesPerAccount) is not enforced, and
 * there are no service-linked roles, so UnmodifiableEntity never arises.
 */
import type { Usage } from '../../auth/usage-tracker.js';
import type { RoleRecord, Tag } from '../../directory/types.js';
import type { QueryInput } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import {
  ARN, DESCRIPTION, IAM_ACTION, POLICY_DOCUMENT, ROLE_NAME, arnOf, byName, checkBoundary, checkPolicyDocument, deleteConflict,
  encodeDocument, entityAlreadyExists, iamTime, limitExceeded, noSuchEntity, now, pageFields, paginate, pagingInput, pathOf,
  withPathPrefix,
} from './common.js';
import {
  mergeTags, removeTags, requestTagKeys, requiredTags, resourceTagKeys, sortedTags, tagKeysOf, tagsOf, tagsPage, tagsXml,
  type ConditionKeys,
} from './tags.js';

const MAX_SESSION_DURATION = { min: 3600, max: 43200 };
const DEFAULT_MAX_SESSION_DURATION = 3600;
const TRUST_POLICY_QUOTA = 2048;

// --- helpers shared with instance-profiles.ts

export function findRole(ctx: OperationContext, name: string): RoleRecord {
  const role = ctx.app.directory.get('role', name);
  if (!role) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return role;
}

/**
 * What an action on role `name` is authorized against: the role's ARN (with its path) and its
 * tags as aws:ResourceTag/iam:ResourceTag. A role that does not exist has no path, so it is named
 * under "/" (the handler then answers NoSuchEntity if the caller was allowed).
 */
export function roleAuthorization(ctx: OperationContext, action: string, name: string, options: { boundaryKey?: boolean; keys?: ConditionKeys } = {}): Authorization {
  const role = ctx.app.directory.get('role', name);
  return {
    action: IAM_ACTION(action),
    resource: role?.arn ?? arnOf(ctx, 'role', '/', name),
    conditionKeys: {
      ...resourceTagKeys(role?.tags ?? []),
      ...(options.boundaryKey ? { 'iam:PermissionsBoundary': role?.permissionsBoundaryArn } : {}),
      ...options.keys,
    },
  };
}

/**
 * A trust policy as IAM accepts it: valid grammar for a trust policy, and at most 2,048
 * characters without whitespace (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
function checkTrustPolicy(ctx: OperationContext, document: string): void {
  const size = checkPolicyDocument(ctx, document, 'trust');
  if (size > TRUST_POLICY_QUOTA) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_QUOTA}`);
}

/**
 * The Role shape (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html) in the
 * service model's member order. 'list' leaves out PermissionsBoundary, Tags and RoleLastUsed as
 * ListRoles does; 'created' leaves out RoleLastUsed.
 */
export function roleXml(role: RoleRecord, detail: 'full' | 'list' | 'created' = 'full', lastUsed?: Usage): XmlObject {
  const boundary = role.permissionsBoundaryArn === undefined || detail === 'list'
    ? undefined
    : { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: role.permissionsBoundaryArn };
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: iamTime(role.createDate),
    AssumeRolePolicyDocument: encodeDocument(role.assumeRolePolicyDocument),
    Description: role.description,
    MaxSessionDuration: role.maxSessionDuration,
    PermissionsBoundary: boundary,
    Tags: detail === 'list' ? undefined : tagsXml(role.tags),
    RoleLastUsed: detail === 'full'
      ? { LastUsedDate: lastUsed === undefined ? undefined : iamTime(lastUsed.time), Region: lastUsed?.region }
      : undefined,
  };
}

function save(ctx: OperationContext, role: RoleRecord): void {
  ctx.app.directory.apply([{ kind: 'role', put: role }]);
}

const roleName = (query: QueryInput): string => query.required('RoleName', ROLE_NAME);

// --- operations

interface CreateRoleInput {
  roleName: string;
  path: string;
  document: string;
  description?: string;
  maxSessionDuration?: number;
  boundaryArn?: string;
  tags: Tag[];
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html */
const CreateRole = operation<CreateRoleInput>({
  input: (query) => ({
    roleName: roleName(query),
    path: pathOf(query),
    document: query.required('AssumeRolePolicyDocument', POLICY_DOCUMENT),
    description: query.optional('Description', DESCRIPTION),
    maxSessionDuration: query.integer('MaxSessionDuration', MAX_SESSION_DURATION),
    boundaryArn: query.optional('PermissionsBoundary', ARN),
    tags: tagsOf(query),
  }),
  authorize: (input, ctx) => ({
    action: IAM_ACTION('CreateRole'),
    resource: arnOf(ctx, 'role', input.path, input.roleName),
    conditionKeys: { 'iam:PermissionsBoundary': input.boundaryArn, ...requestTagKeys(input.tags) },
  }),
  handle(input, ctx) {
    if (ctx.app.directory.get('role', input.roleName)) throw entityAlreadyExists(`Role with name ${input.roleName} already exists.`);
    checkTrustPolicy(ctx, input.document);
    if (input.boundaryArn !== undefined) checkBoundary(ctx, input.boundaryArn);
    const role: RoleRecord = {
      roleId: ctx.app.ids.uniqueId('AROA'),
      roleName: input.roleName,
      path: input.path,
      arn: arnOf(ctx, 'role', input.path, input.roleName),
      createDate: now(ctx),
      assumeRolePolicyDocument: input.document,
      ...(input.description !== undefined ? { description: input.description } : {}),
      maxSessionDuration: input.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION,
      tags: input.tags,
      inlinePolicies: {},
      attachedPolicyArns: [],
      ...(input.boundaryArn !== undefined ? { permissionsBoundaryArn: input.boundaryArn } : {}),
    };
    save(ctx, role);
    return { Role: roleXml(role, 'created') };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html */
const GetRole = operation<{ roleName: string }>({
  input: (query) => ({ roleName: roleName(query) }),
  authorize: (input, ctx) => roleAuthorization(ctx, 'GetRole', input.roleName, { boundaryKey: true }),
  handle(input, ctx) {
    const role = findRole(ctx, input.roleName);
    return { Role: roleXml(role, 'full', ctx.app.usage.role(role.roleId)) };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoles.html — the action has no resource type, so "*". */
const ListRoles = operation<QueryInput>({
  input: (query) => pagingInput(query, { pathPrefix: true }),
  authorize: () => ({ action: IAM_ACTION('ListRoles'), resource: '*' }),
  handle(query, ctx) {
    const roles = withPathPrefix(ctx.app.directory.list('role'), query).sort(byName((role) => role.roleName));
    const page = paginate(roles, query);
    return { Roles: page.items.map((role) => roleXml(role, 'list')), ...pageFields(page) };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRole.html */
const UpdateRole = operation<{ roleName: string; description?: string; maxSessionDuration?: number }>({
  input: (query) => ({
    roleName: roleName(query),
    description: query.optional('Description', DESCRIPTION),
    maxSessionDuration: query.integer('MaxSessionDuration', MAX_SESSION_DURATION),
  }),
  authorize: (input, ctx) => roleAuthorization(ctx, 'UpdateRole', input.roleName, { boundaryKey: true }),
  handle(input, ctx) {
    const role = findRole(ctx, input.roleName);
    save(ctx, {
      ...role,
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.maxSessionDuration !== undefined ? { maxSessionDuration: input.maxSessionDuration } : {}),
    });
    return {};
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRoleDescription.html */
const UpdateRoleDescription = operation<{ roleName: string; description: string }>({
  input: (query) => ({ roleName: roleName(query), description: query.required('Description', DESCRIPTION) }),
  authorize: (input, ctx) => roleAuthorization(ctx, 'UpdateRoleDescription', input.roleName, { boundaryKey: true }),
  handle(input, ctx) {
    const role: RoleRecord = { ...findRole(ctx, input.roleName), description: input.description };
    save(ctx, role);
    return { Role: roleXml(role) };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAssumeRolePolicy.html */
const UpdateAssumeRolePolicy = operation<{ roleName: string; document: string }>({
  input: (query) => ({ roleName: roleName(query), document: query.required('PolicyDocument', POLICY_DOCUMENT) }),
  authorize: (input, ctx) => roleAuthorization(ctx, 'UpdateAssumeRolePolicy', input.roleName, { boundaryKey: true }),
  handle(input, ctx) {
    const role = findRole(ctx, input.roleName);
    checkTrustPolicy(ctx, input.document);
    save(ctx, { ...role, assumeRolePolicyDocument: input.document });
    return undefined;
  },
});

/**
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRole.html — IAM refuses while the
 * role is in an instance profile, has attached managed policies or has inline policies, in that order.
 */
const DeleteRole = operation<{ roleName: string }>({
  input: (query) => ({ roleName: roleName(query) }),
  authorize: (input, ctx) => roleAuthorization(ctx, 'DeleteRole', input.roleName, { boundaryKey: true }),
  handle(input, ctx) {
    const role = findRole(ctx, input.roleName);
    const key = role.roleName.toLowerCase();
    if (ctx.app.directory.list('instance-profile').some((profile) => profile.roleName?.toLowerCase() === key)) {
      throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    }
    if (role.attachedPolicyArns.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
    if (Object.keys(role.inlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
    ctx.app.directory.apply([{ kind: 'role', delete: role.roleName }]);
    ctx.app.usage.forgetRole(role.roleId);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagRole.html */
const TagRole = operation<{ roleName: string; tags: Tag[] }>({
  input: (query) => ({ roleName: roleName(query), tags: requiredTags(query) }),
  authorize: (input, ctx) => roleAuthorization(ctx, 'TagRole', input.roleName, { keys: requestTagKeys(input.tags) }),
  handle(input, ctx) {
    const role = findRole(ctx, input.roleName);
    save(ctx, { ...role, tags: mergeTags(role.tags, input.tags) });
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagRole.html */
const UntagRole = operation<{ roleName: string; keys: string[] }>({
  input: (query) => ({ roleName: roleName(query), keys: tagKeysOf(query, 'list') }),
  authorize: (input, ctx) => roleAuthorization(ctx, 'UntagRole', input.roleName, { keys: { 'aws:TagKeys': input.keys } }),
  handle(input, ctx) {
    const role = findRole(ctx, input.roleName);
    save(ctx, { ...role, tags: removeTags(role.tags, input.keys) });
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRoleTags.html — sorted by tag key. */
const ListRoleTags = operation<{ roleName: string; query: QueryInput }>({
  input: (query) => ({ roleName: roleName(query), query: pagingInput(query) }),
  authorize: (input, ctx) => roleAuthorization(ctx, 'ListRoleTags', input.roleName),
  handle: (input, ctx) => tagsPage(sortedTags(findRole(ctx, input.roleName).tags), input.query),
});

export const roleOperations: OperationMap = {
  CreateRole, GetRole, ListRoles, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy, DeleteRole, TagRole, UntagRole, ListRoleTags,
};
