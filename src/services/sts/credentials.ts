/**
 * Issuing temporary credentials: an ASIA key id, a fresh secret, and the session token sealing
 * the session's claims (auth/session-token.ts). Issue time is kept to the millisecond: it is
 * aws:TokenIssueTime, which AWS's "revoke older sessions" policy compares against.
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
    accessKeyId: app.ids.accessKeyId('ASIA', app.accountId),
    secretAccessKey: app.ids.secretAccessKey(),
    issuedAt,
    expiresAt: issuedAt + durationSeconds * 1000,
  };
  return { claims, sessionToken: app.tokens.seal(claims) };
}

export function credentialsXml(issued: IssuedCredentials): XmlObject {
  return {
    AccessKeyId: issued.claims.accessKeyId,
    SecretAccessKey: issued.claims.secretAccessKey,
    SessionToken: issued.sessionToken,
    Expiration: isoSeconds(new Date(issued.claims.expiresAt)),
  };
}
