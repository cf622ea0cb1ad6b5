/**
 * A private network behind a NAT gateway, from a template, with the AWS CLI v2 as a user runs it: a
 * VPC with a secondary CIDR block (AWS::EC2::VPCCidrBlock), a public subnet with an internet
 * gateway and a private subnet in the secondary block, an Elastic IP address (AWS::EC2::EIP) for a
 * NAT gateway (AWS::EC2::NatGateway), a private route table whose 0.0.0.0/0 route goes through the
 * NAT gateway, a bastion instance with its own Elastic IP address, and an IAM user put in a group
 * (AWS::IAM::UserToGroupAddition). Created and waited on with `aws cloudformation create-stack` /
 * `wait stack-create-complete`, checked through EC2 and IAM describes and the stack's Ref/GetAtt
 * outputs, updated in place, then deleted with everything gone. With the JS SDK: an
 * AWS::EC2::EIPAssociation, and a NAT gateway that fails (no internet gateway) rolling its stack back.
 */
import {
  DescribeAddressesCommand, DescribeInstancesCommand, DescribeNatGatewaysCommand, DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { GetGroupCommand, GetUserCommand } from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cloudformationClient, createStack, outputsOf as sdkOutputs, resourceHistory, settledStack, stackEvents } from './helpers/cloudformation.js';
import { aws, awsJson, realClient } from './helpers/real-clients.js';
import { expectAwsError, iamClient, startTestServer, type TestServer } from './helpers/server.js';

const STACK = 'nat-lab';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Description: A private subnet that reaches out through a NAT gateway
Parameters:
  NatName:
    Type: String
    Default: nat-lab-egress
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.92.0.0/16
      EnableDnsHostnames: true
  SecondaryCidr:
    Type: AWS::EC2::VPCCidrBlock
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.93.0.0/16
  PublicSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.92.0.0/24
      AvailabilityZone: !Select [0, !GetAZs '']
  PrivateSubnet:
    Type: AWS::EC2::Subnet
    DependsOn: SecondaryCidr
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.93.1.0/24
      AvailabilityZone: !Select [0, !GetAZs '']
  InternetGateway:
    Type: AWS::EC2::InternetGateway
  GatewayAttachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties:
      VpcId: !Ref Vpc
      InternetGatewayId: !Ref InternetGateway
  PublicRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PublicDefaultRoute:
    Type: AWS::EC2::Route
    DependsOn: GatewayAttachment
    Properties:
      RouteTableId: !Ref PublicRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      GatewayId: !Ref InternetGateway
  PublicSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PublicSubnet
      RouteTableId: !Ref PublicRouteTable
  NatEip:
    Type: AWS::EC2::EIP
    DependsOn: GatewayAttachment
    Properties:
      Domain: vpc
      Tags: [{Key: Name, Value: nat-lab-eip}]
  NatGateway:
    Type: AWS::EC2::NatGateway
    Properties:
      AllocationId: !GetAtt NatEip.AllocationId
      SubnetId: !Ref PublicSubnet
      Tags: [{Key: Name, Value: !Ref NatName}]
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateDefaultRoute:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateRouteTable
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref NatGateway
  PrivateSubnetRoutes:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref PrivateSubnet
      RouteTableId: !Ref PrivateRouteTable
  Bastion:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-03c951bbe993ea087
      InstanceType: t3.micro
      SubnetId: !Ref PublicSubnet
  BastionEip:
    Type: AWS::EC2::EIP
    DependsOn: GatewayAttachment
    Properties:
      InstanceId: !Ref Bastion
  Operators:
    Type: AWS::IAM::Group
  Operator:
    Type: AWS::IAM::User
  OperatorsMembership:
    Type: AWS::IAM::UserToGroupAddition
    Properties:
      GroupName: !Ref Operators
      Users: [!Ref Operator]
Outputs:
  VpcId: {Value: !Ref Vpc}
  SecondaryCidrRef: {Value: !Ref SecondaryCidr}
  SecondaryCidrId: {Value: !GetAtt SecondaryCidr.Id}
  PrivateSubnetId: {Value: !Ref PrivateSubnet}
  PrivateRouteTableId: {Value: !Ref PrivateRouteTable}
  NatEipRef: {Value: !Ref NatEip}
  NatEipPublicIp: {Value: !GetAtt NatEip.PublicIp}
  NatEipAllocationId: {Value: !GetAtt NatEip.AllocationId}
  NatGatewayRef: {Value: !Ref NatGateway}
  NatGatewayId: {Value: !GetAtt NatGateway.NatGatewayId}
  BastionId: {Value: !Ref Bastion}
  BastionIp: {Value: !Ref BastionEip}
  GroupName: {Value: !Ref Operators}
  UserName: {Value: !Ref Operator}
  MembershipRef: {Value: !Ref OperatorsMembership}
  MembershipId: {Value: !GetAtt OperatorsMembership.Id}
`;

interface CliStack {
  StackId: string;
  StackStatus: string;
  Outputs?: Array<{ OutputKey: string; OutputValue: string }>;
}
interface CliEvent {
  LogicalResourceId: string;
  ResourceStatus: string;
}

let server: TestServer;
let ec2: EC2Client;
let templateFile: string;

before(async () => {
  server = await startTestServer();
  ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, maxAttempts: 1 });
  templateFile = join(mkdtempSync(join(tmpdir(), 'iamd-cfn-nat-')), 'nat.yaml');
  writeFileSync(templateFile, TEMPLATE);
});

after(async () => {
  ec2?.destroy();
  await server?.close();
});

const cli = (args: readonly string[]) => aws(server, server.root, ['cloudformation', ...args]);
const cliJson = <T>(args: readonly string[]) => awsJson<T>(server, server.root, ['cloudformation', ...args]);
const outputsOf = (stack: CliStack): Record<string, string> => Object.fromEntries((stack.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
const describeStack = async (name: string): Promise<CliStack> => (await cliJson<{ Stacks: CliStack[] }>(['describe-stacks', '--stack-name', name])).Stacks[0]!;

describe('a NAT gateway network from a template with the AWS CLI', realClient('aws-cli'), () => {
  let stack: CliStack;
  let out: Record<string, string>;

  it('create-stack, then wait stack-create-complete', async () => {
    await cliJson(['create-stack', '--stack-name', STACK, '--template-body', `file://${templateFile}`, '--capabilities', 'CAPABILITY_IAM']);
    const waited = await cli(['wait', 'stack-create-complete', '--stack-name', STACK]);
    assert.equal(waited.status, 0, waited.stderr);
    stack = await describeStack(STACK);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    out = outputsOf(stack);
  });

  it('answers Ref and Fn::GetAtt as AWS documents them', () => {
    assert.match(out.NatEipRef!, /^198\.51\.100\.\d+$/);
    assert.equal(out.NatEipPublicIp, out.NatEipRef);
    assert.match(out.NatEipAllocationId!, /^eipalloc-[0-9a-f]{17}$/);
    assert.match(out.NatGatewayRef!, /^nat-[0-9a-f]{17}$/);
    assert.equal(out.NatGatewayId, out.NatGatewayRef);
    assert.match(out.SecondaryCidrRef!, /^vpc-cidr-assoc-[0-9a-f]{17}$/);
    assert.equal(out.SecondaryCidrId, out.SecondaryCidrRef);
    assert.match(out.BastionIp!, /^198\.51\.100\.\d+$/);
    assert.notEqual(out.BastionIp, out.NatEipRef);
    assert.match(out.MembershipRef!, new RegExp(`^${STACK}-OperatorsMembership-[A-Z0-9]{12}$`));
    assert.equal(out.MembershipId, out.MembershipRef);
  });

  it('the network is real: two blocks, a private subnet in the second, the NAT gateway available with its address', async () => {
    const vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [out.VpcId!] }))).Vpcs![0]!;
    assert.deepEqual(vpc.CidrBlockAssociationSet!.map((block) => [block.CidrBlock, block.CidrBlockState!.State]), [['10.92.0.0/16', 'associated'], ['10.93.0.0/16', 'associated']]);
    assert.equal(vpc.CidrBlockAssociationSet![1]!.AssociationId, out.SecondaryCidrRef);
    const subnet = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [out.PrivateSubnetId!] }))).Subnets![0]!;
    assert.equal(subnet.CidrBlock, '10.93.1.0/24');
    const gateway = (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [out.NatGatewayId!] }))).NatGateways![0]!;
    assert.equal(gateway.State, 'available');
    assert.equal(gateway.VpcId, out.VpcId);
    assert.equal(gateway.NatGatewayAddresses![0]!.PublicIp, out.NatEipRef);
    assert.equal(gateway.NatGatewayAddresses![0]!.AllocationId, out.NatEipAllocationId);
    const tags = Object.fromEntries(gateway.Tags!.map((tag) => [tag.Key!, tag.Value!]));
    assert.deepEqual([tags.Name, tags['aws:cloudformation:logical-id'], tags['aws:cloudformation:stack-name']], ['nat-lab-egress', 'NatGateway', STACK]);
    const eip = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [out.NatEipAllocationId!] }))).Addresses![0]!;
    assert.equal(eip.NetworkInterfaceId, gateway.NatGatewayAddresses![0]!.NetworkInterfaceId);
    assert.ok(eip.Tags!.some((tag) => tag.Key === 'Name' && tag.Value === 'nat-lab-eip'));
  });

  it('the private route table sends 0.0.0.0/0 to the NAT gateway; the bastion has its Elastic IP address', async () => {
    const table = (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [out.PrivateRouteTableId!] }))).RouteTables![0]!;
    assert.deepEqual(table.Routes!.map((route) => [route.DestinationCidrBlock, route.GatewayId ?? route.NatGatewayId, route.State]), [
      ['10.92.0.0/16', 'local', 'active'], ['10.93.0.0/16', 'local', 'active'], ['0.0.0.0/0', out.NatGatewayId, 'active'],
    ]);
    assert.deepEqual(table.Associations!.map((association) => association.SubnetId), [out.PrivateSubnetId]);
    const bastion = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [out.BastionId!] }))).Reservations![0]!.Instances![0]!;
    assert.equal(bastion.PublicIpAddress, out.BastionIp);
    assert.equal(bastion.PublicDnsName, `ec2-${out.BastionIp!.replace(/\./g, '-')}.compute-1.amazonaws.com`);
  });

  it('the user is in the group', async () => {
    const iam = iamClient(server);
    const group = await iam.send(new GetGroupCommand({ GroupName: out.GroupName! }));
    assert.deepEqual(group.Users!.map((user) => user.UserName), [out.UserName]);
    iam.destroy();
  });

  it('update-stack changes the NAT gateway\'s tags in place', async () => {
    await cliJson(['update-stack', '--stack-name', STACK, '--use-previous-template', '--capabilities', 'CAPABILITY_IAM', '--parameters', 'ParameterKey=NatName,ParameterValue=nat-lab-renamed']);
    const waited = await cli(['wait', 'stack-update-complete', '--stack-name', STACK]);
    assert.equal(waited.status, 0, waited.stderr);
    assert.equal(outputsOf(await describeStack(STACK)).NatGatewayId, out.NatGatewayId, 'the same gateway');
    const gateway = (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [out.NatGatewayId!] }))).NatGateways![0]!;
    assert.equal(gateway.Tags!.find((tag) => tag.Key === 'Name')!.Value, 'nat-lab-renamed');
  });

  it('delete-stack, then wait stack-delete-complete: the NAT gateway before its address, the address before the gateway attachment, all gone', async () => {
    assert.equal((await cli(['delete-stack', '--stack-name', STACK])).status, 0);
    const waited = await cli(['wait', 'stack-delete-complete', '--stack-name', STACK]);
    assert.equal(waited.status, 0, waited.stderr);
    assert.equal((await describeStack(stack.StackId)).StackStatus, 'DELETE_COMPLETE');
    const events = (await cliJson<{ StackEvents: CliEvent[] }>(['describe-stack-events', '--stack-name', stack.StackId])).StackEvents.reverse();
    const deletedAt = (logicalId: string) => events.findIndex((event) => event.LogicalResourceId === logicalId && event.ResourceStatus === 'DELETE_COMPLETE');
    for (const logicalId of ['NatGateway', 'NatEip', 'BastionEip', 'SecondaryCidr', 'OperatorsMembership', 'PrivateDefaultRoute']) assert.ok(deletedAt(logicalId) >= 0, logicalId);
    assert.ok(deletedAt('PrivateDefaultRoute') < deletedAt('NatGateway'));
    assert.ok(deletedAt('NatGateway') < deletedAt('NatEip'));
    assert.ok(deletedAt('NatEip') < deletedAt('GatewayAttachment'));
    assert.ok(deletedAt('PrivateSubnet') < deletedAt('SecondaryCidr'));

    const gateway = (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [out.NatGatewayId!] }))).NatGateways![0]!;
    assert.equal(gateway.State, 'deleted');
    await expectAwsError(ec2.send(new DescribeAddressesCommand({ AllocationIds: [out.NatEipAllocationId!] })), 'InvalidAllocationID.NotFound');
    const left = (await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'public-ip', Values: [out.NatEipRef!, out.BastionIp!] }] }))).Addresses!;
    assert.deepEqual(left, []);
    await expectAwsError(ec2.send(new DescribeVpcsCommand({ VpcIds: [out.VpcId!] })), 'InvalidVpcID.NotFound');
    const iam = iamClient(server);
    await expectAwsError(iam.send(new GetGroupCommand({ GroupName: out.GroupName! })), 'NoSuchEntity');
    await expectAwsError(iam.send(new GetUserCommand({ UserName: out.UserName! })), 'NoSuchEntity');
    iam.destroy();
  });
});

/** A VPC with a public subnet; with an internet gateway attached unless `withGateway` is false. */
const networkTemplate = (cidr: string, withGateway: boolean, extra: string): string => `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: ${cidr}.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: ${cidr}.0.0/24}
${withGateway ? `  Gateway:
    Type: AWS::EC2::InternetGateway
  Attachment:
    Type: AWS::EC2::VPCGatewayAttachment
    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Gateway}
` : ''}${extra}`;

describe('Elastic IP addresses and NAT gateways from templates with the JS SDK', () => {
  it('AWS::EC2::EIPAssociation associates an address with an instance; deleting the stack releases it', async () => {
    const cfn = cloudformationClient(server);
    const template = networkTemplate('10.94', true, `  Web:
    Type: AWS::EC2::Instance
    Properties: {ImageId: ami-03c951bbe993ea087, InstanceType: t3.micro, SubnetId: !Ref Subnet}
  Address:
    Type: AWS::EC2::EIP
    DependsOn: Attachment
  Association:
    Type: AWS::EC2::EIPAssociation
    Properties: {AllocationId: !GetAtt Address.AllocationId, InstanceId: !Ref Web}
Outputs:
  AssociationRef: {Value: !Ref Association}
  AssociationId: {Value: !GetAtt Association.Id}
  AllocationId: {Value: !GetAtt Address.AllocationId}
  WebId: {Value: !Ref Web}
`);
    const stack = await createStack(cfn, { StackName: 'eip-association', TemplateBody: template });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE', stack.StackStatusReason);
    const values = sdkOutputs(stack);
    assert.match(values.AssociationRef!, /^eipassoc-[0-9a-f]{17}$/);
    assert.equal(values.AssociationId, values.AssociationRef);
    const address = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [values.AllocationId!] }))).Addresses![0]!;
    assert.deepEqual([address.AssociationId, address.InstanceId], [values.AssociationRef, values.WebId]);
    await cfn.send(new DeleteStackCommand({ StackName: 'eip-association' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    await expectAwsError(ec2.send(new DescribeAddressesCommand({ AllocationIds: [values.AllocationId!] })), 'InvalidAllocationID.NotFound');
    cfn.destroy();
  });

  it('a NAT gateway that fails (no internet gateway) fails its resource and rolls the stack back, releasing the address', async () => {
    const cfn = cloudformationClient(server);
    const template = networkTemplate('10.95', false, `  Address:
    Type: AWS::EC2::EIP
  Nat:
    Type: AWS::EC2::NatGateway
    Properties: {AllocationId: !GetAtt Address.AllocationId, SubnetId: !Ref Subnet}
`);
    const stack = await createStack(cfn, { StackName: 'nat-without-gateway', TemplateBody: template });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const history = resourceHistory(await stackEvents(cfn, 'nat-without-gateway'), 'Nat');
    const failure = history.find((line) => line.startsWith('CREATE_FAILED'))!;
    assert.match(failure, /^CREATE_FAILED: NAT gateway nat-[0-9a-f]{17} failed: Gateway\.NotAttached: Network vpc-[0-9a-f]{17} has no Internet gateway attached$/);
    assert.equal(history[history.length - 1], 'DELETE_COMPLETE');
    const natGatewayId = /nat-[0-9a-f]{17}/.exec(failure)![0];
    assert.equal((await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natGatewayId] }))).NatGateways![0]!.State, 'failed');
    const addresses = resourceHistory(await stackEvents(cfn, 'nat-without-gateway'), 'Address');
    assert.equal(addresses[addresses.length - 1], 'DELETE_COMPLETE');
    cfn.destroy();
  });
});

