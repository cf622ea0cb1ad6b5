/**
 * NAT gateways: CreateNatGateway (public with an Elastic IP address, or private), DeleteNatGateway
 * and DescribeNatGateways, with the lifecycle of nat-gateway-states.ts. A gateway takes a private
 * address of its subnet (its own network interface) and, when public, its Elastic IP address, which
 * DescribeAddresses then shows as associated with that interface. Routes may point at it
 * (routes.ts). No packets are translated: iamd's instances reach nothing through it.
 * Known gaps: one address per gateway (no secondary allocations or private addresses), no regional
 * (multi-zone) gateways, no Assign/Unassign/Associate/DisassociateNatGatewayAddress.
 */
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { byKey, describeAuthorization, ec2Action, ec2Arn, requestTagKeys, requireAll, resourceTagKeys, tagOnCreateAuthorization, tagsXml } from './common.js';
import { invalidParameterCombination, invalidParameterValue, missingParameter, unknownParameterValue } from './errors.js';
import { applyFilters, Ec2Input, filtersOf, pageRequest, paginate, tagSpecificationsOf, type FilterFields } from './input.js';
import { findNatGateway, findSubnet, internetGatewayOf } from './lookups.js';
import { isNatGatewayVisible } from './nat-gateway-states.js';
import { addressBook, allocatePrivateIp, claimPrivateIp } from './private-ips.js';
import { tableWrite } from './state.js';
import type { AddressRecord, NatGatewayFailure, NatGatewayRecord, NatGatewayState, SubnetRecord } from './types.js';

const ADDRESS_STATUS: Readonly<Record<NatGatewayState, string>> = {
  pending: 'associating', available: 'succeeded', deleting: 'disassociating', deleted: 'succeeded', failed: 'failed',
};

function gatewayAddressXml(ctx: OperationContext, gateway: NatGatewayRecord): XmlObject {
  const address = gateway.allocationId !== undefined ? ctx.app.ec2.addresses.get(gateway.allocationId) : undefined;
  const association = address?.association?.natGatewayId === gateway.natGatewayId ? address.association : undefined;
  const failed = gateway.state === 'failed';
  return {
    allocationId: gateway.allocationId,
    networkInterfaceId: failed ? undefined : gateway.networkInterfaceId,
    privateIp: failed || gateway.privateIp === '' ? undefined : gateway.privateIp,
    publicIp: failed || gateway.state === 'pending' ? undefined : address?.publicIp,
    associationId: gateway.state === 'available' || gateway.state === 'deleting' ? association?.associationId : undefined,
    isPrimary: true,
    status: ADDRESS_STATUS[gateway.state],
    failureMessage: failed ? gateway.failure?.message : undefined,
  };
}

export function natGatewayXml(ctx: OperationContext, gateway: NatGatewayRecord): XmlObject {
  const failed = gateway.state === 'failed';
  return {
    createTime: gateway.createTime,
    deleteTime: gateway.deleteTime,
    failureCode: failed ? gateway.failure?.code : undefined,
    failureMessage: failed ? gateway.failure?.message : undefined,
    natGatewayAddressSet: [gatewayAddressXml(ctx, gateway)],
    natGatewayId: gateway.natGatewayId,
    state: gateway.state,
    subnetId: gateway.subnetId,
    vpcId: gateway.vpcId,
    tagSet: tagsXml(gateway.tags),
    connectivityType: gateway.connectivityType,
  };
}

function gatewayAuthorization(ctx: OperationContext, action: string, gateway: NatGatewayRecord): Authorization {
  return { action: ec2Action(action), resource: ec2Arn(ctx, 'natgateway', gateway.natGatewayId), conditionKeys: resourceTagKeys(gateway.tags) };
}

const failure = (code: string, message: string): NatGatewayFailure => ({ code, message });

/** Why a public gateway would fail (AWS's failure codes and messages), or undefined when it can come up. */
function publicGatewayFailure(ctx: OperationContext, subnet: SubnetRecord, allocationId: string, address: AddressRecord | undefined): NatGatewayFailure | undefined {
  const attached = internetGatewayOf(ctx.app.ec2, subnet.vpcId) !== undefined;
  if (!attached) return failure('Gateway.NotAttached', `Network ${subnet.vpcId} has no Internet gateway attached`);
  if (!address) return failure('InvalidAllocationID.NotFound', `Elastic IP address ${allocationId} could not be associated with this NAT gateway`);
  if (address.association) return failure('Resource.AlreadyAssociated', `Elastic IP address ${allocationId} is already associated`);
  return undefined;
}

function connectivityOf(input: Ec2Input): 'public' | 'private' {
  const value = input.string('ConnectivityType') ?? 'public';
  if (value !== 'public' && value !== 'private') throw unknownParameterValue(value, 'connectivityType', 'Valid values are: public, private.');
  return value;
}

const SECONDARY_PARAMETERS = ['SecondaryAllocationId.1', 'SecondaryPrivateIpAddress.1', 'SecondaryPrivateIpAddressCount'];

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNatGateway.html */
const CreateNatGateway = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const subnet = findSubnet(ctx, input.required('SubnetId', 'subnetId'));
    const connectivityType = connectivityOf(input);
    const allocationId = input.string('AllocationId');
    if (connectivityType === 'public' && allocationId === undefined) throw missingParameter('allocationId');
    if (connectivityType === 'private' && allocationId !== undefined) {
      throw invalidParameterCombination('An Elastic IP address allocation cannot be specified for a private NAT gateway.');
    }
    const secondary = SECONDARY_PARAMETERS.find((name) => input.has(name));
    if (secondary) throw invalidParameterValue(`iamd NAT gateways have one address (got ${secondary.replace('.1', '')}).`);
    const tags = tagSpecificationsOf(input, ['natgateway']).get('natgateway') ?? [];
    const clientToken = input.string('ClientToken');
    const state = ctx.app.ec2;
    const natGatewayId = state.ids.id('nat');
    const arn = ec2Arn(ctx, 'natgateway', natGatewayId);
    const address = allocationId !== undefined ? state.addresses.get(allocationId) : undefined;
    const action = ec2Action('CreateNatGateway');
    requireAll(ctx, input.dryRun, [
      { action, resource: arn, conditionKeys: requestTagKeys(tags) },
      { action, resource: ec2Arn(ctx, 'subnet', subnet.subnetId), conditionKeys: { 'ec2:Vpc': ec2Arn(ctx, 'vpc', subnet.vpcId), ...resourceTagKeys(subnet.tags) } },
      ...(address ? [{ action, resource: ec2Arn(ctx, 'elastic-ip', address.allocationId), conditionKeys: resourceTagKeys(address.tags) }] : []),
      ...tagOnCreateAuthorization(arn, 'CreateNatGateway', tags),
    ]);
    if (clientToken !== undefined) {
      const earlier = state.natGateways.list().find((gateway) => gateway.clientToken === clientToken);
      if (earlier) return { clientToken, natGateway: natGatewayXml(ctx, earlier) };
    }
    const requestedIp = input.string('PrivateIpAddress');
    const book = addressBook(state, subnet);
    let failed = connectivityType === 'public' ? publicGatewayFailure(ctx, subnet, allocationId!, address) : undefined;
    let privateIp = '';
    if (!failed) {
      if (requestedIp !== undefined) privateIp = claimPrivateIp(subnet, book, requestedIp);
      else {
        try {
          privateIp = allocatePrivateIp(subnet, book);
        } catch {
          failed = failure('InsufficientFreeAddressesInSubnet', 'Subnet has insufficient free addresses to create this NAT gateway');
        }
      }
    }
    const gateway: NatGatewayRecord = {
      natGatewayId,
      subnetId: subnet.subnetId,
      vpcId: subnet.vpcId,
      connectivityType,
      state: 'pending',
      createTime: ctx.request.time.toISOString(),
      ...(failed ? { failure: failed } : {}),
      networkInterfaceId: state.ids.id('eni'),
      privateIp,
      ...(allocationId !== undefined ? { allocationId } : {}),
      ...(clientToken !== undefined ? { clientToken } : {}),
      ownerId: ctx.app.accountId,
      tags,
    };
    const association = address && !failed
      ? { associationId: state.ids.id('eipassoc'), networkInterfaceId: gateway.networkInterfaceId, privateIpAddress: privateIp, natGatewayId }
      : undefined;
    state.commit([
      tableWrite(state.natGateways, [{ put: gateway }]),
      tableWrite(state.addresses, address && association ? [{ put: { ...address, association } }] : []),
    ]);
    state.settleNatGatewayLater(natGatewayId);
    return { ...(clientToken !== undefined ? { clientToken } : {}), natGateway: natGatewayXml(ctx, gateway) };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNatGateway.html */
const DeleteNatGateway = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const gateway = findNatGateway(ctx, input.required('NatGatewayId', 'natGatewayId'));
    requireAll(ctx, input.dryRun, [gatewayAuthorization(ctx, 'DeleteNatGateway', gateway)]);
    if (gateway.state !== 'deleting' && gateway.state !== 'deleted') {
      const state = ctx.app.ec2;
      state.natGateways.put({ ...gateway, state: 'deleting', deleteTime: ctx.request.time.toISOString() });
      state.settleNatGatewayLater(gateway.natGatewayId);
    }
    return { natGatewayId: gateway.natGatewayId };
  },
});

const NAT_GATEWAY_FILTERS: FilterFields<NatGatewayRecord> = {
  'nat-gateway-id': (gateway) => gateway.natGatewayId,
  state: (gateway) => gateway.state,
  'subnet-id': (gateway) => gateway.subnetId,
  'vpc-id': (gateway) => gateway.vpcId,
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNatGateways.html */
const DescribeNatGateways = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = input.list('NatGatewayId');
    const page = pageRequest(input);
    const filters = filtersOf(input);
    const visible = (gateway: NatGatewayRecord): boolean => isNatGatewayVisible(gateway, ctx.request.time);
    const chosen = ids.length > 0 ? [...new Set(ids)].map((id) => findNatGateway(ctx, id)) : ctx.app.ec2.natGateways.list().filter(visible);
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeNatGateways')]);
    const matching = applyFilters(chosen, filters, NAT_GATEWAY_FILTERS, (gateway) => gateway.tags).sort(byKey((gateway) => gateway.natGatewayId));
    const { items, nextToken } = paginate(matching, page);
    return { natGatewaySet: items.map((gateway) => natGatewayXml(ctx, gateway)), nextToken };
  },
});

export const natGatewayOperations: OperationMap = { CreateNatGateway, DeleteNatGateway, DescribeNatGateways };
