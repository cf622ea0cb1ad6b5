/**
 * Public IPv4 addresses: the pool Elastic IP addresses come from, their DNS names, and which
 * address an interface has. iamd hands out addresses of the two ranges kept for documentation
 * (RFC 5737: 198.51.100.0/24, then 203.0.113.0/24; never .0 or .255), lowest free first, so no two
 * addresses of the account collide and none routes anywhere: iamd's instances are reached through
 * their loopback addresses, not through a public network. A released address goes back to the pool.
 */
import { formatIpv4, parseCidr, parseIpv4 } from './cidr.js';
import { tableWrite, type Ec2State, type TableWrite } from './state.js';
import type { AddressRecord, InstanceRecord } from './types.js';

const POOLS = ['198.51.100.0/24', '203.0.113.0/24'].map((text) => parseCidr(text)!);

/** The lowest address of the pools no allocation holds, or undefined when all are taken. */
export function nextPublicIp(state: Ec2State): string | undefined {
  const taken = new Set(state.addresses.list().map((address) => parseIpv4(address.publicIp)));
  for (const pool of POOLS) {
    for (let host = 1; host < 255; host++) {
      if (!taken.has(pool.base + host)) return formatIpv4(pool.base + host);
    }
  }
  return undefined;
}

/** EC2's public host name: ec2-198-51-100-1.compute-1.amazonaws.com in us-east-1, ec2-....REGION.compute.amazonaws.com elsewhere. */
export function publicDnsName(ip: string, region: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

/** The public host name an instance in `vpcId` gets for `ip`: none unless the VPC has DNS host names on, as on AWS. */
export function publicDnsNameIn(state: Ec2State, vpcId: string, ip: string, region: string): string {
  return state.vpcs.get(vpcId)?.enableDnsHostnames ? publicDnsName(ip, region) : '';
}

/** The Elastic IP address associated with a network interface, if any (an index lookup: IMDS asks on every request). */
export function addressOfInterface(state: Ec2State, networkInterfaceId: string): AddressRecord | undefined {
  return state.addressesByInterface.of(networkInterfaceId)[0];
}

/** Disassociates every address associated with a network interface (its instance terminated, its NAT gateway deleted). */
export function disassociationsOf(state: Ec2State, networkInterfaceId: string): TableWrite {
  const associated = state.addressesByInterface.of(networkInterfaceId);
  return tableWrite(state.addresses, associated.map((address) => ({ put: withoutAssociation(address) })));
}

export function withoutAssociation(address: AddressRecord): AddressRecord {
  const { association: _dropped, ...rest } = address;
  return rest;
}

/** Whether any Elastic IP address is associated with an instance or NAT gateway of the VPC (which keeps its internet gateway attached). */
export function hasMappedAddresses(state: Ec2State, vpcId: string): boolean {
  return state.addresses.list().some((address) => {
    const association = address.association;
    if (!association) return false;
    if (association.natGatewayId !== undefined) return state.natGateways.get(association.natGatewayId)?.vpcId === vpcId;
    return association.instanceId !== undefined && state.instances.get(association.instanceId)?.vpcId === vpcId;
  });
}

/** An instance's public address (its interface's Elastic IP address) and public host name ('' without DNS host names), if any. */
export function instancePublicAddress(state: Ec2State, region: string, instance: InstanceRecord): { ip: string; hostname: string } | undefined {
  const address = addressOfInterface(state, instance.networkInterfaceId);
  return address ? { ip: address.publicIp, hostname: publicDnsNameIn(state, instance.vpcId, address.publicIp, region) } : undefined;
}
