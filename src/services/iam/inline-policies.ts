/**
 * Inline policies of users, groups and roles: Put/Get/List/Delete{User,Group,Role}Policy. The twelve
 * actions are one set of four built per entity kind; an inline policy is a name -> document entry on
 * the entity's record, so a change takes effect on the entity's very next request (the authorizer
 * rebuilds a principal's policies when the directory changes).
 *
 * A document is validated as an identity policy (MalformedPolicyDocument) and all of an entity's
 * inline policies count together against its quota, without whitespace: user 2,048, group 5,120,
 * role 10,240 characters. Names are matched without regard to case, like every IAM name: putting a
 * policy under an existing name replaces it. Known gap: no service-linked roles, so no UnmodifiableEntity.
 */
import type { InlinePolicies } from '../../directory/types.js';
import type { QueryInput, StringRule } from '../../protocol/query-input.js';
import { operation, type AnyOperation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import {
  GROUP_NAME, IAM_ACTION, POLICY_DOCUMENT, POLICY_NAME, ROLE_NAME, USER_NAME, arnOf, byName, checkInlinePolicyQuota, checkPolicyDocument,
  encodeDocument, noSuchEntity, pageFields, paginate, pagingInput,
} from './common.js';
import { resourceTagKeys } from './tags.js';

type EntityKind = 'user' | 'group' | 'role';

/** The parts of a user, group or role that inline policies need. */
interface PolicyHolder {
  name: string;
  arn: string;
  inlinePolicies: InlinePolicies;
  permissionsBoundaryArn?: string;
  tags: readonly { Key: string; Value: string }[];
}

interface EntityType {
  kind: EntityKind;
  /** User, Group, Role: the middle of the action names */
  noun: 'User' | 'Group' | 'Role';
  nameRule: StringRule;
  /** whether the actions carry iam:PermissionsBoundary (users and roles, per the Service Authorization Reference) */
  boundaryKey: boolean;
  find(ctx: OperationContext, name: string): PolicyHolder | undefined;
  /** Writes the entity back with new inline policies. */
  save(ctx: OperationContext, name: string, policies: InlinePolicies): void;
}

const USER: EntityType = {
  kind: 'user', noun: 'User', nameRule: USER_NAME, boundaryKey: true,
  find(ctx, name) {
    const user = ctx.app.directory.get('user', name);
    return user && { name: user.userName, arn: user.arn, inlinePolicies: user.inlinePolicies, permissionsBoundaryArn: user.permissionsBoundaryArn, tags: user.tags };
  },
  save(ctx, name, inlinePolicies) {
    const user = ctx.app.directory.get('user', name)!;
    ctx.app.directory.apply([{ kind: 'user', put: { ...user, inlinePolicies } }]);
  },
};

const GROUP: EntityType = {
  kind: 'group', noun: 'Group', nameRule: GROUP_NAME, boundaryKey: false,
  find(ctx, name) {
    const group = ctx.app.directory.get('group', name);
    return group && { name: group.groupName, arn: group.arn, inlinePolicies: group.inlinePolicies, tags: [] };
  },
  save(ctx, name, inlinePolicies) {
    const group = ctx.app.directory.get('group', name)!;
    ctx.app.directory.apply([{ kind: 'group', put: { ...group, inlinePolicies } }]);
  },
};

const ROLE: EntityType = {
  kind: 'role', noun: 'Role', nameRule: ROLE_NAME, boundaryKey: true,
  find(ctx, name) {
    const role = ctx.app.directory.get('role', name);
    return role && { name: role.roleName, arn: role.arn, inlinePolicies: role.inlinePolicies, permissionsBoundaryArn: role.permissionsBoundaryArn, tags: role.tags };
  },
  save(ctx, name, inlinePolicies) {
    const role = ctx.app.directory.get('role', name)!;
    ctx.app.directory.apply([{ kind: 'role', put: { ...role, inlinePolicies } }]);
  },
};

/** The stored spelling of policy `name` on the entity, matched without regard to case. */
function storedName(policies: InlinePolicies, name: string): string | undefined {
  const key = name.toLowerCase();
  return Object.keys(policies).find((existing) => existing.toLowerCase() === key);
}

interface InlinePolicyOperations {
  put: AnyOperation;
  get: AnyOperation;
  list: AnyOperation;
  remove: AnyOperation;
}

function operationsFor(entity: EntityType): InlinePolicyOperations {
  const nameParameter = `${entity.noun}Name`;
  const find = (ctx: OperationContext, name: string): PolicyHolder => {
    const holder = entity.find(ctx, name);
    if (!holder) throw noSuchEntity(`The ${entity.kind} with name ${name} cannot be found.`);
    return holder;
  };
  const policyNotFound = (name: string) => noSuchEntity(`The ${entity.kind} policy with name ${name} cannot be found.`);
  const authorization = (ctx: OperationContext, action: string, name: string, boundary: boolean): Authorization => {
    const holder = entity.find(ctx, name);
    return {
      action: IAM_ACTION(action),
      resource: holder?.arn ?? arnOf(ctx, entity.kind, '/', name),
      conditionKeys: {
        ...resourceTagKeys(holder?.tags ?? []),
        ...(boundary && entity.boundaryKey ? { 'iam:PermissionsBoundary': holder?.permissionsBoundaryArn } : {}),
      },
    };
  };
  const entityName = (query: QueryInput): string => query.required(nameParameter, entity.nameRule);

  const put = `Put${entity.noun}Policy`;
  const get = `Get${entity.noun}Policy`;
  const list = `List${entity.noun}Policies`;
  const remove = `Delete${entity.noun}Policy`;

  return {
    put: operation<{ name: string; policyName: string; document: string }>({
      input: (query) => ({
        name: entityName(query),
        policyName: query.required('PolicyName', POLICY_NAME),
        document: query.required('PolicyDocument', POLICY_DOCUMENT),
      }),
      authorize: (input, ctx) => authorization(ctx, put, input.name, true),
      handle(input, ctx) {
        const holder = find(ctx, input.name);
        checkPolicyDocument(ctx, input.document, 'identity');
        const policies: InlinePolicies = { ...holder.inlinePolicies };
        const previous = storedName(policies, input.policyName);
        if (previous !== undefined) delete policies[previous];
        policies[input.policyName] = input.document;
        checkInlinePolicyQuota(ctx, entity.kind, holder.name, policies);
        entity.save(ctx, holder.name, policies);
        return undefined;
      },
    }),

    // The document comes back URL-encoded.
    get: operation<{ name: string; policyName: string }>({
      input: (query) => ({ name: entityName(query), policyName: query.required('PolicyName', POLICY_NAME) }),
      authorize: (input, ctx) => authorization(ctx, get, input.name, false),
      handle(input, ctx) {
        const holder = find(ctx, input.name);
        const stored = storedName(holder.inlinePolicies, input.policyName);
        if (stored === undefined) throw policyNotFound(input.policyName);
        return { [nameParameter]: holder.name, PolicyName: stored, PolicyDocument: encodeDocument(holder.inlinePolicies[stored]!) };
      },
    }),

    // Names in order, paginated.
    list: operation<{ name: string; query: QueryInput }>({
      input: (query) => ({ name: entityName(query), query: pagingInput(query) }),
      authorize: (input, ctx) => authorization(ctx, list, input.name, false),
      handle(input, ctx) {
        const names = Object.keys(find(ctx, input.name).inlinePolicies).sort(byName((name: string) => name));
        const page = paginate(names, input.query);
        return { PolicyNames: page.items, ...pageFields(page) };
      },
    }),

    remove: operation<{ name: string; policyName: string }>({
      input: (query) => ({ name: entityName(query), policyName: query.required('PolicyName', POLICY_NAME) }),
      authorize: (input, ctx) => authorization(ctx, remove, input.name, true),
      handle(input, ctx) {
        const holder = find(ctx, input.name);
        const stored = storedName(holder.inlinePolicies, input.policyName);
        if (stored === undefined) throw policyNotFound(input.policyName);
        const policies: InlinePolicies = { ...holder.inlinePolicies };
        delete policies[stored];
        entity.save(ctx, holder.name, policies);
        return undefined;
      },
    }),
  };
}

const user = operationsFor(USER);
const group = operationsFor(GROUP);
const role = operationsFor(ROLE);

export const inlinePolicyOperations: OperationMap = {
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html */
  PutUserPolicy: user.put,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUserPolicy.html */
  GetUserPolicy: user.get,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUserPolicies.html */
  ListUserPolicies: user.list,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUserPolicy.html */
  DeleteUserPolicy: user.remove,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutGroupPolicy.html */
  PutGroupPolicy: group.put,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetGroupPolicy.html */
  GetGroupPolicy: group.get,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroupPolicies.html */
  ListGroupPolicies: group.list,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroupPolicy.html */
  DeleteGroupPolicy: group.remove,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html */
  PutRolePolicy: role.put,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html */
  GetRolePolicy: role.get,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListRolePolicies.html */
  ListRolePolicies: role.list,
  /** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRolePolicy.html */
  DeleteRolePolicy: role.remove,
};
