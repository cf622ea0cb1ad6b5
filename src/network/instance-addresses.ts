/**
 * The network identity of requests: which running instance, if any, owns the local address a
 * request arrived on. Kept as a map from loopback address to the instance's VPC and private IP,
 * following the instance table, so that building a request context costs one Map lookup.
 * The same object carries the ports the instance listeners use (for /_iamd/health).
 */
import type { VpcSource } from '../auth/request-context.js';
import type { InstanceRecord } from '../services/ec2/types.js';
import type { RecordTable } from '../store/record-table.js';
import { loopbackAddressOf } from './addresses.js';

export interface InstanceSource extends VpcSource {
  instanceId: string;
  /** 127.b.c.d */
  address: string;
}

export class InstanceAddresses {
  private readonly byAddress = new Map<string, InstanceSource>();
  private readonly byInstance = new Map<string, InstanceSource>();
  /** the API port and the IMDS port of instance addresses, once the instance listeners run */
  ports: { api?: number; imds?: number } = {};

  constructor(instances: RecordTable<InstanceRecord>) {
    for (const record of instances.list()) this.follow(record.instanceId, record);
    instances.onChange((instanceId, record) => this.follow(instanceId, record));
  }

  /** The running instance whose address a request was sent to, or undefined (the public address). */
  source(localAddress: string): InstanceSource | undefined {
    return this.byAddress.size === 0 ? undefined : this.byAddress.get(localAddress);
  }

  /** The address of a running instance. */
  ofInstance(instanceId: string): InstanceSource | undefined {
    return this.byInstance.get(instanceId);
  }

  private follow(instanceId: string, record: InstanceRecord | undefined): void {
    const known = this.byInstance.get(instanceId);
    const address = record?.state === 'running' ? loopbackAddressOf(record.privateIpAddress) : undefined;
    if (record && address !== undefined) {
      if (known && known.privateIp === record.privateIpAddress && known.vpcId === record.vpcId) return;
      if (known && this.byAddress.get(known.address) === known) this.byAddress.delete(known.address);
      const source: InstanceSource = Object.freeze({ instanceId, vpcId: record.vpcId, privateIp: record.privateIpAddress, address });
      this.byInstance.set(instanceId, source);
      this.byAddress.set(address, source);
    } else if (known) {
      this.byInstance.delete(instanceId);
      if (this.byAddress.get(known.address) === known) this.byAddress.delete(known.address);
    }
  }
}
