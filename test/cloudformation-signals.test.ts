/**
 * CreationPolicy ResourceSignal. No operating system runs cfn-signal in iamd, so two ways lead to
 * a signal: SignalResource (what cfn-signal calls; here `aws cloudformation signal-resource` and
 * the JS SDK) with iamd's instance signalling turned off, and, by default, iamd signalling an
 * instance itself once it is running. Also: signals counted by UniqueId, a FAILURE signal and a
 * timeout failing the resource, signals refused once the stack is done, no update while the
 * stack is being created, and a DeleteStack that ends a wait.
 */
import {
  CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, SignalResourceCommand, UpdateStackCommand, type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cloudformationClient, createStack, resourceHistory, settledStack, stackEvents } from './helpers/cloudformation.js';
import { aws, realClient } from './helpers/real-clients.js';
import { expectAwsError, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let cfn: CloudFormationClient;

before(async () => {
  server = await startTestServer();
  cfn = cloudformationClient(server);
});

after(async () => {
  cfn?.destroy();
  await server?.close();
});

const TEMPLATE = (count: number, timeout: string) => `Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.95.0.0/16}
  Server:
    Type: AWS::EC2::Instance
    CreationPolicy:
      ResourceSignal: {Count: ${count}, Timeout: ${timeout}}
    Properties:
      ImageId: ami-03c951bbe993ea087
      InstanceType: t3.micro
Outputs:
  InstanceId: {Value: !Ref Server}
`;

/** Starts a stack and waits until its instance is running and waiting for signals; the instance id. */
async function startWaiting(stackName: string, count = 1, timeout = 'PT5M'): Promise<string> {
  await cfn.send(new CreateStackCommand({ StackName: stackName, TemplateBody: TEMPLATE(count, timeout) }));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = await stackEvents(cfn, stackName);
    const initiated = events.find((event) => event.LogicalResourceId === 'Server' && event.ResourceStatusReason === 'Resource creation Initiated');
    if (initiated) return initiated.PhysicalResourceId!;
    if (Date.now() > deadline) assert.fail(`${stackName}: the instance was not created`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function status(stackName: string): Promise<string> {
  return (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0]!.StackStatus!;
}

describe('with iamd\'s instance signalling off, SignalResource', () => {
  before(() => {
    server.app.cloudformation.settings.signalInstancesWhenRunning = false;
  });

  it('the stack waits until `aws cloudformation signal-resource` sends SUCCESS', realClient('aws-cli'), async () => {
    const instanceId = await startWaiting('signalled');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await status('signalled'), 'CREATE_IN_PROGRESS');
    const stackId = (await cfn.send(new DescribeStacksCommand({ StackName: 'signalled' }))).Stacks![0]!.StackId!;
    const refused = await expectAwsError(cfn.send(new UpdateStackCommand({ StackName: 'signalled', UsePreviousTemplate: true })), 'ValidationError');
    assert.equal(refused.message, `Stack:${stackId} is in CREATE_IN_PROGRESS state and can not be updated.`);
    const early = await expectAwsError(cfn.send(new SignalResourceCommand({ StackName: 'signalled', LogicalResourceId: 'Network', UniqueId: 'x', Status: 'SUCCESS' })), 'ValidationError');
    assert.equal(early.message, 'Resource Network is in CREATE_COMPLETE state and cannot be signaled');

    const signal = await aws(server, server.root, ['cloudformation', 'signal-resource', '--stack-name', 'signalled', '--logical-resource-id', 'Server', '--unique-id', instanceId, '--status', 'SUCCESS']);
    assert.equal(signal.status, 0, signal.stderr);
    const stack = await settledStack(cfn, 'signalled');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.deepEqual(resourceHistory(await stackEvents(cfn, 'signalled'), 'Server'), [
      'CREATE_IN_PROGRESS',
      'CREATE_IN_PROGRESS: Resource creation Initiated',
      `CREATE_IN_PROGRESS: Received SUCCESS signal with UniqueId ${instanceId}`,
      'CREATE_COMPLETE',
    ]);
    const late = await expectAwsError(cfn.send(new SignalResourceCommand({ StackName: 'signalled', LogicalResourceId: 'Server', UniqueId: instanceId, Status: 'SUCCESS' })), 'ValidationError');
    assert.equal(late.message, `Stack ${stack.StackId} is in CREATE_COMPLETE state and cannot be signaled`);
  });

  it('Count: 2 needs two signals with different UniqueIds (a repeated one counts once)', async () => {
    await startWaiting('two-signals', 2);
    const send = (uniqueId: string) => cfn.send(new SignalResourceCommand({ StackName: 'two-signals', LogicalResourceId: 'Server', UniqueId: uniqueId, Status: 'SUCCESS' }));
    await send('first');
    await send('first');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await status('two-signals'), 'CREATE_IN_PROGRESS');
    await send('second');
    assert.equal((await settledStack(cfn, 'two-signals')).StackStatus, 'CREATE_COMPLETE');
  });

  it('a FAILURE signal fails the instance and rolls the stack back', async () => {
    await startWaiting('failure-signal');
    await cfn.send(new SignalResourceCommand({ StackName: 'failure-signal', LogicalResourceId: 'Server', UniqueId: 'bootstrap', Status: 'FAILURE' }));
    const stack = await settledStack(cfn, 'failure-signal');
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const history = resourceHistory(await stackEvents(cfn, 'failure-signal'), 'Server');
    assert.deepEqual(history.slice(2), [
      'CREATE_IN_PROGRESS: Received FAILURE signal with UniqueId bootstrap',
      'CREATE_FAILED: Received FAILURE signal with UniqueId bootstrap',
      'DELETE_IN_PROGRESS',
      'DELETE_COMPLETE',
    ]);
  });

  it('no signal within the timeout fails the instance', async () => {
    await startWaiting('timeout', 1, 'PT1S');
    const stack = await settledStack(cfn, 'timeout');
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const history = resourceHistory(await stackEvents(cfn, 'timeout'), 'Server');
    assert.equal(history[2], 'CREATE_FAILED: Failed to receive 1 resource signal(s) within the specified duration');
  });

  it('DeleteStack while the instance waits ends the wait, rolls back and deletes the stack', async () => {
    const instanceId = await startWaiting('abandoned');
    const stackId = (await cfn.send(new DescribeStacksCommand({ StackName: 'abandoned' }))).Stacks![0]!.StackId!;
    await cfn.send(new DeleteStackCommand({ StackName: 'abandoned' }));
    assert.equal((await settledStack(cfn, stackId)).StackStatus, 'DELETE_COMPLETE');
    const history = resourceHistory(await stackEvents(cfn, stackId), 'Server');
    assert.ok(history.includes('CREATE_FAILED: Resource creation cancelled'), history.join('\n'));
    assert.equal(server.app.ec2.instances.get(instanceId)?.state, 'terminated');
  });
});

describe('with iamd\'s instance signalling on (the default)', () => {
  it('is on unless IAMD_CFN_SIGNAL_INSTANCES turns it off', async () => {
    const fresh = await startTestServer();
    try {
      assert.equal(fresh.app.cloudformation.settings.signalInstancesWhenRunning, process.env.IAMD_CFN_SIGNAL_INSTANCES !== '0');
    } finally {
      await fresh.close();
    }
  });

  it('an instance is signalled as soon as it is running', async () => {
    server.app.cloudformation.settings.signalInstancesWhenRunning = true;
    const stack = await createStack(cfn, { StackName: 'self-signalled', TemplateBody: TEMPLATE(1, 'PT5M') });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const instanceId = stack.Outputs![0]!.OutputValue!;
    assert.equal(server.app.ec2.instances.get(instanceId)?.state, 'running');
    assert.deepEqual(resourceHistory(await stackEvents(cfn, 'self-signalled'), 'Server').slice(2), [
      `CREATE_IN_PROGRESS: Received SUCCESS signal with UniqueId ${instanceId}`,
      'CREATE_COMPLETE',
    ]);
  });
});
