/**
 * iamd's own API: the session inventory, the targeted revokes and the exfiltration findings
 * (src/services/iamd on the server), authorized as iamd:* actions like any AWS call.
 */
import { callQuery, everyPage, IAMD } from '../lib/api.js';
import { field, flag, list, number, optionalText, text, type XmlValue } from '../lib/xml.js';

export interface Session {
  accessKeyId: string;
  principal: string;
  principalType: string;
  roleName?: string;
  roleSessionName?: string;
  origin: string;
  issuedTo: string;
  instanceId?: string;
  issuedAt: string;
  expiration: string;
  expired: boolean;
  lastUsedAt?: string;
  lastUsedFrom?: string;
  requestCount: number;
  revoked: boolean;
  revokedBy?: string;
  revokedAt?: string;
  revokedByArn?: string;
  servedByInstanceMetadata: boolean;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function session(value: XmlValue): Session {
  return defined({
    accessKeyId: text(value, 'AccessKeyId'), principal: text(value, 'Principal'), principalType: text(value, 'PrincipalType'),
    roleName: optionalText(value, 'RoleName'), roleSessionName: optionalText(value, 'RoleSessionName'), origin: text(value, 'Origin'),
    issuedTo: text(value, 'IssuedTo'), instanceId: optionalText(value, 'InstanceId'), issuedAt: text(value, 'IssuedAt'),
    expiration: text(value, 'Expiration'), expired: flag(value, 'Expired'), lastUsedAt: optionalText(value, 'LastUsedAt'),
    lastUsedFrom: optionalText(value, 'LastUsedFrom'), requestCount: number(value, 'RequestCount') ?? 0, revoked: flag(value, 'Revoked'),
    revokedBy: optionalText(value, 'RevokedBy'), revokedAt: optionalText(value, 'RevokedAt'), revokedByArn: optionalText(value, 'RevokedByArn'),
    servedByInstanceMetadata: flag(value, 'ServedByInstanceMetadata'),
  });
}

export interface SessionFilter {
  roleName?: string;
  instanceId?: string;
  includeExpired?: boolean;
}

export async function listSessions(filter: SessionFilter = {}): Promise<Session[]> {
  const params: Record<string, string> = { MaxItems: '1000' };
  if (filter.roleName !== undefined) params.RoleName = filter.roleName;
  if (filter.instanceId !== undefined) params.InstanceId = filter.instanceId;
  if (filter.includeExpired) params.IncludeExpired = 'true';
  return everyPage(IAMD, 'ListSessions', params, { marker: true }, (result) => list(result, 'Sessions').map(session), 50);
}

/** Live: neither expired nor revoked (by iamd or by the role's AWSRevokeOlderSessions). */
export const isLive = (item: Session): boolean => !item.expired && !item.revoked;

export async function revokeSession(accessKeyId: string): Promise<Session[]> {
  return list(await callQuery(IAMD, 'RevokeSession', { AccessKeyId: accessKeyId }), 'Sessions').map(session);
}

/** Revokes what an instance holds: its metadata service serves a fresh credential at the next fetch. */
export async function revokeInstanceSessions(instanceId: string): Promise<Session[]> {
  return list(await callQuery(IAMD, 'RevokeInstanceSessions', { InstanceId: instanceId }), 'Sessions').map(session);
}

/** AWSRevokeOlderSessions at the server's clock, and a fresh credential for each of the role's instances at its next fetch. */
export async function revokeRoleSessionsAndReissue(roleName: string): Promise<string[]> {
  const result = await callQuery(IAMD, 'RevokeRoleSessions', { RoleName: roleName, Reissue: 'true' });
  return list(result, 'ReissuedInstances').map((id) => (typeof id === 'string' ? id : ''));
}

export interface Finding {
  id: string;
  type: string;
  title: string;
  description: string;
  severity: number;
  count: number;
  firstSeen: string;
  lastSeen: string;
  accessKeyId: string;
  roleName: string;
  instanceId: string;
  api: string;
  serviceName: string;
  sourceIp: string;
  sourceInstanceId?: string;
  contained: boolean;
  containedAt?: string;
  containedBy?: string;
  sessionRevoked: boolean;
}

function finding(value: XmlValue): Finding {
  const iamd = field(value, 'Iamd');
  const action = field(field(field(value, 'Service'), 'Action'), 'AwsApiCallAction');
  return defined({
    id: text(value, 'Id'), type: text(value, 'Type'), title: text(value, 'Title'), description: text(value, 'Description'),
    severity: number(value, 'Severity') ?? 0, count: number(value, 'Service', 'Count') ?? 1,
    firstSeen: text(value, 'Service', 'EventFirstSeen'), lastSeen: text(value, 'Service', 'EventLastSeen'),
    accessKeyId: text(value, 'Resource', 'AccessKeyDetails', 'AccessKeyId'), roleName: text(iamd, 'RoleName'), instanceId: text(iamd, 'InstanceId'),
    api: text(action, 'Api'), serviceName: text(action, 'ServiceName'), sourceIp: text(iamd, 'SourceIpAddress'),
    sourceInstanceId: optionalText(iamd, 'SourceInstanceId'), contained: flag(iamd, 'Contained'), containedAt: optionalText(iamd, 'ContainedAt'),
    containedBy: optionalText(iamd, 'ContainedBy'), sessionRevoked: flag(iamd, 'SessionRevoked'),
  });
}

export function listFindings(): Promise<Finding[]> {
  return everyPage(IAMD, 'ListFindings', { MaxItems: '1000' }, { marker: true }, (result) => list(result, 'Findings').map(finding), 50);
}

export async function containFinding(id: string): Promise<Finding | undefined> {
  const result = await callQuery(IAMD, 'ContainFinding', { Id: id });
  const contained = field(result, 'Finding');
  return contained === undefined ? undefined : finding(contained);
}
