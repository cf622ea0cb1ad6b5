/**
 * What happens when a stack cannot be created, with the JS SDK: the failed resource's reason in
 * AWS's resource-handler wording, the rollback deleting what had been created (in reverse order),
 * DisableRollback leaving it, OnFailure=DELETE deleting the stack; a resource type iamd does not
 * implement failing with a reason that names it, unless the stack records placeholders; and
 * DeletionPolicy Retain keeping a resource when its stack is deleted.
 */
import {
  CreateChangeSetCommand, CreateStackCommand, DeleteStackCommand, DescribeChangeSetCommand, DescribeStackResourcesCommand, DescribeStacksCommand, UpdateStackCommand,
  waitUntilChangeSetCreateComplete, type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cloudformationClient, createStack, outputsOf, resourceHistory, settledStack, stackEvents } from './helpers/cloudformation.js';
import { expectAwsError, iamClient, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let cfn: CloudFormationClient;
let ec2: EC2Client;

before(async () => {
  server = await startTestServer();
  cfn = cloudformationClient(server);
  ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, maxAttempts: 1 });
});

after(async () => {
  cfn?.destroy();
  ec2?.destroy();
  await server?.close();
});

/** A VPC, a role and a security group that succeed, and a subnet outside the VPC's block that fails. */
const FAILING = (cidr: string) => `Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: ${cidr}
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: rollback-role-${cidr.split('.')[1]}
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      VpcId: !Ref Network
  OutsideSubnet:
    Type: AWS::EC2::Subnet
    DependsOn: [Group, Role]
    Properties:
      VpcId: !Ref Network
      CidrBlock: 192.168.0.0/24
`;

async function physicalIds(stackName: string): Promise<Record<string, string>> {
  const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }))).StackResources!;
  return Object.fromEntries(resources.filter((resource) => resource.PhysicalResourceId).map((resource) => [resource.LogicalResourceId!, resource.PhysicalResourceId!]));
}

describe('a failing resource', () => {
  it('rolls the stack back: ROLLBACK_IN_PROGRESS with the failed resources, everything created deleted, ROLLBACK_COMPLETE', async () => {
    const stack = await createStack(cfn, { StackName: 'rollback', TemplateBody: FAILING('10.40.0.0/16'), Capabilities: ['CAPABILITY_NAMED_IAM'] });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const events = await stackEvents(cfn, 'rollback');
    assert.deepEqual(resourceHistory(events, 'rollback'), [
      'CREATE_IN_PROGRESS: User Initiated',
      'ROLLBACK_IN_PROGRESS: The following resource(s) failed to create: [OutsideSubnet]. Rollback requested by user.',
      'ROLLBACK_COMPLETE',
    ]);
    const subnet = resourceHistory(events, 'OutsideSubnet');
    assert.equal(subnet[0], 'CREATE_IN_PROGRESS');
    assert.match(subnet[1]!, /^CREATE_FAILED: Resource handler returned message: "The CIDR '192\.168\.0\.0\/24' is invalid\. \(Service: Ec2, Status Code: 400, Request ID: [0-9a-f-]{36}\)" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: InvalidRequest\)$/);
    assert.deepEqual(subnet.slice(2), ['DELETE_COMPLETE']);
    for (const logicalId of ['Network', 'Role', 'Group']) {
      assert.deepEqual(resourceHistory(events, logicalId), ['CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS: Resource creation Initiated', 'CREATE_COMPLETE', 'DELETE_IN_PROGRESS', 'DELETE_COMPLETE'], logicalId);
    }
    // The group (in the VPC) goes before the VPC.
    const order = events.map((event) => `${event.LogicalResourceId} ${event.ResourceStatus}`);
    assert.ok(order.indexOf('Group DELETE_COMPLETE') < order.indexOf('Network DELETE_IN_PROGRESS'));
    const ids = await physicalIds('rollback');
    await expectAwsError(ec2.send(new DescribeVpcsCommand({ VpcIds: [ids.Network!] })), 'InvalidVpcID.NotFound');
    const iam = iamClient(server);
    await expectAwsError(iam.send(new GetRoleCommand({ RoleName: 'rollback-role-40' })), 'NoSuchEntity');
    iam.destroy();
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'rollback' }))).StackResources!;
    for (const resource of resources) assert.equal(resource.ResourceStatus, 'DELETE_COMPLETE', resource.LogicalResourceId);
  });

  it('with DisableRollback the stack is CREATE_FAILED and keeps what it created, until it is deleted', async () => {
    const stack = await createStack(cfn, { StackName: 'kept', TemplateBody: FAILING('10.41.0.0/16'), Capabilities: ['CAPABILITY_NAMED_IAM'], DisableRollback: true });
    assert.equal(stack.StackStatus, 'CREATE_FAILED');
    assert.equal(stack.StackStatusReason, 'The following resource(s) failed to create: [OutsideSubnet]. ');
    const ids = await physicalIds('kept');
    assert.equal((await ec2.send(new DescribeVpcsCommand({ VpcIds: [ids.Network!] }))).Vpcs!.length, 1);
    await cfn.send(new DeleteStackCommand({ StackName: 'kept' }));
    const deleted = await settledStack(cfn, stack.StackId!);
    assert.equal(deleted.StackStatus, 'DELETE_COMPLETE');
    await expectAwsError(ec2.send(new DescribeVpcsCommand({ VpcIds: [ids.Network!] })), 'InvalidVpcID.NotFound');
  });

  it('with OnFailure=DELETE the stack deletes itself', async () => {
    const { StackId } = await cfn.send(new CreateStackCommand({
      StackName: 'self-deleting', TemplateBody: FAILING('10.42.0.0/16'), Capabilities: ['CAPABILITY_NAMED_IAM'], OnFailure: 'DELETE',
    }));
    const stack = await settledStack(cfn, StackId!);
    assert.equal(stack.StackStatus, 'DELETE_COMPLETE');
    await expectAwsError(cfn.send(new DescribeStacksCommand({ StackName: 'self-deleting' })), 'ValidationError');
  });
});

describe('resource types iamd does not implement', () => {
  const TEMPLATE = `Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
  Parameter:
    Type: AWS::SSM::Parameter
    Properties:
      Type: String
      Value: !GetAtt Queue.Arn
Outputs:
  QueueUrl:
    Value: !Ref Queue
`;

  it('fail the stack with a reason naming the type, and roll back', async () => {
    const stack = await createStack(cfn, { StackName: 'unimplemented', TemplateBody: TEMPLATE });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const history = resourceHistory(await stackEvents(cfn, 'unimplemented'), 'Queue');
    assert.match(history[1]!, /^CREATE_FAILED: iamd does not implement resource type AWS::SQS::Queue\. Implemented types: .*AWS::EC2::Instance.*\. Create the stack with the tag iamd:placeholders=true to record such resources as placeholders\.$/);
  });

  it('are recorded as placeholders when the stack is tagged iamd:placeholders=true', async () => {
    const stack = await createStack(cfn, { StackName: 'placeholders', TemplateBody: TEMPLATE, Tags: [{ Key: 'iamd:placeholders', Value: 'true' }] });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const queueId = (await physicalIds('placeholders')).Queue!;
    assert.match(queueId, /^placeholders-Queue-[A-Z0-9]{12}$/);
    assert.equal(outputsOf(stack).QueueUrl, queueId);
    const parameterName = (await physicalIds('placeholders')).Parameter!;
    assert.equal(server.app.cloudformation.parameters.get(parameterName)?.value, queueId);
    await cfn.send(new DeleteStackCommand({ StackName: 'placeholders' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    assert.equal(server.app.cloudformation.parameters.get(parameterName), undefined);
  });

  it('a change set describes its update with the tags the stack will have: dropping iamd:placeholders replaces a placeholder', async () => {
    const stack = await createStack(cfn, { StackName: 'placeholders-changed', TemplateBody: TEMPLATE, Tags: [{ Key: 'iamd:placeholders', Value: 'true' }] });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const renamed = TEMPLATE.replace('QueueName: jobs', 'QueueName: tasks');
    const recreation = async (name: string, tags?: Array<{ Key: string; Value: string }>): Promise<string | undefined> => {
      const { Id } = await cfn.send(new CreateChangeSetCommand({
        StackName: 'placeholders-changed', ChangeSetName: name, ChangeSetType: 'UPDATE', TemplateBody: renamed, ...(tags ? { Tags: tags } : {}),
      }));
      await waitUntilChangeSetCreateComplete({ client: cfn, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { ChangeSetName: Id! });
      const { Changes } = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id! }));
      const queue = Changes!.find((change) => change.ResourceChange!.LogicalResourceId === 'Queue')!.ResourceChange!;
      return queue.Details!.find((detail) => detail.Target!.Name === 'QueueName')!.Target!.RequiresRecreation;
    };
    assert.equal(await recreation('keeps-tags'), 'Never', 'a placeholder is updated in place');
    assert.equal(await recreation('drops-tag', [{ Key: 'team', Value: 'red' }]), 'Always', 'without the tag the type has no provider to update it');
  });

  it('follow the stack\'s tags: an UpdateStack that adds iamd:placeholders=true records them', async () => {
    const first = await createStack(cfn, { StackName: 'placeholders-later', TemplateBody: 'Resources:\n  Topic: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: first}}\n' });
    assert.equal(first.StackStatus, 'CREATE_COMPLETE');
    await cfn.send(new UpdateStackCommand({ StackName: 'placeholders-later', TemplateBody: TEMPLATE, Tags: [{ Key: 'iamd:placeholders', Value: 'true' }] }));
    const updated = await settledStack(cfn, 'placeholders-later');
    assert.equal(updated.StackStatus, 'UPDATE_COMPLETE');
    assert.match((await physicalIds('placeholders-later')).Queue!, /^placeholders-later-Queue-[A-Z0-9]{12}$/);
  });
});

describe('DeletionPolicy: Retain', () => {
  it('keeps the resource when the stack is deleted (DELETE_SKIPPED) and deletes the rest', async () => {
    const stack = await createStack(cfn, {
      StackName: 'retaining',
      TemplateBody: JSON.stringify({
        Resources: {
          KeptNetwork: { Type: 'AWS::EC2::VPC', DeletionPolicy: 'Retain', Properties: { CidrBlock: '10.43.0.0/16' } },
          KeptGroup: { Type: 'AWS::EC2::SecurityGroup', DeletionPolicy: 'Retain', Properties: { GroupDescription: 'kept', VpcId: { Ref: 'KeptNetwork' } } },
          Temporary: { Type: 'AWS::SSM::Parameter', Properties: { Name: '/retaining/temporary', Type: 'String', Value: { Ref: 'KeptNetwork' } } },
        },
      }),
    });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const ids = await physicalIds('retaining');
    await cfn.send(new DeleteStackCommand({ StackName: 'retaining' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    const events = await stackEvents(cfn, stack.StackId!);
    assert.deepEqual(resourceHistory(events, 'KeptNetwork').slice(-1), ['DELETE_SKIPPED']);
    assert.deepEqual(resourceHistory(events, 'Temporary').slice(-2), ['DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    assert.equal((await ec2.send(new DescribeVpcsCommand({ VpcIds: [ids.KeptNetwork!] }))).Vpcs!.length, 1);
    assert.equal((await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [ids.KeptGroup!] }))).SecurityGroups!.length, 1);
    assert.equal(server.app.cloudformation.parameters.get('/retaining/temporary'), undefined);
  });
});
