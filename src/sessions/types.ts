/**
 * The session inventory's records. A session is one temporary credential (an ASIA access key id)
 * as it was issued; its secret never leaves the sealed session token, so nothing here is secret.
 * Times are milliseconds since the epoch (aws:TokenIssueTime is compared to the millisecond).
 */
import type { SessionPrincipal } from '../auth/session-token.js';

/** Which API issued it: STS's three, or the instance metadata service (EC2 assuming the instance's role). */
export type SessionOrigin = 'AssumeRole' | 'GetSessionToken' | 'GetFederationToken' | 'InstanceMetadata';

/** Stored under kind 'session', keyed by access key id; written when the credential is issued. */
export interface SessionRecord {
  accessKeyId: string;
  origin: SessionOrigin;
  principal: SessionPrincipal;
  /** who asked: the caller's ARN (STS), or the instance's ARN (instance metadata) */
  issuedTo: string;
  /** instance credentials: the instance they were delivered to */
  instanceId?: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * How a session was cut by iamd itself (the role-wide revoke is a policy, evaluated by the policy
 * engine, and is not recorded per session): 'session' one access key, 'instance' everything issued
 * to an instance, 'containment' an exfiltration finding's auto-contain.
 */
export type RevocationScope = 'session' | 'instance' | 'containment';

/** Stored under kind 'session-revocation', keyed by access key id, until the session expires. */
export interface RevocationRecord {
  accessKeyId: string;
  scope: RevocationScope;
  revokedAt: number;
  /** the ARN of whoever revoked it (or what: a finding id for a containment) */
  revokedBy: string;
  instanceId?: string;
  reason?: string;
  /** the covered session's expiry: the revocation is dropped after it */
  expiresAt: number;
}

/** Last use of a session, kept in memory on the request path and flushed (kind 'session-usage'). */
export interface SessionUsage {
  lastUsedAt: number;
  /** the address the last request came from (an instance's private IP when it came through the instance's address) */
  sourceIp: string;
  /** the instance whose address the last request was sent to (from inside that instance's VPC), if any */
  viaInstanceId?: string;
  requests: number;
}

/** What revoked a session, as the inventory shows it. */
export type RevokedBy = RevocationScope | 'role';

export interface SessionStatus {
  revoked: boolean;
  revokedBy?: RevokedBy;
  revokedAt?: number;
  /** who revoked it (ARN), or for a role-wide revoke the policy name */
  revokedByArn?: string;
  reason?: string;
}

export interface SessionFilter {
  /** role name, without regard to case */
  roleName?: string;
  instanceId?: string;
  accessKeyId?: string;
  includeExpired?: boolean;
}
