/**
 * AWS::EC2::Subnet (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-subnet.html):
 * CreateSubnet. Ref is the subnet id; Fn::GetAtt AvailabilityZone, AvailabilityZoneId, CidrBlock,
 * Ipv6CidrBlocks, NetworkAclAssociationId, OutpostArn, SubnetId and VpcId. iamd gives instances no
 * automatic public addresses (only Elastic IP addresses), so MapPublicIpOnLaunch is accepted and has no effect.
 */
import { createHash } from 'node:crypto';
import { requiredText, text } from './properties.js';
import { provider, type Provisioned, type ProviderContext } from './provider.js';
import { ec2Params, resourceTags, stampStackTags, tagSpecification, updateTags } from './ec2-common.js';
import { stringAt, unlessGone } from './results.js';

const NO_PUBLIC_ADDRESSES = 'iamd gives instances no automatic public addresses (Elastic IP addresses only)';
const NO_IPV6 = 'iamd networks are IPv4 only';

function describe(ctx: ProviderContext, subnetId: string): Provisioned {
  const subnet = ctx.app.ec2.subnets.get(subnetId);
  if (!subnet) throw new Error(`subnet ${subnetId} vanished while it was being created`);
  return {
    physicalId: subnetId,
    attributes: {
      SubnetId: subnetId,
      VpcId: subnet.vpcId,
      AvailabilityZone: subnet.availabilityZone,
      AvailabilityZoneId: subnet.availabilityZoneId,
      CidrBlock: subnet.cidrBlock,
      Ipv6CidrBlocks: [],
      NetworkAclAssociationId: `aclassoc-${createHash('sha256').update(subnetId).digest('hex').slice(0, 17)}`,
      OutpostArn: '',
    },
  };
}

export const ec2Subnet = provider({
  type: 'AWS::EC2::Subnet',
  schema: {
    AssignIpv6AddressOnCreation: { type: 'boolean', ignored: NO_IPV6 },
    AvailabilityZone: { type: 'string', replaces: true },
    AvailabilityZoneId: { type: 'string', replaces: true },
    CidrBlock: { type: 'string', required: true, replaces: true },
    EnableDns64: { type: 'boolean', ignored: NO_IPV6 },
    Ipv6CidrBlock: { type: 'string', ignored: NO_IPV6 },
    Ipv6Native: { type: 'boolean', replaces: true, ignored: NO_IPV6 },
    MapPublicIpOnLaunch: { type: 'boolean', ignored: NO_PUBLIC_ADDRESSES },
    PrivateDnsNameOptionsOnLaunch: { type: 'object', ignored: 'iamd names instances ip-name style only' },
    Tags: { type: 'list' },
    VpcId: { type: 'string', required: true, replaces: true },
  },
  attributes: ['AvailabilityZone', 'AvailabilityZoneId', 'CidrBlock', 'Ipv6CidrBlocks', 'NetworkAclAssociationId', 'OutpostArn', 'SubnetId', 'VpcId'],
  async create(ctx, properties) {
    const created = await ctx.call('ec2', 'CreateSubnet', tagSpecification(ec2Params()
      .set('VpcId', requiredText(properties, 'VpcId'))
      .set('CidrBlock', requiredText(properties, 'CidrBlock'))
      .set('AvailabilityZone', text(properties, 'AvailabilityZone'))
      .set('AvailabilityZoneId', text(properties, 'AvailabilityZoneId')), 'subnet', resourceTags(ctx, properties)));
    const subnetId = stringAt(created, 'subnet', 'subnetId');
    stampStackTags(ctx, ctx.app.ec2.subnets, subnetId);
    return describe(ctx, subnetId);
  },
  async update(ctx, current, properties, changed) {
    if (changed.has('Tags')) await updateTags(ctx, current.physicalId, current.properties, properties);
    return describe(ctx, current.physicalId);
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('ec2', 'DeleteSubnet', ec2Params().set('SubnetId', current.physicalId)));
  },
});
