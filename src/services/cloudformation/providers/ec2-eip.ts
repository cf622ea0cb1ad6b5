/**
 * AWS::EC2::EIP (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-eip.html)
 * and AWS::EC2::EIPAssociation (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-eipassociation.html):
 * AllocateAddress, with AssociateAddress when the EIP names an InstanceId; ReleaseAddress (after
 * disassociating from that instance) on delete. The EIP's Ref is its public address; Fn::GetAtt
 * AllocationId and PublicIp. InstanceId and Tags change in place. The association's Ref and
 * Fn::GetAtt Id are the association id. As on AWS, an EIP that names an instance in a VPC of the
 * same template needs `DependsOn` on the VPC's gateway attachment (AssociateAddress wants the
 * internet gateway attached), and an address a NAT gateway still holds cannot be released.
 */
import { text, type Properties } from './properties.js';
import { provider, type Provisioned, type ProvisionedResource, type ProviderContext } from './provider.js';
import { ec2Params, resourceTags, stampStackTags, tagSpecification, updateTags } from './ec2-common.js';
import { stringAt, unlessGone } from './results.js';

const NOT_MODELLED = 'iamd has no address transfers or IPAM pools';

function describe(allocationId: string, publicIp: string): Provisioned {
  return { physicalId: publicIp, attributes: { AllocationId: allocationId, PublicIp: publicIp } };
}

async function associate(ctx: ProviderContext, allocationId: string, instanceId: string): Promise<void> {
  await ctx.call('ec2', 'AssociateAddress', ec2Params().set('AllocationId', allocationId).set('InstanceId', instanceId));
}

/** Disassociates the address if it is associated with `instanceId` (the association the EIP's InstanceId made). */
async function disassociateFrom(ctx: ProviderContext, allocationId: string, instanceId: string | undefined): Promise<void> {
  const association = ctx.app.ec2.addresses.get(allocationId)?.association;
  if (instanceId === undefined || association?.instanceId !== instanceId) return;
  await unlessGone(ctx.call('ec2', 'DisassociateAddress', ec2Params().set('AssociationId', association.associationId)));
}

const allocationIdOf = (current: ProvisionedResource): string => String(current.attributes.AllocationId);

export const ec2Eip = provider({
  type: 'AWS::EC2::EIP',
  schema: {
    Address: { type: 'string', replaces: true },
    Domain: { type: 'string', replaces: true },
    InstanceId: { type: 'string' },
    IpamPoolId: { type: 'string', replaces: true },
    NetworkBorderGroup: { type: 'string', replaces: true },
    PublicIpv4Pool: { type: 'string', replaces: true },
    Tags: { type: 'list' },
    TransferAddress: { type: 'string', replaces: true, ignored: NOT_MODELLED },
  },
  attributes: ['AllocationId', 'PublicIp'],
  async create(ctx, properties) {
    const created = await ctx.call('ec2', 'AllocateAddress', tagSpecification(ec2Params()
      .set('Domain', text(properties, 'Domain'))
      .set('Address', text(properties, 'Address'))
      .set('IpamPoolId', text(properties, 'IpamPoolId'))
      .set('PublicIpv4Pool', text(properties, 'PublicIpv4Pool'))
      .set('NetworkBorderGroup', text(properties, 'NetworkBorderGroup')), 'elastic-ip', resourceTags(ctx, properties)));
    const allocationId = stringAt(created, 'allocationId');
    stampStackTags(ctx, ctx.app.ec2.addresses, allocationId);
    const instanceId = text(properties, 'InstanceId');
    if (instanceId !== undefined) await associate(ctx, allocationId, instanceId);
    return describe(allocationId, stringAt(created, 'publicIp'));
  },
  async update(ctx, current, properties, changed) {
    const allocationId = allocationIdOf(current);
    if (changed.has('InstanceId')) {
      await disassociateFrom(ctx, allocationId, text(current.properties, 'InstanceId'));
      const instanceId = text(properties, 'InstanceId');
      if (instanceId !== undefined) await associate(ctx, allocationId, instanceId);
    }
    if (changed.has('Tags')) await updateTags(ctx, allocationId, current.properties, properties);
    return describe(allocationId, current.physicalId);
  },
  async delete(ctx, current) {
    const allocationId = allocationIdOf(current);
    await disassociateFrom(ctx, allocationId, text(current.properties, 'InstanceId'));
    await unlessGone(ctx.call('ec2', 'ReleaseAddress', ec2Params().set('AllocationId', allocationId)));
  },
});

function associationParams(properties: Properties) {
  return ec2Params()
    .set('AllocationId', text(properties, 'AllocationId'))
    .set('PublicIp', text(properties, 'EIP'))
    .set('InstanceId', text(properties, 'InstanceId'))
    .set('NetworkInterfaceId', text(properties, 'NetworkInterfaceId'))
    .set('PrivateIpAddress', text(properties, 'PrivateIpAddress'));
}

export const ec2EipAssociation = provider({
  type: 'AWS::EC2::EIPAssociation',
  schema: {
    AllocationId: { type: 'string', replaces: true },
    EIP: { type: 'string', replaces: true },
    InstanceId: { type: 'string', replaces: true },
    NetworkInterfaceId: { type: 'string', replaces: true },
    PrivateIpAddress: { type: 'string', replaces: true },
  },
  attributes: ['Id'],
  async create(ctx, properties) {
    const created = await ctx.call('ec2', 'AssociateAddress', associationParams(properties));
    const associationId = stringAt(created, 'associationId');
    return { physicalId: associationId, attributes: { Id: associationId } };
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('ec2', 'DisassociateAddress', ec2Params().set('AssociationId', current.physicalId)));
  },
});
