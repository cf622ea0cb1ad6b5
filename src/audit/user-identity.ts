/**
 * CloudTrail's userIdentity element, from an authenticated Caller, or for a request that failed
 * authentication from whatever its signature claims (the key's owner, a genuine but expired
 * session token), so that a failed call is still attributed to the key that was tried.
 *
 * Shapes, per AWS's "CloudTrail userIdentity element" page and records seen from AWS:
 * - IAMUser: principalId AIDA..., arn, accountId, accessKeyId, userName.
 * - Root: principalId the account id, arn ...:root.
 * - AssumedRole: principalId AROA...:session, the session's sts ARN, and sessionContext with the
 *   role as sessionIssuer {type Role, principalId, arn, accountId, userName}, attributes
 *   {creationDate, mfaAuthenticated}, ec2RoleDelivery for instance credentials, sourceIdentity.
 * - FederatedUser: principalId ACCOUNT:name, with the IAM user (or root) that called
 *   GetFederationToken as sessionIssuer.
 * - Temporary credentials of a user or root (GetSessionToken): the user's identity with the ASIA
 *   key and sessionContext.attributes.
 * - Unknown: a key nobody owns; only the access key id is known.
 *
 * Identities are immutable and shared between the records of one caller, its failed requests
 * included: a session's identity is kept per claims object (one per token, auth/session-token.ts),
 * a long-term key's by key id. An unknown key's is made per request, unfrozen (any string can be sent).
 */
import type { Caller } from '../auth/caller.js';
import type { SessionClaims } from '../auth/session-token.js';
import { assumedRoleArn, federatedUserArn, iamArn, rootArn } from '../domain/arn.js';
import { isoSeconds } from '../domain/clock.js';
import type { App } from '../server/app.js';
import type { ParsedSignature } from '../sigv4/index.js';
import type { SessionContext, UserIdentity } from './cloudtrail-event.js';

/** A session's identity per claims object (the token codec keeps one per token), for its calls and its failed ones alike. */
const bySession = new WeakMap<SessionClaims, UserIdentity>();
const byLongTermKey = new Map<string, { arn: string; identity: UserIdentity }>();
const CACHE_LIMIT = 10_000;
const UNKNOWN: UserIdentity = Object.freeze({ type: 'Unknown' });

/**
 * The identity of a long-term key (root's or an IAM user's), the same frozen object for every
 * record of the key, whether the request was authenticated or only claimed the key: its JSON is
 * then made once (packed-event.ts). A key never changes owner; a renamed user has another ARN.
 */
function longTermIdentity(accessKeyId: string, arn: string, make: () => UserIdentity): UserIdentity {
  const cached = byLongTermKey.get(accessKeyId);
  if (cached && cached.arn === arn) return cached.identity;
  const identity = make();
  if (byLongTermKey.size >= CACHE_LIMIT) byLongTermKey.clear();
  byLongTermKey.set(accessKeyId, { arn, identity });
  return identity;
}

function iamUserIdentity(accountId: string, userId: string, arn: string, accessKeyId: string, userName: string | undefined): UserIdentity {
  return Object.freeze({ type: 'IAMUser', principalId: userId, arn, accountId, accessKeyId, ...(userName !== undefined ? { userName } : {}) });
}

/** The identity of an authenticated caller. */
export function identityOfCaller(app: App, caller: Caller): UserIdentity {
  if (caller.session) return sessionIdentity(app, caller.session);
  return longTermIdentity(caller.accessKeyId, caller.arn, () => (caller.kind === 'root'
    ? rootIdentity(caller.accountId, caller.accessKeyId)
    : iamUserIdentity(caller.accountId, caller.userId, caller.arn, caller.accessKeyId, caller.userName)));
}

/**
 * The identity a signature claims, for a request that failed before (or while) authenticating:
 * a genuine session token names its session even when expired; a long-term key names its owner
 * even when inactive or when the signature is wrong. Never trusted for anything but the record.
 */
export function claimedIdentity(app: App, signature: ParsedSignature | null): UserIdentity {
  if (signature === null) return UNKNOWN;
  const accessKeyId = signature.accessKeyId;
  if (signature.securityToken !== undefined) {
    const claims = app.tokens.open(signature.securityToken);
    if (claims && claims.accessKeyId === accessKeyId) return sessionIdentity(app, claims);
    return { type: 'Unknown', accessKeyId };
  }
  if (accessKeyId === app.root.accessKeyId) return longTermIdentity(accessKeyId, rootArn(app.accountId), () => rootIdentity(app.accountId, accessKeyId));
  const key = app.directory.get('access-key', accessKeyId);
  const user = key?.userName === undefined ? undefined : app.directory.get('user', key.userName);
  if (user) return longTermIdentity(accessKeyId, user.arn, () => iamUserIdentity(app.accountId, user.userId, user.arn, accessKeyId, user.userName));
  // Any string can be sent as a key id: made per request, and not frozen, so that nothing keeps it (packed-event.ts).
  return { type: 'Unknown', accessKeyId };
}

function rootIdentity(accountId: string, accessKeyId: string): UserIdentity {
  return Object.freeze({ type: 'Root', principalId: accountId, arn: rootArn(accountId), accountId, accessKeyId });
}

function sessionAttributes(claims: SessionClaims): SessionContext['attributes'] {
  return { creationDate: isoSeconds(new Date(claims.issuedAt)), mfaAuthenticated: claims.mfaAuthenticated ? 'true' : 'false' };
}

function sessionIdentity(app: App, claims: SessionClaims): UserIdentity {
  let identity = bySession.get(claims);
  if (identity === undefined) {
    identity = identityOfSession(app, claims);
    bySession.set(claims, identity);
  }
  return identity;
}

function identityOfSession(app: App, claims: SessionClaims): UserIdentity {
  const principal = claims.principal;
  const accessKeyId = claims.accessKeyId;
  const attributes = sessionAttributes(claims);
  switch (principal.type) {
    case 'AssumedRole': {
      const context: SessionContext = {
        sessionIssuer: {
          type: 'Role', principalId: principal.roleId, arn: iamArn(principal.accountId, 'role', principal.rolePath, principal.roleName),
          accountId: principal.accountId, userName: principal.roleName,
        },
        attributes,
      };
      if (claims.ec2) context.ec2RoleDelivery = claims.ec2.roleDelivery;
      if (claims.sourceIdentity !== undefined) context.sourceIdentity = claims.sourceIdentity;
      return Object.freeze({
        type: 'AssumedRole', principalId: `${principal.roleId}:${principal.sessionName}`,
        arn: assumedRoleArn(principal.accountId, principal.roleName, principal.sessionName),
        accountId: principal.accountId, accessKeyId, sessionContext: context,
      });
    }
    case 'User':
      return Object.freeze({
        type: 'IAMUser', principalId: principal.userId, arn: iamArn(principal.accountId, 'user', principal.userPath, principal.userName),
        accountId: principal.accountId, accessKeyId, userName: principal.userName, sessionContext: { attributes },
      });
    case 'Root':
      return Object.freeze({ ...rootIdentity(principal.accountId, accessKeyId), sessionContext: { attributes } });
    case 'FederatedUser': {
      const user = principal.userName === undefined ? undefined : app.directory.get('user', principal.userName);
      const issuer: SessionContext['sessionIssuer'] = principal.userName === undefined
        ? { type: 'Root', principalId: principal.accountId, arn: rootArn(principal.accountId), accountId: principal.accountId }
        : {
          type: 'IAMUser', principalId: principal.userId ?? user?.userId ?? '', arn: user?.arn ?? iamArn(principal.accountId, 'user', '/', principal.userName),
          accountId: principal.accountId, userName: principal.userName,
        };
      return Object.freeze({
        type: 'FederatedUser', principalId: `${principal.accountId}:${principal.name}`, arn: federatedUserArn(principal.accountId, principal.name),
        accountId: principal.accountId, accessKeyId, sessionContext: { sessionIssuer: issuer, attributes },
      });
    }
  }
}

/**
 * The user name LookupEvents reports and filters on (its Username attribute): the IAM user's name,
 * "root", the role session's name (an instance id for instance credentials), the federated user's name.
 */
export function lookupUsername(identity: UserIdentity): string | undefined {
  switch (identity.type) {
    case 'IAMUser':
      return identity.userName;
    case 'Root':
      return 'root';
    case 'AssumedRole':
    case 'FederatedUser': {
      const arn = identity.arn;
      return arn === undefined ? undefined : arn.slice(arn.lastIndexOf('/') + 1);
    }
    case 'Unknown':
      return undefined;
  }
}
