/**
 * Exfiltration findings, wired to the application: the detector (detector.ts) observes every
 * authenticated request and contains a session with the targeted revoke of src/sessions (scope
 * 'containment', revoked by the finding's ARN), whose refusal (InvalidClientTokenId) is also what
 * the request that triggers auto-contain gets.
 */
import type { App } from '../server/app.js';
import { revokedSessionError } from '../sessions/revocations.js';
import { ExfiltrationFindings } from './detector.js';

export { ExfiltrationFindings } from './detector.js';
export { findingView } from './guardduty-format.js';
export * from './types.js';

export function openFindings(app: App): ExfiltrationFindings {
  const findings: ExfiltrationFindings = new ExfiltrationFindings(app, {
    revoke: (record, containedBy) => {
      app.sessions.revokeSession(record.accessKeyId, {
        revokedBy: findings.arnOf(record),
        scope: 'containment',
        reason: containedBy === 'auto-contain' ? `auto-contain: ${record.type}` : `ContainFinding by ${containedBy}: ${record.type}`,
        // A session the inventory does not hold (issued before it existed) is revoked until it expires.
        expiresAt: record.sessionExpiresAt,
      });
    },
    revokedError: revokedSessionError,
  });
  return findings;
}
