/**
 * The Elastic IP addresses associated with each network interface, kept in step with the address
 * table (built from it at load, then told of every put and delete), so that an instance's public
 * address costs a Map lookup: the metadata service reads it on every meta-data request and
 * DescribeInstances on every instance, where a scan of all addresses would cost each of them.
 * An interface has one address at the most (AssociateAddress displaces the one it had); a set
 * keeps the index right even if a store held two.
 */
import type { RecordTable } from '../../store/record-table.js';
import type { AddressRecord } from './types.js';

export class AddressesByInterface {
  /** allocation id -> the interface its address is associated with */
  private readonly interfaceOf = new Map<string, string>();
  /** interface id -> the allocation ids associated with it */
  private readonly allocationsOf = new Map<string, Set<string>>();

  constructor(private readonly addresses: RecordTable<AddressRecord>) {
    for (const address of addresses.list()) this.follow(address.allocationId, address);
    addresses.onChange((allocationId, address) => this.follow(allocationId, address));
  }

  /** The addresses associated with the interface. */
  of(networkInterfaceId: string): AddressRecord[] {
    const allocationIds = this.allocationsOf.get(networkInterfaceId);
    if (!allocationIds) return [];
    return [...allocationIds].map((allocationId) => this.addresses.get(allocationId)!);
  }

  private follow(allocationId: string, address: AddressRecord | undefined): void {
    const before = this.interfaceOf.get(allocationId);
    const after = address?.association?.networkInterfaceId;
    if (before === after) return;
    if (before !== undefined) {
      const allocationIds = this.allocationsOf.get(before)!;
      allocationIds.delete(allocationId);
      if (allocationIds.size === 0) this.allocationsOf.delete(before);
      this.interfaceOf.delete(allocationId);
    }
    if (after !== undefined) {
      this.interfaceOf.set(allocationId, after);
      const allocationIds = this.allocationsOf.get(after);
      if (allocationIds) allocationIds.add(allocationId);
      else this.allocationsOf.set(after, new Set([allocationId]));
    }
  }
}
