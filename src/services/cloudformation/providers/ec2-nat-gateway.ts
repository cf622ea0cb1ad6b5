/**
 * AWS::EC2::NatGateway (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-natgateway.html):
 * CreateNatGateway, then waits until the gateway is available (CloudFormation's stabilization; a
 * gateway that fails fails the resource with EC2's failure code and message). Ref is the gateway
 * id; Fn::GetAtt NatGatewayId. Tags change in place; everything else replaces the gateway. Deleting
 * waits until the gateway is deleted, which frees its Elastic IP address for the EIP's own delete.
 * iamd's NAT gateways have one address: secondary addresses are refused by the EC2 API, and
 * regional (multi-zone) gateways are not modelled.
 */
import { ResourceFailure, requiredText, strings, text } from './properties.js';
import { provider, type ProviderContext } from './provider.js';
import { ec2Params, resourceTags, stampStackTags, tagSpecification, updateTags } from './ec2-common.js';
import { stringAt, unlessGone } from './results.js';

const SETTLE_TIMEOUT_MS = 60_000;
const POLL_MS = 10;
const REGIONAL = 'iamd has no regional NAT gateways';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Waits until the gateway is available (create) or deleted (delete). */
async function settled(ctx: ProviderContext, natGatewayId: string, wanted: 'available' | 'deleted'): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const gateway = ctx.app.ec2.natGateways.get(natGatewayId);
    if (gateway?.state === wanted || (wanted === 'deleted' && !gateway)) return;
    if (wanted === 'available' && gateway?.state === 'failed') {
      throw new ResourceFailure(`NAT gateway ${natGatewayId} failed: ${gateway.failure?.code}: ${gateway.failure?.message}`, 'NotStabilized');
    }
    if (Date.now() > deadline) throw new ResourceFailure(`NAT gateway ${natGatewayId} did not become ${wanted} in time.`, 'NotStabilized');
    await sleep(POLL_MS);
  }
}

export const ec2NatGateway = provider({
  type: 'AWS::EC2::NatGateway',
  schema: {
    AllocationId: { type: 'string', replaces: true },
    ConnectivityType: { type: 'string', replaces: true },
    MaxDrainDurationSeconds: { type: 'number', ignored: 'no connections pass through iamd NAT gateways' },
    PrivateIpAddress: { type: 'string', replaces: true },
    SecondaryAllocationIds: { type: 'list', replaces: true },
    SecondaryPrivateIpAddressCount: { type: 'number', replaces: true },
    SecondaryPrivateIpAddresses: { type: 'list', replaces: true },
    SubnetId: { type: 'string', replaces: true },
    Tags: { type: 'list' },
    AvailabilityMode: { type: 'string', replaces: true, ignored: REGIONAL },
    AvailabilityZoneAddresses: { type: 'list', ignored: REGIONAL },
    VpcId: { type: 'string', replaces: true, ignored: REGIONAL },
  },
  attributes: ['NatGatewayId'],
  async create(ctx, properties) {
    const params = ec2Params()
      .set('SubnetId', requiredText(properties, 'SubnetId'))
      .set('AllocationId', text(properties, 'AllocationId'))
      .set('ConnectivityType', text(properties, 'ConnectivityType'))
      .set('PrivateIpAddress', text(properties, 'PrivateIpAddress'))
      .set('SecondaryPrivateIpAddressCount', text(properties, 'SecondaryPrivateIpAddressCount'))
      .list('SecondaryAllocationId', strings(properties, 'SecondaryAllocationIds'))
      .list('SecondaryPrivateIpAddress', strings(properties, 'SecondaryPrivateIpAddresses'));
    const created = await ctx.call('ec2', 'CreateNatGateway', tagSpecification(params, 'natgateway', resourceTags(ctx, properties)));
    const natGatewayId = stringAt(created, 'natGateway', 'natGatewayId');
    stampStackTags(ctx, ctx.app.ec2.natGateways, natGatewayId);
    await settled(ctx, natGatewayId, 'available');
    return { physicalId: natGatewayId, attributes: { NatGatewayId: natGatewayId } };
  },
  async update(ctx, current, properties) {
    await updateTags(ctx, current.physicalId, current.properties, properties);
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    const gateway = ctx.app.ec2.natGateways.get(current.physicalId);
    if (!gateway || gateway.state === 'deleted') return;
    await unlessGone(ctx.call('ec2', 'DeleteNatGateway', ec2Params().set('NatGatewayId', current.physicalId)));
    await settled(ctx, current.physicalId, 'deleted');
  },
});
