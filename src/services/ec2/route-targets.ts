/**
 * What a route points at and how it is shown: an internet gateway attached to the route table's VPC
 * (`active`, or `blackhole` once detached or deleted), or a NAT gateway in the VPC (`active` while
 * the gateway is pending or available, `blackhole` once it is deleted). Both states are read from
 * the gateway, so a route changes as its gateway does (a gateway attached again makes its routes
 * active again). The local routes of the VPC's blocks are `local`. Destinations are IPv4 blocks.
 */
import { AwsError } from '../../protocol/aws-error.js';
import type { XmlObject } from '../../protocol/xml.js';
import type { OperationContext } from '../service.js';
import { parseCidr } from './cidr.js';
import { invalidParameterValue, missingParameter, routeNatGatewayNotFound } from './errors.js';
import type { Ec2Input } from './input.js';
import { findInternetGateway } from './lookups.js';
import { isNatGatewayVisible, natGatewayRoutesActive } from './nat-gateway-states.js';
import type { RouteRecord, RouteTableRecord } from './types.js';

/** A route's target, resolved; `checkNetwork` refuses a target outside the table's VPC. */
export interface RouteTarget {
  fields: { gatewayId: string } | { natGatewayId: string };
  checkNetwork(table: RouteTableRecord): void;
}

const OTHER_TARGETS = ['InstanceId', 'NetworkInterfaceId', 'VpcPeeringConnectionId', 'TransitGatewayId', 'VpcEndpointId', 'EgressOnlyInternetGatewayId', 'CarrierGatewayId', 'LocalGatewayId', 'CoreNetworkArn'];
const EXACTLY_ONE = 'The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId or instanceId';

const differentNetworks = (table: RouteTableRecord, targetId: string): AwsError =>
  invalidParameterValue(`route table ${table.routeTableId} and network gateway ${targetId} belong to different networks`);

/** The target a CreateRoute / ReplaceRoute request names (it must exist). */
export function routeTargetOf(ctx: OperationContext, input: Ec2Input): RouteTarget {
  const gatewayId = input.string('GatewayId');
  const natGatewayId = input.string('NatGatewayId');
  if (gatewayId !== undefined && natGatewayId !== undefined) throw new AwsError('InvalidParameterCombination', EXACTLY_ONE, 400);
  if (natGatewayId !== undefined) {
    const gateway = ctx.app.ec2.natGateways.get(natGatewayId);
    if (!gateway || !isNatGatewayVisible(gateway, ctx.request.time) || !natGatewayRoutesActive(gateway)) throw routeNatGatewayNotFound(natGatewayId);
    return {
      fields: { natGatewayId },
      checkNetwork: (table) => { if (gateway.vpcId !== table.vpcId) throw differentNetworks(table, natGatewayId); },
    };
  }
  if (gatewayId === undefined) {
    const other = OTHER_TARGETS.find((name) => input.has(name));
    if (other) throw invalidParameterValue(`iamd supports routes to internet gateways and NAT gateways only (got ${other}).`);
    throw new AwsError('InvalidParameterCombination', EXACTLY_ONE, 400);
  }
  if (!gatewayId.startsWith('igw-')) throw new AwsError('InvalidGatewayID.NotFound', `The gateway ID '${gatewayId}' does not exist`, 400);
  const gateway = findInternetGateway(ctx, gatewayId);
  return {
    fields: { gatewayId },
    checkNetwork: (table) => {
      if (!gateway.attachments.some((attachment) => attachment.vpcId === table.vpcId)) throw differentNetworks(table, gatewayId);
    },
  };
}

export function destinationOf(input: Ec2Input): string {
  const destination = input.string('DestinationCidrBlock');
  if (destination === undefined) {
    if (input.has('DestinationIpv6CidrBlock') || input.has('DestinationPrefixListId')) {
      throw invalidParameterValue('iamd supports IPv4 destination CIDR blocks only.');
    }
    throw missingParameter('destinationCidrBlock');
  }
  if (!parseCidr(destination)) throw invalidParameterValue(`Value (${destination}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  return destination;
}

/** A route of `table` as shown: through a gateway, its gateway's state; otherwise (local) as stored. */
export function routeState(ctx: OperationContext, table: RouteTableRecord, route: RouteRecord): 'active' | 'blackhole' {
  if (route.natGatewayId !== undefined) return natGatewayRoutesActive(ctx.app.ec2.natGateways.get(route.natGatewayId)) ? 'active' : 'blackhole';
  if (route.gatewayId?.startsWith('igw-')) {
    const gateway = ctx.app.ec2.internetGateways.get(route.gatewayId);
    return gateway?.attachments.some((attachment) => attachment.vpcId === table.vpcId) ? 'active' : 'blackhole';
  }
  return route.state;
}

export function routeXml(ctx: OperationContext, table: RouteTableRecord, route: RouteRecord): XmlObject {
  return {
    destinationCidrBlock: route.destinationCidrBlock,
    gatewayId: route.gatewayId,
    natGatewayId: route.natGatewayId,
    state: routeState(ctx, table, route),
    origin: route.origin,
  };
}
