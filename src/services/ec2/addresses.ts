/**
 * Elastic IP addresses (domain `vpc`): AllocateAddress, ReleaseAddress and DescribeAddresses;
 * associating them is address-associations.ts. Addresses come from iamd's documentation-range pool
 * (public-addresses.ts). An address associated with an instance or a NAT gateway cannot be released
 * (InvalidIPAddress.InUse).
 * Known gaps: no BYOIP or IPAM pools (Address, PublicIpv4Pool, IpamPoolId, CustomerOwnedIpv4Pool are
 * refused), no EC2-Classic (`standard`) addresses, no address transfers or PTR records; the
 * per-region quota is the pool's size (508 addresses), not AWS's default of 5.
 */
import { AwsError } from '../../protocol/aws-error.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { describeAuthorization, ec2Action, ec2Arn, requestTagKeys, requireAll, resourceTagKeys, tagOnCreateAuthorization, tagsXml } from './common.js';
import { parseIpv4 } from './cidr.js';
import { invalidParameterValue, missingParameter } from './errors.js';
import { applyFilters, Ec2Input, filtersOf, tagSpecificationsOf, type FilterFields } from './input.js';
import { findAddress, findAddressByPublicIp } from './lookups.js';
import { nextPublicIp } from './public-addresses.js';
import type { AddressRecord } from './types.js';

export function addressXml(address: AddressRecord): XmlObject {
  const association = address.association;
  return {
    publicIp: address.publicIp,
    allocationId: address.allocationId,
    domain: address.domain,
    instanceId: association?.instanceId,
    associationId: association?.associationId,
    networkInterfaceId: association?.networkInterfaceId,
    networkInterfaceOwnerId: association ? address.ownerId : undefined,
    privateIpAddress: association?.privateIpAddress,
    tagSet: tagsXml(address.tags),
    publicIpv4Pool: 'amazon',
    networkBorderGroup: address.networkBorderGroup,
  };
}

export function addressAuthorization(ctx: OperationContext, action: string, address: AddressRecord): Authorization {
  return { action: ec2Action(action), resource: ec2Arn(ctx, 'elastic-ip', address.allocationId), conditionKeys: resourceTagKeys(address.tags) };
}

const UNSUPPORTED_SOURCES = ['Address', 'PublicIpv4Pool', 'IpamPoolId', 'CustomerOwnedIpv4Pool'];

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AllocateAddress.html */
const AllocateAddress = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const domain = input.string('Domain') ?? 'vpc';
    if (domain !== 'vpc') throw invalidParameterValue(`Value (${domain}) for parameter domain is invalid. iamd has VPC addresses only.`);
    const unsupported = UNSUPPORTED_SOURCES.find((name) => input.has(name));
    if (unsupported) throw invalidParameterValue(`iamd allocates Elastic IP addresses from its own pool only (got ${unsupported}).`);
    const borderGroup = input.string('NetworkBorderGroup') ?? ctx.app.region;
    if (borderGroup !== ctx.app.region) throw invalidParameterValue(`Value (${borderGroup}) for parameter networkBorderGroup is invalid.`);
    const tags = tagSpecificationsOf(input, ['elastic-ip']).get('elastic-ip') ?? [];
    const state = ctx.app.ec2;
    const allocationId = state.ids.id('eipalloc');
    const arn = ec2Arn(ctx, 'elastic-ip', allocationId);
    requireAll(ctx, input.dryRun, [
      { action: ec2Action('AllocateAddress'), resource: arn, conditionKeys: requestTagKeys(tags) },
      ...tagOnCreateAuthorization(arn, 'AllocateAddress', tags),
    ]);
    const publicIp = nextPublicIp(state);
    if (publicIp === undefined) throw new AwsError('AddressLimitExceeded', 'The maximum number of addresses has been reached.', 400);
    const address: AddressRecord = { allocationId, publicIp, domain: 'vpc', networkBorderGroup: borderGroup, ownerId: ctx.app.accountId, tags };
    state.addresses.put(address);
    return { publicIp, allocationId, publicIpv4Pool: 'amazon', networkBorderGroup: borderGroup, domain: 'vpc' };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReleaseAddress.html */
const ReleaseAddress = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const allocationId = input.string('AllocationId');
    if (allocationId === undefined) {
      if (input.has('PublicIp')) throw invalidParameterValue('You must specify an allocation id when releasing a VPC elastic IP address');
      throw missingParameter('allocationId');
    }
    const address = findAddress(ctx, allocationId);
    requireAll(ctx, input.dryRun, [addressAuthorization(ctx, 'ReleaseAddress', address)]);
    if (address.association) throw new AwsError('InvalidIPAddress.InUse', `The address with allocation id [${address.allocationId}] is in use.`, 400);
    ctx.app.ec2.addresses.delete(address.allocationId);
    return { return: true };
  },
});

const ADDRESS_FILTERS: FilterFields<AddressRecord> = {
  'allocation-id': (address) => address.allocationId,
  'association-id': (address) => address.association?.associationId,
  domain: (address) => address.domain,
  'instance-id': (address) => address.association?.instanceId,
  'network-border-group': (address) => address.networkBorderGroup,
  'network-interface-id': (address) => address.association?.networkInterfaceId,
  'network-interface-owner-id': (address) => (address.association ? address.ownerId : undefined),
  'private-ip-address': (address) => address.association?.privateIpAddress,
  'public-ip': (address) => address.publicIp,
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeAddresses.html — not paged, as on AWS. */
const DescribeAddresses = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const allocationIds = [...new Set(input.list('AllocationId'))];
    const publicIps = [...new Set(input.list('PublicIp'))];
    const filters = filtersOf(input);
    const named = [...allocationIds.map((id) => findAddress(ctx, id)), ...publicIps.map((ip) => findAddressByPublicIp(ctx, ip))];
    const chosen = allocationIds.length + publicIps.length > 0 ? [...new Map(named.map((address) => [address.allocationId, address])).values()] : ctx.app.ec2.addresses.list();
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeAddresses')]);
    const matching = applyFilters(chosen, filters, ADDRESS_FILTERS, (address) => address.tags).sort((a, b) => parseIpv4(a.publicIp)! - parseIpv4(b.publicIp)!);
    return { addressesSet: matching.map(addressXml) };
  },
});

export const addressOperations: OperationMap = { AllocateAddress, ReleaseAddress, DescribeAddresses };
