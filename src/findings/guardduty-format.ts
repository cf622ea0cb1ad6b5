/**
 * A finding as the API shows it: GuardDuty's finding format (API reference, "Finding": Id, Arn,
 * Type, Severity, Title, Description, Resource.AccessKeyDetails, Service.Action.AwsApiCallAction
 * with RemoteIpDetails and RemoteAccountDetails, Service.Count, EventFirstSeen, EventLastSeen ...),
 * with the names of the SDKs' shapes (PascalCase), so that a GuardDuty consumer reads it unchanged.
 *
 * What GuardDuty has no field for sits in one `Iamd` object: the role, the session, the instance
 * the credentials belong to, the exact source (address dialed, the other instance and VPC for
 * InsideAWS) and the containment.
 */
import type { XmlObject } from '../protocol/xml.js';
import { INSIDE_AWS, type FindingRecord } from './types.js';

export function findingView(record: FindingRecord, arn: string, detectorId: string): XmlObject {
  const inside = record.type === INSIDE_AWS;
  const source = record.source;
  return {
    AccountId: record.accountId,
    Arn: arn,
    CreatedAt: record.createdAt,
    Description: describe(record),
    Id: record.id,
    Partition: 'aws',
    Region: record.region,
    Resource: {
      ResourceType: 'AccessKey',
      AccessKeyDetails: {
        AccessKeyId: record.accessKeyId,
        PrincipalId: record.principalId,
        UserName: record.roleName,
        UserType: 'AssumedRole',
      },
      InstanceDetails: {
        InstanceId: record.instanceId,
        NetworkInterfaces: [{ VpcId: record.vpcId, PrivateIpAddress: record.privateIp }],
      },
    },
    SchemaVersion: '2.0',
    Service: {
      Action: {
        ActionType: 'AWS_API_CALL',
        AwsApiCallAction: {
          Api: record.api,
          CallerType: inside ? 'Remote account' : 'Remote IP',
          ServiceName: `${record.serviceName}.amazonaws.com`,
          UserAgent: record.userAgent,
          RemoteIpDetails: { IpAddressV4: inside ? (source.privateIp ?? source.ipAddress) : source.ipAddress },
          // The other instance is in this account: iamd has one.
          RemoteAccountDetails: inside ? { AccountId: record.accountId, Affiliated: true } : undefined,
        },
      },
      Archived: false,
      Count: record.count,
      DetectorId: detectorId,
      EventFirstSeen: record.eventFirstSeen,
      EventLastSeen: record.eventLastSeen,
      ResourceRole: 'TARGET',
      ServiceName: 'guardduty',
    },
    Severity: record.severity,
    Title: title(record),
    Type: record.type,
    UpdatedAt: record.updatedAt,
    Iamd: {
      RoleName: record.roleName,
      RoleArn: record.roleArn,
      SessionArn: record.sessionArn,
      SessionIssuedAt: new Date(record.sessionIssuedAt).toISOString(),
      SessionExpiration: new Date(record.sessionExpiresAt).toISOString(),
      InstanceId: record.instanceId,
      InstanceArn: record.instanceArn,
      InstanceVpcId: record.vpcId,
      InstancePrivateIpAddress: record.privateIp,
      SourceIpAddress: source.ipAddress,
      SourceLocalAddress: source.localAddress,
      SourceInstanceId: source.instanceId,
      SourceVpcId: source.vpcId,
      SourcePrivateIpAddress: source.privateIp,
      Contained: record.containment !== undefined,
      ContainedAt: record.containment?.containedAt,
      ContainedBy: record.containment?.containedBy,
    },
  };
}

function title(record: FindingRecord): string {
  return record.type === INSIDE_AWS
    ? `Credentials for instance role ${record.roleName} used from another instance.`
    : `Credentials for instance role ${record.roleName} used from an external IP address.`;
}

function describe(record: FindingRecord): string {
  const delivered = `Credentials created exclusively for instance ${record.instanceId} through instance role ${record.roleName}`;
  return record.type === INSIDE_AWS
    ? `${delivered} were used through the address of instance ${record.source.instanceId ?? '?'} (${record.source.vpcId ?? '?'}, ${record.source.privateIp ?? '?'}).`
    : `${delivered} were used from external IP address ${record.source.ipAddress}.`;
}
