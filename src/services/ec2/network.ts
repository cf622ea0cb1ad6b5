/**
 * The records every VPC comes with, and the default network of a new account: VPC 172.31.0.0/16
 * with one /20 default subnet per availability zone (172.31.0.0/20, 172.31.16.0/20, ...), an
 * attached internet gateway, a main route table with the local route and 0.0.0.0/0 to the
 * gateway, and the security group "default"
 * (https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html).
 */
import type { Tag } from '../../directory/types.js';
import { derivedId } from './ids.js';
import { availabilityZones } from './regions.js';
import { tableWrite, type Ec2State, type TableWrite } from './state.js';
import type { IpPermission, RouteTableRecord, SecurityGroupRecord, SubnetRecord, VpcRecord } from './types.js';

export const DEFAULT_VPC_CIDR = '172.31.0.0/16';

/** One DHCP options set per account and region, shared by its VPCs as AWS's default one is. */
export function dhcpOptionsId(accountId: string, region: string): string {
  return derivedId('dopt', accountId, region);
}

export function newVpc(state: Ec2State, accountId: string, region: string, cidrBlock: string, isDefault: boolean, tags: Tag[]): VpcRecord {
  return {
    vpcId: state.ids.id('vpc'),
    cidrBlock,
    additionalCidrBlocks: [],
    isDefault,
    state: 'available',
    dhcpOptionsId: dhcpOptionsId(accountId, region),
    instanceTenancy: 'default',
    enableDnsSupport: true,
    // A default VPC resolves instance host names; a new VPC does not until asked to.
    enableDnsHostnames: isDefault,
    tags,
  };
}

const allTraffic = (extra: Partial<IpPermission>): IpPermission => ({
  ipProtocol: '-1', ipRanges: [], ipv6Ranges: [], userIdGroupPairs: [], prefixListIds: [], ...extra,
});

/** The group "default" of a VPC: all traffic from its own members in, everything out. */
export function defaultSecurityGroup(state: Ec2State, accountId: string, vpcId: string): SecurityGroupRecord {
  const groupId = state.ids.id('sg');
  return {
    groupId,
    groupName: 'default',
    description: 'default VPC security group',
    vpcId,
    ownerId: accountId,
    ipPermissions: [allTraffic({ userIdGroupPairs: [{ groupId, userId: accountId }] })],
    ipPermissionsEgress: [allTraffic({ ipRanges: [{ cidrIp: '0.0.0.0/0' }] })],
    tags: [],
  };
}

/** A VPC's main route table, with the local route of its CIDR. */
export function mainRouteTable(state: Ec2State, accountId: string, vpc: VpcRecord): RouteTableRecord {
  return {
    routeTableId: state.ids.id('rtb'),
    vpcId: vpc.vpcId,
    routes: [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' }],
    associations: [{ routeTableAssociationId: state.ids.id('rtbassoc'), main: true }],
    ownerId: accountId,
    tags: [],
  };
}

/** The default network of a region, as table writes (see the module comment). */
export function createDefaultNetwork(state: Ec2State, accountId: string, region: string): { vpcId: string; writes: TableWrite[] } {
  const vpc = newVpc(state, accountId, region, DEFAULT_VPC_CIDR, true, []);
  const subnets: SubnetRecord[] = availabilityZones(region).map((zone, index) => ({
    subnetId: state.ids.id('subnet'),
    vpcId: vpc.vpcId,
    cidrBlock: `172.31.${index * 16}.0/20`,
    availabilityZone: zone.zoneName,
    availabilityZoneId: zone.zoneId,
    defaultForAz: true,
    mapPublicIpOnLaunch: true,
    state: 'available',
    tags: [],
  }));
  const internetGatewayId = state.ids.id('igw');
  const routes = mainRouteTable(state, accountId, vpc);
  routes.routes.push({ destinationCidrBlock: '0.0.0.0/0', gatewayId: internetGatewayId, state: 'active', origin: 'CreateRoute' });
  return {
    vpcId: vpc.vpcId,
    writes: [
      tableWrite(state.vpcs, [{ put: vpc }]),
      tableWrite(state.subnets, subnets.map((subnet) => ({ put: subnet }))),
      tableWrite(state.internetGateways, [{ put: { internetGatewayId, attachments: [{ vpcId: vpc.vpcId, state: 'available' }], ownerId: accountId, tags: [] } }]),
      tableWrite(state.routeTables, [{ put: routes }]),
      tableWrite(state.securityGroups, [{ put: defaultSecurityGroup(state, accountId, vpc.vpcId) }]),
    ],
  };
}
