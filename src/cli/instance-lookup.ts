/**
 * Instances as the client commands see them: read through EC2 DescribeInstances (every page), the
 * role of an instance profile through IAM GetInstanceProfile, and the addresses an instance answers
 * on: its loopback address 127.b.c.d (from private IP a.b.c.d) with the API port and the IMDS port.
 */
import { loopbackAddress } from '../network/addresses.js';
import { EC2_API, IAM_API, ServiceError, type AwsQueryClient, type ServerInfo } from './aws-client.js';
import { childrenNamed, child, textAt, type XmlNode } from '../protocol/xml-reader.js';

export interface InstanceSummary {
  instanceId: string;
  state: string;
  privateIpAddress?: string;
  vpcId?: string;
  subnetId?: string;
  availabilityZone?: string;
  instanceProfileArn?: string;
  tags: Record<string, string>;
}

function readInstance(item: XmlNode): InstanceSummary {
  const tags: Record<string, string> = {};
  for (const tag of childrenNamed(child(item, 'tagSet'), 'item')) {
    const key = textAt(tag, 'key');
    if (key !== undefined) tags[key] = textAt(tag, 'value') ?? '';
  }
  const summary: InstanceSummary = {
    instanceId: textAt(item, 'instanceId') ?? '',
    state: textAt(item, 'instanceState', 'name') ?? 'unknown',
    tags,
  };
  const optional = {
    privateIpAddress: textAt(item, 'privateIpAddress'),
    vpcId: textAt(item, 'vpcId'),
    subnetId: textAt(item, 'subnetId'),
    availabilityZone: textAt(item, 'placement', 'availabilityZone'),
    instanceProfileArn: textAt(item, 'iamInstanceProfile', 'arn'),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined && value !== '') (summary as unknown as Record<string, string>)[key] = value;
  return summary;
}

/** Every instance of one DescribeInstances answer, reservations flattened. */
export function readDescribeInstances(root: XmlNode): { instances: InstanceSummary[]; nextToken?: string } {
  const instances: InstanceSummary[] = [];
  for (const reservation of childrenNamed(child(root, 'reservationSet'), 'item')) {
    for (const item of childrenNamed(child(reservation, 'instancesSet'), 'item')) instances.push(readInstance(item));
  }
  const nextToken = textAt(root, 'nextToken');
  return nextToken ? { instances, nextToken } : { instances };
}

/** DescribeInstances, all pages; with ids, just those (an unknown id is EC2's InvalidInstanceID.NotFound). */
export async function describeInstances(client: AwsQueryClient, instanceIds: readonly string[] = []): Promise<InstanceSummary[]> {
  const all: InstanceSummary[] = [];
  let nextToken: string | undefined;
  do {
    const params: Record<string, string> = {};
    instanceIds.forEach((id, index) => { params[`InstanceId.${index + 1}`] = id; });
    if (nextToken) params.NextToken = nextToken;
    const page = readDescribeInstances(await client.call(EC2_API, 'DescribeInstances', params));
    all.push(...page.instances);
    nextToken = page.nextToken;
  } while (nextToken);
  return all;
}

/** `arn:aws:iam::123456789012:instance-profile/path/name` → `name`. */
export function instanceProfileName(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  return resource.slice(resource.lastIndexOf('/') + 1);
}

/** The role an instance profile holds (an instance profile holds at most one), or undefined when it holds none or is gone. */
export async function roleOfInstanceProfile(client: AwsQueryClient, instanceProfileArn: string): Promise<string | undefined> {
  try {
    const root = await client.call(IAM_API, 'GetInstanceProfile', { InstanceProfileName: instanceProfileName(instanceProfileArn) });
    const profile = child(child(root, 'GetInstanceProfileResult'), 'InstanceProfile');
    return textAt(child(child(profile, 'Roles'), 'member'), 'RoleName');
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'NoSuchEntity') return undefined;
    throw error;
  }
}

/** Where an instance answers: its API address and its metadata service (with the trailing slash the AWS CLI needs). */
export interface InstanceAddresses {
  loopback: string;
  apiEndpoint: string;
  imdsEndpoint: string;
}

export function instanceAddresses(privateIp: string, server: ServerInfo, scheme: 'http:' | 'https:' = 'http:'): InstanceAddresses {
  const loopback = loopbackAddress(privateIp);
  return {
    loopback,
    apiEndpoint: `${scheme}//${loopback}:${server.apiPort}`,
    imdsEndpoint: `http://${loopback}:${server.imdsPort}/`,
  };
}

/** The region an instance runs in: its availability zone without the zone letter, else the server's. */
export function instanceRegion(instance: InstanceSummary, server: ServerInfo): string {
  const zone = instance.availabilityZone;
  return zone && /^[a-z]+(-[a-z]+)+-\d+[a-z]$/.test(zone) ? zone.slice(0, -1) : server.region;
}
