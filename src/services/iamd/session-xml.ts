/**
 * The Session shape of iamd's API: a session as the inventory shows it (src/sessions). Times are
 * ISO 8601 with milliseconds: an issue time is aws:TokenIssueTime, which revocation cut-offs are
 * compared with to the millisecond.
 */
import type { SessionView } from '../../sessions/index.js';
import type { XmlObject } from '../../protocol/xml.js';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

export function sessionXml(view: SessionView): XmlObject {
  const { record, usage, status } = view;
  const principal = record.principal;
  return {
    AccessKeyId: record.accessKeyId,
    Principal: view.principalArn,
    PrincipalType: principal.type,
    RoleName: principal.type === 'AssumedRole' ? principal.roleName : undefined,
    RoleSessionName: principal.type === 'AssumedRole' ? principal.sessionName : undefined,
    Origin: record.origin,
    IssuedTo: record.issuedTo,
    InstanceId: record.instanceId,
    IssuedAt: iso(record.issuedAt),
    Expiration: iso(record.expiresAt),
    Expired: view.expired,
    LastUsedAt: iso(usage?.lastUsedAt),
    LastUsedFrom: usage?.sourceIp,
    LastUsedViaInstanceId: usage?.viaInstanceId,
    RequestCount: usage?.requests ?? 0,
    Revoked: status.revoked,
    RevokedBy: status.revokedBy,
    RevokedAt: iso(status.revokedAt),
    RevokedByArn: status.revokedByArn,
    RevocationReason: status.reason,
    ServedByInstanceMetadata: view.served,
  };
}
