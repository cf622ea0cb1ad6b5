/**
 * Issuing temporary credentials: an ASIA key id, a fresh secret, and the session token sealing
 * the session's claims (auth/session-token.ts). Issue time is kept to the millisecond: it is
 * aws:TokenIssueTime, which AWS's "revoke older sessions" policy compares against. Every session
 * issued is recorded in the session inventory (src/sessions) before it is handed out.
 */
import type { SessionClaims } from '../../auth/session-token.js';
import { isoSeconds } from '../../domain/clock.js';
import type { XmlObject } from '../../protocol/xml.js';
import type { App } from '../../server/app.js';

export type SessionRequest = Omit<SessionClaims, 'accessKeyId' | 'secretAccessKey' | 'issuedAt' | 'expiresAt'>;

export interface IssuedCredentials {
  claims: SessionClaims;
  sessionToken: string;
}

/** Issues a session at `time` (the request's time): for STS operations and for instance metadata. */
export function issueCredentials(app: App, time: Date, request: SessionRequest, durationSeconds: number): IssuedCredentials {
  const issuedAt = time.getTime();
  const claims: SessionClaims = {
    ...request,
    accessKeyId: unusedAccessKeyId(app),
    secretAccessKey: app.ids.secretAccessKey(),
    issuedAt,
    expiresAt: issuedAt + durationSeconds * 1000,
  };
  // In the session inventory, durably, before anyone holds the credential.
  app.sessions.record(claims);
  return { claims, sessionToken: app.tokens.seal(claims) };
}

/**
 * A temporary access key id no live session has: ids carry 39 random bits (the rest encodes the
 * account, as AWS's do), so among a million live sessions a repeat is likely, and one id must name
 * one session for the inventory and a targeted revoke.
 */
function unusedAccessKeyId(app: App): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const accessKeyId = app.ids.accessKeyId('ASIA', app.accountId);
    if (!app.sessions.inventory.get(accessKeyId) && !app.sessions.isRevoked(accessKeyId)) return accessKeyId;
  }
  throw new Error('the id generator keeps drawing access key ids that are in use');
}

export function credentialsXml(issued: IssuedCredentials): XmlObject {
  return {
    AccessKeyId: issued.claims.accessKeyId,
    SecretAccessKey: issued.claims.secretAccessKey,
    SessionToken: issued.sessionToken,
    Expiration: isoSeconds(new Date(issued.claims.expiresAt)),
  };
}
