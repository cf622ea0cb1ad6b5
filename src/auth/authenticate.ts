/**
 * Authentication: from a signed request to a Caller. Long-term keys (AKIA) are looked up in the
 * directory (root's key in the settings); temporary keys (ASIA) are checked from their session
 * token alone, then against the targeted revocations (a Set in memory, src/sessions). The signature
 * is verified with the key's secret, in constant time (sigv4/verify.ts).
 * Errors use AWS's codes; none carries a secret.
 */
import { assumedRoleArn, federatedUserArn, iamArn, rootArn } from '../domain/arn.js';
import { AwsError } from '../protocol/aws-error.js';
import { signatureFailure, type ParsedSignature, type SignedHttpRequest, verifySignature } from '../sigv4/index.js';
import type { App } from '../server/app.js';
import type { Caller } from './caller.js';
import type { SessionClaims } from './session-token.js';
import { revokedSessionError } from '../sessions/revocations.js';

export type ProtocolFamily = 'query' | 'ec2' | 's3' | 'json';

export interface AuthenticationInput {
  request: SignedHttpRequest;
  signature: ParsedSignature;
  payloadHash: string;
  normalizePath: boolean;
  protocol: ProtocolFamily;
}

export function invalidClientTokenId(): AwsError {
  return new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
}

export function expiredToken(): AwsError {
  return new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
}

export function authenticate(app: App, input: AuthenticationInput): Caller {
  return authenticateRequest(app, input).caller;
}

/**
 * authenticate, also handing back the verified key's secret: S3's signed streaming payloads
 * (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) chain a signature per chunk from the same signing key.
 */
export function authenticateRequest(app: App, input: AuthenticationInput): { caller: Caller; secretAccessKey: string } {
  const { signature } = input;
  const now = app.clock.now();
  let secret: string;
  let caller: Caller;
  if (signature.accessKeyId.startsWith('ASIA') || signature.securityToken !== undefined) {
    const claims = signature.securityToken === undefined ? undefined : app.tokens.open(signature.securityToken);
    if (!claims || claims.accessKeyId !== signature.accessKeyId) throw invalidClientTokenId();
    if (now.getTime() >= claims.expiresAt) throw expiredToken();
    // A session iamd revoked (src/sessions): one Set lookup, in effect from the request after the revoke.
    if (app.sessions.revoked.has(claims.accessKeyId)) throw revokedSessionError();
    secret = claims.secretAccessKey;
    caller = sessionCallerOf(claims);
  } else if (signature.accessKeyId === app.root.accessKeyId) {
    secret = app.root.secretAccessKey;
    caller = { kind: 'root', accountId: app.accountId, arn: rootArn(app.accountId), userId: app.accountId, accessKeyId: signature.accessKeyId };
  } else {
    const key = app.directory.get('access-key', signature.accessKeyId);
    const user = key?.userName === undefined ? undefined : app.directory.get('user', key.userName);
    if (!key || key.status !== 'Active' || !user) throw invalidClientTokenId();
    secret = key.secretAccessKey;
    caller = { kind: 'user', accountId: app.accountId, arn: user.arn, userId: user.userId, userName: user.userName, accessKeyId: key.accessKeyId };
  }
  const verdict = verifySignature(input.request, signature, secret, { payloadHash: input.payloadHash, normalizePath: input.normalizePath, now });
  if (!verdict.ok) throw signatureFailure(verdict, input.protocol);
  return { caller, secretAccessKey: secret };
}

/**
 * The Caller of a session, built once per claims object: the token codec hands out the same claims
 * object for a token while it is cached, so a session's requests share one frozen Caller instead of
 * rebuilding its ARNs every time. Weak, so a claims object the codec drops takes its Caller with it.
 */
const sessionCallers = new WeakMap<SessionClaims, Caller>();

function sessionCallerOf(claims: SessionClaims): Caller {
  let caller = sessionCallers.get(claims);
  if (caller === undefined) {
    caller = Object.freeze(sessionCaller(claims));
    sessionCallers.set(claims, caller);
  }
  return caller;
}

function sessionCaller(claims: SessionClaims): Caller {
  const principal = claims.principal;
  switch (principal.type) {
    case 'AssumedRole':
      return {
        kind: 'role-session',
        accountId: principal.accountId,
        arn: assumedRoleArn(principal.accountId, principal.roleName, principal.sessionName),
        userId: `${principal.roleId}:${principal.sessionName}`,
        roleName: principal.roleName,
        roleArn: iamArn(principal.accountId, 'role', principal.rolePath, principal.roleName),
        accessKeyId: claims.accessKeyId,
        session: claims,
      };
    case 'User':
      return {
        kind: 'user-session',
        accountId: principal.accountId,
        arn: iamArn(principal.accountId, 'user', principal.userPath, principal.userName),
        userId: principal.userId,
        userName: principal.userName,
        accessKeyId: claims.accessKeyId,
        session: claims,
      };
    case 'FederatedUser':
      return {
        kind: 'federated-user',
        accountId: principal.accountId,
        arn: federatedUserArn(principal.accountId, principal.name),
        userId: `${principal.accountId}:${principal.name}`,
        ...(principal.userName !== undefined ? { userName: principal.userName } : {}),
        accessKeyId: claims.accessKeyId,
        session: claims,
      };
    case 'Root':
      return { kind: 'root-session', accountId: principal.accountId, arn: rootArn(principal.accountId), userId: principal.accountId, accessKeyId: claims.accessKeyId, session: claims };
  }
}
