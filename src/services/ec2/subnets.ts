/**
 * Subnets: a block inside its VPC's CIDR (InvalidSubnet.Range), overlapping no other subnet of the
 * VPC (InvalidSubnet.Conflict), in one of the region's zones. Deleting one that still holds
 * instances or interface endpoints is a DependencyViolation; its route table association goes with it.
 */
import type { XmlObject } from '../../protocol/xml.js';
import { AwsError } from '../../protocol/aws-error.js';
import { operation, type OperationContext, type OperationMap } from '../service.js';
import { byKey, describeAuthorization, ec2Action, ec2Arn, requestTagKeys, requireAll, resourceTagKeys, tagOnCreateAuthorization, tagsXml } from './common.js';
import { cidrContains, cidrsOverlap, parseCidr } from './cidr.js';
import { dependencyViolation, invalidParameterValue } from './errors.js';
import { applyFilters, Ec2Input, filtersOf, pageRequest, paginate, tagSpecificationsOf, type FilterFields } from './input.js';
import { findSubnet, findVpc } from './lookups.js';
import { availableAddressCount } from './private-ips.js';
import { availabilityZones } from './regions.js';
import { tableWrite } from './state.js';
import type { SubnetRecord } from './types.js';
import { blockOf, cidrBlocksOf } from './vpc-cidr-blocks.js';

export function subnetXml(ctx: OperationContext, subnet: SubnetRecord): XmlObject {
  return {
    subnetId: subnet.subnetId,
    subnetArn: ec2Arn(ctx, 'subnet', subnet.subnetId),
    state: subnet.state,
    vpcId: subnet.vpcId,
    cidrBlock: subnet.cidrBlock,
    ipv6CidrBlockAssociationSet: [],
    availableIpAddressCount: availableAddressCount(ctx.app.ec2, subnet),
    availabilityZone: subnet.availabilityZone,
    availabilityZoneId: subnet.availabilityZoneId,
    defaultForAz: subnet.defaultForAz,
    mapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
    assignIpv6AddressOnCreation: false,
    mapCustomerOwnedIpOnLaunch: false,
    ownerId: ctx.app.accountId,
    tagSet: tagsXml(subnet.tags),
    enableDns64: false,
    ipv6Native: false,
    privateDnsNameOptionsOnLaunch: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
    blockPublicAccessStates: { internetGatewayBlockMode: 'off' },
  };
}

function zoneFor(ctx: OperationContext, input: Ec2Input): { zoneName: string; zoneId: string } {
  const zones = availabilityZones(ctx.app.region);
  const name = input.string('AvailabilityZone');
  const id = input.string('AvailabilityZoneId');
  const zone = name !== undefined ? zones.find((candidate) => candidate.zoneName === name)
    : id !== undefined ? zones.find((candidate) => candidate.zoneId === id) : zones[0];
  if (!zone) {
    const given = name ?? id!;
    throw invalidParameterValue(`Value (${given}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${zones.map((candidate) => candidate.zoneName).join(', ')}.`);
  }
  return zone;
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSubnet.html */
const CreateSubnet = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const vpc = findVpc(ctx, input.required('VpcId', 'vpcId'));
    const cidrBlock = input.required('CidrBlock', 'cidrBlock');
    blockOf(cidrBlock, 'InvalidSubnet.Range');
    const cidr = parseCidr(cidrBlock)!;
    if (!cidrBlocksOf(vpc).some((block) => cidrContains(parseCidr(block)!, cidr))) {
      throw new AwsError('InvalidSubnet.Range', `The CIDR '${cidrBlock}' is invalid.`, 400);
    }
    const zone = zoneFor(ctx, input);
    const tags = tagSpecificationsOf(input, ['subnet']).get('subnet') ?? [];
    const state = ctx.app.ec2;
    const subnet: SubnetRecord = {
      subnetId: state.ids.id('subnet'),
      vpcId: vpc.vpcId,
      cidrBlock,
      availabilityZone: zone.zoneName,
      availabilityZoneId: zone.zoneId,
      defaultForAz: false,
      mapPublicIpOnLaunch: false,
      state: 'available',
      tags,
    };
    const arn = ec2Arn(ctx, 'subnet', subnet.subnetId);
    const vpcArn = ec2Arn(ctx, 'vpc', vpc.vpcId);
    requireAll(ctx, input.dryRun, [
      { action: ec2Action('CreateSubnet'), resource: arn, conditionKeys: { 'ec2:Vpc': vpcArn, 'ec2:AvailabilityZone': zone.zoneName, ...requestTagKeys(tags) } },
      { action: ec2Action('CreateSubnet'), resource: vpcArn, conditionKeys: { 'ec2:VpcID': vpc.vpcId, ...resourceTagKeys(vpc.tags) } },
      ...tagOnCreateAuthorization(arn, 'CreateSubnet', tags),
    ]);
    if (state.subnets.list().some((other) => other.vpcId === vpc.vpcId && cidrsOverlap(parseCidr(other.cidrBlock)!, cidr))) {
      throw new AwsError('InvalidSubnet.Conflict', `The CIDR '${cidrBlock}' conflicts with another subnet`, 400);
    }
    state.subnets.put(subnet);
    return { subnet: subnetXml(ctx, subnet) };
  },
});

const SUBNET_FILTERS: FilterFields<SubnetRecord> = {
  'subnet-id': (subnet) => subnet.subnetId,
  'vpc-id': (subnet) => subnet.vpcId,
  vpcId: (subnet) => subnet.vpcId,
  'availability-zone': (subnet) => subnet.availabilityZone,
  availabilityZone: (subnet) => subnet.availabilityZone,
  'availability-zone-id': (subnet) => subnet.availabilityZoneId,
  'cidr-block': (subnet) => subnet.cidrBlock,
  cidr: (subnet) => subnet.cidrBlock,
  cidrBlock: (subnet) => subnet.cidrBlock,
  'default-for-az': (subnet) => subnet.defaultForAz,
  defaultForAz: (subnet) => subnet.defaultForAz,
  'map-public-ip-on-launch': (subnet) => subnet.mapPublicIpOnLaunch,
  state: (subnet) => subnet.state,
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html */
const DescribeSubnets = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = input.list('SubnetId');
    const page = pageRequest(input);
    const filters = filtersOf(input);
    const chosen = ids.length > 0 ? [...new Set(ids)].map((id) => findSubnet(ctx, id)) : ctx.app.ec2.subnets.list();
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeSubnets')]);
    const fields: FilterFields<SubnetRecord> = {
      ...SUBNET_FILTERS,
      'owner-id': () => ctx.app.accountId,
      'subnet-arn': (subnet) => ec2Arn(ctx, 'subnet', subnet.subnetId),
      'available-ip-address-count': (subnet) => availableAddressCount(ctx.app.ec2, subnet),
    };
    const matching = applyFilters(chosen, filters, fields, (subnet) => subnet.tags).sort(byKey((subnet) => subnet.subnetId));
    const { items, nextToken } = paginate(matching, page);
    return { subnetSet: items.map((subnet) => subnetXml(ctx, subnet)), nextToken };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSubnet.html */
const DeleteSubnet = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const subnet = findSubnet(ctx, input.required('SubnetId', 'subnetId'));
    requireAll(ctx, input.dryRun, [{
      action: ec2Action('DeleteSubnet'),
      resource: ec2Arn(ctx, 'subnet', subnet.subnetId),
      conditionKeys: { 'ec2:Vpc': ec2Arn(ctx, 'vpc', subnet.vpcId), 'ec2:AvailabilityZone': subnet.availabilityZone, ...resourceTagKeys(subnet.tags) },
    }]);
    const state = ctx.app.ec2;
    const inUse = state.instances.list().some((instance) => instance.subnetId === subnet.subnetId && instance.state !== 'terminated')
      || state.vpcEndpoints.list().some((endpoint) => endpoint.subnetIds.includes(subnet.subnetId))
      || state.natGateways.list().some((gateway) => gateway.subnetId === subnet.subnetId && gateway.state !== 'deleted' && gateway.state !== 'failed');
    if (inUse) throw dependencyViolation(`The subnet '${subnet.subnetId}' has dependencies and cannot be deleted.`);
    const tables = state.routeTables.list().filter((table) => table.associations.some((association) => association.subnetId === subnet.subnetId));
    state.commit([
      tableWrite(state.routeTables, tables.map((table) => ({
        put: { ...table, associations: table.associations.filter((association) => association.subnetId !== subnet.subnetId) },
      }))),
      tableWrite(state.subnets, [{ delete: subnet.subnetId }]),
    ]);
    return { return: true };
  },
});

export const subnetOperations: OperationMap = { CreateSubnet, DescribeSubnets, DeleteSubnet };
