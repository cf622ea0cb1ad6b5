/**
 * EC2's records, in memory and written through to the store (RecordTable per kind). The EC2 API
 * (this folder) changes them; the metadata service and the network identity (src/imds,
 * src/network) follow instances through `instances.onChange`.
 *
 * Also here: the default network a new account has in each region (made at the first EC2 call
 * of a region, once: a deleted default VPC stays deleted, as on AWS; written to the store only once
 * a request is not refused, see ensureDefaults), the id generator (`ids`,
 * replaceable for deterministic tests), and the instance lifecycle's second half: RunInstances and
 * StartInstances answer `pending`, StopInstances `stopping`, TerminateInstances `shutting-down`,
 * and the instance settles in running / stopped / terminated `transitionDelayMs` later
 * (IAMD_INSTANCE_BOOT_MS, default 0: right after the response). NAT gateways use the same delay
 * between pending and available (or failed) and between deleting and deleted. A transition cut
 * short by a restart is completed when the state is loaded. A terminated instance's Elastic IP
 * address is disassociated as it settles, as on AWS.
 */
import { RecordTable, type TableChange } from '../../store/record-table.js';
import type { RecordChange, Store } from '../../store/store.js';
import { AddressesByInterface } from './addresses-by-interface.js';
import { createDefaultNetwork } from './network.js';
import { Ec2Ids } from './ids.js';
import { natGatewaySettlement } from './nat-gateway-states.js';
import { disassociationsOf } from './public-addresses.js';
import type {
  AddressRecord, InstanceRecord, InstanceStateName, InternetGatewayRecord, NatGatewayRecord, RouteTableRecord, SecurityGroupRecord, SubnetRecord,
  VpcEndpointRecord, VpcRecord,
} from './types.js';

/** Per region: whether (and which) default VPC was made, so that it is made once. */
export interface Ec2RegionDefaults {
  region: string;
  defaultVpcId: string;
  createdAt: string;
}

/** Changes to one table, ready to be written with changes to others in one atomic write. */
export interface TableWrite {
  records: RecordChange[];
  apply(): void;
}

export function tableWrite<T>(table: RecordTable<T>, changes: readonly TableChange<T>[]): TableWrite {
  return { records: table.changes(changes), apply: () => table.remember(changes) };
}

const SETTLES_TO: Partial<Record<InstanceStateName, InstanceStateName>> = { pending: 'running', stopping: 'stopped', 'shutting-down': 'terminated' };

function transitionDelayFromEnv(): number {
  const text = process.env.IAMD_INSTANCE_BOOT_MS;
  const value = text === undefined ? 0 : Number(text);
  return Number.isFinite(value) && value >= 0 ? value : 0;
}

export class Ec2State {
  readonly instances: RecordTable<InstanceRecord>;
  readonly vpcs: RecordTable<VpcRecord>;
  readonly subnets: RecordTable<SubnetRecord>;
  readonly securityGroups: RecordTable<SecurityGroupRecord>;
  readonly internetGateways: RecordTable<InternetGatewayRecord>;
  readonly routeTables: RecordTable<RouteTableRecord>;
  readonly vpcEndpoints: RecordTable<VpcEndpointRecord>;
  readonly addresses: RecordTable<AddressRecord>;
  /** the addresses associated with each network interface (public-addresses.ts reads it) */
  readonly addressesByInterface: AddressesByInterface;
  readonly natGateways: RecordTable<NatGatewayRecord>;
  readonly regionDefaults: RecordTable<Ec2RegionDefaults>;
  /** where new ids and MAC addresses come from; tests may put a seeded one */
  ids = new Ec2Ids();
  /** how long pending, stopping and shutting-down (and a NAT gateway's pending and deleting) last, in ms */
  transitionDelayMs = transitionDelayFromEnv();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The default network's records, made in memory and not yet written (see ensureDefaults). */
  private pendingDefaults: RecordChange[] = [];

  constructor(private readonly store: Store) {
    this.instances = new RecordTable(this.store, 'ec2-instance', (row) => row.instanceId);
    this.vpcs = new RecordTable(this.store, 'ec2-vpc', (row) => row.vpcId);
    this.subnets = new RecordTable(this.store, 'ec2-subnet', (row) => row.subnetId);
    this.securityGroups = new RecordTable(this.store, 'ec2-security-group', (row) => row.groupId);
    this.internetGateways = new RecordTable(this.store, 'ec2-internet-gateway', (row) => row.internetGatewayId);
    this.routeTables = new RecordTable(this.store, 'ec2-route-table', (row) => row.routeTableId);
    this.vpcEndpoints = new RecordTable(this.store, 'ec2-vpc-endpoint', (row) => row.vpcEndpointId);
    this.addresses = new RecordTable(this.store, 'ec2-address', (row) => row.allocationId);
    this.addressesByInterface = new AddressesByInterface(this.addresses);
    this.natGateways = new RecordTable(this.store, 'ec2-nat-gateway', (row) => row.natGatewayId);
    this.regionDefaults = new RecordTable(this.store, 'ec2-region-defaults', (row) => row.region);
    for (const instance of this.instances.list()) this.settle(instance.instanceId);
    for (const gateway of this.natGateways.list()) this.settleNatGateway(gateway.natGatewayId);
  }

  /** Writes changes to several tables in one atomic store write, then applies them in memory. */
  commit(writes: readonly TableWrite[]): void {
    this.store.write(writes.flatMap((write) => write.records));
    for (const write of writes) write.apply();
  }

  /**
   * The default network of `region` (VPC, a subnet per zone, gateway, routes, group), made at the
   * first call. It is made in memory and written to the store by `keepDefaults`, which EC2's
   * authorization (common.ts requireAll) calls once a request is allowed: a request refused by
   * authorization leaves the store as it was, and the next request finds the same network.
   */
  ensureDefaults(accountId: string, region: string, time: Date): void {
    if (this.regionDefaults.get(region)) return;
    const { vpcId, writes } = createDefaultNetwork(this, accountId, region);
    const all = [...writes, tableWrite(this.regionDefaults, [{ put: { region, defaultVpcId: vpcId, createdAt: time.toISOString() } }])];
    for (const write of all) this.pendingDefaults.push(...write.records);
    for (const write of all) write.apply();
  }

  /** Writes the default network `ensureDefaults` made, if it is not written yet. */
  keepDefaults(): void {
    if (this.pendingDefaults.length === 0) return;
    this.store.write(this.pendingDefaults);
    this.pendingDefaults = [];
  }

  /** Moves an instance out of pending / stopping / shutting-down after the transition delay. */
  settleLater(instanceId: string): void {
    this.afterTransitionDelay(() => this.settle(instanceId));
  }

  /** Moves a NAT gateway out of pending / deleting after the transition delay. */
  settleNatGatewayLater(natGatewayId: string): void {
    this.afterTransitionDelay(() => this.settleNatGateway(natGatewayId));
  }

  /** Completes a transition now (an instance that is not in one is left alone). */
  settle(instanceId: string): void {
    const instance = this.instances.get(instanceId);
    const next = instance ? SETTLES_TO[instance.state] : undefined;
    if (!instance || !next) return;
    const released = next === 'terminated' ? [disassociationsOf(this, instance.networkInterfaceId)] : [];
    this.commit([tableWrite(this.instances, [{ put: { ...instance, state: next } }]), ...released]);
  }

  /** Completes a NAT gateway's transition now (one that is not in one is left alone). */
  settleNatGateway(natGatewayId: string): void {
    const writes = natGatewaySettlement(this, natGatewayId);
    if (writes.length > 0) this.commit(writes);
  }

  private afterTransitionDelay(task: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      try {
        task();
      } catch {
        // The store was closed under the timer (server shutting down): the transition is completed at the next load.
      }
    }, this.transitionDelayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Cancels pending transitions (they complete at the next load). */
  stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
