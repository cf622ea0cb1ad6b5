/**
 * AssociateAddress and DisassociateAddress: an Elastic IP address maps to an instance's private
 * address (by InstanceId, or by its NetworkInterfaceId and PrivateIpAddress). The instance's VPC
 * needs an attached internet gateway (Gateway.NotAttached); an address already associated moves only
 * with AllowReassociation; a private address that had another Elastic IP address gives that one up.
 * While associated, the instance shows the address (DescribeInstances, its metadata service), and a
 * terminated instance gives it back (state.ts). A NAT gateway's association is AWS's to manage: users
 * touching it get AuthFailure, as on AWS.
 * Known gap: iamd's instances have one interface with one private address, and there are no
 * stand-alone network interfaces.
 */
import { AwsError } from '../../protocol/aws-error.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { ec2Action, ec2Arn, requireAll, resourceTagKeys } from './common.js';
import { addressAuthorization } from './addresses.js';
import {
  associationNotFound, gatewayNotAttached, incorrectInstanceState, invalidParameterCombination, invalidParameterValue, managedAssociation, missingParameter,
  networkInterfaceNotFound,
} from './errors.js';
import { Ec2Input } from './input.js';
import { findAddress, findAddressByPublicIp, findInstance, internetGatewayOf, isVisible } from './lookups.js';
import { withoutAssociation } from './public-addresses.js';
import { tableWrite } from './state.js';
import type { AddressRecord, InstanceRecord } from './types.js';

const ASSOCIABLE_STATES = new Set(['pending', 'running', 'stopping', 'stopped']);

/** The address named by AllocationId (or, as older clients do, by PublicIp). */
function namedAddress(ctx: OperationContext, input: Ec2Input): AddressRecord {
  const allocationId = input.string('AllocationId');
  if (allocationId !== undefined) return findAddress(ctx, allocationId);
  const publicIp = input.string('PublicIp');
  if (publicIp !== undefined) return findAddressByPublicIp(ctx, publicIp);
  throw missingParameter('allocationId');
}

/** The instance whose interface the address goes to. */
function targetInstance(ctx: OperationContext, input: Ec2Input): InstanceRecord {
  const instanceId = input.string('InstanceId');
  const interfaceId = input.string('NetworkInterfaceId');
  if (instanceId !== undefined && interfaceId !== undefined) {
    throw invalidParameterCombination('You may specify an instance ID or a network interface ID, but not both.');
  }
  if (instanceId !== undefined) return findInstance(ctx, instanceId);
  if (interfaceId === undefined) throw missingParameter('instanceId');
  const owner = ctx.app.ec2.instances.list().find((instance) => instance.networkInterfaceId === interfaceId && isVisible(instance, ctx.request.time));
  if (owner) return owner;
  if (ctx.app.ec2.natGateways.list().some((gateway) => gateway.networkInterfaceId === interfaceId)) throw managedAssociation();
  throw networkInterfaceNotFound(interfaceId);
}

function checkTarget(ctx: OperationContext, instance: InstanceRecord, privateIp: string | undefined): void {
  if (!ASSOCIABLE_STATES.has(instance.state)) {
    throw incorrectInstanceState(`The instance '${instance.instanceId}' is not in a valid state for this operation.`);
  }
  if (privateIp !== undefined && privateIp !== instance.privateIpAddress) {
    throw invalidParameterValue(`The specified private IP address ${privateIp} is not assigned to network interface ${instance.networkInterfaceId}.`);
  }
  const attached = internetGatewayOf(ctx.app.ec2, instance.vpcId) !== undefined;
  if (!attached) throw gatewayNotAttached(instance.vpcId);
}

function associateAuthorizations(ctx: OperationContext, address: AddressRecord, instance: InstanceRecord): Authorization[] {
  const action = ec2Action('AssociateAddress');
  return [
    addressAuthorization(ctx, 'AssociateAddress', address),
    { action, resource: ec2Arn(ctx, 'instance', instance.instanceId), conditionKeys: resourceTagKeys(instance.tags) },
    { action, resource: ec2Arn(ctx, 'network-interface', instance.networkInterfaceId), conditionKeys: { 'ec2:Vpc': ec2Arn(ctx, 'vpc', instance.vpcId) } },
  ];
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateAddress.html */
const AssociateAddress = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const address = namedAddress(ctx, input);
    const instance = targetInstance(ctx, input);
    const privateIp = input.string('PrivateIpAddress');
    requireAll(ctx, input.dryRun, associateAuthorizations(ctx, address, instance));
    checkTarget(ctx, instance, privateIp);
    const current = address.association;
    if (current?.networkInterfaceId === instance.networkInterfaceId) return { return: true, associationId: current.associationId };
    if (current?.natGatewayId !== undefined) throw managedAssociation();
    if (current && !(input.boolean('AllowReassociation') ?? false)) {
      throw new AwsError('Resource.AlreadyAssociated', `resource ${address.allocationId} is already associated with associate-id ${current.associationId}`, 400);
    }
    const state = ctx.app.ec2;
    const associationId = state.ids.id('eipassoc');
    // One Elastic IP address per private address: the one the instance had is disassociated.
    const displaced = state.addressesByInterface.of(instance.networkInterfaceId).filter((other) => other.allocationId !== address.allocationId);
    state.commit([tableWrite(state.addresses, [
      ...displaced.map((other) => ({ put: withoutAssociation(other) })),
      { put: { ...address, association: { associationId, networkInterfaceId: instance.networkInterfaceId, privateIpAddress: instance.privateIpAddress, instanceId: instance.instanceId } } },
    ])]);
    return { return: true, associationId };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateAddress.html */
const DisassociateAddress = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const associationId = input.string('AssociationId');
    const publicIp = input.string('PublicIp');
    if (associationId === undefined && publicIp === undefined) throw missingParameter('associationId');
    const address = associationId !== undefined
      ? ctx.app.ec2.addresses.list().find((candidate) => candidate.association?.associationId === associationId)
      : findAddressByPublicIp(ctx, publicIp!);
    if (!address?.association) throw associationNotFound(associationId ?? publicIp!);
    requireAll(ctx, input.dryRun, [addressAuthorization(ctx, 'DisassociateAddress', address)]);
    if (address.association.natGatewayId !== undefined) throw managedAssociation();
    ctx.app.ec2.addresses.put(withoutAssociation(address));
    return { return: true };
  },
});

export const addressAssociationOperations: OperationMap = { AssociateAddress, DisassociateAddress };
