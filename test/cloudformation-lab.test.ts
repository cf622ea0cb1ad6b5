/**
 * The user story's first line, "I created a stack using CloudFormation", with the AWS CLI v2 as a
 * user runs it: the lab template (VPC, two subnets, internet gateway and route, security group, an
 * instance role with AWS-managed policies, its instance profile, two instances from an SSM AMI
 * parameter with CreationPolicy) refused without CAPABILITY_IAM, created, waited on with
 * `aws cloudformation wait stack-create-complete`, described (outputs, resources, events), its
 * instances' metadata services serving the role's credentials, then deleted with
 * `wait stack-delete-complete` and everything gone. Also: a failing template's rollback as the
 * CLI's waiter reports it.
 */
import { DescribeInstancesCommand, DescribeSecurityGroupsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, ListAttachedRolePoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LAB_TEMPLATE } from './helpers/lab-template.js';
import { credentialsOf, endpointsOf, fetchCredentials } from './helpers/imds.js';
import { aws, awsJson, realClient } from './helpers/real-clients.js';
import { expectAwsError, iamClient, startTestServer, stsClient, type TestServer } from './helpers/server.js';

interface CliStack {
  StackId: string;
  StackName: string;
  StackStatus: string;
  StackStatusReason?: string;
  Parameters?: Array<{ ParameterKey: string; ParameterValue: string; ResolvedValue?: string }>;
  Outputs?: Array<{ OutputKey: string; OutputValue: string; ExportName?: string }>;
  Capabilities?: string[];
}
interface CliEvent {
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ResourceProperties?: string;
  EventId: string;
}
interface CliResource {
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  ResourceStatus: string;
}

const STACK = 'story-lab';
let server: TestServer;
let ec2: EC2Client;
let templateFile: string;

before(async () => {
  server = await startTestServer();
  ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, maxAttempts: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'iamd-cfn-'));
  templateFile = join(dir, 'lab.yaml');
  writeFileSync(templateFile, LAB_TEMPLATE);
});

after(async () => {
  ec2?.destroy();
  await server?.close();
});

const cli = (args: readonly string[]) => aws(server, server.root, ['cloudformation', ...args]);
const cliJson = <T>(args: readonly string[]) => awsJson<T>(server, server.root, ['cloudformation', ...args]);
const outputs = (stack: CliStack): Record<string, string> => Object.fromEntries((stack.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));

describe('the lab stack with the AWS CLI', realClient('aws-cli'), () => {
  let stack: CliStack;
  let resources: CliResource[];

  it('create-stack without CAPABILITY_IAM is refused with InsufficientCapabilitiesException', async () => {
    const result = await cli(['create-stack', '--stack-name', STACK, '--template-body', `file://${templateFile}`]);
    assert.equal(result.status, 254, result.stderr);
    assert.match(result.stderr, /\(InsufficientCapabilitiesException\) when calling the CreateStack operation: Requires capabilities : \[CAPABILITY_IAM\]/);
  });

  it('create-stack answers with the stack id at once; wait stack-create-complete returns when it is CREATE_COMPLETE', async () => {
    const created = await cliJson<{ StackId: string }>(['create-stack', '--stack-name', STACK, '--template-body', `file://${templateFile}`, '--capabilities', 'CAPABILITY_IAM']);
    assert.match(created.StackId, new RegExp(`^arn:aws:cloudformation:us-east-1:000000000000:stack/${STACK}/[0-9a-f-]{36}$`));
    const waited = await cli(['wait', 'stack-create-complete', '--stack-name', STACK]);
    assert.equal(waited.status, 0, waited.stderr);
    stack = (await cliJson<{ Stacks: CliStack[] }>(['describe-stacks', '--stack-name', STACK])).Stacks[0]!;
    assert.equal(stack.StackId, created.StackId);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.deepEqual(stack.Capabilities, ['CAPABILITY_IAM']);
  });

  it('describe-stacks shows the parameters (the SSM AMI alias with its resolved AMI) and the outputs', async () => {
    const ami = stack.Parameters!.find((parameter) => parameter.ParameterKey === 'LatestAmiId')!;
    assert.equal(ami.ParameterValue, '/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2');
    assert.equal(ami.ResolvedValue, 'ami-03c951bbe993ea087');
    const values = outputs(stack);
    assert.match(values.VpcId!, /^vpc-[0-9a-f]{17}$/);
    assert.equal(stack.Outputs!.find((output) => output.OutputKey === 'VpcId')!.ExportName, `${STACK}-VpcId`);
    assert.match(values.InstanceRoleArn!, new RegExp(`^arn:aws:iam::000000000000:role/${STACK}-InstanceRole-[A-Z0-9]{12}$`));
    assert.match(values.InstanceProfileArn!, new RegExp(`^arn:aws:iam::000000000000:instance-profile/${STACK}-InstanceProfile-[A-Z0-9]{12}$`));
    assert.match(values.Instance1PrivateIp!, /^10\.20\.0\.\d+$/);
    assert.equal(values.Instance2Zone, 'us-east-1b');
  });

  it('describe-stack-resources lists the fourteen resources, each CREATE_COMPLETE with its physical id', async () => {
    resources = (await cliJson<{ StackResources: CliResource[] }>(['describe-stack-resources', '--stack-name', STACK])).StackResources;
    assert.equal(resources.length, 14);
    for (const resource of resources) assert.equal(resource.ResourceStatus, 'CREATE_COMPLETE', resource.LogicalResourceId);
    const physical = (logicalId: string) => resources.find((resource) => resource.LogicalResourceId === logicalId)!.PhysicalResourceId;
    assert.equal(physical('LabVPC'), outputs(stack).VpcId);
    assert.equal(physical('LabInstance1'), outputs(stack).Instance1Id);
    assert.match(physical('InstanceSecurityGroup'), /^sg-/);
    assert.match(physical('Subnet1RouteTableAssociation'), /^rtbassoc-/);
    const listed = await cliJson<{ StackResourceSummaries: CliResource[] }>(['list-stack-resources', '--stack-name', STACK]);
    assert.equal(listed.StackResourceSummaries.length, 14);
    const one = await cliJson<{ StackResourceDetail: CliResource }>(['describe-stack-resource', '--stack-name', STACK, '--logical-resource-id', 'InstanceRole']);
    assert.equal(one.StackResourceDetail.ResourceType, 'AWS::IAM::Role');
  });

  it('describe-stack-events tells the creation as AWS does: User Initiated, then each resource in progress, initiated, complete', async () => {
    const events = (await cliJson<{ StackEvents: CliEvent[] }>(['describe-stack-events', '--stack-name', STACK])).StackEvents.reverse();
    const first = events[0]!;
    const last = events[events.length - 1]!;
    assert.deepEqual([first.LogicalResourceId, first.ResourceType, first.ResourceStatus, first.ResourceStatusReason], [STACK, 'AWS::CloudFormation::Stack', 'CREATE_IN_PROGRESS', 'User Initiated']);
    assert.equal(first.PhysicalResourceId, stack.StackId);
    assert.deepEqual([last.LogicalResourceId, last.ResourceStatus], [STACK, 'CREATE_COMPLETE']);
    for (const resource of resources) {
      const own = events.filter((event) => event.LogicalResourceId === resource.LogicalResourceId);
      const statuses = own.map((event) => `${event.ResourceStatus}${event.ResourceStatusReason ? `: ${event.ResourceStatusReason}` : ''}`);
      const expected = resource.ResourceType === 'AWS::EC2::Instance'
        ? ['CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS: Resource creation Initiated', `CREATE_IN_PROGRESS: Received SUCCESS signal with UniqueId ${resource.PhysicalResourceId}`, 'CREATE_COMPLETE']
        : ['CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS: Resource creation Initiated', 'CREATE_COMPLETE'];
      assert.deepEqual(statuses, expected, resource.LogicalResourceId);
      assert.match(own[0]!.EventId, new RegExp(`^${resource.LogicalResourceId}-CREATE_IN_PROGRESS-\\d{4}-`));
      assert.ok(own[0]!.ResourceProperties !== undefined, `${resource.LogicalResourceId} has its properties on the first event`);
    }
    // Dependencies: the VPC is complete before its subnets start; the route waits for the gateway attachment.
    const index = (logicalId: string, status: string) => events.findIndex((event) => event.LogicalResourceId === logicalId && event.ResourceStatus === status);
    assert.ok(index('LabVPC', 'CREATE_COMPLETE') < index('PublicSubnet1', 'CREATE_IN_PROGRESS'));
    assert.ok(index('GatewayAttachment', 'CREATE_COMPLETE') < index('DefaultRoute', 'CREATE_IN_PROGRESS'));
    assert.ok(index('InstanceProfile', 'CREATE_COMPLETE') < index('LabInstance1', 'CREATE_IN_PROGRESS'));
    // Independent resources start together: the VPC, the gateway and the role are all in progress before any completes.
    const firstComplete = events.findIndex((event) => event.ResourceStatus === 'CREATE_COMPLETE');
    for (const logicalId of ['LabVPC', 'InternetGateway', 'InstanceRole']) assert.ok(index(logicalId, 'CREATE_IN_PROGRESS') < firstComplete, logicalId);
  });

  it('the resources are real: the role has the two AWS-managed policies, the instances run with its profile in the VPC', async () => {
    const iam = iamClient(server);
    const roleName = outputs(stack).InstanceRoleArn!.split('/').pop()!;
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    assert.deepEqual(attached.AttachedPolicies!.map((policy) => policy.PolicyArn).sort(), [
      'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    ]);
    const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: outputs(stack).InstanceProfileArn!.split('/').pop()! }));
    assert.deepEqual(profile.InstanceProfile!.Roles!.map((role) => role.RoleName), [roleName]);
    iam.destroy();

    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [outputs(stack).Instance1Id!, outputs(stack).Instance2Id!] }));
    const instances = described.Reservations!.flatMap((reservation) => reservation.Instances!);
    assert.equal(instances.length, 2);
    for (const instance of instances) {
      assert.equal(instance.State!.Name, 'running');
      assert.equal(instance.VpcId, outputs(stack).VpcId);
      assert.equal(instance.ImageId, 'ami-03c951bbe993ea087');
      assert.equal(instance.InstanceType, 't3.micro');
      assert.equal(instance.IamInstanceProfile!.Arn, outputs(stack).InstanceProfileArn);
      const tags = Object.fromEntries(instance.Tags!.map((tag) => [tag.Key!, tag.Value!]));
      assert.equal(tags['aws:cloudformation:stack-name'], STACK);
      assert.equal(tags['aws:cloudformation:stack-id'], stack.StackId);
      assert.match(tags['aws:cloudformation:logical-id']!, /^LabInstance[12]$/);
      assert.match(tags.Name!, /^lab-instance-[12]$/);
    }
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [instances[0]!.SecurityGroups![0]!.GroupId!] }));
    assert.deepEqual(groups.SecurityGroups![0]!.IpPermissions!.map((permission) => permission.FromPort).sort(), [22, 80]);
  });

  it("each instance's metadata service serves the instance role's credentials", async () => {
    const roleName = outputs(stack).InstanceRoleArn!.split('/').pop()!;
    for (const instanceId of [outputs(stack).Instance1Id!, outputs(stack).Instance2Id!]) {
      await server.instances.settled();
      const document = await fetchCredentials(endpointsOf(server, instanceId).imdsUrl);
      assert.equal(document.Code, 'Success');
      const sts = stsClient(server, credentialsOf(document));
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Arn, `arn:aws:sts::000000000000:assumed-role/${roleName}/${instanceId}`);
      sts.destroy();
      // The role's policies govern them: S3 read-only and SSM core allow no IAM reads.
      const asInstance = iamClient(server, credentialsOf(document));
      await expectAwsError(asInstance.send(new ListRolesCommand({})), 'AccessDenied');
      asInstance.destroy();
    }
  });

  it('delete-stack, then wait stack-delete-complete: every resource is gone', async () => {
    const deleted = await cli(['delete-stack', '--stack-name', STACK]);
    assert.equal(deleted.status, 0, deleted.stderr);
    const waited = await cli(['wait', 'stack-delete-complete', '--stack-name', STACK]);
    assert.equal(waited.status, 0, waited.stderr);

    const byName = await cli(['describe-stacks', '--stack-name', STACK]);
    assert.equal(byName.status, 254);
    assert.match(byName.stderr, new RegExp(`\\(ValidationError\\) when calling the DescribeStacks operation: Stack with id ${STACK} does not exist`));
    const byId = (await cliJson<{ Stacks: CliStack[] }>(['describe-stacks', '--stack-name', stack.StackId])).Stacks[0]!;
    assert.equal(byId.StackStatus, 'DELETE_COMPLETE');
    const listed = await cliJson<{ StackSummaries: Array<{ StackId: string }> }>(['list-stacks', '--stack-status-filter', 'DELETE_COMPLETE']);
    assert.ok(listed.StackSummaries.some((summary) => summary.StackId === stack.StackId));

    const events = (await cliJson<{ StackEvents: CliEvent[] }>(['describe-stack-events', '--stack-name', stack.StackId])).StackEvents;
    for (const resource of resources) {
      assert.ok(events.some((event) => event.LogicalResourceId === resource.LogicalResourceId && event.ResourceStatus === 'DELETE_COMPLETE'), resource.LogicalResourceId);
    }
    // Deleted in reverse dependency order: the instances before the subnets, the subnets before the VPC.
    const newestFirst = (logicalId: string) => events.findIndex((event) => event.LogicalResourceId === logicalId && event.ResourceStatus === 'DELETE_COMPLETE');
    assert.ok(newestFirst('LabInstance1') > newestFirst('PublicSubnet1'));
    assert.ok(newestFirst('PublicSubnet1') > newestFirst('LabVPC'));

    const iam = iamClient(server);
    await expectAwsError(iam.send(new GetRoleCommand({ RoleName: outputs(stack).InstanceRoleArn!.split('/').pop()! })), 'NoSuchEntity');
    await expectAwsError(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: outputs(stack).InstanceProfileArn!.split('/').pop()! })), 'NoSuchEntity');
    iam.destroy();
    await expectAwsError(ec2.send(new DescribeVpcsCommand({ VpcIds: [outputs(stack).VpcId!] })), 'InvalidVpcID.NotFound');
    const gone = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [outputs(stack).Instance1Id!, outputs(stack).Instance2Id!] }] }));
    for (const instance of gone.Reservations!.flatMap((reservation) => reservation.Instances!)) assert.equal(instance.State!.Name, 'terminated');
  });

  it('a template whose resource fails rolls back; wait stack-create-complete reports the terminal failure', async () => {
    const failing = `Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.30.0.0/16}
  OutsideSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Network
      CidrBlock: 10.99.0.0/24
`;
    await cliJson(['create-stack', '--stack-name', 'failing-lab', '--template-body', failing]);
    const waited = await cli(['wait', 'stack-create-complete', '--stack-name', 'failing-lab']);
    assert.equal(waited.status, 255);
    assert.match(waited.stderr, /Waiter StackCreateComplete failed: Waiter encountered a terminal failure state/);
    const failed = (await cliJson<{ Stacks: CliStack[] }>(['describe-stacks', '--stack-name', 'failing-lab'])).Stacks[0]!;
    assert.equal(failed.StackStatus, 'ROLLBACK_COMPLETE');
    const events = (await cliJson<{ StackEvents: CliEvent[] }>(['describe-stack-events', '--stack-name', 'failing-lab'])).StackEvents;
    const rollback = events.find((event) => event.ResourceStatus === 'ROLLBACK_IN_PROGRESS')!;
    assert.equal(rollback.ResourceStatusReason, 'The following resource(s) failed to create: [OutsideSubnet]. Rollback requested by user.');
    const subnetFailure = events.find((event) => event.LogicalResourceId === 'OutsideSubnet' && event.ResourceStatus === 'CREATE_FAILED')!;
    assert.match(subnetFailure.ResourceStatusReason!, /^Resource handler returned message: "The CIDR '10\.99\.0\.0\/24' is invalid\. \(Service: Ec2, Status Code: 400, Request ID: [0-9a-f-]{36}\)" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: InvalidRequest\)$/);
    assert.ok(events.some((event) => event.LogicalResourceId === 'Network' && event.ResourceStatus === 'DELETE_COMPLETE'));
  });
});
