/**
 * sts:GetFederationToken (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html).
 * Long-term credentials only. The federated user may do what both its session policies and the
 * calling IAM user allow (the authorizer intersects them); without session policies, nothing.
 */
import { federatedUserArn } from '../../domain/arn.js';
import type { QueryInput, StringRule } from '../../protocol/query-input.js';
import { operation } from '../service.js';
import { credentialsXml, issueCredentials } from './credentials.js';
import { stsAccessDenied, stsValidation } from './errors.js';
import { packedSize, sessionPolicyInput, sessionTagKeys, type SessionPolicyInput } from './session-input.js';

const NAME: StringRule = { min: 2, max: 32, pattern: /^[\w+=,.@-]*$/, patternText: '[\\w+=,.@-]*' };

interface GetFederationTokenInput extends SessionPolicyInput {
  name: string;
  durationSeconds?: number;
}

export const getFederationToken = operation<GetFederationTokenInput>({
  input: (query: QueryInput) => ({
    ...sessionPolicyInput(query),
    name: query.required('Name', NAME),
    durationSeconds: query.integer('DurationSeconds', { min: 900, max: 129600 }),
  }),
  authorize(input, ctx) {
    if (ctx.caller.session) throw stsAccessDenied('Cannot call GetFederationToken with session credentials');
    return { action: 'sts:GetFederationToken', resource: federatedUserArn(ctx.app.accountId, input.name), conditionKeys: sessionTagKeys(input.tags) };
  },
  handle(input, ctx) {
    const caller = ctx.caller;
    const isRoot = caller.kind === 'root';
    const maximum = isRoot ? 3600 : 129600;
    const duration = input.durationSeconds ?? (isRoot ? 3600 : 43200);
    if (duration > maximum) throw stsValidation('The requested DurationSeconds exceeds the 1 hour session limit for the root user.');
    const packedPercent = packedSize(ctx, input);
    const user = isRoot ? undefined : ctx.app.directory.get('user', caller.userName!);
    const issued = issueCredentials(ctx.app, ctx.request.time, {
      principal: { type: 'FederatedUser', accountId: ctx.app.accountId, name: input.name, ...(user ? { userId: user.userId, userName: user.userName } : {}) },
      ...(input.policy !== undefined ? { sessionPolicy: input.policy } : {}),
      ...(input.policyArns.length > 0 ? { policyArns: input.policyArns } : {}),
      ...(input.tags.length > 0 ? { tags: input.tags } : {}),
      issuedTo: caller.arn,
    }, duration);
    return {
      Credentials: credentialsXml(issued),
      FederatedUser: { FederatedUserId: `${ctx.app.accountId}:${input.name}`, Arn: federatedUserArn(ctx.app.accountId, input.name) },
      PackedPolicySize: packedPercent,
    };
  },
});
