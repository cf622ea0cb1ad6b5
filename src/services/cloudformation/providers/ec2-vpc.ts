/**
 * AWS::EC2::VPC (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpc.html):
 * CreateVpc, then ModifyVpcAttribute for DNS host names / support when the template asks for
 * other than the defaults (support on, host names off). Ref is the VPC id; Fn::GetAtt CidrBlock,
 * CidrBlockAssociations, DefaultNetworkAcl, DefaultSecurityGroup, Ipv6CidrBlocks and VpcId.
 * iamd has no network ACLs: DefaultNetworkAcl is a stable id derived from the VPC's.
 */
import { derivedId } from '../../ec2/ids.js';
import { cidrBlockAssociations } from '../../ec2/vpc-cidr-blocks.js';
import { flag, requiredText, text } from './properties.js';
import { provider, type Provisioned, type ProviderContext } from './provider.js';
import { ec2Params, resourceTags, stampStackTags, tagSpecification, updateTags } from './ec2-common.js';
import { stringAt, unlessGone } from './results.js';

function describe(ctx: ProviderContext, vpcId: string): Provisioned {
  const vpc = ctx.app.ec2.vpcs.get(vpcId);
  if (!vpc) throw new Error(`VPC ${vpcId} vanished while it was being created`);
  const defaultGroup = ctx.app.ec2.securityGroups.list().find((group) => group.vpcId === vpcId && group.groupName === 'default');
  return {
    physicalId: vpcId,
    attributes: {
      VpcId: vpcId,
      CidrBlock: vpc.cidrBlock,
      CidrBlockAssociations: cidrBlockAssociations(vpc).map((block) => block.associationId),
      DefaultNetworkAcl: derivedId('acl', vpcId),
      DefaultSecurityGroup: defaultGroup?.groupId ?? '',
      Ipv6CidrBlocks: [],
    },
  };
}

async function setDns(ctx: ProviderContext, vpcId: string, attribute: 'EnableDnsSupport' | 'EnableDnsHostnames', value: boolean): Promise<void> {
  await ctx.call('ec2', 'ModifyVpcAttribute', ec2Params().set('VpcId', vpcId).set(`${attribute}.Value`, value));
}

export const ec2Vpc = provider({
  type: 'AWS::EC2::VPC',
  schema: {
    CidrBlock: { type: 'string', required: true, replaces: true },
    EnableDnsHostnames: { type: 'boolean' },
    EnableDnsSupport: { type: 'boolean' },
    InstanceTenancy: { type: 'string', replaces: true },
    Ipv4IpamPoolId: { type: 'string', replaces: true, ignored: 'iamd has no IPAM pools' },
    Ipv4NetmaskLength: { type: 'number', replaces: true, ignored: 'iamd has no IPAM pools' },
    Tags: { type: 'list' },
  },
  attributes: ['CidrBlock', 'CidrBlockAssociations', 'DefaultNetworkAcl', 'DefaultSecurityGroup', 'Ipv6CidrBlocks', 'VpcId'],
  async create(ctx, properties) {
    const created = await ctx.call('ec2', 'CreateVpc', tagSpecification(ec2Params()
      .set('CidrBlock', requiredText(properties, 'CidrBlock'))
      .set('InstanceTenancy', text(properties, 'InstanceTenancy')), 'vpc', resourceTags(ctx, properties)));
    const vpcId = stringAt(created, 'vpc', 'vpcId');
    stampStackTags(ctx, ctx.app.ec2.vpcs, vpcId);
    if (flag(properties, 'EnableDnsSupport') === false) await setDns(ctx, vpcId, 'EnableDnsSupport', false);
    if (flag(properties, 'EnableDnsHostnames') === true) await setDns(ctx, vpcId, 'EnableDnsHostnames', true);
    return describe(ctx, vpcId);
  },
  async update(ctx, current, properties, changed) {
    const vpcId = current.physicalId;
    if (changed.has('EnableDnsSupport')) await setDns(ctx, vpcId, 'EnableDnsSupport', flag(properties, 'EnableDnsSupport') ?? true);
    if (changed.has('EnableDnsHostnames')) await setDns(ctx, vpcId, 'EnableDnsHostnames', flag(properties, 'EnableDnsHostnames') ?? false);
    if (changed.has('Tags')) await updateTags(ctx, vpcId, current.properties, properties);
    return describe(ctx, vpcId);
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('ec2', 'DeleteVpc', ec2Params().set('VpcId', current.physicalId)));
  },
});
