/**
 * Managed policies attached to users, groups and roles (Attach/Detach/ListAttached*Policies) and
 * the reverse view, ListEntitiesForPolicy. An entity holds the ARNs of its attached policies;
 * customer-managed and AWS-managed policies attach alike. The authorizer resolves them on the
 * next request (its cache follows the directory's generation), so a detach takes effect at once.
 *
 * The three entity kinds differ only in names, messages and quota names, so each operation is
 * written once over an EntityKind.
 */
import type { DirectoryChange } from '../../directory/directory.js';
import type { GroupRecord, RoleRecord, UserRecord } from '../../directory/types.js';
import type { QueryInput, StringRule } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type Operation, type OperationContext, type OperationMap } from '../service.js';
import {
  GROUP_NAME, IAM_ACTION, PATH_PREFIX, ROLE_NAME, USER_NAME, compareNames, entityArnFor, limitExceeded, noSuchEntity,
  pageFields, paginate, policyArnParam,
} from './common.js';
import { findManagedPolicy, policyNameOfArn, policyNotAttachable, policyNotFound, policyPathOfArn } from './managed-policies.js';

/** Managed policies one user, group or role may have attached (IAM and STS quotas: 10 by default). */
export const ATTACHED_POLICIES_QUOTA = 10;

type EntityKind = 'user' | 'group' | 'role';

interface EntitySpec {
  readonly kind: EntityKind;
  /** 'User' in operation names, parameters and quota names */
  readonly label: 'User' | 'Group' | 'Role';
  readonly nameRule: StringRule;
}

const USER: EntitySpec = { kind: 'user', label: 'User', nameRule: USER_NAME };
const GROUP: EntitySpec = { kind: 'group', label: 'Group', nameRule: GROUP_NAME };
const ROLE: EntitySpec = { kind: 'role', label: 'Role', nameRule: ROLE_NAME };

/** What attaching needs to know of a user, group or role, and how to write it back. */
export interface AttachableEntity {
  readonly name: string;
  readonly id: string;
  readonly path: string;
  readonly arn: string;
  readonly attachedPolicyArns: readonly string[];
  readonly permissionsBoundaryArn?: string;
  withAttached(arns: string[]): DirectoryChange;
}

function userEntity(record: UserRecord): AttachableEntity {
  return {
    name: record.userName, id: record.userId, path: record.path, arn: record.arn, attachedPolicyArns: record.attachedPolicyArns,
    ...(record.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: record.permissionsBoundaryArn } : {}),
    withAttached: (arns) => ({ kind: 'user', put: { ...record, attachedPolicyArns: arns } }),
  };
}

function groupEntity(record: GroupRecord): AttachableEntity {
  return {
    name: record.groupName, id: record.groupId, path: record.path, arn: record.arn, attachedPolicyArns: record.attachedPolicyArns,
    withAttached: (arns) => ({ kind: 'group', put: { ...record, attachedPolicyArns: arns } }),
  };
}

function roleEntity(record: RoleRecord): AttachableEntity {
  return {
    name: record.roleName, id: record.roleId, path: record.path, arn: record.arn, attachedPolicyArns: record.attachedPolicyArns,
    ...(record.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: record.permissionsBoundaryArn } : {}),
    withAttached: (arns) => ({ kind: 'role', put: { ...record, attachedPolicyArns: arns } }),
  };
}

function findEntity(ctx: OperationContext, kind: EntityKind, name: string): AttachableEntity | undefined {
  const directory = ctx.app.directory;
  switch (kind) {
    case 'user': { const record = directory.get('user', name); return record && userEntity(record); }
    case 'group': { const record = directory.get('group', name); return record && groupEntity(record); }
    case 'role': { const record = directory.get('role', name); return record && roleEntity(record); }
  }
}

function existingEntity(ctx: OperationContext, kind: EntityKind, name: string): AttachableEntity {
  const entity = findEntity(ctx, kind, name);
  if (!entity) throw noSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  return entity;
}

function boundaryKey(entity: AttachableEntity | undefined): Record<string, string> {
  return entity?.permissionsBoundaryArn !== undefined ? { 'iam:PermissionsBoundary': entity.permissionsBoundaryArn } : {};
}

interface AttachInput {
  name: string;
  policyArn: string;
}

function attachInput(spec: EntitySpec): (query: QueryInput) => AttachInput {
  return (query) => ({ name: query.required(`${spec.label}Name`, spec.nameRule), policyArn: policyArnParam(query) });
}

function attachAuthorization(spec: EntitySpec, verb: 'Attach' | 'Detach'): (input: AttachInput, ctx: OperationContext) => Authorization {
  return (input, ctx) => ({
    action: IAM_ACTION(`${verb}${spec.label}Policy`),
    resource: entityArnFor(ctx, spec.kind, input.name),
    conditionKeys: { 'iam:PolicyARN': input.policyArn, ...boundaryKey(findEntity(ctx, spec.kind, input.name)) },
  });
}

function attachOperation(spec: EntitySpec): Operation<AttachInput> {
  return operation({
    input: attachInput(spec),
    authorize: attachAuthorization(spec, 'Attach'),
    handle: (input, ctx) => {
      const entity = existingEntity(ctx, spec.kind, input.name);
      if (!ctx.app.library.isManagedPolicy(input.policyArn)) throw policyNotAttachable(input.policyArn);
      if (entity.attachedPolicyArns.includes(input.policyArn)) return undefined;
      if (entity.attachedPolicyArns.length >= ATTACHED_POLICIES_QUOTA) {
        throw limitExceeded(`Cannot exceed quota for PoliciesPer${spec.label}: ${ATTACHED_POLICIES_QUOTA}`);
      }
      ctx.app.directory.apply([entity.withAttached([...entity.attachedPolicyArns, input.policyArn])]);
      return undefined;
    },
  });
}

function detachOperation(spec: EntitySpec): Operation<AttachInput> {
  return operation({
    input: attachInput(spec),
    authorize: attachAuthorization(spec, 'Detach'),
    handle: (input, ctx) => {
      const entity = existingEntity(ctx, spec.kind, input.name);
      if (!entity.attachedPolicyArns.includes(input.policyArn)) throw policyNotFound(input.policyArn);
      ctx.app.directory.apply([entity.withAttached(entity.attachedPolicyArns.filter((arn) => arn !== input.policyArn))]);
      return undefined;
    },
  });
}

interface ListAttachedInput {
  query: QueryInput;
  name: string;
  pathPrefix: string;
}

function listAttachedOperation(spec: EntitySpec): Operation<ListAttachedInput> {
  return operation({
    input: (query) => ({
      query,
      name: query.required(`${spec.label}Name`, spec.nameRule),
      pathPrefix: query.optional('PathPrefix', PATH_PREFIX) ?? '/',
    }),
    authorize: (input, ctx) => ({ action: IAM_ACTION(`ListAttached${spec.label}Policies`), resource: entityArnFor(ctx, spec.kind, input.name) }),
    handle: (input, ctx) => {
      const entity = existingEntity(ctx, spec.kind, input.name);
      const attached = entity.attachedPolicyArns
        .map((arn) => {
          const view = findManagedPolicy(ctx, arn);
          return { arn, name: view?.name ?? policyNameOfArn(arn), path: view?.path ?? policyPathOfArn(arn) };
        })
        .filter((policy) => policy.path.startsWith(input.pathPrefix))
        .sort((a, b) => compareNames(a.name, b.name) || compareNames(a.arn, b.arn));
      const page = paginate(attached, input.query);
      return { AttachedPolicies: page.items.map((policy) => ({ PolicyName: policy.name, PolicyArn: policy.arn })), ...pageFields(page) };
    },
  });
}

type EntityFilter = 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

interface Usage {
  kind: EntityKind;
  entity: AttachableEntity;
}

/** Users, groups and roles that use a policy, as permissions policy or permissions boundary. */
const listEntitiesForPolicy = operation({
  input: (query) => ({
    query,
    arn: policyArnParam(query),
    entityFilter: query.oneOf<EntityFilter>('EntityFilter', ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy']),
    pathPrefix: query.optional('PathPrefix', PATH_PREFIX) ?? '/',
    usageFilter: query.oneOf('PolicyUsageFilter', ['PermissionsPolicy', 'PermissionsBoundary'] as const),
  }),
  authorize: (input) => ({ action: IAM_ACTION('ListEntitiesForPolicy'), resource: input.arn }),
  handle: (input, ctx) => {
    if (!findManagedPolicy(ctx, input.arn)) throw policyNotFound(input.arn);
    const asPolicy = input.usageFilter !== 'PermissionsBoundary';
    const asBoundary = input.usageFilter !== 'PermissionsPolicy';
    const wanted = (kind: EntityKind): boolean => input.entityFilter === undefined || input.entityFilter.toLowerCase() === kind;
    const uses = (entity: AttachableEntity): boolean =>
      entity.path.startsWith(input.pathPrefix) &&
      ((asPolicy && entity.attachedPolicyArns.includes(input.arn)) || (asBoundary && entity.permissionsBoundaryArn === input.arn));
    const found: Usage[] = [];
    const add = (kind: EntityKind, entities: AttachableEntity[]): void => {
      if (!wanted(kind)) return;
      for (const entity of entities.filter(uses).sort((a, b) => compareNames(a.name, b.name))) found.push({ kind, entity });
    };
    const directory = ctx.app.directory;
    add('group', directory.list('group').map(groupEntity));
    add('user', directory.list('user').map(userEntity));
    add('role', directory.list('role').map(roleEntity));
    const page = paginate(found, input.query);
    const of = (kind: EntityKind, shape: (entity: AttachableEntity) => XmlObject): XmlObject[] =>
      page.items.filter((usage) => usage.kind === kind).map((usage) => shape(usage.entity));
    return {
      PolicyGroups: of('group', (entity) => ({ GroupName: entity.name, GroupId: entity.id })),
      PolicyUsers: of('user', (entity) => ({ UserName: entity.name, UserId: entity.id })),
      PolicyRoles: of('role', (entity) => ({ RoleName: entity.name, RoleId: entity.id })),
      ...pageFields(page),
    };
  },
});

export const attachedPolicyOperations: OperationMap = {
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachUserPolicy.html
  AttachUserPolicy: attachOperation(USER),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachUserPolicy.html
  DetachUserPolicy: detachOperation(USER),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedUserPolicies.html
  ListAttachedUserPolicies: listAttachedOperation(USER),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachGroupPolicy.html
  AttachGroupPolicy: attachOperation(GROUP),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachGroupPolicy.html
  DetachGroupPolicy: detachOperation(GROUP),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedGroupPolicies.html
  ListAttachedGroupPolicies: listAttachedOperation(GROUP),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachRolePolicy.html
  AttachRolePolicy: attachOperation(ROLE),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachRolePolicy.html
  DetachRolePolicy: detachOperation(ROLE),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedRolePolicies.html
  ListAttachedRolePolicies: listAttachedOperation(ROLE),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html
  ListEntitiesForPolicy: listEntitiesForPolicy,
};
