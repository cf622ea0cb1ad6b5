/**
 * EC2 network records end to end with the JS SDK v3: the default VPC of a new account, regions and
 * zones, and VPCs, subnets, security groups, internet gateways, route tables and VPC endpoints
 * with their errors.
 */
import {
  AssociateRouteTableCommand, AttachInternetGatewayCommand, AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand, CreateRouteCommand, CreateRouteTableCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand,
  CreateVpcEndpointCommand, DeleteInternetGatewayCommand, DeleteRouteCommand, DeleteRouteTableCommand, DeleteSecurityGroupCommand,
  DeleteSubnetCommand, DeleteVpcCommand, DeleteVpcEndpointsCommand, DescribeAvailabilityZonesCommand, DescribeInternetGatewaysCommand,
  DescribeRegionsCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand,
  DescribeVpcsCommand, DetachInternetGatewayCommand, DisassociateRouteTableCommand, EC2Client, ModifyVpcAttributeCommand,
  RevokeSecurityGroupEgressCommand, RevokeSecurityGroupIngressCommand, RunInstancesCommand, TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allow, createUserWithKey } from './helpers/iam.js';
import { expectAwsError, startTestServer, type Credentials, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
let server: TestServer;
let ec2: EC2Client;

function ec2Client(credentials: Credentials = server.root): EC2Client {
  return new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

before(async () => {
  server = await startTestServer();
  ec2 = ec2Client();
});
after(() => server.close());

describe('the default network of a new account', () => {
  it('has a default VPC 172.31.0.0/16 with a /20 default subnet in each zone', async () => {
    const vpcs = (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }))).Vpcs!;
    assert.equal(vpcs.length, 1);
    const vpc = vpcs[0]!;
    assert.match(vpc.VpcId!, /^vpc-[0-9a-f]{17}$/);
    assert.equal(vpc.CidrBlock, '172.31.0.0/16');
    assert.equal(vpc.State, 'available');
    assert.equal(vpc.OwnerId, ACCOUNT);
    assert.equal(vpc.CidrBlockAssociationSet![0]!.CidrBlockState!.State, 'associated');
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).Subnets!;
    const zones = (await ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    assert.deepEqual(zones.map((zone) => zone.ZoneName), ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    assert.ok(zones.every((zone) => zone.State === 'available' && zone.RegionName === 'us-east-1' && /^use1-az\d$/.test(zone.ZoneId!)));
    assert.deepEqual(subnets.map((subnet) => subnet.AvailabilityZone).sort(), zones.map((zone) => zone.ZoneName));
    assert.deepEqual(subnets.map((subnet) => subnet.CidrBlock).sort(), ['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20', '172.31.48.0/20', '172.31.64.0/20', '172.31.80.0/20']);
    for (const subnet of subnets) {
      assert.equal(subnet.DefaultForAz, true);
      assert.equal(subnet.MapPublicIpOnLaunch, true);
      assert.equal(subnet.AvailableIpAddressCount, 4091);
      assert.equal(subnet.SubnetArn, `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/${subnet.SubnetId}`);
    }
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).SecurityGroups!;
    assert.deepEqual(groups.map((group) => group.GroupName), ['default']);
    assert.equal(groups[0]!.Description, 'default VPC security group');
    assert.equal(groups[0]!.IpPermissions![0]!.UserIdGroupPairs![0]!.GroupId, groups[0]!.GroupId);
    assert.equal(groups[0]!.IpPermissionsEgress![0]!.IpRanges![0]!.CidrIp, '0.0.0.0/0');
    const gateways = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpc.VpcId!] }] }))).InternetGateways!;
    assert.equal(gateways.length, 1);
    assert.equal(gateways[0]!.Attachments![0]!.State, 'available');
    const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.main', Values: ['true'] }, { Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).RouteTables!;
    assert.equal(tables.length, 1);
    assert.deepEqual(tables[0]!.Routes!.map((route) => [route.DestinationCidrBlock, route.GatewayId, route.State]), [
      ['172.31.0.0/16', 'local', 'active'], ['0.0.0.0/0', gateways[0]!.InternetGatewayId, 'active'],
    ]);
  });

  it('is not written by a call that authorization refuses; the same call by root makes it, the one the refused call saw', async () => {
    const fresh = await startTestServer();
    const { ec2: state, store } = fresh.app;
    const defaultTables = [state.vpcs, state.subnets, state.internetGateways, state.routeTables, state.securityGroups, state.regionDefaults];
    const stored = (): string[] => defaultTables.flatMap((table) => store.loadAll(table.kind).map((record) => `${table.kind}/${record.key}`));
    const client = (credentials: Credentials): EC2Client => new EC2Client({ endpoint: fresh.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const nobody = client(await createUserWithKey(fresh, 'nobody'));
    // allowed to create groups, not in the VPC: refused at the second of CreateSecurityGroup's checks
    const groupsOnly = client(await createUserWithKey(fresh, 'groups-only', allow('ec2:CreateSecurityGroup', `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/*`)));
    const root = client(fresh.root);
    try {
      assert.deepEqual(stored(), []);
      await expectAwsError(nobody.send(new DescribeVpcsCommand({})), 'UnauthorizedOperation');
      // These resolve the default VPC and its subnet before they authorize.
      await expectAwsError(nobody.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' })), 'UnauthorizedOperation');
      await expectAwsError(nobody.send(new RunInstancesCommand({ ImageId: 'ami-03c951bbe993ea087', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })), 'UnauthorizedOperation');
      const refused = await expectAwsError(groupsOnly.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' })), 'UnauthorizedOperation');
      assert.deepEqual(stored(), [], 'a refused call writes no default network');

      const vpcs = (await root.send(new DescribeVpcsCommand({}))).Vpcs!;
      assert.deepEqual(vpcs.map((vpc) => [vpc.IsDefault, vpc.CidrBlock]), [[true, '172.31.0.0/16']]);
      const vpcId = vpcs[0]!.VpcId!;
      assert.match(refused.message, new RegExp(`vpc/${vpcId}`), 'the refused call saw the network root now has');
      assert.ok(stored().includes(`ec2-vpc/${vpcId}`));
      assert.equal(store.loadAll('ec2-subnet').length, 6);
      assert.equal(store.loadAll('ec2-region-defaults').length, 1);
      const group = await root.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web' }));
      assert.equal(state.securityGroups.get(group.GroupId!)!.vpcId, vpcId);
    } finally {
      for (const each of [nobody, groupsOnly, root]) each.destroy();
      await fresh.close();
    }
  });

  it('lists the regions, with opt-in ones only when asked', async () => {
    const regions = (await ec2.send(new DescribeRegionsCommand({}))).Regions!;
    const east = regions.find((region) => region.RegionName === 'us-east-1')!;
    assert.equal(east.Endpoint, 'ec2.us-east-1.amazonaws.com');
    assert.equal(east.OptInStatus, 'opt-in-not-required');
    assert.ok(!regions.some((region) => region.RegionName === 'af-south-1'));
    const all = (await ec2.send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!;
    assert.equal(all.find((region) => region.RegionName === 'af-south-1')!.OptInStatus, 'not-opted-in');
    const some = (await ec2.send(new DescribeRegionsCommand({ RegionNames: ['eu-west-1'] }))).Regions!;
    assert.deepEqual(some.map((region) => region.RegionName), ['eu-west-1']);
  });
});

describe('VPCs and subnets', () => {
  let vpcId: string;

  it('creates a VPC with its default security group and main route table', async () => {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'lab' }] }] }))).Vpc!;
    vpcId = vpc.VpcId!;
    assert.equal(vpc.State, 'pending');
    assert.equal(vpc.IsDefault, false);
    assert.deepEqual(vpc.Tags, [{ Key: 'Name', Value: 'lab' }]);
    const described = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!;
    assert.equal(described.State, 'available');
    assert.deepEqual((await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['lab'] }] }))).Vpcs!.map((found) => found.VpcId), [vpcId]);
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).SecurityGroups!;
    assert.deepEqual(groups.map((group) => group.GroupName), ['default']);
    const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables!;
    assert.equal(tables.length, 1);
    assert.equal(tables[0]!.Associations![0]!.Main, true);
    assert.deepEqual(tables[0]!.Routes!.map((route) => [route.DestinationCidrBlock, route.GatewayId]), [['10.0.0.0/16', 'local']]);
  });

  it('refuses blocks outside /16../28 and malformed ones', async () => {
    const wide = await expectAwsError(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })), 'InvalidVpc.Range');
    assert.equal(wide.message, "The CIDR '10.0.0.0/8' is invalid.");
    await expectAwsError(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.1/16' })), 'InvalidParameterValue');
    await expectAwsError(ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })), 'InvalidVpcID.NotFound');
  });

  it('creates subnets inside the VPC, without overlap, in a zone of the region', async () => {
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!;
    assert.match(subnet.SubnetId!, /^subnet-[0-9a-f]{17}$/);
    assert.equal(subnet.AvailabilityZone, 'us-east-1b');
    assert.equal(subnet.AvailabilityZoneId, 'use1-az2');
    assert.equal(subnet.AvailableIpAddressCount, 251);
    assert.equal(subnet.DefaultForAz, false);
    const outside = await expectAwsError(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.0.0/24' })), 'InvalidSubnet.Range');
    assert.equal(outside.message, "The CIDR '10.1.0.0/24' is invalid.");
    const overlap = await expectAwsError(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.128/25' })), 'InvalidSubnet.Conflict');
    assert.equal(overlap.message, "The CIDR '10.0.1.128/25' conflicts with another subnet");
    await expectAwsError(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/29' })), 'InvalidSubnet.Range');
    const zone = await expectAwsError(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.3.0/24', AvailabilityZone: 'us-east-1z' })), 'InvalidParameterValue');
    assert.match(zone.message, /us-east-1a, us-east-1b/);
    await expectAwsError(ec2.send(new CreateSubnetCommand({ VpcId: 'vpc-0123456789abcdef0', CidrBlock: '10.0.3.0/24' })), 'InvalidVpcID.NotFound');
    const byZone = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'availability-zone', Values: ['us-east-1b'] }] }))).Subnets!;
    assert.deepEqual(byZone.map((found) => found.SubnetId), [subnet.SubnetId]);
  });

  it('will not delete a VPC with subnets, nor a subnet with instances', async () => {
    const dependent = await expectAwsError(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation');
    assert.equal(dependent.message, `The vpc '${vpcId}' has dependencies and cannot be deleted.`);
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.9.0/24' }))).Subnet!;
    const instance = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-03c951bbe993ea087', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet.SubnetId! }))).Instances![0]!;
    await expectAwsError(ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! })), 'DependencyViolation');
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId!] }));
    server.app.ec2.settle(instance.InstanceId!);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! }));
    await expectAwsError(ec2.send(new DeleteSubnetCommand({ SubnetId: subnet.SubnetId! })), 'InvalidSubnetID.NotFound');
  });
});

describe('security groups', () => {
  let vpcId: string;
  let groupId: string;

  before(async () => {
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.10.0.0/16' }))).Vpc!.VpcId!;
  });

  it('creates a group with all traffic out, and refuses a duplicate name', async () => {
    const created = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web servers', VpcId: vpcId }));
    groupId = created.GroupId!;
    assert.match(groupId, /^sg-[0-9a-f]{17}$/);
    assert.equal(created.SecurityGroupArn, `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${groupId}`);
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    assert.deepEqual([group.GroupName, group.Description, group.VpcId], ['web', 'web servers', vpcId]);
    assert.deepEqual(group.IpPermissions, []);
    assert.equal(group.IpPermissionsEgress![0]!.IpProtocol, '-1');
    const duplicate = await expectAwsError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'again', VpcId: vpcId })), 'InvalidGroup.Duplicate');
    assert.equal(duplicate.message, `The security group 'web' already exists for VPC '${vpcId}'`);
    await expectAwsError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'sg-web', Description: 'x', VpcId: vpcId })), 'InvalidParameterValue');
    await expectAwsError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'nodesc', Description: undefined as unknown as string, VpcId: vpcId })), 'MissingParameter');
    const inDefault = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'in the default VPC' }));
    assert.notEqual(inDefault.GroupId, groupId, 'the same name in another VPC is another group');
  });

  it('checks the tags a group is created with: aws:RequestTag and aws:TagKeys, on CreateSecurityGroup and on CreateTags', async () => {
    // As AWS's examples write it: the request's tags are keys of the new group's checks, not of the VPC's.
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'ec2:CreateSecurityGroup', Resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/*` },
        {
          Effect: 'Allow', Action: ['ec2:CreateSecurityGroup', 'ec2:CreateTags'], Resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/*`,
          Condition: { StringEquals: { 'aws:RequestTag/team': 'red' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } },
        },
      ],
    });
    const tagger = ec2Client(await createUserWithKey(server, 'red-tagger', policy));
    const tagged = (team: string, more: Array<{ Key: string; Value: string }> = []) => new CreateSecurityGroupCommand({
      GroupName: `team-${team}-${more.length}`, Description: 'tagged', VpcId: vpcId,
      TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'team', Value: team }, ...more] }],
    });
    try {
      const red = await tagger.send(tagged('red'));
      const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [red.GroupId!] }))).SecurityGroups![0]!;
      assert.deepEqual(group.Tags, [{ Key: 'team', Value: 'red' }]);
      await expectAwsError(tagger.send(tagged('blue')), 'UnauthorizedOperation');
      await expectAwsError(tagger.send(tagged('red', [{ Key: 'owner', Value: 'x' }])), 'UnauthorizedOperation');
      await expectAwsError(tagger.send(new CreateSecurityGroupCommand({ GroupName: 'untagged', Description: 'x', VpcId: vpcId })), 'UnauthorizedOperation');
    } finally {
      tagger.destroy();
    }
  });

  it('authorizes and revokes ingress in both request forms, answering duplicates and unknown rules', async () => {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '203.0.113.0/24' }));
    const out = await ec2.send(new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }, { CidrIp: '10.0.0.0/8' }] }],
    }));
    assert.equal(out.Return, true);
    assert.equal(out.SecurityGroupRules!.length, 2);
    assert.match(out.SecurityGroupRules![0]!.SecurityGroupRuleId!, /^sgr-[0-9a-f]{17}$/);
    assert.equal(out.SecurityGroupRules![0]!.CidrIpv4, '0.0.0.0/0');
    assert.equal(out.SecurityGroupRules![0]!.IsEgress, false);
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    assert.deepEqual(group.IpPermissions!.map((permission) => [permission.IpProtocol, permission.FromPort, permission.ToPort, permission.IpRanges!.map((range) => range.CidrIp)]), [
      ['tcp', 22, 22, ['203.0.113.0/24']], ['tcp', 443, 443, ['0.0.0.0/0', '10.0.0.0/8']],
    ]);
    assert.equal(group.IpPermissions![1]!.IpRanges![0]!.Description, 'https');
    const duplicate = await expectAwsError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '203.0.113.0/24' })), 'InvalidPermission.Duplicate');
    assert.equal(duplicate.message, 'the specified rule "peer: 203.0.113.0/24, TCP, from port: 22, to port: 22, ALLOW" already exists');
    const peers = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.cidr', Values: ['10.0.0.0/8'] }] }))).SecurityGroups!;
    assert.deepEqual(peers.map((found) => found.GroupId), [groupId]);

    const partly = await ec2.send(new RevokeSecurityGroupIngressCommand({
      GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '192.0.2.0/24' }] }],
    }));
    assert.equal(partly.Return, true);
    assert.equal(partly.UnknownIpPermissions![0]!.IpRanges![0]!.CidrIp, '192.0.2.0/24');
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '203.0.113.0/24' }));
    const missing = await expectAwsError(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'udp', FromPort: 53, ToPort: 53, CidrIp: '0.0.0.0/0' })), 'InvalidPermission.NotFound');
    assert.equal(missing.message, 'The specified rule does not exist in this security group.');
    const left = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    assert.deepEqual(left.IpPermissions!.map((permission) => permission.IpRanges!.map((range) => range.CidrIp)), [['0.0.0.0/0']]);
    await expectAwsError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpProtocol: 'tcp', CidrIp: '0.0.0.0/0' })), 'InvalidParameterValue');
    await expectAwsError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: 'sg-0123456789abcdef0', IpProtocol: '-1', CidrIp: '0.0.0.0/0' })), 'InvalidGroup.NotFound');
  });

  it('authorizes and revokes egress, including to another group', async () => {
    const other = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'db', Description: 'databases', VpcId: vpcId }))).GroupId!;
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: groupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupId: other }] }] }));
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    assert.equal(group.IpPermissionsEgress!.length, 1);
    assert.deepEqual(group.IpPermissionsEgress![0]!.UserIdGroupPairs!.map((pair) => [pair.GroupId, pair.UserId]), [[other, ACCOUNT]]);
    const referenced = await expectAwsError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: other })), 'DependencyViolation');
    assert.equal(referenced.message, `resource ${other} has a dependent object`);
  });

  it('will not delete a default group, nor a group in use', async () => {
    const defaultGroup = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }))).SecurityGroups![0]!;
    const cannot = await expectAwsError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: defaultGroup.GroupId! })), 'CannotDelete');
    assert.equal(cannot.message, `the specified group: "${defaultGroup.GroupId}" name: "default" cannot be deleted by a user`);
    const lonely = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'lonely', Description: 'unused', VpcId: vpcId }))).GroupId!;
    const deleted = await ec2.send(new DeleteSecurityGroupCommand({ GroupId: lonely }));
    assert.equal(deleted.Return, true);
    await expectAwsError(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [lonely] })), 'InvalidGroup.NotFound');
  });
});

describe('internet gateways and route tables', () => {
  let vpcId: string;
  let gatewayId: string;
  let tableId: string;
  let subnetId: string;

  before(async () => {
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.50.0.0/16' }))).Vpc!.VpcId!;
    subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.50.1.0/24' }))).Subnet!.SubnetId!;
  });

  it('attaches a gateway to one VPC at most and will not delete it while attached', async () => {
    gatewayId = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    assert.match(gatewayId, /^igw-[0-9a-f]{17}$/);
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
    const again = await expectAwsError(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId })), 'Resource.AlreadyAssociated');
    assert.equal(again.message, `resource ${gatewayId} is already attached to network ${vpcId}`);
    const second = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await expectAwsError(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: second, VpcId: vpcId })), 'Resource.AlreadyAssociated');
    await expectAwsError(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: gatewayId })), 'DependencyViolation');
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: second }));
    await expectAwsError(ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [second] })), 'InvalidInternetGatewayID.NotFound');
  });

  it('routes through the gateway, associates a subnet, and answers for duplicates and the local route', async () => {
    tableId = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    assert.match(tableId, /^rtb-[0-9a-f]{17}$/);
    const created = await ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: gatewayId }));
    assert.equal(created.Return, true);
    const duplicate = await expectAwsError(ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', GatewayId: gatewayId })), 'RouteAlreadyExists');
    assert.equal(duplicate.message, 'The route identified by 0.0.0.0/0 already exists.');
    const local = await expectAwsError(ec2.send(new DeleteRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '10.50.0.0/16' })), 'InvalidParameterValue');
    assert.equal(local.message, `cannot remove local route 10.50.0.0/16 in route table ${tableId}`);
    await expectAwsError(ec2.send(new DeleteRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '10.9.0.0/16' })), 'InvalidRoute.NotFound');
    const association = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: tableId, SubnetId: subnetId }));
    assert.match(association.AssociationId!, /^rtbassoc-[0-9a-f]{17}$/);
    assert.equal(association.AssociationState!.State, 'associated');
    await expectAwsError(ec2.send(new AssociateRouteTableCommand({ RouteTableId: tableId, SubnetId: subnetId })), 'Resource.AlreadyAssociated');
    const bySubnet = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }))).RouteTables!;
    assert.deepEqual(bySubnet.map((table) => table.RouteTableId), [tableId]);
    await expectAwsError(ec2.send(new DeleteRouteTableCommand({ RouteTableId: tableId })), 'DependencyViolation');
    const main = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables![0]!;
    await expectAwsError(ec2.send(new DisassociateRouteTableCommand({ AssociationId: main.Associations![0]!.RouteTableAssociationId! })), 'InvalidParameterValue');
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId: association.AssociationId! }));
    await expectAwsError(ec2.send(new DisassociateRouteTableCommand({ AssociationId: association.AssociationId! })), 'InvalidAssociationID.NotFound');
  });

  it('turns routes through a detached gateway into blackholes, and active again once it is attached again', async () => {
    const stateOfRoute = async (): Promise<string | undefined> => {
      const table = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [tableId] }))).RouteTables![0]!;
      return table.Routes!.find((route) => route.GatewayId === gatewayId)!.State;
    };
    const withBlackholes = async (): Promise<string[]> => (await ec2.send(new DescribeRouteTablesCommand({
      Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'route.state', Values: ['blackhole'] }],
    }))).RouteTables!.map((table) => table.RouteTableId!);
    assert.equal(await stateOfRoute(), 'active');
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
    assert.equal(await stateOfRoute(), 'blackhole');
    assert.deepEqual(await withBlackholes(), [tableId]);
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
    assert.equal(await stateOfRoute(), 'active');
    assert.deepEqual(await withBlackholes(), []);
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId }));
    assert.equal(await stateOfRoute(), 'blackhole');
    await expectAwsError(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: gatewayId, VpcId: vpcId })), 'Gateway.NotAttached');
    const notAttached = await expectAwsError(ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '192.0.2.0/24', GatewayId: gatewayId })), 'InvalidParameterValue');
    assert.match(notAttached.message, /belong to different networks/);
    await ec2.send(new DeleteRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0' }));
  });
});

describe('VPC endpoints', () => {
  let vpcId: string;
  let tableId: string;
  let subnets: string[];

  before(async () => {
    vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.60.0.0/16' }))).Vpc!.VpcId!;
    tableId = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    subnets = [
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.60.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!,
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.60.2.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!,
      (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.60.3.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!,
    ];
  });

  it('creates a gateway endpoint for S3 whose prefix-list route appears in its route table', async () => {
    const endpoint = (await ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [tableId] }))).VpcEndpoint!;
    assert.match(endpoint.VpcEndpointId!, /^vpce-[0-9a-f]{17}$/);
    assert.equal(endpoint.VpcEndpointType, 'Gateway');
    assert.equal(endpoint.State, 'available');
    assert.deepEqual(endpoint.RouteTableIds, [tableId]);
    assert.deepEqual(JSON.parse(endpoint.PolicyDocument!).Statement[0].Principal, '*');
    const table = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [tableId] }))).RouteTables![0]!;
    const route = table.Routes!.find((candidate) => candidate.GatewayId === endpoint.VpcEndpointId)!;
    assert.equal(route.DestinationPrefixListId, 'pl-63a5400a');
    await expectAwsError(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [tableId] })), 'RouteAlreadyExists');
    const wrongType = await expectAwsError(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.sts', VpcEndpointType: 'Gateway' })), 'InvalidParameter');
    assert.equal(wrongType.message, 'Endpoint type (Gateway) does not match available service types ([Interface]).');
    await expectAwsError(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.nothing' })), 'InvalidServiceName');
    await expectAwsError(ec2.send(new DeleteRouteTableCommand({ RouteTableId: tableId })), 'DependencyViolation');
  });

  it('creates an interface endpoint for STS once the VPC resolves host names, one subnet per zone', async () => {
    const dns = await expectAwsError(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.sts', VpcEndpointType: 'Interface', SubnetIds: [subnets[0]!] })), 'InvalidParameter');
    assert.match(dns.message, /enableDnsSupport and enableDnsHostnames/);
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    await expectAwsError(ec2.send(new CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.sts', VpcEndpointType: 'Interface', SubnetIds: [subnets[1]!, subnets[2]!] })), 'DuplicateSubnetsInSameZone');
    const endpoint = (await ec2.send(new CreateVpcEndpointCommand({
      VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.sts', VpcEndpointType: 'Interface', SubnetIds: [subnets[0]!, subnets[1]!],
      TagSpecifications: [{ ResourceType: 'vpc-endpoint', Tags: [{ Key: 'Name', Value: 'sts' }] }],
    }))).VpcEndpoint!;
    assert.equal(endpoint.State, 'pending');
    assert.equal(endpoint.PrivateDnsEnabled, true);
    assert.equal(endpoint.Groups![0]!.GroupName, 'default');
    assert.equal(endpoint.NetworkInterfaceIds!.length, 2);
    assert.ok(endpoint.DnsEntries!.some((entry) => entry.DnsName === 'sts.us-east-1.amazonaws.com'));
    const listed = (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-endpoint-type', Values: ['Interface'] }, { Name: 'vpc-id', Values: [vpcId] }] }))).VpcEndpoints!;
    assert.deepEqual(listed.map((found) => [found.VpcEndpointId, found.State]), [[endpoint.VpcEndpointId, 'available']]);
    await expectAwsError(ec2.send(new DeleteSubnetCommand({ SubnetId: subnets[0]! })), 'DependencyViolation');
    await expectAwsError(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation');
  });

  it('deletes endpoints, reporting unknown ones as unsuccessful, and then the whole VPC', async () => {
    const all = (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).VpcEndpoints!.map((endpoint) => endpoint.VpcEndpointId!);
    const out = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [...all, 'vpce-0123456789abcdef0'] }));
    assert.deepEqual(out.Unsuccessful!.map((item) => [item.ResourceId, item.Error!.Code]), [['vpce-0123456789abcdef0', 'InvalidVpcEndpoint.NotFound']]);
    await expectAwsError(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [all[0]!] })), 'InvalidVpcEndpointId.NotFound');
    for (const subnet of subnets) await ec2.send(new DeleteSubnetCommand({ SubnetId: subnet }));
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: tableId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    await expectAwsError(ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })), 'InvalidVpcID.NotFound');
    assert.ok(!server.app.ec2.securityGroups.list().some((group) => group.vpcId === vpcId), 'its default group went with it');
  });
});

describe('authorization of network actions', () => {
  it('answers DryRun and refuses callers without the action', async () => {
    await expectAwsError(ec2.send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16', DryRun: true })), 'DryRunOperation');
    assert.ok(!server.app.ec2.vpcs.list().some((vpc) => vpc.cidrBlock === '10.70.0.0/16'));
    const reader = ec2Client(await createUserWithKey(server, 'reader', allow(['ec2:Describe*'])));
    await reader.send(new DescribeVpcsCommand({}));
    const denied = await expectAwsError(reader.send(new CreateVpcCommand({ CidrBlock: '10.70.0.0/16' })), 'UnauthorizedOperation');
    assert.match(denied.message, /user\/reader is not authorized to perform: ec2:CreateVpc on resource: arn:aws:ec2:us-east-1:000000000000:vpc\/vpc-[0-9a-f]{17}/);
    await expectAwsError(reader.send(new CreateSecurityGroupCommand({ GroupName: 'x', Description: 'x', DryRun: true })), 'UnauthorizedOperation');
  });
});
