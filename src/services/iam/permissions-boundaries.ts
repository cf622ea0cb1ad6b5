/**
 * Permissions boundaries of users and roles: a managed policy (customer or AWS) that caps what the
 * entity's identity policies can grant. The record holds the policy's ARN; the authorizer resolves
 * it on the next request. A policy in use as a boundary cannot be deleted (DeletePolicy), so a set
 * boundary always resolves.
 */
import type { RoleRecord, UserRecord } from '../../directory/types.js';
import type { QueryInput } from '../../protocol/query-input.js';
import { operation, type Operation, type OperationContext, type OperationMap } from '../service.js';
import { IAM_ACTION, ROLE_NAME, USER_NAME, checkBoundary, entityArnFor, noSuchEntity, policyArnParam } from './common.js';

type BoundedKind = 'user' | 'role';

interface Bounded {
  readonly boundaryArn?: string;
  withBoundary(arn: string | undefined): void;
}

function bounded(ctx: OperationContext, kind: BoundedKind, name: string): Bounded | undefined {
  if (kind === 'user') {
    const record = ctx.app.directory.get('user', name);
    if (!record) return undefined;
    return {
      ...(record.permissionsBoundaryArn !== undefined ? { boundaryArn: record.permissionsBoundaryArn } : {}),
      withBoundary: (arn) => {
        const { permissionsBoundaryArn: _old, ...rest } = record;
        const updated: UserRecord = arn === undefined ? rest : { ...rest, permissionsBoundaryArn: arn };
        ctx.app.directory.apply([{ kind: 'user', put: updated }]);
      },
    };
  }
  const record = ctx.app.directory.get('role', name);
  if (!record) return undefined;
  return {
    ...(record.permissionsBoundaryArn !== undefined ? { boundaryArn: record.permissionsBoundaryArn } : {}),
    withBoundary: (arn) => {
      const { permissionsBoundaryArn: _old, ...rest } = record;
      const updated: RoleRecord = arn === undefined ? rest : { ...rest, permissionsBoundaryArn: arn };
      ctx.app.directory.apply([{ kind: 'role', put: updated }]);
    },
  };
}

function existing(ctx: OperationContext, kind: BoundedKind, name: string): Bounded {
  const entity = bounded(ctx, kind, name);
  if (!entity) throw noSuchEntity(`The ${kind} with name ${name} cannot be found.`);
  return entity;
}

const NAME_PARAM = { user: ['UserName', USER_NAME], role: ['RoleName', ROLE_NAME] } as const;
const LABEL = { user: 'User', role: 'Role' } as const;

interface PutInput {
  name: string;
  boundaryArn: string;
}

function putOperation(kind: BoundedKind): Operation<PutInput> {
  const [param, rule] = NAME_PARAM[kind];
  return operation({
    input: (query: QueryInput) => ({ name: query.required(param, rule), boundaryArn: policyArnParam(query, 'PermissionsBoundary') }),
    // iam:PermissionsBoundary is the boundary being set.
    authorize: (input, ctx) => ({
      action: IAM_ACTION(`Put${LABEL[kind]}PermissionsBoundary`),
      resource: entityArnFor(ctx, kind, input.name),
      conditionKeys: { 'iam:PermissionsBoundary': input.boundaryArn },
    }),
    handle: (input, ctx) => {
      const entity = existing(ctx, kind, input.name);
      checkBoundary(ctx, input.boundaryArn);
      if (entity.boundaryArn !== input.boundaryArn) entity.withBoundary(input.boundaryArn);
      return undefined;
    },
  });
}

function deleteOperation(kind: BoundedKind): Operation<{ name: string }> {
  const [param, rule] = NAME_PARAM[kind];
  return operation({
    input: (query: QueryInput) => ({ name: query.required(param, rule) }),
    // iam:PermissionsBoundary is the boundary being removed.
    authorize: (input, ctx) => {
      const current = bounded(ctx, kind, input.name)?.boundaryArn;
      return {
        action: IAM_ACTION(`Delete${LABEL[kind]}PermissionsBoundary`),
        resource: entityArnFor(ctx, kind, input.name),
        ...(current !== undefined ? { conditionKeys: { 'iam:PermissionsBoundary': current } } : {}),
      };
    },
    handle: (input, ctx) => {
      const entity = existing(ctx, kind, input.name);
      if (entity.boundaryArn !== undefined) entity.withBoundary(undefined);
      return undefined;
    },
  });
}

export const permissionsBoundaryOperations: OperationMap = {
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPermissionsBoundary.html
  PutUserPermissionsBoundary: putOperation('user'),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUserPermissionsBoundary.html
  DeleteUserPermissionsBoundary: deleteOperation('user'),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePermissionsBoundary.html
  PutRolePermissionsBoundary: putOperation('role'),
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteRolePermissionsBoundary.html
  DeleteRolePermissionsBoundary: deleteOperation('role'),
};
