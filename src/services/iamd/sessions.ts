/**
 * The session operations of iamd's API. Each is authorized against the resource it touches: the
 * role (`arn:aws:iam::ACCOUNT:role/NAME`), the instance (`arn:aws:ec2:REGION:ACCOUNT:instance/ID`)
 * or the session (its principal's ARN, e.g. `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`); a
 * listing without a role or instance filter, and anything about an access key iamd does not know,
 * is authorized against "*", so that a caller allowed on one role learns nothing of other keys.
 *
 * - ListSessions (RoleName, InstanceId, AccessKeyId, IncludeExpired; Marker/MaxItems as IAM pages)
 * - RevokeSession (AccessKeyId, DryRun)
 * - RevokeInstanceSessions (InstanceId, DryRun)
 * - RevokeRoleSessions (RoleName, Reissue, DryRun): AWSRevokeOlderSessions as the console puts it,
 *   subject to IAM's inline policy quota of the role, plus the reissue of its instances' credentials.
 * A dry run answers what the call would cut, by instance and caller, and changes nothing.
 */
import type { QueryInput, StringRule } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { noSuchRole, REVOKE_POLICY_NAME, Sessions, type RevokeOutcome } from '../../sessions/index.js';
import { checkInlinePolicyQuota, pageFields, paginate, pagingInput, ROLE_NAME } from '../iam/common.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { sessionXml } from './session-xml.js';

const ACCESS_KEY_ID: StringRule = { min: 16, max: 128, pattern: /^\w+$/, patternText: '[\\w]*' };
const INSTANCE_ID: StringRule = { min: 10, max: 19, pattern: /^i-[0-9a-f]{8,17}$/, patternText: 'i-[0-9a-f]{8,17}' };

const action = (name: string): string => `iamd:${name}`;

function roleArn(ctx: OperationContext, name: string): string {
  return ctx.app.directory.get('role', name)?.arn ?? `arn:aws:iam::${ctx.app.accountId}:role/${name}`;
}

function instanceArn(ctx: OperationContext, instanceId: string): string {
  return `arn:aws:ec2:${ctx.app.region}:${ctx.app.accountId}:instance/${instanceId}`;
}

/** A session's ARN (its principal's), or "*" for a key the inventory does not hold. */
function sessionArn(ctx: OperationContext, accessKeyId: string): string {
  const record = ctx.app.sessions.inventory.get(accessKeyId);
  return record ? ctx.app.sessions.view(record).principalArn : '*';
}

function outcomeXml(outcome: RevokeOutcome): XmlObject {
  return { DryRun: outcome.dryRun, Sessions: outcome.sessions.map(sessionXml) };
}

interface ListInput {
  roleName?: string;
  instanceId?: string;
  accessKeyId?: string;
  includeExpired: boolean;
  query: QueryInput;
}

/** ListSessions: the inventory, oldest first, filtered and paged. */
const ListSessions = operation<ListInput>({
  input: (query) => ({
    roleName: query.optional('RoleName', ROLE_NAME),
    instanceId: query.optional('InstanceId', INSTANCE_ID),
    accessKeyId: query.optional('AccessKeyId', ACCESS_KEY_ID),
    includeExpired: query.boolean('IncludeExpired') ?? false,
    query: pagingInput(query),
  }),
  authorize(input, ctx): Authorization {
    const resource = input.roleName !== undefined ? roleArn(ctx, input.roleName)
      : input.instanceId !== undefined ? instanceArn(ctx, input.instanceId)
        : input.accessKeyId !== undefined ? sessionArn(ctx, input.accessKeyId)
          : '*';
    return { action: action('ListSessions'), resource };
  },
  handle(input, ctx) {
    const views = ctx.app.sessions.list({
      ...(input.roleName !== undefined ? { roleName: input.roleName } : {}),
      ...(input.instanceId !== undefined ? { instanceId: input.instanceId } : {}),
      ...(input.accessKeyId !== undefined ? { accessKeyId: input.accessKeyId } : {}),
      includeExpired: input.includeExpired,
    });
    const page = paginate(views, input.query);
    return { Sessions: page.items.map(sessionXml), ...pageFields(page) };
  },
});

/** RevokeSession: exactly one session, by access key id; effective on the very next request. */
const RevokeSession = operation<{ accessKeyId: string; dryRun: boolean }>({
  input: (query) => ({ accessKeyId: query.required('AccessKeyId', ACCESS_KEY_ID), dryRun: query.boolean('DryRun') ?? false }),
  authorize: (input, ctx) => ({ action: action('RevokeSession'), resource: sessionArn(ctx, input.accessKeyId) }),
  handle(input, ctx) {
    return outcomeXml(ctx.app.sessions.revokeSession(input.accessKeyId, { revokedBy: ctx.caller.arn, scope: 'session', dryRun: input.dryRun }));
  },
});

/** RevokeInstanceSessions: every live session issued to one instance; it gets a fresh one at its next fetch. */
const RevokeInstanceSessions = operation<{ instanceId: string; dryRun: boolean }>({
  input: (query) => ({ instanceId: query.required('InstanceId', INSTANCE_ID), dryRun: query.boolean('DryRun') ?? false }),
  authorize: (input, ctx) => ({ action: action('RevokeInstanceSessions'), resource: instanceArn(ctx, input.instanceId) }),
  handle(input, ctx) {
    const outcome = ctx.app.sessions.revokeInstance(input.instanceId, { revokedBy: ctx.caller.arn, scope: 'instance', dryRun: input.dryRun });
    return { InstanceId: input.instanceId, ...outcomeXml(outcome) };
  },
});

/** RevokeRoleSessions: the console's "Revoke active sessions", optionally reissuing its instances' credentials. */
const RevokeRoleSessions = operation<{ roleName: string; reissue: boolean; dryRun: boolean }>({
  input: (query) => ({
    roleName: query.required('RoleName', ROLE_NAME),
    reissue: query.boolean('Reissue') ?? false,
    dryRun: query.boolean('DryRun') ?? false,
  }),
  authorize: (input, ctx) => ({ action: action('RevokeRoleSessions'), resource: roleArn(ctx, input.roleName) }),
  handle(input, ctx) {
    const role = ctx.app.directory.get('role', input.roleName);
    if (!role) throw noSuchRole(input.roleName);
    const cutoff = ctx.request.time;
    // IAM's quota on a role's inline policies holds for this put as for PutRolePolicy.
    checkInlinePolicyQuota(ctx, 'role', role.roleName, Sessions.plannedPolicies(role, cutoff));
    const outcome = ctx.app.sessions.revokeRole(role.roleName, cutoff, { revokedBy: ctx.caller.arn, reissue: input.reissue, dryRun: input.dryRun });
    return {
      RoleName: outcome.role.roleName,
      RoleArn: outcome.role.arn,
      PolicyName: REVOKE_POLICY_NAME,
      CutOff: new Date(outcome.cutoff).toISOString(),
      ...outcomeXml(outcome),
      ReissuedInstances: outcome.reissued.map((instance) => instance.instanceId),
    };
  },
});

export const sessionOperations: OperationMap = {
  ListSessions,
  RevokeSession,
  RevokeInstanceSessions,
  RevokeRoleSessions,
};
