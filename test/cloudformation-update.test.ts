/**
 * UpdateStack with the JS SDK: properties updated in place (a parameter and template changes:
 * security group rules, a role's description, session duration and inline policies, VPC tags, an
 * SSM parameter's value), "No updates are to be performed.", a change that replaces resources (a
 * new VPC CIDR: the VPC and the security group in it are replaced, the old ones deleted at
 * cleanup) and a resource removed from the template, and a failed update rolled back.
 */
import {
  DescribeStackResourcesCommand, GetTemplateCommand, UpdateStackCommand, type CloudFormationClient, type Parameter,
} from '@aws-sdk/client-cloudformation';
import { DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand, ListRolePoliciesCommand, type IAMClient } from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cloudformationClient, createStack, outputsOf, resourceHistory, settledStack, stackEvents } from './helpers/cloudformation.js';
import { expectAwsError, iamClient, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let cfn: CloudFormationClient;
let ec2: EC2Client;
let iam: IAMClient;

interface Version {
  description: string;
  maxSession: number;
  policies: string[];
  tier: string;
  withSetting?: boolean;
  badSubnet?: boolean;
}

function template(version: Version): string {
  const policies = version.policies.map((name) => `
        - PolicyName: ${name}
          PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'ec2:Describe*', Resource: '*'}]}`).join('');
  return `Parameters:
  WebPort: {Type: Number, Default: 80}
  Cidr: {Type: String, Default: 10.50.0.0/16}
Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref Cidr
      Tags: [{Key: Tier, Value: ${version.tier}}]
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web servers
      VpcId: !Ref Network
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: !Ref WebPort, ToPort: !Ref WebPort, CidrIp: 0.0.0.0/0}
  Role:
    Type: AWS::IAM::Role
    Properties:
      Description: ${version.description}
      MaxSessionDuration: ${version.maxSession}
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}
      Policies:${policies}
${version.withSetting === false ? '' : `  Setting:
    Type: AWS::SSM::Parameter
    Properties:
      Name: /update/setting
      Type: String
      Value: !Sub 'port-\${WebPort}'
`}${version.badSubnet ? `  BadSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Network
      CidrBlock: 192.168.7.0/24
` : ''}Outputs:
  GroupId: {Value: !GetAtt Web.GroupId}
  VpcId: {Value: !Ref Network}
  RoleName: {Value: !Ref Role}
`;
}

const V1: Version = { description: 'first', maxSession: 3600, policies: ['describe'], tier: 'web' };
const V2: Version = { description: 'second', maxSession: 7200, policies: ['describe', 'more'], tier: 'frontend' };

before(async () => {
  server = await startTestServer();
  cfn = cloudformationClient(server);
  ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, maxAttempts: 1 });
  iam = iamClient(server);
});

after(async () => {
  cfn?.destroy();
  ec2?.destroy();
  iam?.destroy();
  await server?.close();
});

async function update(body: string, parameters: Parameter[]): Promise<void> {
  await cfn.send(new UpdateStackCommand({ StackName: 'updates', TemplateBody: body, Parameters: parameters, Capabilities: ['CAPABILITY_IAM'] }));
}

async function physicalIds(): Promise<Record<string, string>> {
  const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'updates' }))).StackResources!;
  return Object.fromEntries(resources.map((resource) => [resource.LogicalResourceId!, resource.PhysicalResourceId!]));
}

async function ingressPorts(groupId: string): Promise<number[]> {
  const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
  return group.IpPermissions!.map((permission) => permission.FromPort!);
}

describe('UpdateStack', () => {
  let original: Record<string, string>;

  before(async () => {
    const stack = await createStack(cfn, { StackName: 'updates', TemplateBody: template(V1), Capabilities: ['CAPABILITY_IAM'] });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    original = await physicalIds();
  });

  it('updates changed properties in place, keeping every physical id', async () => {
    await update(template(V2), [{ ParameterKey: 'WebPort', ParameterValue: '443' }, { ParameterKey: 'Cidr', UsePreviousValue: true }]);
    const stack = await settledStack(cfn, 'updates');
    assert.equal(stack.StackStatus, 'UPDATE_COMPLETE');
    assert.ok(stack.LastUpdatedTime instanceof Date);
    assert.deepEqual(await physicalIds(), original);
    const events = await stackEvents(cfn, 'updates');
    assert.deepEqual(resourceHistory(events, 'updates').slice(-3), ['UPDATE_IN_PROGRESS: User Initiated', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    for (const logicalId of ['Network', 'Web', 'Role', 'Setting']) {
      assert.deepEqual(resourceHistory(events, logicalId).slice(-2), ['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE'], logicalId);
    }
    assert.deepEqual(await ingressPorts(original.Web!), [443]);
    const role = (await iam.send(new GetRoleCommand({ RoleName: original.Role! }))).Role!;
    assert.equal(role.Description, 'second');
    assert.equal(role.MaxSessionDuration, 7200);
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: original.Role! }))).PolicyNames, ['describe', 'more']);
    const vpc = (await ec2.send(new DescribeVpcsCommand({ VpcIds: [original.Network!] }))).Vpcs![0]!;
    assert.equal(vpc.Tags!.find((tag) => tag.Key === 'Tier')!.Value, 'frontend');
    const setting = server.app.cloudformation.parameters.get('/update/setting')!;
    assert.deepEqual([setting.value, setting.version], ['port-443', 2]);
    assert.equal(stack.Parameters!.find((parameter) => parameter.ParameterKey === 'Cidr')!.ParameterValue, '10.50.0.0/16');
  });

  it('refuses an update that changes nothing: "No updates are to be performed."', async () => {
    const error = await expectAwsError(update(template(V2), [{ ParameterKey: 'WebPort', UsePreviousValue: true }, { ParameterKey: 'Cidr', UsePreviousValue: true }]), 'ValidationError');
    assert.equal(error.message, 'No updates are to be performed.');
  });

  it('replaces what a change requires (a new VPC CIDR: the VPC and its security group), deleting the old ones and removed resources at cleanup', async () => {
    await update(template({ ...V2, withSetting: false }), [{ ParameterKey: 'WebPort', UsePreviousValue: true }, { ParameterKey: 'Cidr', ParameterValue: '10.51.0.0/16' }]);
    const stack = await settledStack(cfn, 'updates');
    assert.equal(stack.StackStatus, 'UPDATE_COMPLETE');
    const now = await physicalIds();
    assert.notEqual(now.Network, original.Network);
    assert.notEqual(now.Web, original.Web);
    assert.equal(now.Role, original.Role);
    assert.equal(now.Setting, undefined, 'a resource removed from the template leaves the stack');
    assert.equal(outputsOf(stack).VpcId, now.Network);
    const events = await stackEvents(cfn, 'updates');
    const network = resourceHistory(events, 'Network');
    assert.deepEqual(network.slice(-5), [
      'UPDATE_IN_PROGRESS: Requested update requires the creation of a new physical resource; hence creating one.',
      'UPDATE_IN_PROGRESS: Resource creation Initiated',
      'UPDATE_COMPLETE',
      'DELETE_IN_PROGRESS',
      'DELETE_COMPLETE',
    ]);
    const oldVpcDeletion = events.filter((event) => event.LogicalResourceId === 'Network' && event.ResourceStatus === 'DELETE_COMPLETE').pop()!;
    assert.equal(oldVpcDeletion.PhysicalResourceId, original.Network);
    await expectAwsError(ec2.send(new DescribeVpcsCommand({ VpcIds: [original.Network!] })), 'InvalidVpcID.NotFound');
    assert.deepEqual(await ingressPorts(now.Web!), [443]);
    assert.equal(server.app.cloudformation.parameters.get('/update/setting'), undefined);
    original = now;
  });

  it('rolls a failed update back: properties updated in place go back, what it created is deleted, the template is the previous one', async () => {
    const before = await cfn.send(new GetTemplateCommand({ StackName: 'updates' }));
    await update(template({ ...V2, withSetting: false, description: 'third', badSubnet: true }), [{ ParameterKey: 'WebPort', UsePreviousValue: true }, { ParameterKey: 'Cidr', UsePreviousValue: true }]);
    const stack = await settledStack(cfn, 'updates');
    assert.equal(stack.StackStatus, 'UPDATE_ROLLBACK_COMPLETE');
    const events = await stackEvents(cfn, 'updates');
    const history = resourceHistory(events, 'updates');
    assert.deepEqual(history.slice(-4), [
      'UPDATE_IN_PROGRESS: User Initiated',
      'UPDATE_ROLLBACK_IN_PROGRESS: The following resource(s) failed to create: [BadSubnet]. ',
      'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'UPDATE_ROLLBACK_COMPLETE',
    ]);
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: original.Role! }))).Role!.Description, 'second');
    assert.deepEqual(resourceHistory(events, 'Role').slice(-4), ['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE']);
    assert.deepEqual(await physicalIds(), original);
    assert.equal((await cfn.send(new GetTemplateCommand({ StackName: 'updates' }))).TemplateBody, before.TemplateBody);

    // A stack in UPDATE_ROLLBACK_COMPLETE can be updated again.
    await update(template({ ...V2, withSetting: false, description: 'fourth' }), [{ ParameterKey: 'WebPort', UsePreviousValue: true }, { ParameterKey: 'Cidr', UsePreviousValue: true }]);
    assert.equal((await settledStack(cfn, 'updates')).StackStatus, 'UPDATE_COMPLETE');
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: original.Role! }))).Role!.Description, 'fourth');
  });
});
