/**
 * EC2's records, in memory and written through to the store (RecordTable per kind). The EC2 API
 * (this folder) changes them; the metadata service and the network identity (src/imds,
 * src/network) follow instances through `instances.onChange`.
 */
import { RecordTable } from '../../store/record-table.js';
import type { Store } from '../../store/store.js';
import type {
  InstanceRecord, InternetGatewayRecord, RouteTableRecord, SecurityGroupRecord, SubnetRecord, VpcEndpointRecord, VpcRecord,
} from './types.js';

export class Ec2State {
  readonly instances: RecordTable<InstanceRecord>;
  readonly vpcs: RecordTable<VpcRecord>;
  readonly subnets: RecordTable<SubnetRecord>;
  readonly securityGroups: RecordTable<SecurityGroupRecord>;
  readonly internetGateways: RecordTable<InternetGatewayRecord>;
  readonly routeTables: RecordTable<RouteTableRecord>;
  readonly vpcEndpoints: RecordTable<VpcEndpointRecord>;

  constructor(readonly store: Store) {
    this.instances = new RecordTable(store, 'ec2-instance', (row) => row.instanceId);
    this.vpcs = new RecordTable(store, 'ec2-vpc', (row) => row.vpcId);
    this.subnets = new RecordTable(store, 'ec2-subnet', (row) => row.subnetId);
    this.securityGroups = new RecordTable(store, 'ec2-security-group', (row) => row.groupId);
    this.internetGateways = new RecordTable(store, 'ec2-internet-gateway', (row) => row.internetGatewayId);
    this.routeTables = new RecordTable(store, 'ec2-route-table', (row) => row.routeTableId);
    this.vpcEndpoints = new RecordTable(store, 'ec2-vpc-endpoint', (row) => row.vpcEndpointId);
  }
}
