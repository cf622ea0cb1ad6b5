/**
 * EC2 with AWS's CLI v2 (/usr/bin/aws) and boto3: launching with an instance profile, the CLI's
 * waiters, state transitions, iam:PassRole refused and allowed, DryRun, filters and pages the CLI
 * follows by itself, associations, metadata options and the default network.
 * Skipped locally when the clients are missing; required in CI (IAMD_REQUIRE_REAL_CLIENTS=1).
 */
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allow, createUserWithKey } from './helpers/iam.js';
import { aws, awsJson, boto3, realClient } from './helpers/real-clients.js';
import { iamClient, startTestServer, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
const AL2 = 'ami-03c951bbe993ea087';
const ec2Trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

interface State { Code: number; Name: string }
interface InstanceOut {
  InstanceId: string;
  State: State;
  PrivateIpAddress: string;
  SubnetId: string;
  VpcId: string;
  IamInstanceProfile?: { Arn: string; Id: string };
  MetadataOptions: { HttpTokens: string; HttpPutResponseHopLimit: number };
  Tags?: Array<{ Key: string; Value: string }>;
}
interface ReservationsOut { Reservations: Array<{ Instances: InstanceOut[] }> }
interface StateChangeOut { InstanceId: string; CurrentState: State; PreviousState: State }

let server: TestServer;

before(async () => {
  server = await startTestServer();
  const iam = iamClient(server);
  for (const name of ['web', 'worker']) {
    await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: ec2Trust }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: name }));
  }
  iam.destroy();
});
after(() => server.close());

const instancesOf = (out: ReservationsOut): InstanceOut[] => out.Reservations.flatMap((reservation) => reservation.Instances);

describe('AWS CLI v2: EC2', realClient('aws-cli'), () => {
  let instanceId: string;

  it('has the default VPC with a default subnet per zone', async () => {
    const vpcs = await awsJson<{ Vpcs: Array<{ VpcId: string; CidrBlock: string }> }>(server, server.root, ['ec2', 'describe-vpcs', '--filters', 'Name=is-default,Values=true']);
    assert.deepEqual(vpcs.Vpcs.map((vpc) => vpc.CidrBlock), ['172.31.0.0/16']);
    const subnets = await awsJson<{ Subnets: Array<{ DefaultForAz: boolean; CidrBlock: string }> }>(server, server.root, ['ec2', 'describe-subnets', '--filters', `Name=vpc-id,Values=${vpcs.Vpcs[0]!.VpcId}`]);
    assert.equal(subnets.Subnets.length, 6);
    assert.ok(subnets.Subnets.every((subnet) => subnet.DefaultForAz && subnet.CidrBlock.endsWith('/20')));
  });

  it('runs an instance with an instance profile; the waiter sees it running with its profile and an address of its subnet', async () => {
    const run = await awsJson<{ Instances: InstanceOut[] }>(server, server.root, [
      'ec2', 'run-instances', '--image-id', AL2, '--instance-type', 't3.micro', '--count', '1', '--iam-instance-profile', 'Name=web',
      '--user-data', 'hello from the cli', '--tag-specifications', 'ResourceType=instance,Tags=[{Key=Name,Value=cli}]',
    ]);
    instanceId = run.Instances[0]!.InstanceId;
    assert.deepEqual(run.Instances[0]!.State, { Code: 0, Name: 'pending' });
    const waited = await aws(server, server.root, ['ec2', 'wait', 'instance-running', '--instance-ids', instanceId]);
    assert.equal(waited.status, 0, waited.stderr);
    const instance = instancesOf(await awsJson<ReservationsOut>(server, server.root, ['ec2', 'describe-instances', '--instance-ids', instanceId]))[0]!;
    assert.deepEqual(instance.State, { Code: 16, Name: 'running' });
    assert.equal(instance.IamInstanceProfile!.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/web`);
    const subnet = await awsJson<{ Subnets: Array<{ CidrBlock: string }> }>(server, server.root, ['ec2', 'describe-subnets', '--subnet-ids', instance.SubnetId]);
    const [base] = subnet.Subnets[0]!.CidrBlock.split('/');
    assert.equal(instance.PrivateIpAddress.split('.').slice(0, 2).join('.'), base!.split('.').slice(0, 2).join('.'));
    assert.deepEqual(instance.Tags, [{ Key: 'Name', Value: 'cli' }]);
    assert.equal(Buffer.from(server.app.ec2.instances.get(instanceId)!.userData!, 'base64').toString(), 'hello from the cli');
  });

  it('stops, starts and terminates with AWS codes, and the waiters follow', async () => {
    const stop = await awsJson<{ StoppingInstances: StateChangeOut[] }>(server, server.root, ['ec2', 'stop-instances', '--instance-ids', instanceId]);
    assert.deepEqual([stop.StoppingInstances[0]!.PreviousState.Code, stop.StoppingInstances[0]!.CurrentState.Code], [16, 64]);
    assert.equal((await aws(server, server.root, ['ec2', 'wait', 'instance-stopped', '--instance-ids', instanceId])).status, 0);
    const start = await awsJson<{ StartingInstances: StateChangeOut[] }>(server, server.root, ['ec2', 'start-instances', '--instance-ids', instanceId]);
    assert.deepEqual([start.StartingInstances[0]!.PreviousState.Name, start.StartingInstances[0]!.CurrentState.Name], ['stopped', 'pending']);
    assert.equal((await aws(server, server.root, ['ec2', 'wait', 'instance-running', '--instance-ids', instanceId])).status, 0);
    const status = await awsJson<{ InstanceStatuses: Array<{ InstanceStatus: { Status: string } }> }>(server, server.root, ['ec2', 'describe-instance-status', '--instance-ids', instanceId]);
    assert.equal(status.InstanceStatuses[0]!.InstanceStatus.Status, 'ok');
  });

  it('replaces the association and changes the metadata options', async () => {
    const associations = await awsJson<{ IamInstanceProfileAssociations: Array<{ AssociationId: string; State: string }> }>(server, server.root, [
      'ec2', 'describe-iam-instance-profile-associations', '--filters', `Name=instance-id,Values=${instanceId}`,
    ]);
    assert.equal(associations.IamInstanceProfileAssociations[0]!.State, 'associated');
    const replaced = await awsJson<{ IamInstanceProfileAssociation: { AssociationId: string; State: string; IamInstanceProfile: { Arn: string } } }>(server, server.root, [
      'ec2', 'replace-iam-instance-profile-association', '--association-id', associations.IamInstanceProfileAssociations[0]!.AssociationId,
      '--iam-instance-profile', 'Name=worker',
    ]);
    assert.equal(replaced.IamInstanceProfileAssociation.State, 'associating');
    assert.equal(replaced.IamInstanceProfileAssociation.IamInstanceProfile.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/worker`);
    assert.notEqual(replaced.IamInstanceProfileAssociation.AssociationId, associations.IamInstanceProfileAssociations[0]!.AssociationId);
    const modified = await awsJson<{ InstanceMetadataOptions: { State: string; HttpTokens: string; HttpPutResponseHopLimit: number } }>(server, server.root, [
      'ec2', 'modify-instance-metadata-options', '--instance-id', instanceId, '--http-tokens', 'required', '--http-put-response-hop-limit', '2',
    ]);
    assert.deepEqual([modified.InstanceMetadataOptions.State, modified.InstanceMetadataOptions.HttpTokens, modified.InstanceMetadataOptions.HttpPutResponseHopLimit], ['pending', 'required', 2]);
    const instance = instancesOf(await awsJson<ReservationsOut>(server, server.root, ['ec2', 'describe-instances', '--instance-ids', instanceId]))[0]!;
    assert.equal(instance.MetadataOptions.HttpTokens, 'required');
    assert.equal(instance.IamInstanceProfile!.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/worker`);
  });

  it('follows NextToken by itself with --page-size, and filters by tag', async () => {
    await awsJson(server, server.root, [
      'ec2', 'run-instances', '--image-id', AL2, '--instance-type', 't3.micro', '--count', '7',
      '--tag-specifications', 'ResourceType=instance,Tags=[{Key=batch,Value=cli-pages}]',
    ]);
    const all = await awsJson<ReservationsOut>(server, server.root, ['ec2', 'describe-instances', '--filters', 'Name=tag:batch,Values=cli-pages', '--page-size', '5']);
    assert.equal(instancesOf(all).length, 7);
    const running = await awsJson<ReservationsOut>(server, server.root, [
      'ec2', 'describe-instances', '--filters', 'Name=tag:batch,Values=cli-*', 'Name=instance-state-name,Values=running', '--page-size', '5',
    ]);
    assert.equal(instancesOf(running).length, 7);
  });

  it('terminates, and cannot start a terminated instance', async () => {
    const terminate = await awsJson<{ TerminatingInstances: StateChangeOut[] }>(server, server.root, ['ec2', 'terminate-instances', '--instance-ids', instanceId]);
    assert.deepEqual(terminate.TerminatingInstances[0]!.CurrentState, { Code: 32, Name: 'shutting-down' });
    assert.equal((await aws(server, server.root, ['ec2', 'wait', 'instance-terminated', '--instance-ids', instanceId])).status, 0);
    const start = await aws(server, server.root, ['ec2', 'start-instances', '--instance-ids', instanceId]);
    assert.notEqual(start.status, 0);
    assert.match(start.stderr, /IncorrectInstanceState/);
    const missing = await aws(server, server.root, ['ec2', 'describe-instances', '--instance-ids', 'i-0123456789abcdef0']);
    assert.match(missing.stderr, /InvalidInstanceID\.NotFound.*The instance ID 'i-0123456789abcdef0' does not exist/);
  });

  it('refuses a user without iam:PassRole (UnauthorizedOperation) and allows one with it', async () => {
    const runArgs = ['ec2', 'run-instances', '--image-id', AL2, '--instance-type', 't3.micro', '--count', '1', '--iam-instance-profile', 'Name=web'];
    const kim = await createUserWithKey(server, 'kim', allow(['ec2:RunInstances']));
    const denied = await aws(server, kim, runArgs);
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /UnauthorizedOperation/);
    assert.match(denied.stderr, /user\/kim is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role\/web/);
    const lee = await createUserWithKey(server, 'lee', { ec2: allow(['ec2:RunInstances']), pass: allow('iam:PassRole', `arn:aws:iam::${ACCOUNT}:role/web`) });
    const allowed = await awsJson<{ Instances: InstanceOut[] }>(server, lee, runArgs);
    assert.equal(allowed.Instances[0]!.IamInstanceProfile!.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/web`);
  });

  it('answers --dry-run with DryRunOperation when allowed and UnauthorizedOperation when not', async () => {
    const dry = await aws(server, server.root, ['ec2', 'run-instances', '--image-id', AL2, '--instance-type', 't3.micro', '--count', '1', '--dry-run']);
    assert.notEqual(dry.status, 0);
    assert.match(dry.stderr, /DryRunOperation.*Request would have succeeded, but DryRun flag is set\./);
    const mia = await createUserWithKey(server, 'mia', allow('ec2:DescribeInstances'));
    const refused = await aws(server, mia, ['ec2', 'stop-instances', '--instance-ids', instanceId, '--dry-run']);
    assert.match(refused.stderr, /UnauthorizedOperation/);
    const permitted = await aws(server, server.root, ['ec2', 'describe-instances', '--dry-run']);
    assert.match(permitted.stderr, /DryRunOperation/);
  });

  it('answers network errors with their codes', async () => {
    const vpc = await awsJson<{ Vpc: { VpcId: string } }>(server, server.root, ['ec2', 'create-vpc', '--cidr-block', '10.0.0.0/16']);
    await awsJson(server, server.root, ['ec2', 'create-subnet', '--vpc-id', vpc.Vpc.VpcId, '--cidr-block', '10.0.1.0/24']);
    const conflict = await aws(server, server.root, ['ec2', 'create-subnet', '--vpc-id', vpc.Vpc.VpcId, '--cidr-block', '10.0.1.0/25']);
    assert.match(conflict.stderr, /InvalidSubnet\.Conflict/);
    const range = await aws(server, server.root, ['ec2', 'create-subnet', '--vpc-id', vpc.Vpc.VpcId, '--cidr-block', '10.9.0.0/24']);
    assert.match(range.stderr, /InvalidSubnet\.Range/);
    const dependent = await aws(server, server.root, ['ec2', 'delete-vpc', '--vpc-id', vpc.Vpc.VpcId]);
    assert.match(dependent.stderr, /DependencyViolation/);
    const group = await aws(server, server.root, ['ec2', 'describe-security-groups', '--group-ids', 'sg-0123456789abcdef0']);
    assert.match(group.stderr, /InvalidGroup\.NotFound/);
  });
});

describe('boto3: EC2', realClient('boto3'), () => {
  it('runs an instance with a profile, waits for it, and answers DryRun', async () => {
    const script = `
ec2 = boto3.client('ec2', endpoint_url=ENDPOINT, region_name='us-east-1')
out = ec2.run_instances(ImageId='${AL2}', InstanceType='t3.micro', MinCount=1, MaxCount=1, IamInstanceProfile={'Name': 'web'})
instance_id = out['Instances'][0]['InstanceId']
ec2.get_waiter('instance_running').wait(InstanceIds=[instance_id], WaiterConfig={'Delay': 1, 'MaxAttempts': 5})
described = ec2.describe_instances(InstanceIds=[instance_id])['Reservations'][0]['Instances'][0]
try:
    ec2.stop_instances(InstanceIds=[instance_id], DryRun=True)
    dry = 'none'
except botocore.exceptions.ClientError as error:
    dry = error.response['Error']['Code']
print(json.dumps({'state': described['State'], 'profile': described['IamInstanceProfile']['Arn'], 'ip': described['PrivateIpAddress'], 'dry': dry}))
`;
    const result = await boto3(server, server.root, script);
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { state: State; profile: string; ip: string; dry: string };
    assert.deepEqual(out.state, { Code: 16, Name: 'running' });
    assert.equal(out.profile, `arn:aws:iam::${ACCOUNT}:instance-profile/web`);
    assert.match(out.ip, /^172\.31\./);
    assert.equal(out.dry, 'DryRunOperation');
  });
});
