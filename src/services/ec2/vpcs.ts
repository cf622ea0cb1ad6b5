/**
 * VPCs: CreateVpc (with the default security group and main route table every VPC comes with),
 * DescribeVpcs and DeleteVpc (refused with DependencyViolation while it has subnets, instances, an
 * internet gateway, other groups, route tables or endpoints, as on AWS). Secondary CIDR blocks are
 * vpc-cidr-blocks.ts.
 */
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type OperationContext, type OperationMap } from '../service.js';
import { byKey, describeAuthorization, ec2Action, ec2Arn, requestTagKeys, requireAll, resourceTagKeys, tagOnCreateAuthorization, tagsXml } from './common.js';
import { dependencyViolation, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.js';
import { applyFilters, Ec2Input, filtersOf, pageRequest, paginate, tagSpecificationsOf, type FilterFields } from './input.js';
import { findVpc, internetGatewayOf } from './lookups.js';
import { defaultSecurityGroup, mainRouteTable, newVpc } from './network.js';
import { tableWrite } from './state.js';
import type { VpcRecord } from './types.js';
import { blockOf, cidrBlockAssociations, cidrBlocksOf } from './vpc-cidr-blocks.js';

export function vpcXml(ctx: OperationContext, vpc: VpcRecord, state: 'pending' | 'available' = vpc.state): XmlObject {
  return {
    vpcId: vpc.vpcId,
    ownerId: ctx.app.accountId,
    state,
    cidrBlock: vpc.cidrBlock,
    cidrBlockAssociationSet: cidrBlockAssociations(vpc).map((block) => ({
      associationId: block.associationId,
      cidrBlock: block.cidrBlock,
      cidrBlockState: { state: 'associated' },
    })),
    ipv6CidrBlockAssociationSet: [],
    dhcpOptionsId: vpc.dhcpOptionsId,
    instanceTenancy: vpc.instanceTenancy,
    isDefault: vpc.isDefault,
    tagSet: tagsXml(vpc.tags),
    blockPublicAccessStates: { internetGatewayBlockMode: 'off' },
  };
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpc.html */
const CreateVpc = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const cidrBlock = input.required('CidrBlock', 'cidrBlock');
    blockOf(cidrBlock, 'InvalidVpc.Range');
    const tenancy = input.string('InstanceTenancy') ?? 'default';
    if (!['default', 'dedicated'].includes(tenancy)) throw invalidParameterValue(`Value (${tenancy}) for parameter instanceTenancy is invalid.`);
    const tags = tagSpecificationsOf(input, ['vpc']).get('vpc') ?? [];
    const state = ctx.app.ec2;
    const vpc = { ...newVpc(state, ctx.app.accountId, ctx.app.region, cidrBlock, false, tags), instanceTenancy: tenancy };
    const arn = ec2Arn(ctx, 'vpc', vpc.vpcId);
    requireAll(ctx, input.dryRun, [
      { action: ec2Action('CreateVpc'), resource: arn, conditionKeys: { 'ec2:InstanceTenancy': tenancy, ...requestTagKeys(tags) } },
      ...tagOnCreateAuthorization(arn, 'CreateVpc', tags),
    ]);
    state.commit([
      tableWrite(state.vpcs, [{ put: vpc }]),
      tableWrite(state.securityGroups, [{ put: defaultSecurityGroup(state, ctx.app.accountId, vpc.vpcId) }]),
      tableWrite(state.routeTables, [{ put: mainRouteTable(state, ctx.app.accountId, vpc) }]),
    ]);
    return { vpc: vpcXml(ctx, vpc, 'pending') };
  },
});

const VPC_FILTERS: FilterFields<VpcRecord> = {
  'vpc-id': (vpc) => vpc.vpcId,
  cidr: (vpc) => vpc.cidrBlock,
  'cidr-block-association.cidr-block': (vpc) => cidrBlocksOf(vpc),
  'cidr-block-association.state': () => 'associated',
  'cidr-block-association.association-id': (vpc) => cidrBlockAssociations(vpc).map((block) => block.associationId),
  'dhcp-options-id': (vpc) => vpc.dhcpOptionsId,
  'is-default': (vpc) => vpc.isDefault,
  state: (vpc) => vpc.state,
  'instance-tenancy': (vpc) => vpc.instanceTenancy,
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html */
const DescribeVpcs = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = input.list('VpcId');
    const page = pageRequest(input);
    const filters = filtersOf(input);
    const chosen = ids.length > 0 ? [...new Set(ids)].map((id) => findVpc(ctx, id)) : ctx.app.ec2.vpcs.list();
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeVpcs')]);
    const fields: FilterFields<VpcRecord> = { ...VPC_FILTERS, 'owner-id': () => ctx.app.accountId };
    const matching = applyFilters(chosen, filters, fields, (vpc) => vpc.tags).sort(byKey((vpc) => vpc.vpcId));
    const { items, nextToken } = paginate(matching, page);
    return { vpcSet: items.map((vpc) => vpcXml(ctx, vpc)), nextToken };
  },
});

/** What keeps a VPC from being deleted (besides its default group and main route table). */
function hasDependencies(ctx: OperationContext, vpcId: string): boolean {
  const ec2 = ctx.app.ec2;
  return ec2.subnets.list().some((subnet) => subnet.vpcId === vpcId)
    || ec2.instances.list().some((instance) => instance.vpcId === vpcId && instance.state !== 'terminated')
    || internetGatewayOf(ec2, vpcId) !== undefined
    || ec2.securityGroups.list().some((group) => group.vpcId === vpcId && group.groupName !== 'default')
    || ec2.routeTables.list().some((table) => table.vpcId === vpcId && !table.associations.some((association) => association.main))
    || ec2.vpcEndpoints.list().some((endpoint) => endpoint.vpcId === vpcId)
    || ec2.natGateways.list().some((gateway) => gateway.vpcId === vpcId && gateway.state !== 'deleted' && gateway.state !== 'failed');
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpc.html */
const DeleteVpc = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const vpc = findVpc(ctx, input.required('VpcId'));
    const arn = ec2Arn(ctx, 'vpc', vpc.vpcId);
    requireAll(ctx, input.dryRun, [{ action: ec2Action('DeleteVpc'), resource: arn, conditionKeys: resourceTagKeys(vpc.tags) }]);
    if (hasDependencies(ctx, vpc.vpcId)) throw dependencyViolation(`The vpc '${vpc.vpcId}' has dependencies and cannot be deleted.`);
    const state = ctx.app.ec2;
    state.commit([
      tableWrite(state.securityGroups, state.securityGroups.list().filter((group) => group.vpcId === vpc.vpcId).map((group) => ({ delete: group.groupId }))),
      tableWrite(state.routeTables, state.routeTables.list().filter((table) => table.vpcId === vpc.vpcId).map((table) => ({ delete: table.routeTableId }))),
      tableWrite(state.vpcs, [{ delete: vpc.vpcId }]),
    ]);
    return { return: true };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcAttribute.html — DNS support and host names, one per call. */
const ModifyVpcAttribute = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const vpc = findVpc(ctx, input.required('VpcId', 'vpcId'));
    const hostnames = input.boolean('EnableDnsHostnames.Value');
    const support = input.boolean('EnableDnsSupport.Value');
    if (hostnames !== undefined && support !== undefined) {
      throw invalidParameterCombination('Fields for multiple attribute types specified: enableDnsHostnames, enableDnsSupport');
    }
    if (hostnames === undefined && support === undefined) throw missingParameter('EnableDnsHostnames');
    requireAll(ctx, input.dryRun, [{ action: ec2Action('ModifyVpcAttribute'), resource: ec2Arn(ctx, 'vpc', vpc.vpcId), conditionKeys: resourceTagKeys(vpc.tags) }]);
    ctx.app.ec2.vpcs.put({
      ...vpc,
      ...(hostnames !== undefined ? { enableDnsHostnames: hostnames } : {}),
      ...(support !== undefined ? { enableDnsSupport: support } : {}),
    });
    return { return: true };
  },
});

export const vpcOperations: OperationMap = { CreateVpc, DescribeVpcs, DeleteVpc, ModifyVpcAttribute };
