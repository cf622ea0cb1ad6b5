/**
 * The exfiltration findings of iamd's API (src/findings), in GuardDuty's finding format:
 *
 * - ListFindings (Type, InstanceId, AccessKeyId; Marker/MaxItems as IAM pages): findings, most
 *   recently seen first. Unlike GuardDuty's ListFindings (ids only, then GetFindings) it answers the
 *   findings themselves, which is what a console or `iamd findings` wants.
 * - GetFinding (Id)
 * - ContainFinding (Id, DryRun): revokes the finding's session (the targeted revoke, scope
 *   'containment') and records it on the finding; a finding already contained stays as it was. A
 *   dry run answers the session it would cut and changes nothing.
 *
 * Authorized as iamd:ListFindings (on the instance's ARN with an InstanceId filter, else "*"),
 * iamd:GetFinding and iamd:ContainFinding (on the finding's ARN, computed from its id, so a policy
 * can name one finding, and nobody learns from AccessDenied whether an id exists).
 */
import { findingView, FINDING_TYPES, type FindingRecord, type FindingType } from '../../findings/index.js';
import { AwsError } from '../../protocol/aws-error.js';
import type { QueryInput, StringRule } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { pageFields, paginate, pagingInput } from '../iam/common.js';
import { operation, type OperationContext, type OperationMap } from '../service.js';
import { sessionXml } from './session-xml.js';

const FINDING_ID: StringRule = { min: 1, max: 300, pattern: /^[a-z0-9]+$/, patternText: '[a-z0-9]+' };
const ACCESS_KEY_ID: StringRule = { min: 16, max: 128, pattern: /^\w+$/, patternText: '[\\w]*' };
const INSTANCE_ID: StringRule = { min: 10, max: 19, pattern: /^i-[0-9a-f]{8,17}$/, patternText: 'i-[0-9a-f]{8,17}' };

const action = (name: string): string => `iamd:${name}`;

export function noSuchFinding(id: string): AwsError {
  return new AwsError('NoSuchEntity', `The finding with id ${id} cannot be found.`, 404);
}

function findingArn(ctx: OperationContext, id: string): string {
  return ctx.app.findings.arnOf({ region: ctx.app.region, accountId: ctx.app.accountId, id });
}

/** The finding in GuardDuty's format, with whether its session stands revoked now (by anyone, any way). */
function findingXml(ctx: OperationContext, record: FindingRecord): XmlObject {
  const view = findingView(record, ctx.app.findings.arnOf(record), ctx.app.findings.detectorId);
  const session = ctx.app.sessions.inventory.get(record.accessKeyId);
  const revoked = session ? ctx.app.sessions.status(session).revoked : ctx.app.sessions.isRevoked(record.accessKeyId);
  return { ...view, Iamd: { ...(view.Iamd as XmlObject), SessionRevoked: revoked } };
}

function found(ctx: OperationContext, id: string): FindingRecord {
  const record = ctx.app.findings.get(id);
  if (!record) throw noSuchFinding(id);
  return record;
}

interface ListInput {
  type?: FindingType;
  instanceId?: string;
  accessKeyId?: string;
  query: QueryInput;
}

const ListFindings = operation<ListInput>({
  input: (query) => ({
    type: query.oneOf('Type', FINDING_TYPES),
    instanceId: query.optional('InstanceId', INSTANCE_ID),
    accessKeyId: query.optional('AccessKeyId', ACCESS_KEY_ID),
    query: pagingInput(query),
  }),
  authorize: (input, ctx) => ({
    action: action('ListFindings'),
    resource: input.instanceId !== undefined ? `arn:aws:ec2:${ctx.app.region}:${ctx.app.accountId}:instance/${input.instanceId}` : '*',
  }),
  handle(input, ctx) {
    const findings = ctx.app.findings.list().filter((record) => (input.type === undefined || record.type === input.type)
      && (input.instanceId === undefined || record.instanceId === input.instanceId)
      && (input.accessKeyId === undefined || record.accessKeyId === input.accessKeyId));
    const page = paginate(findings, input.query);
    return { Findings: page.items.map((record) => findingXml(ctx, record)), ...pageFields(page) };
  },
});

const GetFinding = operation<{ id: string }>({
  input: (query) => ({ id: query.required('Id', FINDING_ID) }),
  authorize: (input, ctx) => ({ action: action('GetFinding'), resource: findingArn(ctx, input.id) }),
  handle: (input, ctx) => ({ Finding: findingXml(ctx, found(ctx, input.id)) }),
});

const ContainFinding = operation<{ id: string; dryRun: boolean }>({
  input: (query) => ({ id: query.required('Id', FINDING_ID), dryRun: query.boolean('DryRun') ?? false }),
  authorize: (input, ctx) => ({ action: action('ContainFinding'), resource: findingArn(ctx, input.id) }),
  handle(input, ctx) {
    const record = found(ctx, input.id);
    if (input.dryRun) {
      const outcome = record.containment !== undefined ? { sessions: [] } : ctx.app.sessions.revokeSession(record.accessKeyId, {
        revokedBy: ctx.app.findings.arnOf(record), scope: 'containment', dryRun: true, expiresAt: record.sessionExpiresAt,
      });
      return { DryRun: true, Finding: findingXml(ctx, record), Sessions: outcome.sessions.map(sessionXml) };
    }
    const contained = ctx.app.findings.containFinding(record.id, ctx.caller.arn)!;
    const session = ctx.app.sessions.inventory.get(record.accessKeyId);
    return { DryRun: false, Finding: findingXml(ctx, contained), Sessions: session ? [sessionXml(ctx.app.sessions.view(session))] : [] };
  },
});

export const findingOperations: OperationMap = {
  ListFindings,
  GetFinding,
  ContainFinding,
};
