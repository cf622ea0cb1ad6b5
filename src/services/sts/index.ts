/**
 * STS (query protocol, version 2011-06-15): who am I, and temporary credentials.
 */
import { accountOfAccessKeyId } from '../../domain/ids.js';
import type { QueryInput } from '../../protocol/query-input.js';
import { queryProtocol } from '../../protocol/protocols.js';
import { operation, type ServiceDefinition } from '../service.js';
import { assumeRole } from './assume-role.js';
import { getFederationToken } from './federation.js';
import { credentialsXml, issueCredentials } from './credentials.js';
import { stsAccessDenied, stsValidation } from './errors.js';

/** https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html — needs no permission. */
const getCallerIdentity = operation<void>({
  input: () => undefined,
  authorize: () => 'authenticated',
  handle: (_input, ctx) => ({ UserId: ctx.caller.userId, Account: ctx.caller.accountId, Arn: ctx.caller.arn }),
});

/** https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html — long-term credentials only; no permission needed. */
const getSessionToken = operation<{ durationSeconds?: number; serialNumber?: string }>({
  input: (query: QueryInput) => ({
    durationSeconds: query.integer('DurationSeconds', { min: 900, max: 129600 }),
    serialNumber: query.optional('SerialNumber', { min: 9, max: 256 }),
  }),
  authorize: () => 'authenticated',
  handle(input, ctx) {
    const caller = ctx.caller;
    if (caller.session) throw stsAccessDenied('Cannot call GetSessionToken with session credentials');
    // iamd has no MFA devices, so no MFA code can be validated.
    if (input.serialNumber !== undefined) throw stsAccessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code. ');
    const isRoot = caller.kind === 'root';
    const maximum = isRoot ? 3600 : 129600;
    const duration = input.durationSeconds ?? (isRoot ? 3600 : 43200);
    if (duration > maximum) throw stsValidation('The requested DurationSeconds exceeds the 1 hour session limit for the root user.');
    const user = isRoot ? undefined : ctx.app.directory.get('user', caller.userName!);
    const issued = issueCredentials(ctx.app, ctx.request.time, {
      principal: user
        ? { type: 'User', accountId: ctx.app.accountId, userId: user.userId, userName: user.userName, userPath: user.path }
        : { type: 'Root', accountId: ctx.app.accountId },
      issuedTo: caller.arn,
    }, Math.min(duration, maximum));
    return { Credentials: credentialsXml(issued) };
  },
});

/** https://docs.aws.amazon.com/STS/latest/APIReference/API_GetAccessKeyInfo.html */
const getAccessKeyInfo = operation<{ accessKeyId: string }>({
  input: (query: QueryInput) => ({ accessKeyId: query.required('AccessKeyId', { min: 16, max: 128, pattern: /^\w+$/, patternText: '[\\w]*' }) }),
  authorize: () => ({ action: 'sts:GetAccessKeyInfo', resource: '*' }),
  handle(input, ctx) {
    const ours = input.accessKeyId === ctx.app.root.accessKeyId || ctx.app.directory.get('access-key', input.accessKeyId) !== undefined;
    const account = ours ? ctx.app.accountId : accountOfAccessKeyId(input.accessKeyId);
    if (account === undefined) throw stsValidation(`The access key ID ${input.accessKeyId} is not in a recognized format.`);
    return { Account: account };
  },
});

export const stsService: ServiceDefinition = {
  name: 'sts',
  protocol: queryProtocol,
  version: '2011-06-15',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  operations: {
    GetCallerIdentity: getCallerIdentity,
    AssumeRole: assumeRole,
    GetSessionToken: getSessionToken,
    GetAccessKeyInfo: getAccessKeyInfo,
    GetFederationToken: getFederationToken,
  },
};
