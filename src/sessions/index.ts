/**
 * The session inventory and revocation (see sessions.ts): what the rest of iamd uses of it.
 */
export { Sessions, noSuchInstance, noSuchRole, noSuchSession, principalArnOf, roleNameOf, DEFAULT_EXPIRED_RETENTION_MS } from './sessions.js';
export type { RevokeOptions, RevokeOutcome, RoleRevokeOutcome, SessionView, SessionsOptions } from './sessions.js';
export { revokedSessionError } from './revocations.js';
export { REVOKE_POLICY_NAME, revokeCutoff, revokePolicyDocument } from './role-cutoff.js';
export { originOf, recordOf } from './inventory.js';
export type * from './types.js';
