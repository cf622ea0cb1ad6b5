/**
 * AWS::EC2::VPCCidrBlock (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpccidrblock.html):
 * AssociateVpcCidrBlock; DisassociateVpcCidrBlock on delete. Ref and Fn::GetAtt Id are the
 * association id; IpSource and Ipv6AddressAttribute, which describe IPv6 blocks, are empty for
 * iamd's IPv4 blocks. Every property replaces the block. As on AWS, a subnet in the new block needs
 * `DependsOn` on this resource. IPv6 and IPAM properties reach the EC2 API, which refuses them.
 */
import { requiredText, text } from './properties.js';
import { provider } from './provider.js';
import { ec2Params } from './ec2-common.js';
import { stringAt, unlessGone } from './results.js';

const PASSED_THROUGH = ['CidrBlock', 'AmazonProvidedIpv6CidrBlock', 'Ipv6CidrBlock', 'Ipv6Pool', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength', 'Ipv6IpamPoolId', 'Ipv6NetmaskLength', 'Ipv6CidrBlockNetworkBorderGroup'];

export const ec2VpcCidrBlock = provider({
  type: 'AWS::EC2::VPCCidrBlock',
  schema: {
    VpcId: { type: 'string', required: true, replaces: true },
    CidrBlock: { type: 'string', replaces: true },
    AmazonProvidedIpv6CidrBlock: { type: 'boolean', replaces: true },
    Ipv6CidrBlock: { type: 'string', replaces: true },
    Ipv6Pool: { type: 'string', replaces: true },
    Ipv4IpamPoolId: { type: 'string', replaces: true },
    Ipv4NetmaskLength: { type: 'number', replaces: true },
    Ipv6IpamPoolId: { type: 'string', replaces: true },
    Ipv6NetmaskLength: { type: 'number', replaces: true },
    Ipv6CidrBlockNetworkBorderGroup: { type: 'string', replaces: true },
  },
  attributes: ['Id', 'IpSource', 'Ipv6AddressAttribute'],
  async create(ctx, properties) {
    const params = ec2Params().set('VpcId', requiredText(properties, 'VpcId'));
    for (const name of PASSED_THROUGH) params.set(name, text(properties, name));
    const created = await ctx.call('ec2', 'AssociateVpcCidrBlock', params);
    const associationId = stringAt(created, 'cidrBlockAssociation', 'associationId');
    return { physicalId: associationId, attributes: { Id: associationId, IpSource: '', Ipv6AddressAttribute: '' } };
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('ec2', 'DisassociateVpcCidrBlock', ec2Params().set('AssociationId', current.physicalId)));
  },
});
