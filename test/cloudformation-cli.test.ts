/**
 * `iamd stacks`: the stacks with their status, and one stack's resources and events, read through
 * the CloudFormation API as a client (bin/iamd, a child process).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cloudformationClient, createStack } from './helpers/cloudformation.js';
import { callerEnv, runIamd } from './helpers/cli.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
  const cfn = cloudformationClient(server);
  await createStack(cfn, { StackName: 'listed', TemplateBody: 'Resources:\n  Network:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.13.0.0/16}\n' });
  cfn.destroy();
});

after(async () => {
  await server?.close();
});

describe('iamd stacks', () => {
  it('lists the stacks with their status', async () => {
    const result = await runIamd(['stacks', '--json'], callerEnv(server.url, server.root));
    assert.equal(result.status, 0, result.stderr);
    const { Stacks } = JSON.parse(result.stdout) as { Stacks: Array<Record<string, string>> };
    assert.deepEqual(Stacks.map((stack) => [stack.StackName, stack.StackStatus]), [['listed', 'CREATE_COMPLETE']]);
    const text = await runIamd(['stacks'], callerEnv(server.url, server.root));
    assert.match(text.stdout, /^STACK\s+STATUS\s+CREATED\s+REASON\nlisted\s+CREATE_COMPLETE\s+\d{4}-/);
  });

  it('shows one stack\'s resources and its events, oldest first', async () => {
    const result = await runIamd(['stacks', 'listed', '--json'], callerEnv(server.url, server.root));
    assert.equal(result.status, 0, result.stderr);
    const { Resources, Events } = JSON.parse(result.stdout) as { Resources: Array<Record<string, string>>; Events: Array<Record<string, string>> };
    assert.deepEqual(Resources.map((resource) => [resource.LogicalResourceId, resource.ResourceType, resource.ResourceStatus]), [['Network', 'AWS::EC2::VPC', 'CREATE_COMPLETE']]);
    assert.match(Resources[0]!.PhysicalResourceId!, /^vpc-/);
    assert.deepEqual(Events.map((event) => `${event.LogicalResourceId} ${event.ResourceStatus}`), [
      'listed CREATE_IN_PROGRESS', 'Network CREATE_IN_PROGRESS', 'Network CREATE_IN_PROGRESS', 'Network CREATE_COMPLETE', 'listed CREATE_COMPLETE',
    ]);
    const missing = await runIamd(['stacks', 'nope'], callerEnv(server.url, server.root));
    assert.equal(missing.status, 254);
    assert.equal(missing.stderr, 'iamd: ValidationError: Stack with id nope does not exist\n');
  });
});
