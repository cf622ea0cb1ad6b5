/**
 * Finding records by id with EC2's answers: a malformed instance or image id is
 * `Invalid...ID.Malformed`, an unknown one `Invalid...ID.NotFound` naming every missing id.
 */
import type { OperationContext } from '../service.js';
import type { Ec2State } from './state.js';
import {
  addressNotFound, allocationNotFound, groupNameNotFound, groupNotFound, imageNotFound, instanceNotFound, internetGatewayNotFound, malformedId,
  natGatewayNotFound, routeTableNotFound, subnetNotFound, vpcEndpointNotFound, vpcNotFound,
} from './errors.js';
import { findPublicImage, type PublicImage } from './image-catalog.js';
import { isNatGatewayVisible } from './nat-gateway-states.js';
import type {
  AddressRecord, InstanceRecord, InternetGatewayRecord, NatGatewayRecord, RouteTableRecord, SecurityGroupRecord, SubnetRecord, VpcEndpointRecord,
  VpcRecord,
} from './types.js';

const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;
const IMAGE_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

/**
 * Whether an instance is still shown: EC2 keeps a terminated instance visible for about an hour
 * (its termination time is in the reason, "User initiated (2026-11-28 10:00:00 GMT)"). iamd keeps
 * the record; only the API stops showing it.
 */
export function isVisible(instance: InstanceRecord, now: Date): boolean {
  if (instance.state !== 'terminated') return true;
  const match = /\((\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) GMT\)/.exec(instance.stateTransitionReason);
  if (!match) return true;
  return now.getTime() - Date.parse(`${match[1]!.replace(' ', 'T')}Z`) < TERMINATED_VISIBLE_MS;
}

/** The instances the API shows now. */
export function visibleInstances(ctx: OperationContext): InstanceRecord[] {
  return ctx.app.ec2.instances.list().filter((instance) => isVisible(instance, ctx.request.time));
}

/** Instances by id, in the order asked; all must exist (and still be shown). */
export function findInstances(ctx: OperationContext, ids: readonly string[]): InstanceRecord[] {
  for (const id of ids) if (!INSTANCE_ID.test(id)) throw malformedId('InvalidInstanceID.Malformed', id, 'i');
  const found = (id: string): InstanceRecord | undefined => {
    const instance = ctx.app.ec2.instances.get(id);
    return instance && isVisible(instance, ctx.request.time) ? instance : undefined;
  };
  const missing = ids.filter((id) => !found(id));
  if (missing.length > 0) throw instanceNotFound(missing);
  return [...new Set(ids)].map((id) => found(id)!);
}

export function findInstance(ctx: OperationContext, id: string): InstanceRecord {
  return findInstances(ctx, [id])[0]!;
}

export function findImage(ctx: OperationContext, id: string): PublicImage {
  if (!IMAGE_ID.test(id)) throw malformedId('InvalidAMIID.Malformed', id, 'ami');
  const image = findPublicImage(ctx.app.region, id);
  if (!image) throw imageNotFound(id);
  return image;
}

export function findVpc(ctx: OperationContext, id: string): VpcRecord {
  const vpc = ctx.app.ec2.vpcs.get(id);
  if (!vpc) throw vpcNotFound(id);
  return vpc;
}

export function findSubnet(ctx: OperationContext, id: string): SubnetRecord {
  const subnet = ctx.app.ec2.subnets.get(id);
  if (!subnet) throw subnetNotFound(id);
  return subnet;
}

export function findSecurityGroup(ctx: OperationContext, id: string): SecurityGroupRecord {
  const group = ctx.app.ec2.securityGroups.get(id);
  if (!group) throw groupNotFound(id);
  return group;
}

/** A group by name: in `vpcId`, or in the default VPC (EC2's GroupName parameters mean the default VPC). */
export function findSecurityGroupByName(ctx: OperationContext, name: string, vpcId = defaultVpc(ctx)?.vpcId): SecurityGroupRecord {
  const group = ctx.app.ec2.securityGroups.list().find((candidate) => candidate.groupName === name && candidate.vpcId === vpcId);
  if (!group) throw vpcId === undefined ? groupNotFound(name) : groupNameNotFound(name, vpcId);
  return group;
}

export function findInternetGateway(ctx: OperationContext, id: string): InternetGatewayRecord {
  const gateway = ctx.app.ec2.internetGateways.get(id);
  if (!gateway) throw internetGatewayNotFound(id);
  return gateway;
}

export function findRouteTable(ctx: OperationContext, id: string): RouteTableRecord {
  const table = ctx.app.ec2.routeTables.get(id);
  if (!table) throw routeTableNotFound(id);
  return table;
}

export function findVpcEndpoint(ctx: OperationContext, id: string): VpcEndpointRecord {
  const endpoint = ctx.app.ec2.vpcEndpoints.get(id);
  if (!endpoint) throw vpcEndpointNotFound(id);
  return endpoint;
}

export function defaultVpc(ctx: OperationContext): VpcRecord | undefined {
  return ctx.app.ec2.vpcs.list().find((vpc) => vpc.isDefault);
}

/** The default subnet of a zone (the first zone when none is named). */
export function defaultSubnet(ctx: OperationContext, availabilityZone?: string): SubnetRecord | undefined {
  const vpc = defaultVpc(ctx);
  if (!vpc) return undefined;
  const subnets = ctx.app.ec2.subnets.list()
    .filter((subnet) => subnet.vpcId === vpc.vpcId && subnet.defaultForAz)
    .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone));
  return availabilityZone === undefined ? subnets[0] : subnets.find((subnet) => subnet.availabilityZone === availabilityZone);
}

/** The group "default" of a VPC. */
export function vpcDefaultGroup(ctx: OperationContext, vpcId: string): SecurityGroupRecord | undefined {
  return ctx.app.ec2.securityGroups.list().find((group) => group.vpcId === vpcId && group.groupName === 'default');
}

export function findAddress(ctx: OperationContext, allocationId: string): AddressRecord {
  const address = ctx.app.ec2.addresses.get(allocationId);
  if (!address) throw allocationNotFound(allocationId);
  return address;
}

export function findAddressByPublicIp(ctx: OperationContext, publicIp: string): AddressRecord {
  const address = ctx.app.ec2.addresses.list().find((candidate) => candidate.publicIp === publicIp);
  if (!address) throw addressNotFound(publicIp);
  return address;
}

/** A NAT gateway the API still shows (a deleted one for an hour). */
export function findNatGateway(ctx: OperationContext, id: string): NatGatewayRecord {
  const gateway = ctx.app.ec2.natGateways.get(id);
  if (!gateway || !isNatGatewayVisible(gateway, ctx.request.time)) throw natGatewayNotFound(id);
  return gateway;
}

/** The internet gateway attached to a VPC, if any (a VPC has one at most). */
export function internetGatewayOf(state: Ec2State, vpcId: string): InternetGatewayRecord | undefined {
  return state.internetGateways.list().find((gateway) => gateway.attachments.some((attachment) => attachment.vpcId === vpcId));
}
