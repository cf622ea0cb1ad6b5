/**
 * The metadata service following the EC2 API: an instance launched with RunInstances gets its
 * address and its role's credentials; ModifyInstanceMetadataOptions applies at once; a reboot keeps
 * the credential, a stop/start and a new profile association replace it; a stopped or terminated
 * instance's address refuses connections; credentials already issued outlive the instance (as on AWS).
 */
import {
  DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand, DisassociateIamInstanceProfileCommand, EC2Client, ModifyInstanceMetadataOptionsCommand, RebootInstancesCommand,
  ReplaceIamInstanceProfileAssociationCommand, RunInstancesCommand, StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand,
  type InstanceStateName,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loopbackAddress } from '../src/network/addresses.js';
import {
  createInstanceRole, credentialsOf, endpointsOf, fetchCredentials, imdsGet, imdsToken, refused, type CredentialDocument, type Endpoints,
} from './helpers/imds.js';
import { startTestServer, stsClient, type Credentials, type TestServer } from './helpers/server.js';

const AMAZON_LINUX_2 = 'ami-03c951bbe993ea087';

describe('the metadata service of instances launched through the EC2 API', () => {
  let server: TestServer;
  let ec2: EC2Client;

  before(async () => {
    server = await startTestServer();
    ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, maxAttempts: 1 });
    await createInstanceRole(server, 'first-role');
    await createInstanceRole(server, 'second-role');
  });
  after(async () => {
    ec2.destroy();
    await server.close();
  });

  async function waitFor(instanceId: string, wanted: InstanceStateName): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const state = answer.Reservations?.[0]?.Instances?.[0]?.State?.Name;
      if (state === wanted) break;
      if (Date.now() > deadline) assert.fail(`${instanceId} stayed ${state}, expected ${wanted}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await server.instances.settled();
  }

  async function callerArn(credentials: Credentials): Promise<string> {
    const sts = stsClient(server, credentials);
    try {
      return (await sts.send(new GetCallerIdentityCommand({}))).Arn!;
    } finally {
      sts.destroy();
    }
  }

  it('follows the instance from launch to termination', async () => {
    const run = await ec2.send(new RunInstancesCommand({
      ImageId: AMAZON_LINUX_2, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: 'first-role' },
      MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
    }));
    const launched = run.Instances![0]!;
    const instanceId = launched.InstanceId!;
    await waitFor(instanceId, 'running');
    const endpoints: Endpoints = endpointsOf(server, instanceId);
    assert.equal(new URL(endpoints.imdsUrl).hostname, loopbackAddress(launched.PrivateIpAddress!));
    assert.equal((await imdsGet(endpoints.imdsUrl, '/latest/meta-data/local-ipv4')).body, launched.PrivateIpAddress);
    assert.equal((await imdsGet(endpoints.imdsUrl, '/latest/meta-data/placement/availability-zone')).body, launched.Placement!.AvailabilityZone);

    const first = await fetchCredentials(endpoints.imdsUrl);
    assert.equal(await callerArn(credentialsOf(first)), `arn:aws:sts::000000000000:assumed-role/first-role/${instanceId}`);

    // IMDSv2 required from now on: tokenless requests are refused at once.
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: instanceId, HttpTokens: 'required' }));
    assert.equal((await imdsGet(endpoints.imdsUrl, '/latest/meta-data/iam/security-credentials/')).status, 401);

    // A reboot keeps the credential.
    await ec2.send(new RebootInstancesCommand({ InstanceIds: [instanceId] }));
    assert.equal((await fetchCredentials(endpoints.imdsUrl)).AccessKeyId, first.AccessKeyId);

    // Stopped: nothing answers. Started again: a new credential; the old one still works.
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    await waitFor(instanceId, 'stopped');
    assert.ok(await refused(endpoints.imdsUrl));
    assert.ok(await refused(endpoints.apiUrl));
    await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    await waitFor(instanceId, 'running');
    const afterRestart = await fetchCredentials(endpoints.imdsUrl);
    assert.notEqual(afterRestart.AccessKeyId, first.AccessKeyId);
    assert.equal(await callerArn(credentialsOf(first)), `arn:aws:sts::000000000000:assumed-role/first-role/${instanceId}`);

    // Another instance profile: its role's credentials, at once.
    const replaced = await ec2.send(new ReplaceIamInstanceProfileAssociationCommand({
      AssociationId: await associationOf(instanceId), IamInstanceProfile: { Name: 'second-role' },
    }));
    assert.ok(replaced.IamInstanceProfileAssociation?.AssociationId);
    const swapped: CredentialDocument = await fetchCredentials(endpoints.imdsUrl);
    assert.equal(await callerArn(credentialsOf(swapped)), `arn:aws:sts::000000000000:assumed-role/second-role/${instanceId}`);

    // No profile: no iam/ tree.
    await ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: replaced.IamInstanceProfileAssociation!.AssociationId! }));
    assert.equal((await imdsGet(endpoints.imdsUrl, '/latest/meta-data/iam/', await imdsToken(endpoints.imdsUrl))).status, 404);

    // Terminated: nothing answers; the credentials issued still work until they expire, as on AWS.
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    await waitFor(instanceId, 'terminated');
    assert.ok(await refused(endpoints.imdsUrl));
    assert.equal(await callerArn(credentialsOf(swapped)), `arn:aws:sts::000000000000:assumed-role/second-role/${instanceId}`);
  });

  /** The instance's current association id, as DescribeIamInstanceProfileAssociations reports it. */
  async function associationOf(instanceId: string): Promise<string> {
    const answer = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }));
    return answer.IamInstanceProfileAssociations![0]!.AssociationId!;
  }
});
