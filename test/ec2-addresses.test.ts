/**
 * Elastic IP addresses, NAT gateways and secondary VPC CIDR blocks end to end, with the JS SDK v3
 * (its NAT gateway waiter included) and the AWS CLI v2 (`aws ec2 wait nat-gateway-available`):
 * allocation from the documentation ranges, association with an instance (seen in DescribeInstances
 * and in the instance's metadata service), reassociation, release, a NAT gateway's lifecycle and
 * failures, routes through it, and the rules for adding and removing VPC blocks, with AWS's errors.
 */
import {
  AllocateAddressCommand, AssociateAddressCommand, AssociateVpcCidrBlockCommand, AttachInternetGatewayCommand, CreateInternetGatewayCommand,
  CreateNatGatewayCommand, CreateRouteCommand, CreateRouteTableCommand, CreateSubnetCommand, CreateVpcCommand, DeleteNatGatewayCommand,
  DeleteSubnetCommand, DescribeAddressesCommand, DescribeInstancesCommand, DescribeInternetGatewaysCommand, DescribeNatGatewaysCommand, DescribeRouteTablesCommand,
  DescribeSubnetsCommand, DescribeVpcsCommand, DetachInternetGatewayCommand, DisassociateAddressCommand, DisassociateVpcCidrBlockCommand, EC2Client,
  ModifyVpcAttributeCommand, ReleaseAddressCommand, ReplaceRouteCommand, RunInstancesCommand, TerminateInstancesCommand, waitUntilNatGatewayAvailable,
  type Instance, type NatGateway,
} from '@aws-sdk/client-ec2';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressOfInterface } from '../src/services/ec2/public-addresses.js';
import { Ec2State } from '../src/services/ec2/state.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import { endpointsOf, imdsGet } from './helpers/imds.js';
import { aws, awsJson, realClient } from './helpers/real-clients.js';
import { expectAwsError, startTestServer, type Credentials, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
const AL2 = 'ami-03c951bbe993ea087';
let server: TestServer;
let ec2: EC2Client;

const ec2Client = (credentials: Credentials = server.root): EC2Client =>
  new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });

before(async () => {
  server = await startTestServer();
  ec2 = ec2Client();
});
after(async () => {
  ec2?.destroy();
  await server?.close();
});

/** A VPC with DNS host names on and one subnet; with an internet gateway attached unless told otherwise. */
async function network(cidr: string, subnetCidr: string, withGateway = true): Promise<{ vpcId: string; subnetId: string; gatewayId?: string }> {
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: subnetCidr }))).Subnet!.SubnetId!;
  if (!withGateway) return { vpcId, subnetId };
  const gatewayId = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
  return { vpcId, subnetId, gatewayId };
}

async function launch(subnetId: string): Promise<string> {
  const instanceId = (await ec2.send(new RunInstancesCommand({ ImageId: AL2, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnetId }))).Instances![0]!.InstanceId!;
  server.app.ec2.settle(instanceId);
  await server.instances.settled();
  return instanceId;
}

async function describeInstance(instanceId: string): Promise<Instance> {
  return (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations![0]!.Instances![0]!;
}

async function describeNat(natGatewayId: string): Promise<NatGateway> {
  return (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natGatewayId] }))).NatGateways![0]!;
}

async function allocate(name?: string): Promise<{ allocationId: string; publicIp: string }> {
  const out = await ec2.send(new AllocateAddressCommand({
    Domain: 'vpc', ...(name ? { TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: [{ Key: 'Name', Value: name }] }] } : {}),
  }));
  return { allocationId: out.AllocationId!, publicIp: out.PublicIp! };
}

/** Runs `work` with NAT gateways (and instances) taking `ms` to settle, so their transitions can be seen. */
async function withTransitionDelay<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const before = server.app.ec2.transitionDelayMs;
  server.app.ec2.transitionDelayMs = ms;
  try {
    return await work();
  } finally {
    server.app.ec2.transitionDelayMs = before;
  }
}

describe('Elastic IP addresses with the JS SDK', () => {
  let net: { vpcId: string; subnetId: string; gatewayId?: string };
  let first: string;
  let second: string;
  let web: { allocationId: string; publicIp: string };
  let associationId: string;

  before(async () => {
    net = await network('10.77.0.0/16', '10.77.1.0/24');
    first = await launch(net.subnetId);
    second = await launch(net.subnetId);
  });

  it('allocates addresses of the documentation ranges, never the same one twice, tagged as asked', async () => {
    web = await allocate('web');
    const spare = await allocate();
    assert.match(web.allocationId, /^eipalloc-[0-9a-f]{17}$/);
    assert.match(web.publicIp, /^198\.51\.100\.\d{1,3}$/);
    assert.notEqual(web.publicIp, spare.publicIp);
    const [described] = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [web.allocationId] }))).Addresses!;
    assert.deepEqual(
      [described!.PublicIp, described!.Domain, described!.NetworkBorderGroup, described!.PublicIpv4Pool, described!.Tags],
      [web.publicIp, 'vpc', 'us-east-1', 'amazon', [{ Key: 'Name', Value: 'web' }]],
    );
    assert.equal(described!.AssociationId, undefined);
    const byIp = (await ec2.send(new DescribeAddressesCommand({ PublicIps: [spare.publicIp] }))).Addresses!;
    assert.deepEqual(byIp.map((address) => address.AllocationId), [spare.allocationId]);
    const tagged = (await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'tag:Name', Values: ['web'] }] }))).Addresses!;
    assert.deepEqual(tagged.map((address) => address.AllocationId), [web.allocationId]);
    const unknown = await expectAwsError(ec2.send(new DescribeAddressesCommand({ AllocationIds: ['eipalloc-0123456789abcdef0'] })), 'InvalidAllocationID.NotFound');
    assert.equal(unknown.message, "The allocation ID 'eipalloc-0123456789abcdef0' does not exist");
    const noIp = await expectAwsError(ec2.send(new DescribeAddressesCommand({ PublicIps: ['192.0.2.1'] })), 'InvalidAddress.NotFound');
    assert.equal(noIp.message, "Address '192.0.2.1' not found.");
    await expectAwsError(ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })), 'InvalidParameterValue');
    await ec2.send(new ReleaseAddressCommand({ AllocationId: spare.allocationId }));
  });

  it('associates only with an instance whose VPC has an internet gateway', async () => {
    const isolated = await network('10.79.0.0/16', '10.79.1.0/24', false);
    const lonely = await launch(isolated.subnetId);
    const refused = await expectAwsError(ec2.send(new AssociateAddressCommand({ AllocationId: web.allocationId, InstanceId: lonely })), 'Gateway.NotAttached');
    assert.equal(refused.message, `Network ${isolated.vpcId} is not attached to any internet gateway`);
    await expectAwsError(ec2.send(new AssociateAddressCommand({ AllocationId: 'eipalloc-0123456789abcdef0', InstanceId: first })), 'InvalidAllocationID.NotFound');
    await expectAwsError(ec2.send(new AssociateAddressCommand({ AllocationId: web.allocationId, NetworkInterfaceId: 'eni-0123456789abcdef0' })), 'InvalidNetworkInterfaceID.NotFound');
  });

  it('shows the associated address on the address, on the instance and in its metadata service', async () => {
    associationId = (await ec2.send(new AssociateAddressCommand({ AllocationId: web.allocationId, InstanceId: first }))).AssociationId!;
    assert.match(associationId, /^eipassoc-[0-9a-f]{17}$/);
    const instance = await describeInstance(first);
    const [address] = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [web.allocationId] }))).Addresses!;
    assert.deepEqual(
      [address!.AssociationId, address!.InstanceId, address!.NetworkInterfaceId, address!.PrivateIpAddress, address!.NetworkInterfaceOwnerId],
      [associationId, first, instance.NetworkInterfaces![0]!.NetworkInterfaceId, instance.PrivateIpAddress, ACCOUNT],
    );
    const dnsName = `ec2-${web.publicIp.replace(/\./g, '-')}.compute-1.amazonaws.com`;
    assert.equal(instance.PublicIpAddress, web.publicIp);
    assert.equal(instance.PublicDnsName, dnsName);
    assert.deepEqual(instance.NetworkInterfaces![0]!.Association, { PublicIp: web.publicIp, PublicDnsName: dnsName, IpOwnerId: ACCOUNT });
    assert.equal(instance.NetworkInterfaces![0]!.PrivateIpAddresses![0]!.Association!.PublicIp, web.publicIp);
    const found = (await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'ip-address', Values: [web.publicIp] }] }))).Reservations!;
    assert.deepEqual(found.flatMap((reservation) => reservation.Instances!.map((one) => one.InstanceId)), [first]);
    const { imdsUrl } = endpointsOf(server, first);
    assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/public-ipv4')).body, web.publicIp);
    assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/public-hostname')).body, dnsName);
    const mac = `/latest/meta-data/network/interfaces/macs/${instance.NetworkInterfaces![0]!.MacAddress}`;
    assert.equal((await imdsGet(imdsUrl, `${mac}/public-ipv4s`)).body, web.publicIp);
    assert.equal((await imdsGet(imdsUrl, `${mac}/ipv4-associations/${web.publicIp}`)).body, instance.PrivateIpAddress);
  });

  it('moves an associated address only with AllowReassociation, and keeps the gateway attached while mapped', async () => {
    const taken = await expectAwsError(ec2.send(new AssociateAddressCommand({ AllocationId: web.allocationId, InstanceId: second })), 'Resource.AlreadyAssociated');
    assert.equal(taken.message, `resource ${web.allocationId} is already associated with associate-id ${associationId}`);
    const moved = (await ec2.send(new AssociateAddressCommand({ AllocationId: web.allocationId, InstanceId: second, AllowReassociation: true }))).AssociationId!;
    assert.notEqual(moved, associationId);
    assert.equal((await describeInstance(first)).PublicIpAddress, undefined);
    assert.equal((await describeInstance(second)).PublicIpAddress, web.publicIp);
    assert.equal((await imdsGet(endpointsOf(server, first).imdsUrl, '/latest/meta-data/public-ipv4')).status, 404);
    const detach = await expectAwsError(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: net.gatewayId!, VpcId: net.vpcId })), 'DependencyViolation');
    assert.equal(detach.message, `Network ${net.vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`);
    associationId = moved;
  });

  it('refuses to release an address in use; disassociates and releases it', async () => {
    const inUse = await expectAwsError(ec2.send(new ReleaseAddressCommand({ AllocationId: web.allocationId })), 'InvalidIPAddress.InUse');
    assert.match(inUse.message, new RegExp(web.allocationId));
    const byIp = await expectAwsError(ec2.send(new ReleaseAddressCommand({ PublicIp: web.publicIp })), 'InvalidParameterValue');
    assert.equal(byIp.message, 'You must specify an allocation id when releasing a VPC elastic IP address');
    await ec2.send(new DisassociateAddressCommand({ AssociationId: associationId }));
    const again = await expectAwsError(ec2.send(new DisassociateAddressCommand({ AssociationId: associationId })), 'InvalidAssociationID.NotFound');
    assert.equal(again.message, `The association ID '${associationId}' does not exist`);
    assert.equal((await describeInstance(second)).PublicIpAddress, undefined);
    await ec2.send(new ReleaseAddressCommand({ AllocationId: web.allocationId }));
    await expectAwsError(ec2.send(new DescribeAddressesCommand({ AllocationIds: [web.allocationId] })), 'InvalidAllocationID.NotFound');
  });

  it('shows an association in the metadata service at the next request, and a disassociation at the one after', async () => {
    const address = await allocate();
    const { imdsUrl } = endpointsOf(server, first);
    const mac = `/latest/meta-data/network/interfaces/macs/${(await describeInstance(first)).NetworkInterfaces![0]!.MacAddress}`;
    const publicEntries = async (): Promise<string[]> => (await imdsGet(imdsUrl, '/latest/meta-data/')).body.split('\n').filter((entry) => entry.startsWith('public-'));
    assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/public-ipv4')).status, 404);
    const { AssociationId } = await ec2.send(new AssociateAddressCommand({ AllocationId: address.allocationId, InstanceId: first }));
    assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/public-ipv4')).body, address.publicIp);
    assert.equal((await imdsGet(imdsUrl, `${mac}/public-ipv4s`)).body, address.publicIp);
    assert.deepEqual(await publicEntries(), ['public-hostname', 'public-ipv4']);
    const reloaded = new Ec2State(server.app.store);
    assert.equal(addressOfInterface(reloaded, server.app.ec2.instances.get(first)!.networkInterfaceId)?.publicIp, address.publicIp, 'the index is rebuilt from the store');
    await ec2.send(new DisassociateAddressCommand({ AssociationId }));
    assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/public-ipv4')).status, 404);
    assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/public-hostname')).status, 404);
    assert.equal((await imdsGet(imdsUrl, `${mac}/public-ipv4s`)).status, 404);
    assert.deepEqual(await publicEntries(), []);
    await ec2.send(new ReleaseAddressCommand({ AllocationId: address.allocationId }));
  });

  it('takes the address back from an instance that is terminated', async () => {
    const address = await allocate();
    await ec2.send(new AssociateAddressCommand({ AllocationId: address.allocationId, InstanceId: second }));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [second] }));
    server.app.ec2.settle(second);
    const [after] = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [address.allocationId] }))).Addresses!;
    assert.equal(after!.AssociationId, undefined);
    assert.equal(after!.InstanceId, undefined);
    await ec2.send(new ReleaseAddressCommand({ AllocationId: address.allocationId }));
  });

  it('answers DryRun, and refuses callers without ec2:AllocateAddress', async () => {
    await expectAwsError(ec2.send(new AllocateAddressCommand({ Domain: 'vpc', DryRun: true })), 'DryRunOperation');
    const reader = ec2Client(await createUserWithKey(server, 'address-reader', allow(['ec2:Describe*'])));
    await reader.send(new DescribeAddressesCommand({}));
    const denied = await expectAwsError(reader.send(new AllocateAddressCommand({ Domain: 'vpc' })), 'UnauthorizedOperation');
    assert.match(denied.message, /user\/address-reader is not authorized to perform: ec2:AllocateAddress on resource: arn:aws:ec2:us-east-1:000000000000:elastic-ip\/eipalloc-[0-9a-f]{17}/);
    reader.destroy();
  });
});

describe('NAT gateways with the JS SDK', () => {
  let net: { vpcId: string; subnetId: string };
  let eip: { allocationId: string; publicIp: string };
  let natGatewayId: string;
  let privateTable: string;

  before(async () => {
    net = await network('10.80.0.0/16', '10.80.0.0/24');
    eip = await allocate();
  });

  it('answers pending; the SDK waiter sees the gateway become available with its Elastic IP address', async () => {
    const freeBefore = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [net.subnetId] }))).Subnets![0]!.AvailableIpAddressCount!;
    const created = await withTransitionDelay(300, async () => {
      const out = (await ec2.send(new CreateNatGatewayCommand({
        SubnetId: net.subnetId, AllocationId: eip.allocationId, TagSpecifications: [{ ResourceType: 'natgateway', Tags: [{ Key: 'Name', Value: 'egress' }] }],
      }))).NatGateway!;
      assert.equal((await describeNat(out.NatGatewayId!)).State, 'pending');
      const waited = await waitUntilNatGatewayAvailable({ client: ec2, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { NatGatewayIds: [out.NatGatewayId!] });
      assert.equal(waited.state, 'SUCCESS');
      return out;
    });
    natGatewayId = created.NatGatewayId!;
    assert.match(natGatewayId, /^nat-[0-9a-f]{17}$/);
    assert.deepEqual([created.State, created.VpcId, created.SubnetId, created.ConnectivityType], ['pending', net.vpcId, net.subnetId, 'public']);
    assert.equal(created.NatGatewayAddresses![0]!.AllocationId, eip.allocationId);
    const gateway = await describeNat(natGatewayId);
    const address = gateway.NatGatewayAddresses![0]!;
    assert.equal(gateway.State, 'available');
    assert.deepEqual(gateway.Tags, [{ Key: 'Name', Value: 'egress' }]);
    assert.deepEqual([address.PublicIp, address.Status, address.IsPrimary], [eip.publicIp, 'succeeded', true]);
    assert.match(address.PrivateIp!, /^10\.80\.0\.\d+$/);
    assert.match(address.NetworkInterfaceId!, /^eni-[0-9a-f]{17}$/);
    const [eipNow] = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [eip.allocationId] }))).Addresses!;
    assert.deepEqual([eipNow!.AssociationId, eipNow!.NetworkInterfaceId, eipNow!.PrivateIpAddress, eipNow!.InstanceId], [address.AssociationId, address.NetworkInterfaceId, address.PrivateIp, undefined]);
    const freeAfter = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [net.subnetId] }))).Subnets![0]!.AvailableIpAddressCount!;
    assert.equal(freeAfter, freeBefore - 1);
  });

  it('keeps its Elastic IP address to itself', async () => {
    const associationId = (await describeNat(natGatewayId)).NatGatewayAddresses![0]!.AssociationId!;
    const touch = await expectAwsError(ec2.send(new DisassociateAddressCommand({ AssociationId: associationId })), 'AuthFailure');
    assert.equal(touch.message, 'You do not have permission to access the specified resource.');
    await expectAwsError(ec2.send(new ReleaseAddressCommand({ AllocationId: eip.allocationId })), 'InvalidIPAddress.InUse');
    const byState = (await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [net.vpcId] }, { Name: 'state', Values: ['available'] }] }))).NatGateways!;
    assert.deepEqual(byState.map((gateway) => gateway.NatGatewayId), [natGatewayId]);
  });

  it('routes a private route table through it (CreateRoute, ReplaceRoute, DescribeRouteTables)', async () => {
    privateTable = (await ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }))).RouteTable!.RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: privateTable, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: natGatewayId }));
    await ec2.send(new CreateRouteCommand({ RouteTableId: privateTable, DestinationCidrBlock: '192.0.2.0/24', GatewayId: (await gatewayOf(net.vpcId)) }));
    await ec2.send(new ReplaceRouteCommand({ RouteTableId: privateTable, DestinationCidrBlock: '192.0.2.0/24', NatGatewayId: natGatewayId }));
    const [table] = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'route.nat-gateway-id', Values: [natGatewayId] }] }))).RouteTables!;
    assert.equal(table!.RouteTableId, privateTable);
    assert.deepEqual(table!.Routes!.map((route) => [route.DestinationCidrBlock, route.GatewayId ?? route.NatGatewayId, route.State]), [
      ['10.80.0.0/16', 'local', 'active'], ['0.0.0.0/0', natGatewayId, 'active'], ['192.0.2.0/24', natGatewayId, 'active'],
    ]);
    const missing = await expectAwsError(ec2.send(new ReplaceRouteCommand({ RouteTableId: privateTable, DestinationCidrBlock: '198.18.0.0/15', NatGatewayId: natGatewayId })), 'InvalidParameterValue');
    assert.equal(missing.message, "There is no route defined for '198.18.0.0/15' in the route table. Use CreateRoute instead.");
    const unknown = await expectAwsError(ec2.send(new CreateRouteCommand({ RouteTableId: privateTable, DestinationCidrBlock: '198.18.0.0/15', NatGatewayId: 'nat-0123456789abcdef0' })), 'InvalidNatGatewayID.NotFound');
    assert.equal(unknown.message, "The natGateway ID 'nat-0123456789abcdef0' does not exist");
    const elsewhere = (await ec2.send(new CreateRouteTableCommand({ VpcId: (await network('10.81.0.0/16', '10.81.0.0/24')).vpcId }))).RouteTable!.RouteTableId!;
    await expectAwsError(ec2.send(new CreateRouteCommand({ RouteTableId: elsewhere, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: natGatewayId })), 'InvalidParameterValue');
  });

  it('fails a gateway whose Elastic IP address is taken, or whose VPC has no internet gateway, with AWS\'s failure codes', async () => {
    const second = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId, AllocationId: eip.allocationId }))).NatGateway!.NatGatewayId!;
    server.app.ec2.settleNatGateway(second);
    const taken = await describeNat(second);
    assert.deepEqual([taken.State, taken.FailureCode, taken.FailureMessage], ['failed', 'Resource.AlreadyAssociated', `Elastic IP address ${eip.allocationId} is already associated`]);
    const isolated = await network('10.82.0.0/16', '10.82.0.0/24', false);
    const spare = await allocate();
    const orphan = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: isolated.subnetId, AllocationId: spare.allocationId }))).NatGateway!.NatGatewayId!;
    server.app.ec2.settleNatGateway(orphan);
    const noGateway = await describeNat(orphan);
    assert.deepEqual([noGateway.FailureCode, noGateway.FailureMessage], ['Gateway.NotAttached', `Network ${isolated.vpcId} has no Internet gateway attached`]);
    await assert.rejects(waitUntilNatGatewayAvailable({ client: ec2, maxWaitTime: 5, minDelay: 1, maxDelay: 1 }, { NatGatewayIds: [orphan] }), /"state":"FAILURE"/);
    await expectAwsError(ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnetId })), 'MissingParameter');
    const privateGateway = (await ec2.send(new CreateNatGatewayCommand({ SubnetId: isolated.subnetId, ConnectivityType: 'private' }))).NatGateway!.NatGatewayId!;
    server.app.ec2.settleNatGateway(privateGateway);
    const quiet = await describeNat(privateGateway);
    assert.deepEqual([quiet.State, quiet.ConnectivityType, quiet.NatGatewayAddresses![0]!.PublicIp], ['available', 'private', undefined]);
  });

  it('is deleting, then deleted: its address is free, routes through it are blackholes, and its subnet can go', async () => {
    const dependent = await expectAwsError(ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnetId })), 'DependencyViolation');
    assert.equal(dependent.message, `The subnet '${net.subnetId}' has dependencies and cannot be deleted.`);
    await withTransitionDelay(300, async () => {
      assert.equal((await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: natGatewayId }))).NatGatewayId, natGatewayId);
      assert.equal((await describeNat(natGatewayId)).State, 'deleting');
      server.app.ec2.settleNatGateway(natGatewayId);
    });
    const deleted = await describeNat(natGatewayId);
    assert.equal(deleted.State, 'deleted');
    assert.ok(deleted.DeleteTime instanceof Date);
    const [eipNow] = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [eip.allocationId] }))).Addresses!;
    assert.equal(eipNow!.AssociationId, undefined);
    const [table] = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [privateTable] }))).RouteTables!;
    assert.equal(table!.Routes!.find((route) => route.DestinationCidrBlock === '0.0.0.0/0')!.State, 'blackhole');
    const gone = await expectAwsError(ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ['nat-0123456789abcdef0'] })), 'NatGatewayNotFound');
    assert.equal(gone.message, 'NAT gateway nat-0123456789abcdef0 was not found');
    for (const gateway of (await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'subnet-id', Values: [net.subnetId] }] }))).NatGateways!) {
      if (gateway.State !== 'deleted' && gateway.State !== 'failed') await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: gateway.NatGatewayId! }));
      server.app.ec2.settleNatGateway(gateway.NatGatewayId!);
    }
    await ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnetId }));
  });
});

async function gatewayOf(vpcId: string): Promise<string> {
  const [gateway] = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] }))).InternetGateways!;
  return gateway!.InternetGatewayId!;
}

describe('secondary VPC CIDR blocks with the JS SDK', () => {
  let vpcId: string;
  let secondary: string;

  before(async () => {
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.83.0.0/16' }))).Vpc!.VpcId!;
  });

  it('associates a block: associating at once, then associated, with a local route and room for subnets', async () => {
    const out = await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.84.0.0/16' }));
    secondary = out.CidrBlockAssociation!.AssociationId!;
    assert.match(secondary, /^vpc-cidr-assoc-[0-9a-f]{17}$/);
    assert.deepEqual([out.VpcId, out.CidrBlockAssociation!.CidrBlock, out.CidrBlockAssociation!.CidrBlockState!.State], [vpcId, '10.84.0.0/16', 'associating']);
    const vpc = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'cidr-block-association.cidr-block', Values: ['10.84.0.0/16'] }] }))).Vpcs!;
    assert.deepEqual(vpc.map((found) => found.VpcId), [vpcId]);
    assert.deepEqual(vpc[0]!.CidrBlockAssociationSet!.map((block) => [block.CidrBlock, block.CidrBlockState!.State]), [['10.83.0.0/16', 'associated'], ['10.84.0.0/16', 'associated']]);
    assert.equal(vpc[0]!.CidrBlock, '10.83.0.0/16');
    const [main] = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables!;
    assert.deepEqual(main!.Routes!.map((route) => [route.DestinationCidrBlock, route.GatewayId]), [['10.83.0.0/16', 'local'], ['10.84.0.0/16', 'local']]);
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.84.3.0/24' }))).Subnet!;
    assert.equal(subnet.CidrBlock, '10.84.3.0/24');
  });

  it('refuses blocks of the wrong size, overlapping, from another private range, and past five', async () => {
    const small = await expectAwsError(ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.85.0.0/29' })), 'InvalidVpc.Range');
    assert.equal(small.message, "The CIDR '10.85.0.0/29' is invalid.");
    await expectAwsError(ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.84.128.0/17' })), 'InvalidVpc.Range');
    const restricted = await expectAwsError(ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '192.168.0.0/16' })), 'InvalidVpc.Range');
    assert.match(restricted.message, /^The CIDR '192\.168\.0\.0\/16' is restricted\. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR\./);
    await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '100.64.0.0/16' }));
    await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.86.0.0/16' }));
    await ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.87.0.0/16' }));
    const limit = await expectAwsError(ec2.send(new AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.88.0.0/16' })), 'CidrLimitExceeded');
    assert.equal(limit.message, `This network '${vpcId}' has met its maximum number of allowed CIDRs: 5`);
  });

  it('disassociates a block no subnet uses, never the primary one', async () => {
    const vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!;
    const primary = vpc.CidrBlockAssociationSet![0]!.AssociationId!;
    await expectAwsError(ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: primary })), 'OperationNotPermitted');
    const inUse = await expectAwsError(ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: secondary })), 'InvalidCidrBlock.InUse');
    assert.equal(inUse.message, `The vpc ${vpcId} currently has a subnet within CIDR block 10.84.0.0/16`);
    const subnet = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets![0]!;
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }));
    const out = await ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: secondary }));
    assert.deepEqual([out.CidrBlockAssociation!.CidrBlock, out.CidrBlockAssociation!.CidrBlockState!.State], ['10.84.0.0/16', 'disassociating']);
    const after = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!;
    assert.ok(!after.CidrBlockAssociationSet!.some((block) => block.CidrBlock === '10.84.0.0/16'));
    const [main] = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables!;
    assert.ok(!main!.Routes!.some((route) => route.DestinationCidrBlock === '10.84.0.0/16'));
    const unknown = await expectAwsError(ec2.send(new DisassociateVpcCidrBlockCommand({ AssociationId: secondary })), 'InvalidVpcCidrBlockAssociationID.NotFound');
    assert.equal(unknown.message, `The vpc CIDR block association ID '${secondary}' does not exist`);
  });
});

describe('Elastic IP addresses and NAT gateways with the AWS CLI', realClient('aws-cli'), () => {
  const cli = (args: readonly string[]) => aws(server, server.root, ['ec2', ...args]);
  const cliJson = <T>(args: readonly string[]) => awsJson<T>(server, server.root, ['ec2', ...args]);
  let net: { vpcId: string; subnetId: string };

  before(async () => {
    net = await network('10.89.0.0/16', '10.89.0.0/24');
  });

  it('allocate-address, associate-address, describe-instances, release-address (refused while in use)', async () => {
    const instanceId = await launch(net.subnetId);
    const allocated = await cliJson<{ PublicIp: string; AllocationId: string; Domain: string }>(['allocate-address', '--domain', 'vpc']);
    assert.equal(allocated.Domain, 'vpc');
    const associated = await cliJson<{ AssociationId: string }>(['associate-address', '--allocation-id', allocated.AllocationId, '--instance-id', instanceId]);
    assert.match(associated.AssociationId, /^eipassoc-/);
    const publicIp = await cliJson<string>(['describe-instances', '--instance-ids', instanceId, '--query', 'Reservations[0].Instances[0].PublicIpAddress']);
    assert.equal(publicIp, allocated.PublicIp);
    const inUse = await cli(['release-address', '--allocation-id', allocated.AllocationId]);
    assert.equal(inUse.status, 254, inUse.stderr);
    assert.match(inUse.stderr, /An error occurred \(InvalidIPAddress\.InUse\) when calling the ReleaseAddress operation/);
    assert.equal((await cli(['disassociate-address', '--association-id', associated.AssociationId])).status, 0);
    assert.equal((await cli(['release-address', '--allocation-id', allocated.AllocationId])).status, 0);
    const listed = await cliJson<{ Addresses: unknown[] }>(['describe-addresses', '--filters', `Name=public-ip,Values=${allocated.PublicIp}`]);
    assert.deepEqual(listed.Addresses, []);
  });

  it('create-nat-gateway; wait nat-gateway-available returns once it is available; wait nat-gateway-deleted after delete', async () => {
    const allocationId = (await cliJson<{ AllocationId: string }>(['allocate-address'])).AllocationId;
    const created = await cliJson<{ NatGateway: { NatGatewayId: string; State: string } }>(['create-nat-gateway', '--subnet-id', net.subnetId, '--allocation-id', allocationId]);
    assert.equal(created.NatGateway.State, 'pending');
    const id = created.NatGateway.NatGatewayId;
    const waited = await cli(['wait', 'nat-gateway-available', '--nat-gateway-ids', id]);
    assert.equal(waited.status, 0, waited.stderr);
    const state = await cliJson<string>(['describe-nat-gateways', '--nat-gateway-ids', id, '--query', 'NatGateways[0].State']);
    assert.equal(state, 'available');
    const table = (await cliJson<{ RouteTable: { RouteTableId: string } }>(['create-route-table', '--vpc-id', net.vpcId])).RouteTable.RouteTableId;
    assert.equal((await cli(['create-route', '--route-table-id', table, '--destination-cidr-block', '0.0.0.0/0', '--nat-gateway-id', id])).status, 0);
    const target = await cliJson<string>(['describe-route-tables', '--route-table-ids', table, '--query', "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].NatGatewayId | [0]"]);
    assert.equal(target, id);
    assert.equal((await cli(['delete-nat-gateway', '--nat-gateway-id', id])).status, 0);
    const gone = await cli(['wait', 'nat-gateway-deleted', '--nat-gateway-ids', id]);
    assert.equal(gone.status, 0, gone.stderr);
  });

  it('wait nat-gateway-available stops on a failed gateway', async () => {
    const isolated = await network('10.90.0.0/16', '10.90.0.0/24', false);
    const allocationId = (await cliJson<{ AllocationId: string }>(['allocate-address'])).AllocationId;
    const id = (await cliJson<{ NatGateway: { NatGatewayId: string } }>(['create-nat-gateway', '--subnet-id', isolated.subnetId, '--allocation-id', allocationId])).NatGateway.NatGatewayId;
    const waited = await cli(['wait', 'nat-gateway-available', '--nat-gateway-ids', id]);
    assert.equal(waited.status, 255);
    assert.match(waited.stderr, /Waiter NatGatewayAvailable failed: Waiter encountered a terminal failure state/);
  });

  it('associate-vpc-cidr-block and disassociate-vpc-cidr-block', async () => {
    const out = await cliJson<{ CidrBlockAssociation: { AssociationId: string; CidrBlockState: { State: string } } }>(['associate-vpc-cidr-block', '--vpc-id', net.vpcId, '--cidr-block', '10.91.0.0/16']);
    assert.equal(out.CidrBlockAssociation.CidrBlockState.State, 'associating');
    const blocks = await cliJson<string[]>(['describe-vpcs', '--vpc-ids', net.vpcId, '--query', 'Vpcs[0].CidrBlockAssociationSet[].CidrBlock']);
    assert.deepEqual(blocks, ['10.89.0.0/16', '10.91.0.0/16']);
    const overlap = await cli(['associate-vpc-cidr-block', '--vpc-id', net.vpcId, '--cidr-block', '10.89.0.0/20']);
    assert.match(overlap.stderr, /\(InvalidVpc\.Range\) when calling the AssociateVpcCidrBlock operation/);
    assert.equal((await cli(['disassociate-vpc-cidr-block', '--association-id', out.CidrBlockAssociation.AssociationId])).status, 0);
  });
});
