/**
 * A NAT gateway's life (https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html):
 * CreateNatGateway answers `pending`; after the transition delay (Ec2State) the gateway is
 * `available`, or `failed` with the reason decided when it was created (no internet gateway on a
 * public gateway's VPC, an unknown or already associated Elastic IP address, no free address in the
 * subnet: AWS's failure codes, which the CLI's `nat-gateway-available` waiter stops on).
 * DeleteNatGateway answers `deleting`; then the gateway is `deleted`, its Elastic IP address is
 * disassociated and routes through it are blackholes. Deleted and failed gateways stay visible for
 * an hour, as on AWS.
 */
import { disassociationsOf } from './public-addresses.js';
import { tableWrite, type Ec2State, type TableWrite } from './state.js';
import type { NatGatewayRecord } from './types.js';

const GONE_VISIBLE_MS = 60 * 60 * 1000;

/** The writes that complete a gateway's transition (none when it is not in one). */
export function natGatewaySettlement(state: Ec2State, natGatewayId: string): TableWrite[] {
  const gateway = state.natGateways.get(natGatewayId);
  if (!gateway) return [];
  if (gateway.state === 'pending') {
    const settled: NatGatewayRecord = { ...gateway, state: gateway.failure ? 'failed' : 'available' };
    return [tableWrite(state.natGateways, [{ put: settled }])];
  }
  if (gateway.state === 'deleting') {
    const deleted: NatGatewayRecord = { ...gateway, state: 'deleted' };
    return [tableWrite(state.natGateways, [{ put: deleted }]), disassociationsOf(state, gateway.networkInterfaceId)];
  }
  return [];
}

/** Whether the API still shows a gateway: a deleted or failed one for an hour after it went. */
export function isNatGatewayVisible(gateway: NatGatewayRecord, now: Date): boolean {
  if (gateway.state !== 'deleted' && gateway.state !== 'failed') return true;
  const gone = Date.parse(gateway.deleteTime ?? gateway.createTime);
  return now.getTime() - gone < GONE_VISIBLE_MS;
}

/** Whether a gateway holds its private address (and its place in the subnet). */
export function holdsNatAddress(gateway: NatGatewayRecord): boolean {
  return gateway.privateIp !== '' && gateway.state !== 'deleted' && gateway.state !== 'failed';
}

/** Whether routes through the gateway carry traffic: `active` while it is pending or available, else `blackhole`. */
export function natGatewayRoutesActive(gateway: NatGatewayRecord | undefined): boolean {
  return gateway !== undefined && (gateway.state === 'pending' || gateway.state === 'available');
}
