/**
 * The metadata tree of one instance, as https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-categories.html
 * lays it out: directories list their entries one per line, sub-directories with a trailing `/`;
 * files are text. Directories are built only when a request walks through them, so fetching a
 * credential touches the iam/ branch alone.
 *
 * Served: ami-id, ami-launch-index, ami-manifest-path, block-device-mapping/, hostname, iam/ (only
 * with an instance profile), instance-action, instance-id, instance-life-cycle, instance-type,
 * local-hostname, local-ipv4, mac, network/interfaces/macs/, placement/, profile, public-hostname
 * and public-ipv4 (only while an Elastic IP address is associated; the host name only when the VPC
 * has DNS host names on), reservation-id, security-groups, services/, tags/instance/ (only with
 * InstanceMetadataTags enabled); user-data; dynamic/instance-identity/document.
 * Known gaps: no public-keys/ (iamd keeps no key material), events/, spot/, metrics/, the signed
 * identity documents (pkcs7, signature: AWS's signing key), identity-credentials/ and
 * iam/security-credentials-extended/ (404, which makes the SDKs fall back to the classic path).
 */
import { isoSeconds } from '../domain/clock.js';
import type { App } from '../server/app.js';
import type { InstanceRecord } from '../services/ec2/types.js';
import { cidrBlocksOf } from '../services/ec2/vpc-cidr-blocks.js';
import { instancePublicAddress } from '../services/ec2/public-addresses.js';
import { credentialDocument, infoDocument, profileState, type CredentialTiming, type ProfileState, type RoleDelivery } from './credentials.js';
import { imdsJson } from './json.js';

export type MetadataNode =
  | { kind: 'file'; body: () => string | Buffer }
  | { kind: 'dir'; entries: () => ReadonlyArray<readonly [string, MetadataNode]> };

/** What the tree of one request needs. */
export interface MetadataRequest {
  app: App;
  instance: InstanceRecord;
  delivery: RoleDelivery;
  timing: CredentialTiming;
}

const file = (body: () => string | Buffer): MetadataNode => ({ kind: 'file', body });
const text = (value: string): MetadataNode => ({ kind: 'file', body: () => value });
const dir = (entries: () => ReadonlyArray<readonly [string, MetadataNode]>): MetadataNode => ({ kind: 'dir', entries });

/** The versions the service answers under (GET / lists them); they all serve the same tree. */
export const VERSIONS: readonly string[] = [
  '1.0', '2007-01-19', '2007-03-01', '2007-08-29', '2007-10-10', '2007-12-15', '2008-02-01', '2008-09-01', '2009-04-04',
  '2011-01-01', '2011-05-01', '2012-01-12', '2014-02-25', '2014-11-05', '2015-10-20', '2016-04-19', '2016-06-30',
  '2016-09-02', '2018-03-28', '2018-08-17', '2018-09-24', '2019-10-01', '2020-10-27', '2021-01-03', '2021-03-23',
  '2021-07-15', '2022-09-24', '2024-04-11', 'latest',
];

/** The tree under /<version>/: dynamic, meta-data and, when the instance has any, user-data. */
export function versionRoot(request: MetadataRequest): MetadataNode {
  return dir(() => {
    const entries: Array<readonly [string, MetadataNode]> = [['dynamic', dynamic(request)], ['meta-data', metaData(request)]];
    const userData = request.instance.userData;
    if (userData !== undefined && userData !== '') entries.push(['user-data', file(() => Buffer.from(userData, 'base64'))]);
    return entries;
  });
}


function publicEntries(address: { ip: string; hostname: string } | undefined, ipName: string): Array<readonly [string, MetadataNode]> {
  if (!address) return [];
  return [...(address.hostname ? [['public-hostname', text(address.hostname)] as const] : []), [ipName, text(address.ip)] as const];
}

function metaData(request: MetadataRequest): MetadataNode {
  return dir(() => {
    const { app, instance } = request;
    const iam = iamTree(request);
    const address = instancePublicAddress(app.ec2, app.region, instance);
    const entries: Array<readonly [string, MetadataNode]> = [
      ['ami-id', text(instance.imageId)],
      ['ami-launch-index', text(String(instance.amiLaunchIndex))],
      ['ami-manifest-path', text('(unknown)')],
      ['block-device-mapping', dir(() => [['ami', text('/dev/xvda')], ['root', text('/dev/xvda')]])],
      ['hostname', text(instance.privateDnsName)],
      ...(iam ? [['iam', iam] as const] : []),
      ['instance-action', text('none')],
      ['instance-id', text(instance.instanceId)],
      ['instance-life-cycle', text('on-demand')],
      ['instance-type', text(instance.instanceType)],
      ['local-hostname', text(instance.privateDnsName)],
      ['local-ipv4', text(instance.privateIpAddress)],
      ['mac', text(instance.macAddress)],
      ['network', dir(() => [['interfaces', dir(() => [['macs', dir(() => [[instance.macAddress, networkInterface(app, instance)]])]])]])],
      ['placement', placement(app, instance)],
      ['profile', text('default-hvm')],
      ...publicEntries(address, 'public-ipv4'),
      ['reservation-id', text(instance.reservationId)],
      ['security-groups', file(() => securityGroupNames(app, instance).join('\n'))],
      ['services', dir(() => [['domain', text('amazonaws.com')], ['partition', text('aws')]])],
    ];
    if (instance.metadataOptions.instanceMetadataTags === 'enabled') {
      entries.push(['tags', dir(() => [['instance', dir(() => instance.tags.map((tag) => [tag.Key, text(tag.Value)] as const))]])]);
    }
    return entries;
  });
}

function iamTree(request: MetadataRequest): MetadataNode | undefined {
  const { app, instance } = request;
  const state: ProfileState = profileState(app, instance);
  if (state.kind === 'none') return undefined;
  return dir(() => {
    const entries: Array<readonly [string, MetadataNode]> = [['info', file(() => infoDocument(app, instance, state))]];
    if (state.kind === 'role') {
      const { role } = state;
      entries.push(['security-credentials', dir(() => [[role.roleName, file(() => credentialDocument(app, instance, role, request.delivery, request.timing))]])]);
    }
    return entries;
  });
}

function networkInterface(app: App, instance: InstanceRecord): MetadataNode {
  return dir(() => {
    const subnet = app.ec2.subnets.get(instance.subnetId);
    const vpc = app.ec2.vpcs.get(instance.vpcId);
    const vpcCidrs = vpc ? cidrBlocksOf(vpc) : [];
    const address = instancePublicAddress(app.ec2, app.region, instance);
    const entries: Array<readonly [string, MetadataNode]> = [
      ['device-number', text('0')],
      ['interface-id', text(instance.networkInterfaceId)],
      ...(address ? [['ipv4-associations', dir(() => [[address.ip, text(instance.privateIpAddress)]])] as const] : []),
      ['local-hostname', text(instance.privateDnsName)],
      ['local-ipv4s', text(instance.privateIpAddress)],
      ['mac', text(instance.macAddress)],
      ['owner-id', text(instance.ownerId)],
      ...publicEntries(address, 'public-ipv4s'),
      ['security-group-ids', text(instance.securityGroupIds.join('\n'))],
      ['security-groups', file(() => securityGroupNames(app, instance).join('\n'))],
      ['subnet-id', text(instance.subnetId)],
    ];
    if (subnet) entries.push(['subnet-ipv4-cidr-block', text(subnet.cidrBlock)]);
    entries.push(['vpc-id', text(instance.vpcId)]);
    if (vpc) entries.push(['vpc-ipv4-cidr-block', text(vpc.cidrBlock)], ['vpc-ipv4-cidr-blocks', text(vpcCidrs.join('\n'))]);
    return entries;
  });
}

function placement(app: App, instance: InstanceRecord): MetadataNode {
  return dir(() => {
    const zoneId = app.ec2.subnets.get(instance.subnetId)?.availabilityZoneId;
    return [
      ['availability-zone', text(instance.availabilityZone)],
      ...(zoneId !== undefined ? [['availability-zone-id', text(zoneId)] as const] : []),
      ['region', text(app.region)],
    ];
  });
}

function securityGroupNames(app: App, instance: InstanceRecord): string[] {
  return instance.securityGroupIds.map((id) => app.ec2.securityGroups.get(id)?.groupName ?? id);
}

function dynamic(request: MetadataRequest): MetadataNode {
  return dir(() => [['instance-identity', dir(() => [['document', file(() => identityDocument(request.app, request.instance))]])]]);
}

/** https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/retrieve-iid.html: members in AWS's order. */
function identityDocument(app: App, instance: InstanceRecord): string {
  return imdsJson({
    accountId: app.accountId,
    architecture: instance.architecture,
    availabilityZone: instance.availabilityZone,
    billingProducts: null,
    devpayProductCodes: null,
    marketplaceProductCodes: null,
    imageId: instance.imageId,
    instanceId: instance.instanceId,
    instanceType: instance.instanceType,
    kernelId: null,
    pendingTime: isoSeconds(new Date(instance.pendingTime)),
    privateIp: instance.privateIpAddress,
    ramdiskId: null,
    region: app.region,
    version: '2017-09-30',
  });
}

/** The node at `segments` below `node` (an empty last segment: the path ended with '/'), or undefined. */
export function walk(node: MetadataNode, segments: readonly string[]): MetadataNode | undefined {
  let current = node;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (current.kind === 'file') return undefined;
    if (segment === '') return i === segments.length - 1 ? current : undefined;
    const next = current.entries().find(([name]) => name === segment);
    if (!next) return undefined;
    current = next[1];
  }
  return current;
}

/** A directory's listing: one entry per line, sub-directories with a trailing '/'. */
export function listing(node: Extract<MetadataNode, { kind: 'dir' }>, slashes = true): string {
  return node.entries().map(([name, child]) => (slashes && child.kind === 'dir' ? `${name}/` : name)).join('\n');
}
