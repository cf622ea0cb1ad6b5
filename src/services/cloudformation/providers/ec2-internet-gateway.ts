/**
 * AWS::EC2::InternetGateway (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-internetgateway.html)
 * and AWS::EC2::VPCGatewayAttachment (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-vpcgatewayattachment.html):
 * CreateInternetGateway; AttachInternetGateway / DetachInternetGateway. The gateway's Ref is its
 * id (Fn::GetAtt InternetGatewayId); the attachment's Ref is a generated id. iamd has no VPN
 * gateways, so VpnGatewayId fails the resource.
 */
import { ResourceFailure, requiredText, text } from './properties.js';
import { provider } from './provider.js';
import { ec2Params, resourceTags, stampStackTags, tagSpecification, updateTags } from './ec2-common.js';
import { stringAt, unlessGone } from './results.js';

export const ec2InternetGateway = provider({
  type: 'AWS::EC2::InternetGateway',
  schema: { Tags: { type: 'list' } },
  attributes: ['InternetGatewayId'],
  async create(ctx, properties) {
    const created = await ctx.call('ec2', 'CreateInternetGateway', tagSpecification(ec2Params(), 'internet-gateway', resourceTags(ctx, properties)));
    const gatewayId = stringAt(created, 'internetGateway', 'internetGatewayId');
    stampStackTags(ctx, ctx.app.ec2.internetGateways, gatewayId);
    return { physicalId: gatewayId, attributes: { InternetGatewayId: gatewayId } };
  },
  async update(ctx, current, properties) {
    await updateTags(ctx, current.physicalId, current.properties, properties);
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('ec2', 'DeleteInternetGateway', ec2Params().set('InternetGatewayId', current.physicalId)));
  },
});

export const ec2GatewayAttachment = provider({
  type: 'AWS::EC2::VPCGatewayAttachment',
  schema: {
    InternetGatewayId: { type: 'string', replaces: true },
    VpcId: { type: 'string', required: true, replaces: true },
    VpnGatewayId: { type: 'string', replaces: true },
  },
  attributes: [],
  async create(ctx, properties) {
    if (text(properties, 'VpnGatewayId') !== undefined) throw new ResourceFailure('iamd does not implement VPN gateways (VpnGatewayId).');
    const gatewayId = text(properties, 'InternetGatewayId');
    if (gatewayId === undefined) throw new ResourceFailure('Properties validation failed for resource with message:\n#: required key [InternetGatewayId] not found');
    await ctx.call('ec2', 'AttachInternetGateway', ec2Params().set('InternetGatewayId', gatewayId).set('VpcId', requiredText(properties, 'VpcId')));
    return { physicalId: ctx.physicalName(255), attributes: {} };
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('ec2', 'DetachInternetGateway', ec2Params()
      .set('InternetGatewayId', requiredText(current.properties, 'InternetGatewayId'))
      .set('VpcId', requiredText(current.properties, 'VpcId'))));
  },
});
