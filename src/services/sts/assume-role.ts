/**
 * sts:AssumeRole (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
 * The role's trust policy is evaluated as a resource policy that must allow; the caller's identity
 * policies must allow too unless the trust policy names the caller directly (policy engine).
 * Session tags need sts:TagSession and a source identity sts:SetSourceIdentity, on the same terms.
 */
import { assumedRoleArn } from '../../domain/arn.js';
import type { QueryInput, StringRule } from '../../protocol/query-input.js';
import { operation, type Authorization, type OperationContext } from '../service.js';
import { credentialsXml, issueCredentials } from './credentials.js';
import { stsAccessDenied, stsValidation } from './errors.js';
import { packedSize, sessionPolicyInput, sessionTagKeys, type SessionPolicyInput } from './session-input.js';

const SESSION_NAME: StringRule = { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' };
const EXTERNAL_ID: StringRule = { min: 2, max: 1224, pattern: /^[\w+=,.@:/-]*$/, patternText: '[\\w+=,.@:\\/-]*' };
const SOURCE_IDENTITY: StringRule = { min: 2, max: 64, pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' };
const ROLE_CHAINING_LIMIT = 3600;

interface AssumeRoleInput extends SessionPolicyInput {
  roleArn: string;
  sessionName: string;
  durationSeconds?: number;
  externalId?: string;
  transitiveTagKeys: string[];
  sourceIdentity?: string;
}

export const assumeRole = operation<AssumeRoleInput>({
  input(query: QueryInput) {
    return {
      ...sessionPolicyInput(query),
      roleArn: query.required('RoleArn', { min: 20, max: 2048 }),
      sessionName: query.required('RoleSessionName', SESSION_NAME),
      durationSeconds: query.integer('DurationSeconds', { min: 900, max: 43200 }),
      externalId: query.optional('ExternalId', EXTERNAL_ID),
      transitiveTagKeys: query.list('TransitiveTagKeys'),
      sourceIdentity: query.optional('SourceIdentity', SOURCE_IDENTITY),
    };
  },
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const caller = ctx.caller;
    const denied = stsAccessDenied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.roleArn}`);
    if (caller.kind === 'root' || caller.kind === 'root-session') throw stsAccessDenied('Roles may not be assumed by root accounts.');
    const role = roleOf(ctx, input.roleArn);
    if (!role) throw denied;

    const trust = ctx.app.library.compile(role.assumeRolePolicyDocument, 'trust', { kind: 'trust', name: role.roleName, arn: role.arn });
    const conditionKeys = {
      'sts:ExternalId': input.externalId,
      'sts:RoleSessionName': input.sessionName,
      'sts:SourceIdentity': input.sourceIdentity,
      'sts:TransitiveTagKeys': input.transitiveTagKeys.length > 0 ? input.transitiveTagKeys : undefined,
      ...sessionTagKeys(input.tags),
    };
    const check = (action: string): void => {
      const authorization: Authorization = { action, resource: role.arn, conditionKeys };
      ctx.app.authorizer.require(caller, ctx.request, authorization, trust, { resourcePolicyRequired: true });
    };
    check('sts:AssumeRole');
    if (input.tags.length > 0) check('sts:TagSession');
    if (input.sourceIdentity !== undefined) check('sts:SetSourceIdentity');

    const maximum = caller.kind === 'role-session' ? Math.min(ROLE_CHAINING_LIMIT, role.maxSessionDuration) : role.maxSessionDuration;
    const duration = input.durationSeconds ?? Math.min(3600, maximum);
    if (duration > maximum) {
      throw stsValidation(caller.kind === 'role-session'
        ? 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'
        : 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const packedPercent = packedSize(ctx, input);

    // Transitive tags and the source identity carry over when a role session assumes another role.
    const inherited = caller.session;
    const transitive = inherited?.tags?.filter((tag) => inherited.transitiveTagKeys?.some((key) => key.toLowerCase() === tag.Key.toLowerCase())) ?? [];
    const issued = issueCredentials(ctx.app, ctx.request.time, {
      principal: { type: 'AssumedRole', accountId: ctx.app.accountId, roleId: role.roleId, roleName: role.roleName, rolePath: role.path, sessionName: input.sessionName },
      ...(input.policy !== undefined ? { sessionPolicy: input.policy } : {}),
      ...(input.policyArns.length > 0 ? { policyArns: input.policyArns } : {}),
      ...(input.tags.length + transitive.length > 0 ? { tags: [...transitive, ...input.tags] } : {}),
      ...(input.transitiveTagKeys.length > 0 || transitive.length > 0
        ? { transitiveTagKeys: [...new Set([...transitive.map((tag) => tag.Key), ...input.transitiveTagKeys])] } : {}),
      ...(input.sourceIdentity ?? inherited?.sourceIdentity ? { sourceIdentity: input.sourceIdentity ?? inherited?.sourceIdentity } : {}),
      issuedTo: caller.arn,
    }, duration);
    ctx.app.usage.touchRole(role.roleId, { time: ctx.request.time.toISOString(), service: 'sts', region: ctx.request.region });

    return {
      Credentials: credentialsXml(issued),
      AssumedRoleUser: {
        AssumedRoleId: `${role.roleId}:${input.sessionName}`,
        Arn: assumedRoleArn(ctx.app.accountId, role.roleName, input.sessionName),
      },
      PackedPolicySize: packedPercent,
      SourceIdentity: issued.claims.sourceIdentity,
    };
  },
});

function roleOf(ctx: OperationContext, roleArn: string) {
  const match = /^arn:aws:iam::(\d{12}):role(\/(?:[\u0021-\u007E]*\/)?)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!match || match[1] !== ctx.app.accountId) return undefined;
  const role = ctx.app.directory.get('role', match[3]!);
  return role && role.path === (match[2] ?? '/') ? role : undefined;
}

