/**
 * Private IPv4 addresses of instances and NAT gateways. An address comes from the subnet's CIDR,
 * skipping the five AWS keeps (network, +1 router, +2 DNS, +3 reserved, broadcast) and those in use
 * in the subnet.
 * iamd adds one rule of its own: an instance's loopback address is 127.b.c.d for private IP
 * a.b.c.d (src/network/addresses.ts), so no two live (not terminated) instances may share the last
 * three octets, even in different VPCs with overlapping CIDRs; 127.0.0.0, 127.0.0.1 and
 * 127.255.255.255 are never handed out either.
 */
import { AwsError } from '../../protocol/aws-error.js';
import { formatIpv4, ipInCidr, lastThreeOctets, parseCidr, parseIpv4, usableRange } from './cidr.js';
import { invalidParameterValue } from './errors.js';
import { holdsNatAddress } from './nat-gateway-states.js';
import type { Ec2State } from './state.js';
import type { InstanceRecord, SubnetRecord } from './types.js';

const RESERVED_LOOPBACK = new Set([0, 1, 2 ** 24 - 1]);

/** Addresses taken: in use in the subnet, and the loopback suffixes of every live instance. */
export interface AddressBook {
  inSubnet: Set<number>;
  loopbackSuffixes: Set<number>;
}

export function addressBook(state: Ec2State, subnet: SubnetRecord): AddressBook {
  const inSubnet = new Set<number>();
  const loopbackSuffixes = new Set<number>();
  for (const instance of state.instances.list()) {
    if (!holdsAddress(instance)) continue;
    const ip = parseIpv4(instance.privateIpAddress)!;
    loopbackSuffixes.add(lastThreeOctets(ip));
    if (instance.subnetId === subnet.subnetId) inSubnet.add(ip);
  }
  for (const gateway of natGatewaysIn(state, subnet)) inSubnet.add(parseIpv4(gateway.privateIp)!);
  return { inSubnet, loopbackSuffixes };
}

/** A terminated instance has released its address; every other state keeps it. */
export function holdsAddress(instance: InstanceRecord): boolean {
  return instance.state !== 'terminated';
}

const insufficientAddresses = (subnetId: string): AwsError =>
  new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnetId}' to satisfy the requested number of instances.`, 400);

/** Takes the lowest free address of the subnet (and records it in `book`). */
export function allocatePrivateIp(subnet: SubnetRecord, book: AddressBook): string {
  const range = usableRange(parseCidr(subnet.cidrBlock)!);
  for (let ip = range.first; ip <= range.last; ip++) {
    if (book.inSubnet.has(ip) || book.loopbackSuffixes.has(lastThreeOctets(ip)) || RESERVED_LOOPBACK.has(lastThreeOctets(ip))) continue;
    take(book, ip);
    return formatIpv4(ip);
  }
  throw insufficientAddresses(subnet.subnetId);
}

/** Takes an address the caller asked for (RunInstances PrivateIpAddress). */
export function claimPrivateIp(subnet: SubnetRecord, book: AddressBook, text: string): string {
  const ip = parseIpv4(text);
  const cidr = parseCidr(subnet.cidrBlock)!;
  if (ip === undefined) throw invalidParameterValue(`Value (${text}) for parameter privateIpAddress is invalid. ${text} is not a valid IPv4 address.`);
  const range = usableRange(cidr);
  if (!ipInCidr(ip, cidr)) throw new AwsError('InvalidParameterValue', `Address ${text} does not fall within the subnet's address range`, 400);
  if (ip < range.first || ip > range.last) throw new AwsError('InvalidParameterValue', `Address ${text} is reserved by AWS in subnet ${subnet.subnetId}`, 400);
  if (book.inSubnet.has(ip)) throw new AwsError('InvalidIPAddress.InUse', `Address ${text} is in use.`, 400);
  if (book.loopbackSuffixes.has(lastThreeOctets(ip)) || RESERVED_LOOPBACK.has(lastThreeOctets(ip))) {
    // iamd's own limit (see the module comment): the instance's loopback address would be taken.
    throw new AwsError('InvalidIPAddress.InUse', `Address ${text} is in use (iamd: its loopback address 127.${text.split('.').slice(1).join('.')} belongs to another instance).`, 400);
  }
  take(book, ip);
  return text;
}

function take(book: AddressBook, ip: number): void {
  book.inSubnet.add(ip);
  book.loopbackSuffixes.add(lastThreeOctets(ip));
}

function natGatewaysIn(state: Ec2State, subnet: SubnetRecord) {
  return state.natGateways.list().filter((gateway) => gateway.subnetId === subnet.subnetId && holdsNatAddress(gateway));
}

/** Free addresses of a subnet (AvailableIpAddressCount). */
export function availableAddressCount(state: Ec2State, subnet: SubnetRecord): number {
  const used = state.instances.list().filter((instance) => instance.subnetId === subnet.subnetId && holdsAddress(instance)).length
    + natGatewaysIn(state, subnet).length;
  return usableRange(parseCidr(subnet.cidrBlock)!).count - used;
}

/** EC2's internal host name: ip-172-31-16-5.ec2.internal in us-east-1, ip-....REGION.compute.internal elsewhere. */
export function privateDnsName(ip: string, region: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}
