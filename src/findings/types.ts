/**
 * Exfiltration findings as iamd keeps them: one record per (session, finding type), created on the
 * first request that gives the session away and updated in memory by the ones after it. The API
 * shows a record in GuardDuty's finding format (guardduty-format.ts); this is the stored form.
 */

/** GuardDuty's two finding types for instance credentials used away from their instance. */
export const OUTSIDE_AWS = 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS';
export const INSIDE_AWS = 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.InsideAWS';

export type FindingType = typeof OUTSIDE_AWS | typeof INSIDE_AWS;

export const FINDING_TYPES: readonly FindingType[] = [OUTSIDE_AWS, INSIDE_AWS];

/**
 * GuardDuty documents both types with "Default severity: High"; its High band is 7.0-8.9 and its
 * own findings of these types carry 8.
 */
export const HIGH_SEVERITY = 8;

/** Where a request came from: the address it was sent from and, inside, the instance whose address it went through. */
export interface FindingSource {
  /** the client's address as the socket saw it */
  ipAddress: string;
  /** the local address the client dialed */
  localAddress: string;
  /** InsideAWS: the other instance, its VPC and private IP */
  instanceId?: string;
  vpcId?: string;
  privateIp?: string;
}

export interface FindingContainment {
  /** ISO time with milliseconds */
  containedAt: string;
  /** 'auto-contain' (the server setting), else the ARN of whoever called ContainFinding */
  containedBy: string;
}

export interface FindingRecord {
  id: string;
  type: FindingType;
  severity: number;
  accountId: string;
  region: string;
  /** the session's ASIA key id */
  accessKeyId: string;
  /** aws:userid of the session: AROA...:i-... */
  principalId: string;
  roleName: string;
  roleArn: string;
  /** the session's ARN: arn:aws:sts::ACCOUNT:assumed-role/ROLE/i-... */
  sessionArn: string;
  /** the instance the credentials were delivered to */
  instanceId: string;
  instanceArn: string;
  vpcId: string;
  privateIp: string;
  /** ms since the epoch */
  sessionIssuedAt: number;
  sessionExpiresAt: number;
  /** the most recent request's source and call (GuardDuty's action shows the latest) */
  source: FindingSource;
  api: string;
  serviceName: string;
  userAgent: string;
  /** ISO times with milliseconds */
  createdAt: string;
  updatedAt: string;
  eventFirstSeen: string;
  eventLastSeen: string;
  /** requests seen (the first included) */
  count: number;
  containment?: FindingContainment;
}
