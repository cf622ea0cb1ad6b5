/**
 * EC2 instances end to end with the JS SDK v3: RunInstances with an instance profile (and
 * iam:PassRole checked), the lifecycle with AWS's state codes, credentials cleared on stop/start
 * and on a new association, filters and pagination, associations, metadata options, tags,
 * DryRun both ways, condition keys, images and private addresses.
 */
import {
  AssociateIamInstanceProfileCommand, CreateSubnetCommand, CreateTagsCommand, CreateVpcCommand, DeleteTagsCommand,
  DescribeIamInstanceProfileAssociationsCommand, DescribeImagesCommand, DescribeInstanceStatusCommand, DescribeInstancesCommand,
  DescribeTagsCommand, DisassociateIamInstanceProfileCommand, EC2Client, ModifyInstanceMetadataOptionsCommand, RebootInstancesCommand,
  ReplaceIamInstanceProfileAssociationCommand, RunInstancesCommand, StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand,
  paginateDescribeInstances, type Instance, type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Ec2Ids } from '../src/services/ec2/ids.js';
import { publicAmiParameter } from '../src/services/ec2/image-catalog.js';
import { Ec2State } from '../src/services/ec2/state.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import { expectAwsError, iamClient, startTestServer, type Credentials, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
const AL2 = 'ami-03c951bbe993ea087';
const AL2023 = 'ami-0453ec754f44f9a4a';
const AL2023_ARM = 'ami-0ed83e7a78a23014e';
const ec2Trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

let server: TestServer;
let ec2: EC2Client;

function ec2Client(credentials: Credentials = server.root): EC2Client {
  return new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

async function createProfile(name: string, withRole = true): Promise<void> {
  const iam = iamClient(server);
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
  if (withRole) {
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ec2Trust }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  }
  iam.destroy();
}

async function run(input: Partial<RunInstancesCommandInput> = {}, client = ec2): Promise<Instance[]> {
  const out = await client.send(new RunInstancesCommand({ ImageId: AL2, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...input }));
  return out.Instances!;
}

async function describe1(instanceId: string): Promise<Instance> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return out.Reservations![0]!.Instances![0]!;
}

/** Waits until the lifecycle timer has moved the instance on (a few ms at most). */
async function settled(instanceId: string): Promise<Instance> {
  for (let i = 0; i < 50; i++) {
    const instance = await describe1(instanceId);
    if (!['pending', 'stopping', 'shutting-down'].includes(instance.State!.Name!)) return instance;
    await sleep(10);
  }
  assert.fail(`instance ${instanceId} did not settle`);
}

const record = (instanceId: string) => server.app.ec2.instances.get(instanceId)!;

/** Pretends the metadata service has issued a credential, to see when the EC2 API clears it. */
function giveCredential(instanceId: string): void {
  const instance = record(instanceId);
  server.app.ec2.instances.put({
    ...instance,
    credential: {
      roleName: 'web', accessKeyId: 'ASIAEXAMPLEEXAMPLE00', sessionToken: 'token', lastUpdated: '2026-01-01T00:00:00Z',
      expiration: '2026-01-01T06:00:00Z', associationGeneration: instance.profileAssociation?.generation ?? 0,
    },
  });
}

before(async () => {
  server = await startTestServer();
  ec2 = ec2Client();
  await createProfile('web');
  await createProfile('worker');
  await createProfile('empty', false);
});
after(() => server.close());

describe('RunInstances', () => {
  it('launches with an instance profile: pending, then running, with the profile and an address of the default subnet', async () => {
    const [launched] = await run({ IamInstanceProfile: { Name: 'web' }, UserData: Buffer.from('#!/bin/sh\necho hi').toString('base64'), KeyName: 'laptop' });
    assert.equal(launched!.State!.Name, 'pending');
    assert.equal(launched!.State!.Code, 0);
    assert.match(launched!.InstanceId!, /^i-[0-9a-f]{17}$/);
    assert.equal(launched!.IamInstanceProfile!.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/web`);
    assert.match(launched!.IamInstanceProfile!.Id!, /^AIPA/);
    const instance = await settled(launched!.InstanceId!);
    assert.equal(instance.State!.Name, 'running');
    assert.equal(instance.State!.Code, 16);
    assert.equal(instance.Placement!.AvailabilityZone, 'us-east-1a');
    assert.match(instance.PrivateIpAddress!, /^172\.31\.(\d|1[0-5])\.\d+$/, 'inside 172.31.0.0/20, the default subnet of us-east-1a');
    assert.equal(instance.PrivateDnsName, `ip-${instance.PrivateIpAddress!.replace(/\./g, '-')}.ec2.internal`);
    assert.match(instance.NetworkInterfaces![0]!.MacAddress!, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    assert.match(instance.NetworkInterfaces![0]!.NetworkInterfaceId!, /^eni-[0-9a-f]{17}$/);
    assert.equal(instance.SecurityGroups![0]!.GroupName, 'default');
    assert.equal(instance.KeyName, 'laptop');
    assert.equal(instance.MetadataOptions!.HttpTokens, 'optional', 'Amazon Linux 2 does not require IMDSv2');
    assert.equal(instance.MetadataOptions!.HttpPutResponseHopLimit, 1);
    const stored = record(instance.InstanceId!);
    assert.equal(Buffer.from(stored.userData!, 'base64').toString(), '#!/bin/sh\necho hi');
    assert.equal(stored.profileAssociation!.state, 'associated');
    assert.match(stored.profileAssociation!.associationId, /^iip-assoc-[0-9a-f]{17}$/);
    assert.equal(stored.credential, undefined);
  });

  it('launches several instances in one reservation, with distinct addresses', async () => {
    const instances = await run({ MinCount: 3, MaxCount: 3, IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/worker` } });
    assert.equal(instances.length, 3);
    assert.deepEqual(instances.map((instance) => instance.AmiLaunchIndex), [0, 1, 2]);
    assert.equal(new Set(instances.map((instance) => instance.PrivateIpAddress)).size, 3);
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: instances.map((instance) => instance.InstanceId!) }));
    assert.equal(out.Reservations!.length, 1);
    assert.match(out.Reservations![0]!.ReservationId!, /^r-[0-9a-f]{17}$/);
    assert.equal(out.Reservations![0]!.OwnerId, ACCOUNT);
    assert.equal(out.Reservations![0]!.Instances!.length, 3);
  });

  it('requires IMDSv2 with hop limit 2 for an image that declares ImdsSupport v2.0, unless told otherwise', async () => {
    const [strict] = await run({ ImageId: AL2023 });
    assert.equal(strict!.MetadataOptions!.HttpTokens, 'required');
    assert.equal(strict!.MetadataOptions!.HttpPutResponseHopLimit, 2);
    const [relaxed] = await run({ ImageId: AL2023, MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 1, InstanceMetadataTags: 'enabled' } });
    assert.equal(relaxed!.MetadataOptions!.HttpTokens, 'optional');
    assert.equal(relaxed!.MetadataOptions!.InstanceMetadataTags, 'enabled');
  });

  it('answers for a profile that does not exist, a wrong ARN and a profile without a role', async () => {
    const byName = await expectAwsError(run({ IamInstanceProfile: { Name: 'nope' } }), 'InvalidParameterValue');
    assert.equal(byName.message, 'Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name');
    const byArn = await expectAwsError(run({ IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/nope` } }), 'InvalidParameterValue');
    assert.equal(byArn.message, `Value (arn:aws:iam::${ACCOUNT}:instance-profile/nope) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`);
    const empty = await expectAwsError(run({ IamInstanceProfile: { Name: 'empty' } }), 'InvalidParameterValue');
    assert.match(empty.message, /instance-profile\/empty" has no associated IAM Roles/);
  });

  it('answers for images, instance types, subnets and groups as EC2 does', async () => {
    const missing = await expectAwsError(run({ ImageId: 'ami-0123456789abcdef0' }), 'InvalidAMIID.NotFound');
    assert.equal(missing.message, "The image id '[ami-0123456789abcdef0]' does not exist");
    await expectAwsError(run({ ImageId: 'ubuntu' }), 'InvalidAMIID.Malformed');
    const arch = await expectAwsError(run({ ImageId: AL2023_ARM, InstanceType: 't3.micro' }), 'InvalidParameterValue');
    assert.match(arch.message, /architecture 'x86_64' of the specified instance type does not match the architecture 'arm64'/);
    const [graviton] = await run({ ImageId: AL2023_ARM, InstanceType: 't4g.micro' });
    assert.equal(graviton!.Architecture, 'arm64');
    const subnet = await expectAwsError(run({ SubnetId: 'subnet-0123456789abcdef0' }), 'InvalidSubnetID.NotFound');
    assert.equal(subnet.message, "The subnet ID 'subnet-0123456789abcdef0' does not exist");
    await expectAwsError(run({ SecurityGroupIds: ['sg-0123456789abcdef0'] }), 'InvalidGroup.NotFound');
    await expectAwsError(run({ MinCount: 0, MaxCount: 1 }), 'InvalidParameterValue');
    await expectAwsError(run({ MinCount: 3, MaxCount: 2 }), 'InvalidParameterValue');
    await expectAwsError(run({ MetadataOptions: { HttpPutResponseHopLimit: 65 } }), 'InvalidParameterValue');
    await expectAwsError(run({ UserData: 'not base64!' }), 'InvalidParameterValue');
  });

  it('is idempotent with a ClientToken', async () => {
    const first = await run({ ClientToken: 'launch-once' });
    const second = await run({ ClientToken: 'launch-once' });
    assert.equal(second[0]!.InstanceId, first[0]!.InstanceId);
  });

  it('launches in a subnet of its own VPC and zone, with a group of that VPC', async () => {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: '10.20.5.0/24', AvailabilityZone: 'us-east-1c' }))).Subnet!;
    const [instance] = await run({ SubnetId: subnet.SubnetId! });
    assert.equal(instance!.VpcId, vpc.VpcId);
    assert.equal(instance!.Placement!.AvailabilityZone, 'us-east-1c');
    assert.equal(instance!.PrivateIpAddress, '10.20.5.4', 'the first address after the four AWS keeps');
    const [inDefaultVpc] = await run();
    const otherVpcGroup = inDefaultVpc!.SecurityGroups![0]!.GroupId!;
    const defaultGroup = await expectAwsError(run({ SubnetId: subnet.SubnetId!, SecurityGroupIds: [otherVpcGroup] }), 'InvalidParameter');
    assert.match(defaultGroup.message, /belong to different networks/);
  });
});

describe('iam:PassRole on RunInstances and the association operations', () => {
  const ec2Only = allow(['ec2:RunInstances', 'ec2:DescribeInstances', 'ec2:AssociateIamInstanceProfile', 'ec2:ReplaceIamInstanceProfileAssociation', 'ec2:CreateTags']);
  const passRole = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/web`, Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }],
  });

  it('refuses a user who may run instances but not pass the role (UnauthorizedOperation), and launches nothing', async () => {
    const carol = ec2Client(await createUserWithKey(server, 'carol', ec2Only));
    const before = server.app.ec2.instances.size;
    const error = await expectAwsError(run({ IamInstanceProfile: { Name: 'web' } }, carol), 'UnauthorizedOperation');
    assert.equal(error.$metadata?.httpStatusCode, 403);
    assert.match(error.message, /^You are not authorized to perform this operation\. /);
    assert.match(error.message, /user\/carol is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role\/web/);
    assert.equal(server.app.ec2.instances.size, before);
    const [plain] = await run({}, carol);
    assert.equal(plain!.IamInstanceProfile, undefined, 'without a profile no role is passed');
    await expectAwsError(carol.send(new AssociateIamInstanceProfileCommand({ InstanceId: plain!.InstanceId!, IamInstanceProfile: { Name: 'web' } })), 'UnauthorizedOperation');
  });

  it('allows it with iam:PassRole on the role for ec2.amazonaws.com, and only that role', async () => {
    const dave = ec2Client(await createUserWithKey(server, 'dave', { ec2: ec2Only, pass: passRole }));
    const [instance] = await run({ IamInstanceProfile: { Name: 'web' } }, dave);
    assert.equal(instance!.IamInstanceProfile!.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/web`);
    const other = await expectAwsError(run({ IamInstanceProfile: { Name: 'worker' } }, dave), 'UnauthorizedOperation');
    assert.match(other.message, /iam:PassRole on resource: arn:aws:iam::000000000000:role\/worker/);
    const associationId = record(instance!.InstanceId!).profileAssociation!.associationId;
    await expectAwsError(dave.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: associationId, IamInstanceProfile: { Name: 'worker' } })), 'UnauthorizedOperation');
  });

  it('authorizes ec2:RunInstances on the instance with ec2:InstanceType, and on the subnet with ec2:Vpc', async () => {
    const smallOnly = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:*:*:instance/*', Condition: { StringEquals: { 'ec2:InstanceType': 't3.micro' } } },
        { Effect: 'Allow', Action: 'ec2:RunInstances', NotResource: 'arn:aws:ec2:*:*:instance/*' },
      ],
    });
    const erin = ec2Client(await createUserWithKey(server, 'erin', smallOnly));
    await run({ InstanceType: 't3.micro' }, erin);
    const denied = await expectAwsError(run({ InstanceType: 'm5.large' }, erin), 'UnauthorizedOperation');
    assert.match(denied.message, /ec2:RunInstances on resource: arn:aws:ec2:us-east-1:000000000000:instance\/i-[0-9a-f]{17}/);
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }))).Vpc!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: '10.30.1.0/24' }))).Subnet!;
    const defaultVpcOnly = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' },
        { Effect: 'Deny', Action: 'ec2:RunInstances', Resource: 'arn:aws:ec2:*:*:subnet/*', Condition: { StringEquals: { 'ec2:Vpc': `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${vpc.VpcId}` } } },
      ],
    });
    const frank = ec2Client(await createUserWithKey(server, 'frank', defaultVpcOnly));
    await run({}, frank);
    const outside = await expectAwsError(run({ SubnetId: subnet.SubnetId! }, frank), 'UnauthorizedOperation');
    assert.match(outside.message, new RegExp(`subnet/${subnet.SubnetId}`));
  });

  it('needs ec2:CreateTags with ec2:CreateAction RunInstances to tag at launch', async () => {
    const gina = ec2Client(await createUserWithKey(server, 'gina', allow('ec2:RunInstances')));
    const tags = [{ ResourceType: 'instance' as const, Tags: [{ Key: 'team', Value: 'blue' }] }];
    const denied = await expectAwsError(run({ TagSpecifications: tags }, gina), 'UnauthorizedOperation');
    assert.match(denied.message, /ec2:CreateTags/);
    const tagOnCreate = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' },
        { Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*', Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } } },
      ],
    });
    const hank = ec2Client(await createUserWithKey(server, 'hank', tagOnCreate));
    const [tagged] = await run({ TagSpecifications: tags }, hank);
    assert.deepEqual(tagged!.Tags, [{ Key: 'team', Value: 'blue' }]);
    await expectAwsError(hank.send(new CreateTagsCommand({ Resources: [tagged!.InstanceId!], Tags: [{ Key: 'x', Value: 'y' }] })), 'UnauthorizedOperation');
  });
});

describe('the lifecycle', () => {
  it('stops, starts, reboots and terminates with AWS transitions and codes', async () => {
    const [launched] = await run({ IamInstanceProfile: { Name: 'web' } });
    const id = launched!.InstanceId!;
    await settled(id);
    server.app.ec2.transitionDelayMs = 150;
    try {
      const stopping = (await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))).StoppingInstances![0]!;
      assert.deepEqual(stopping.CurrentState, { Code: 64, Name: 'stopping' });
      assert.deepEqual(stopping.PreviousState, { Code: 16, Name: 'running' });
      assert.equal((await describe1(id)).State!.Name, 'stopping');
      const stopped = await settled(id);
      assert.deepEqual(stopped.State, { Code: 80, Name: 'stopped' });
      assert.match(stopped.StateTransitionReason!, /^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
      assert.equal(stopped.StateReason!.Code, 'Client.UserInitiatedShutdown');
      assert.equal(stopped.PrivateIpAddress, launched!.PrivateIpAddress, 'a stopped instance keeps its address');
      const again = (await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))).StoppingInstances![0]!;
      assert.deepEqual([again.PreviousState!.Name, again.CurrentState!.Name], ['stopped', 'stopped']);

      giveCredential(id);
      const bootsBefore = record(id).bootCount;
      const starting = (await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }))).StartingInstances![0]!;
      assert.deepEqual(starting.CurrentState, { Code: 0, Name: 'pending' });
      assert.deepEqual(starting.PreviousState, { Code: 80, Name: 'stopped' });
      assert.equal(record(id).credential, undefined, 'a stop/start makes the metadata service issue a fresh credential');
      assert.equal(record(id).bootCount, bootsBefore + 1);
      assert.equal((await settled(id)).State!.Name, 'running');

      giveCredential(id);
      assert.deepEqual((await ec2.send(new RebootInstancesCommand({ InstanceIds: [id] }))).$metadata.httpStatusCode, 200);
      assert.notEqual(record(id).credential, undefined, 'a reboot keeps the credential');
      assert.equal((await describe1(id)).State!.Name, 'running');

      const terminating = (await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))).TerminatingInstances![0]!;
      assert.deepEqual(terminating.CurrentState, { Code: 32, Name: 'shutting-down' });
      assert.deepEqual(terminating.PreviousState, { Code: 16, Name: 'running' });
      assert.notEqual(record(id).credential, undefined, 'terminating leaves issued credentials alone');
      assert.deepEqual((await settled(id)).State, { Code: 48, Name: 'terminated' });
    } finally {
      server.app.ec2.transitionDelayMs = 0;
    }
    const start = await expectAwsError(ec2.send(new StartInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState');
    assert.equal(start.message, `The instance '${id}' is not in a state from which it can be started.`);
    await expectAwsError(ec2.send(new StopInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState');
    await expectAwsError(ec2.send(new RebootInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState');
    const twice = (await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))).TerminatingInstances![0]!;
    assert.deepEqual([twice.PreviousState!.Code, twice.CurrentState!.Code], [48, 48]);
    // About an hour after termination EC2 stops showing the instance.
    server.app.ec2.instances.put({ ...record(id), stateTransitionReason: `User initiated (${new Date(Date.now() - 61 * 60 * 1000).toISOString().slice(0, 19).replace('T', ' ')} GMT)` });
    await expectAwsError(ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })), 'InvalidInstanceID.NotFound');
    const listed = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }));
    assert.deepEqual(listed.Reservations, []);
  });

  it('names unknown and malformed instance ids as EC2 does', async () => {
    const one = await expectAwsError(ec2.send(new StopInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })), 'InvalidInstanceID.NotFound');
    assert.equal(one.message, "The instance ID 'i-0123456789abcdef0' does not exist");
    const two = await expectAwsError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'] })), 'InvalidInstanceID.NotFound');
    assert.equal(two.message, "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist");
    const bad = await expectAwsError(ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-123'] })), 'InvalidInstanceID.Malformed');
    assert.equal(bad.message, 'Invalid id: "i-123" (expecting "i-...")');
  });

  it('reports status of running instances, and of all with IncludeAllInstances', async () => {
    const [a, b] = await run({ MinCount: 2, MaxCount: 2 });
    await settled(a!.InstanceId!);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [b!.InstanceId!] }));
    await settled(b!.InstanceId!);
    const ids = [a!.InstanceId!, b!.InstanceId!];
    const running = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ids }));
    assert.deepEqual(running.InstanceStatuses!.map((status) => status.InstanceId), [a!.InstanceId]);
    assert.equal(running.InstanceStatuses![0]!.InstanceStatus!.Status, 'ok');
    assert.equal(running.InstanceStatuses![0]!.SystemStatus!.Details![0]!.Status, 'passed');
    const all = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ids, IncludeAllInstances: true }));
    const stopped = all.InstanceStatuses!.find((status) => status.InstanceId === b!.InstanceId)!;
    assert.deepEqual(stopped.InstanceState, { Code: 80, Name: 'stopped' });
    assert.equal(stopped.InstanceStatus!.Status, 'not-applicable');
  });

  it('completes a transition cut short by a restart when the state is loaded again', async () => {
    const [instance] = await run();
    const id = instance!.InstanceId!;
    server.app.ec2.instances.put({ ...record(id), state: 'stopping' });
    const reloaded = new Ec2State(server.app.store);
    assert.equal(reloaded.instances.get(id)!.state, 'stopped');
    server.app.ec2.instances.put({ ...record(id), state: 'stopped' });
  });
});

describe('DescribeInstances filters and pages', () => {
  let ids: string[] = [];

  before(async () => {
    const instances = await run({
      MinCount: 7, MaxCount: 7, ImageId: AL2023, InstanceType: 'c5.large', IamInstanceProfile: { Name: 'worker' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'batch', Value: 'paging' }, { Key: 'Name', Value: 'pager-node' }] }],
    });
    ids = instances.map((instance) => instance.InstanceId!);
    for (const id of ids) await settled(id);
  });

  const find = async (filters: Array<{ Name: string; Values: string[] }>): Promise<string[]> => {
    const out = await ec2.send(new DescribeInstancesCommand({ Filters: filters }));
    return out.Reservations!.flatMap((reservation) => reservation.Instances!.map((instance) => instance.InstanceId!)).sort();
  };

  it('filters by tag, tag key, state, type, image, profile, VPC, subnet and address, with wildcards', async () => {
    const sorted = [...ids].sort();
    assert.deepEqual(await find([{ Name: 'tag:batch', Values: ['paging'] }]), sorted);
    assert.deepEqual(await find([{ Name: 'tag:Name', Values: ['pager-*'] }]), sorted);
    assert.deepEqual(await find([{ Name: 'tag-key', Values: ['batch'] }, { Name: 'instance-state-name', Values: ['running'] }]), sorted);
    assert.deepEqual(await find([{ Name: 'instance-type', Values: ['c5.large'] }, { Name: 'image-id', Values: [AL2023] }]), sorted);
    assert.deepEqual(await find([{ Name: 'iam-instance-profile.arn', Values: [`arn:aws:iam::${ACCOUNT}:instance-profile/worker`] }, { Name: 'tag:batch', Values: ['paging'] }]), sorted);
    const first = await describe1(ids[0]!);
    assert.deepEqual(await find([{ Name: 'private-ip-address', Values: [first.PrivateIpAddress!] }]), [ids[0]]);
    assert.deepEqual(await find([{ Name: 'vpc-id', Values: [first.VpcId!] }, { Name: 'subnet-id', Values: [first.SubnetId!] }, { Name: 'tag:batch', Values: ['paging'] }]), sorted);
    assert.deepEqual(await find([{ Name: 'tag:batch', Values: ['other'] }]), []);
    assert.deepEqual(await find([{ Name: 'instance-id', Values: [ids[1]!, ids[2]!] }]), [ids[1]!, ids[2]!].sort());
    const bad = await expectAwsError(find([{ Name: 'colour', Values: ['red'] }]), 'InvalidParameterValue');
    assert.equal(bad.message, "The filter 'colour' is invalid");
  });

  it('pages with MaxResults and NextToken, and the SDK paginator walks every page', async () => {
    const filters = [{ Name: 'tag:batch', Values: ['paging'] }];
    const first = await ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 5 }));
    const firstIds = first.Reservations!.flatMap((reservation) => reservation.Instances!.map((instance) => instance.InstanceId!));
    assert.equal(firstIds.length, 5);
    assert.ok(first.NextToken);
    const second = await ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 5, NextToken: first.NextToken }));
    const secondIds = second.Reservations!.flatMap((reservation) => reservation.Instances!.map((instance) => instance.InstanceId!));
    assert.equal(secondIds.length, 2);
    assert.equal(second.NextToken, undefined);
    assert.deepEqual([...firstIds, ...secondIds].sort(), [...ids].sort());
    const seen: string[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, { Filters: filters })) {
      for (const reservation of page.Reservations ?? []) for (const instance of reservation.Instances ?? []) seen.push(instance.InstanceId!);
    }
    assert.deepEqual(seen.sort(), [...ids].sort());
    const small = await expectAwsError(ec2.send(new DescribeInstancesCommand({ MaxResults: 3 })), 'InvalidParameterValue');
    assert.match(small.message, /maxResults is invalid\. Expecting a value greater than 5/);
    const both = await expectAwsError(ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids[0]!], MaxResults: 5 })), 'InvalidParameterCombination');
    assert.equal(both.message, 'The parameter instancesSet cannot be used with the parameter maxResults');
  });
});

describe('instance profile associations', () => {
  it('associates, refuses a second association, replaces (new id, fresh credential) and disassociates', async () => {
    const [instance] = await run();
    const id = instance!.InstanceId!;
    await settled(id);
    const associated = (await ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'web' } }))).IamInstanceProfileAssociation!;
    assert.equal(associated.State, 'associating');
    assert.equal(associated.InstanceId, id);
    assert.match(associated.AssociationId!, /^iip-assoc-[0-9a-f]{17}$/);
    assert.equal(associated.IamInstanceProfile!.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/web`);
    assert.ok(associated.Timestamp instanceof Date);
    const second = await expectAwsError(ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'worker' } })), 'IncorrectState');
    assert.equal(second.message, `There is an existing association for instance ${id}`);

    const listed = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }));
    assert.equal(listed.IamInstanceProfileAssociations!.length, 1);
    assert.equal(listed.IamInstanceProfileAssociations![0]!.State, 'associated');
    const byId = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ AssociationIds: [associated.AssociationId!] }));
    assert.equal(byId.IamInstanceProfileAssociations![0]!.InstanceId, id);

    giveCredential(id);
    const generation = record(id).profileAssociation!.generation;
    const replaced = (await ec2.send(new ReplaceIamInstanceProfileAssociationCommand({
      AssociationId: associated.AssociationId!, IamInstanceProfile: { Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/worker` },
    }))).IamInstanceProfileAssociation!;
    assert.equal(replaced.State, 'associating');
    assert.notEqual(replaced.AssociationId, associated.AssociationId);
    assert.equal(replaced.IamInstanceProfile!.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/worker`);
    assert.equal(record(id).credential, undefined);
    assert.equal(record(id).profileAssociation!.generation, generation + 1);
    assert.equal((await describe1(id)).IamInstanceProfile!.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/worker`);
    await expectAwsError(ec2.send(new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: associated.AssociationId!, IamInstanceProfile: { Name: 'web' } })), 'InvalidAssociationID.NotFound');

    giveCredential(id);
    const gone = (await ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: replaced.AssociationId! }))).IamInstanceProfileAssociation!;
    assert.equal(gone.State, 'disassociating');
    assert.equal(record(id).credential, undefined);
    assert.equal((await describe1(id)).IamInstanceProfile, undefined);
    const none = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [id] }] }));
    assert.deepEqual(none.IamInstanceProfileAssociations, []);
    await expectAwsError(ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: replaced.AssociationId! })), 'InvalidAssociationID.NotFound');
    await expectAwsError(ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: id, IamInstanceProfile: { Name: 'empty' } })), 'InvalidParameterValue');
  });

  it('filters associations by state', async () => {
    const out = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'state', Values: ['associated'] }] }));
    assert.ok(out.IamInstanceProfileAssociations!.length > 0);
    assert.ok(out.IamInstanceProfileAssociations!.every((association) => association.State === 'associated'));
  });
});

describe('ModifyInstanceMetadataOptions', () => {
  it('changes the options (pending in the answer, applied afterwards) and validates them', async () => {
    const [instance] = await run();
    const id = instance!.InstanceId!;
    const out = await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'required', HttpPutResponseHopLimit: 3, InstanceMetadataTags: 'enabled' }));
    assert.equal(out.InstanceId, id);
    assert.equal(out.InstanceMetadataOptions!.State, 'pending');
    assert.equal(out.InstanceMetadataOptions!.HttpTokens, 'required');
    const options = (await describe1(id)).MetadataOptions!;
    assert.deepEqual([options.State, options.HttpTokens, options.HttpPutResponseHopLimit, options.HttpEndpoint, options.InstanceMetadataTags], ['applied', 'required', 3, 'enabled', 'enabled']);
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpEndpoint: 'disabled' }));
    assert.equal(record(id).metadataOptions.httpEndpoint, 'disabled');
    assert.equal(record(id).metadataOptions.httpTokens, 'required', 'options not named are kept');
    await expectAwsError(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpPutResponseHopLimit: 65 })), 'InvalidParameterValue');
    await expectAwsError(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'sometimes' as 'required' })), 'InvalidParameterValue');
    await expectAwsError(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: 'i-0123456789abcdef0', HttpTokens: 'required' })), 'InvalidInstanceID.NotFound');
  });
});

describe('DryRun', () => {
  it('answers DryRunOperation (412) when allowed and UnauthorizedOperation (403) when not, changing nothing', async () => {
    const count = server.app.ec2.instances.size;
    const allowed = await expectAwsError(run({ DryRun: true, IamInstanceProfile: { Name: 'web' } }), 'DryRunOperation');
    assert.equal(allowed.$metadata?.httpStatusCode, 412);
    assert.equal(allowed.message, 'Request would have succeeded, but DryRun flag is set.');
    assert.equal(server.app.ec2.instances.size, count);
    const ivan = ec2Client(await createUserWithKey(server, 'ivan', allow('ec2:DescribeInstances')));
    const denied = await expectAwsError(run({ DryRun: true }, ivan), 'UnauthorizedOperation');
    assert.equal(denied.$metadata?.httpStatusCode, 403);
    await expectAwsError(ivan.send(new DescribeInstancesCommand({ DryRun: true })), 'DryRunOperation');
    const [instance] = await run();
    await expectAwsError(ec2.send(new StopInstancesCommand({ InstanceIds: [instance!.InstanceId!], DryRun: true })), 'DryRunOperation');
    assert.notEqual(record(instance!.InstanceId!).state, 'stopping');
    await expectAwsError(ivan.send(new TerminateInstancesCommand({ InstanceIds: [instance!.InstanceId!], DryRun: true })), 'UnauthorizedOperation');
    await expectAwsError(ec2.send(new CreateTagsCommand({ Resources: [instance!.InstanceId!], Tags: [{ Key: 'a', Value: 'b' }], DryRun: true })), 'DryRunOperation');
    assert.deepEqual(record(instance!.InstanceId!).tags, []);
  });
});

describe('tags and tag conditions', () => {
  it('creates, describes and deletes tags on instances and VPCs', async () => {
    const [instance] = await run();
    const id = instance!.InstanceId!;
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }))).Vpc!;
    await ec2.send(new CreateTagsCommand({ Resources: [id, vpc.VpcId!], Tags: [{ Key: 'team', Value: 'blue' }, { Key: 'env', Value: 'dev' }] }));
    const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id, vpc.VpcId!] }] }));
    assert.deepEqual(
      tags.Tags!.map((tag) => [tag.ResourceId, tag.ResourceType, tag.Key, tag.Value]).sort(),
      [[id, 'instance', 'env', 'dev'], [id, 'instance', 'team', 'blue'], [vpc.VpcId, 'vpc', 'env', 'dev'], [vpc.VpcId, 'vpc', 'team', 'blue']].sort(),
    );
    await ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'team', Value: 'red' }] }));
    assert.equal(record(id).tags.length, 2, 'a value that does not match deletes nothing');
    await ec2.send(new DeleteTagsCommand({ Resources: [id], Tags: [{ Key: 'team' }] }));
    assert.deepEqual(record(id).tags, [{ Key: 'env', Value: 'dev' }]);
    const keyFilter = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['team'] }, { Name: 'resource-type', Values: ['vpc'] }] }));
    assert.ok(keyFilter.Tags!.some((tag) => tag.ResourceId === vpc.VpcId));
    await expectAwsError(ec2.send(new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidInstanceID.NotFound');
    await expectAwsError(ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'aws:reserved', Value: 'b' }] })), 'InvalidParameterValue');
    await expectAwsError(ec2.send(new CreateTagsCommand({ Resources: ['thing-1'], Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidID');
  });

  it('authorizes actions on instances with ec2:ResourceTag', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ec2:StopInstances', 'ec2:StartInstances'], Resource: '*', Condition: { StringEquals: { 'ec2:ResourceTag/team': 'blue' } } }],
    });
    const judy = ec2Client(await createUserWithKey(server, 'judy', policy));
    const [blue, red] = await run({ MinCount: 2, MaxCount: 2 });
    await ec2.send(new CreateTagsCommand({ Resources: [blue!.InstanceId!], Tags: [{ Key: 'team', Value: 'blue' }] }));
    await ec2.send(new CreateTagsCommand({ Resources: [red!.InstanceId!], Tags: [{ Key: 'team', Value: 'red' }] }));
    await settled(blue!.InstanceId!);
    await settled(red!.InstanceId!);
    await judy.send(new StopInstancesCommand({ InstanceIds: [blue!.InstanceId!] }));
    await expectAwsError(judy.send(new StopInstancesCommand({ InstanceIds: [red!.InstanceId!] })), 'UnauthorizedOperation');
    await expectAwsError(judy.send(new StopInstancesCommand({ InstanceIds: [blue!.InstanceId!, red!.InstanceId!] })), 'UnauthorizedOperation');
  });
});

describe('images', () => {
  it('describes the catalog by owner and name, with the ids the public SSM parameters name', async () => {
    const al2023 = await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] }));
    assert.deepEqual(al2023.Images!.map((image) => image.ImageId), [AL2023]);
    const image = al2023.Images![0]!;
    assert.equal(image.OwnerId, '137112412989');
    assert.equal(image.ImageOwnerAlias, 'amazon');
    assert.equal(image.Public, true);
    assert.equal(image.ImdsSupport, 'v2.0');
    assert.equal(image.State, 'available');
    assert.equal(publicAmiParameter('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', 'us-east-1'), AL2023);
    assert.equal(publicAmiParameter('/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2', 'us-east-1'), AL2);
    assert.match(publicAmiParameter('/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2', 'eu-west-1')!, /^ami-[0-9a-f]{17}$/);
    assert.equal(publicAmiParameter('/aws/service/nothing', 'us-east-1'), undefined);
    const byId = await ec2.send(new DescribeImagesCommand({ ImageIds: [AL2] }));
    assert.equal(byId.Images![0]!.Name, 'amzn2-ami-hvm-2.0.20240131.0-x86_64-gp2');
    const ubuntu = await ec2.send(new DescribeImagesCommand({ Owners: ['099720109477'] }));
    assert.equal(ubuntu.Images!.length, 2);
    const windows = await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'platform', Values: ['windows'] }] }));
    assert.equal(windows.Images![0]!.PlatformDetails, 'Windows');
    assert.deepEqual((await ec2.send(new DescribeImagesCommand({ Owners: ['self'] }))).Images, []);
    await expectAwsError(ec2.send(new DescribeImagesCommand({ ImageIds: ['ami-0000000000000000a'] })), 'InvalidAMIID.NotFound');
  });
});

describe('private addresses', () => {
  it('never gives two live instances the same last three octets, even in VPCs with the same CIDR', async () => {
    const subnets: string[] = [];
    for (let i = 0; i < 2; i++) {
      const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.99.0.0/16' }))).Vpc!;
      subnets.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpc.VpcId!, CidrBlock: '10.99.1.0/28' }))).Subnet!.SubnetId!);
    }
    const [a] = await run({ SubnetId: subnets[0]! });
    const [b] = await run({ SubnetId: subnets[1]! });
    assert.equal(a!.PrivateIpAddress, '10.99.1.4');
    assert.equal(b!.PrivateIpAddress, '10.99.1.5', '10.99.1.4 would share the loopback address 127.99.1.4');
    const taken = await expectAwsError(run({ SubnetId: subnets[1]!, PrivateIpAddress: '10.99.1.4' }), 'InvalidIPAddress.InUse');
    assert.match(taken.message, /10\.99\.1\.4/);
    await expectAwsError(run({ SubnetId: subnets[1]!, PrivateIpAddress: '10.99.1.2' }), 'InvalidParameterValue');
    const [chosen] = await run({ SubnetId: subnets[1]!, PrivateIpAddress: '10.99.1.9' });
    assert.equal(chosen!.PrivateIpAddress, '10.99.1.9');
    // A /28 has 11 usable addresses; two are used in this subnet, and the other subnet's .4 is off limits.
    const rest = await run({ SubnetId: subnets[1]!, MinCount: 1, MaxCount: 20 });
    assert.equal(rest.length, 8);
    await expectAwsError(run({ SubnetId: subnets[1]! }), 'InsufficientFreeAddressesInSubnet');
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [a!.InstanceId!] }));
    await settled(a!.InstanceId!);
    const [reused] = await run({ SubnetId: subnets[1]! });
    assert.equal(reused!.PrivateIpAddress, '10.99.1.4', 'a terminated instance releases its address');
  });

  it('draws ids from the injected random source', async () => {
    const saved = server.app.ec2.ids;
    let counter = 0;
    server.app.ec2.ids = new Ec2Ids((size) => Buffer.alloc(size, counter++));
    try {
      const [instance] = await run();
      assert.equal(instance!.InstanceId, 'i-00000000000000000');
      assert.match(instance!.NetworkInterfaces![0]!.NetworkInterfaceId!, /^eni-(0[1-9a-f]|[1-9a-f][0-9a-f])+/);
    } finally {
      server.app.ec2.ids = saved;
    }
  });
});
