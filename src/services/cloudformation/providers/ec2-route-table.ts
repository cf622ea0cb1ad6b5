/**
 * Route tables and what goes in them:
 * AWS::EC2::RouteTable (Ref: rtb id; Fn::GetAtt RouteTableId), AWS::EC2::Route (Ref: a generated id;
 * Fn::GetAtt CidrBlock) and AWS::EC2::SubnetRouteTableAssociation (Ref and Fn::GetAtt Id: the
 * rtbassoc id), through CreateRouteTable, CreateRoute / DeleteRoute and AssociateRouteTable /
 * DisassociateRouteTable. iamd routes to internet gateways and NAT gateways (the EC2 API refuses
 * other targets), and IPv4 destinations only. A changed target is ReplaceRoute, as on AWS.
 */
import { requiredText, text, type Properties } from './properties.js';
import { provider, type ProviderContext } from './provider.js';
import { ec2Params, resourceTags, stampStackTags, tagSpecification, updateTags } from './ec2-common.js';
import { stringAt, unlessGone } from './results.js';

export const ec2RouteTable = provider({
  type: 'AWS::EC2::RouteTable',
  schema: {
    Tags: { type: 'list' },
    VpcId: { type: 'string', required: true, replaces: true },
  },
  attributes: ['RouteTableId'],
  async create(ctx, properties) {
    const created = await ctx.call('ec2', 'CreateRouteTable', tagSpecification(ec2Params().set('VpcId', requiredText(properties, 'VpcId')), 'route-table', resourceTags(ctx, properties)));
    const routeTableId = stringAt(created, 'routeTable', 'routeTableId');
    stampStackTags(ctx, ctx.app.ec2.routeTables, routeTableId);
    return { physicalId: routeTableId, attributes: { RouteTableId: routeTableId } };
  },
  async update(ctx, current, properties) {
    await updateTags(ctx, current.physicalId, current.properties, properties);
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('ec2', 'DeleteRouteTable', ec2Params().set('RouteTableId', current.physicalId)));
  },
});

const ROUTE_TARGETS = [
  'GatewayId', 'NatGatewayId', 'InstanceId', 'NetworkInterfaceId', 'VpcPeeringConnectionId', 'TransitGatewayId', 'VpcEndpointId',
  'EgressOnlyInternetGatewayId', 'CarrierGatewayId', 'LocalGatewayId', 'CoreNetworkArn',
] as const;

/** CreateRoute or ReplaceRoute with the route's destination and target. */
async function putRoute(ctx: ProviderContext, action: 'CreateRoute' | 'ReplaceRoute', properties: Properties): Promise<void> {
  const params = ec2Params()
    .set('RouteTableId', requiredText(properties, 'RouteTableId'))
    .set('DestinationCidrBlock', text(properties, 'DestinationCidrBlock'))
    .set('DestinationIpv6CidrBlock', text(properties, 'DestinationIpv6CidrBlock'))
    .set('DestinationPrefixListId', text(properties, 'DestinationPrefixListId'));
  for (const target of ROUTE_TARGETS) params.set(target, text(properties, target));
  await ctx.call('ec2', action, params);
}

async function deleteRoute(ctx: ProviderContext, properties: Properties): Promise<void> {
  await unlessGone(ctx.call('ec2', 'DeleteRoute', ec2Params()
    .set('RouteTableId', requiredText(properties, 'RouteTableId'))
    .set('DestinationCidrBlock', text(properties, 'DestinationCidrBlock'))));
}

export const ec2Route = provider({
  type: 'AWS::EC2::Route',
  schema: {
    RouteTableId: { type: 'string', required: true, replaces: true },
    DestinationCidrBlock: { type: 'string', replaces: true },
    DestinationIpv6CidrBlock: { type: 'string', replaces: true },
    DestinationPrefixListId: { type: 'string', replaces: true },
    ...Object.fromEntries(ROUTE_TARGETS.map((target) => [target, { type: 'string' as const }])),
  },
  attributes: ['CidrBlock'],
  async create(ctx, properties) {
    await putRoute(ctx, 'CreateRoute', properties);
    const destination = text(properties, 'DestinationCidrBlock') ?? '';
    return { physicalId: ctx.physicalName(255), attributes: { CidrBlock: destination } };
  },
  async update(ctx, current, properties) {
    await putRoute(ctx, 'ReplaceRoute', properties);
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    await deleteRoute(ctx, current.properties);
  },
});

export const ec2SubnetRouteTableAssociation = provider({
  type: 'AWS::EC2::SubnetRouteTableAssociation',
  schema: {
    RouteTableId: { type: 'string', required: true, replaces: true },
    SubnetId: { type: 'string', required: true, replaces: true },
  },
  attributes: ['Id'],
  async create(ctx, properties) {
    const created = await ctx.call('ec2', 'AssociateRouteTable', ec2Params()
      .set('RouteTableId', requiredText(properties, 'RouteTableId'))
      .set('SubnetId', requiredText(properties, 'SubnetId')));
    const associationId = stringAt(created, 'associationId');
    return { physicalId: associationId, attributes: { Id: associationId } };
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('ec2', 'DisassociateRouteTable', ec2Params().set('AssociationId', current.physicalId)));
  },
});
