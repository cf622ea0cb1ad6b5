/**
 * Change sets. With the AWS CLI, as course labs use it: `aws cloudformation deploy` creating a
 * stack, deploying it again unchanged ("No changes to deploy"), deploying a changed template
 * (Modify) and one that removes a resource (Remove), `--no-execute-changeset` then
 * `execute-change-set` and `wait stack-update-complete`, and `wait change-set-create-complete`.
 * With the JS SDK: a CREATE change set and its REVIEW_IN_PROGRESS stack, the Changes of an update
 * (Add, Modify with Replacement and Details, Remove), paging, listing, executing (the stack's
 * events are CreateStack's), OBSOLETE change sets, deleting, authorization and the errors; a
 * change set's statuses over its life, a failed execution, a template in iamd's S3.
 */
import {
  CreateChangeSetCommand, DeleteChangeSetCommand, DeleteStackCommand, DescribeChangeSetCommand, DescribeStacksCommand, ExecuteChangeSetCommand,
  ListChangeSetsCommand, UpdateStackCommand, waitUntilChangeSetCreateComplete, type CloudFormationClient, type CreateChangeSetCommandInput,
  type DescribeChangeSetCommandOutput, type ResourceChange,
} from '@aws-sdk/client-cloudformation';
import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LAB_V1, labTemplate, manyParameters } from './helpers/change-set-templates.js';
import { cloudformationClient, eventLines, settledStack, stackEvents } from './helpers/cloudformation.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import { aws, awsJson, realClient } from './helpers/real-clients.js';
import { expectAwsError, iamClient, s3Client, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let cfn: CloudFormationClient;
let iam: IAMClient;
let ec2: EC2Client;
let dir: string;

before(async () => {
  server = await startTestServer();
  cfn = cloudformationClient(server);
  iam = iamClient(server);
  ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, maxAttempts: 1 });
  dir = mkdtempSync(join(tmpdir(), 'iamd-changesets-'));
});

after(async () => {
  cfn?.destroy();
  iam?.destroy();
  ec2?.destroy();
  await server?.close();
});

const ARN = /^arn:aws:cloudformation:us-east-1:000000000000:changeSet\/([a-zA-Z][-a-zA-Z0-9]*)\/[0-9a-f-]{36}$/;

/** Polls DescribeChangeSet until the change set is no longer being created. */
async function settledChangeSet(id: string): Promise<DescribeChangeSetCommandOutput> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: id }));
    if (described.Status !== 'CREATE_PENDING' && described.Status !== 'CREATE_IN_PROGRESS') return described;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`change set ${id} is still being created`);
}

async function createChangeSet(input: CreateChangeSetCommandInput): Promise<DescribeChangeSetCommandOutput> {
  const { Id } = await cfn.send(new CreateChangeSetCommand(input));
  return settledChangeSet(Id!);
}

const byLogicalId = (changes: DescribeChangeSetCommandOutput['Changes']): Map<string, ResourceChange> =>
  new Map((changes ?? []).map((change) => [change.ResourceChange!.LogicalResourceId!, change.ResourceChange!]));

const templateFile = (name: string, body: string): string => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};

describe('change sets with the JS SDK', () => {
  let createId: string;
  let stackId: string;

  it('a CREATE change set for a new stack: the stack exists in REVIEW_IN_PROGRESS, every resource is an Add', async () => {
    const created = await cfn.send(new CreateChangeSetCommand({
      StackName: 'sdk-lab', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: labTemplate(), Capabilities: ['CAPABILITY_IAM'],
      Parameters: [{ ParameterKey: 'Environment', ParameterValue: 'lab' }], Description: 'the first one', Tags: [{ Key: 'course', Value: 'aws-101' }],
    }));
    assert.match(created.Id!, ARN);
    assert.equal(ARN.exec(created.Id!)![1], 'first');
    createId = created.Id!;
    stackId = created.StackId!;
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'sdk-lab' }))).Stacks![0]!;
    assert.equal(stack.StackId, stackId);
    assert.equal(stack.StackStatus, 'REVIEW_IN_PROGRESS');
    assert.deepEqual(eventLines(await stackEvents(cfn, 'sdk-lab')), ['sdk-lab REVIEW_IN_PROGRESS User Initiated']);

    const result = await waitUntilChangeSetCreateComplete({ client: cfn, maxWaitTime: 10, minDelay: 1, maxDelay: 1 }, { ChangeSetName: createId });
    assert.equal(result.state, 'SUCCESS');
    const described = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'first', StackName: 'sdk-lab' }));
    assert.equal(described.Status, 'CREATE_COMPLETE');
    assert.equal(described.ExecutionStatus, 'AVAILABLE');
    assert.equal(described.ChangeSetId, createId);
    assert.equal(described.StackName, 'sdk-lab');
    assert.equal(described.Description, 'the first one');
    assert.deepEqual(described.Capabilities, ['CAPABILITY_IAM']);
    assert.deepEqual(described.Tags, [{ Key: 'course', Value: 'aws-101' }]);
    assert.deepEqual(described.Parameters!.map((parameter) => `${parameter.ParameterKey}=${parameter.ParameterValue}`), ['Environment=lab', 'WebPort=80', 'VpcCidr=10.60.0.0/16']);
    assert.deepEqual(described.Changes!.map((change) => [change.Type, change.ResourceChange!.Action, change.ResourceChange!.LogicalResourceId, change.ResourceChange!.ResourceType]), [
      ['Resource', 'Add', 'LabVpc', 'AWS::EC2::VPC'],
      ['Resource', 'Add', 'WebSecurityGroup', 'AWS::EC2::SecurityGroup'],
      ['Resource', 'Add', 'InstanceRole', 'AWS::IAM::Role'],
      ['Resource', 'Add', 'InstanceProfile', 'AWS::IAM::InstanceProfile'],
    ]);
    assert.equal(described.Changes![0]!.ResourceChange!.PhysicalResourceId, undefined);
    assert.equal(described.Changes![0]!.ResourceChange!.Replacement, undefined);
  });

  it('finds a change set by ARN, or by name with its stack; a name alone, or a name the stack has not, is refused', async () => {
    assert.equal((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: createId, StackName: stackId }))).ChangeSetName, 'first');
    const missing = await expectAwsError(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'nope', StackName: 'sdk-lab' })), 'ChangeSetNotFound');
    assert.equal(missing.message, 'ChangeSet [nope] does not exist');
    assert.equal(missing.$metadata?.httpStatusCode, 404);
    const unknownArn = createId.replace(/[0-9a-f]{4}$/, '0000');
    assert.equal((await expectAwsError(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: unknownArn })), 'ChangeSetNotFound')).message, `ChangeSet [${unknownArn}] does not exist`);
    const nameOnly = await expectAwsError(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'first' })), 'ValidationError');
    assert.equal(nameOnly.message, 'StackName must be specified if ChangeSetName is not specified as an ARN.');
    const noStack = await expectAwsError(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'first', StackName: 'no-such-stack' })), 'ValidationError');
    assert.equal(noStack.message, 'Stack [no-such-stack] does not exist');
  });

  it('refuses a template that needs capabilities it was not given, and a second change set of the same name that differs', async () => {
    const capabilities = await expectAwsError(cfn.send(new CreateChangeSetCommand({
      StackName: 'sdk-lab', ChangeSetName: 'no-caps', ChangeSetType: 'CREATE', TemplateBody: labTemplate(),
    })), 'InsufficientCapabilitiesException');
    assert.equal(capabilities.message, 'Requires capabilities : [CAPABILITY_IAM]');
    const duplicate = await expectAwsError(cfn.send(new CreateChangeSetCommand({
      StackName: 'sdk-lab', ChangeSetName: 'first', ChangeSetType: 'CREATE', TemplateBody: labTemplate({ ...LAB_V1, roleDescription: 'other' }), Capabilities: ['CAPABILITY_IAM'],
    })), 'AlreadyExistsException');
    assert.equal(duplicate.message, 'ChangeSet first cannot be created due to a mismatch with existing attribute Template');
    const update = await expectAwsError(cfn.send(new CreateChangeSetCommand({
      StackName: 'sdk-lab', ChangeSetName: 'too-early', ChangeSetType: 'UPDATE', TemplateBody: labTemplate(), Capabilities: ['CAPABILITY_IAM'],
    })), 'ValidationError');
    assert.equal(update.message, `Stack:${stackId} is in REVIEW_IN_PROGRESS state and can not be updated.`);
  });

  it('executing a CREATE change set creates the stack with CreateStack\'s events; the other change sets become OBSOLETE', async () => {
    const second = await createChangeSet({
      StackName: 'sdk-lab', ChangeSetName: 'second', ChangeSetType: 'CREATE', TemplateBody: labTemplate(), Capabilities: ['CAPABILITY_IAM'],
    });
    assert.equal(second.StackId, stackId, 'another CREATE change set for the stack in review');
    const listed = await cfn.send(new ListChangeSetsCommand({ StackName: 'sdk-lab' }));
    assert.deepEqual(listed.Summaries!.map((summary) => [summary.ChangeSetName, summary.Status, summary.ExecutionStatus]), [
      ['first', 'CREATE_COMPLETE', 'AVAILABLE'], ['second', 'CREATE_COMPLETE', 'AVAILABLE'],
    ]);

    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'first', StackName: 'sdk-lab' }));
    const stack = await settledStack(cfn, 'sdk-lab');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.deepEqual(stack.Parameters!.find((parameter) => parameter.ParameterKey === 'Environment')!.ParameterValue, 'lab');
    assert.deepEqual(stack.Tags, [{ Key: 'course', Value: 'aws-101' }]);
    const lines = eventLines(await stackEvents(cfn, 'sdk-lab'));
    assert.deepEqual(lines.slice(0, 2), ['sdk-lab REVIEW_IN_PROGRESS User Initiated', 'sdk-lab CREATE_IN_PROGRESS User Initiated']);
    assert.equal(lines.at(-1), 'sdk-lab CREATE_COMPLETE');
    assert.ok(lines.includes('InstanceProfile CREATE_COMPLETE'));

    const first = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: createId }));
    assert.deepEqual([first.Status, first.ExecutionStatus], ['CREATE_COMPLETE', 'EXECUTE_COMPLETE']);
    const obsolete = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: second.ChangeSetId! }));
    assert.equal(obsolete.ExecutionStatus, 'OBSOLETE');
    const again = await expectAwsError(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: second.ChangeSetId! })), 'InvalidChangeSetStatus');
    assert.equal(again.message, `ChangeSet [${second.ChangeSetId}] cannot be executed in its current execution status of [OBSOLETE]`);
    const recreate = await expectAwsError(cfn.send(new CreateChangeSetCommand({
      StackName: 'sdk-lab', ChangeSetName: 'third', ChangeSetType: 'CREATE', TemplateBody: labTemplate(), Capabilities: ['CAPABILITY_IAM'],
    })), 'ValidationError');
    assert.equal(recreate.message, 'Stack [sdk-lab] already exists and cannot be created again with the changeSet [third].');
  });

  it('an UPDATE change set lists Modify (in place or with Replacement, and why), Add and Remove, without touching the stack', async () => {
    const template = labTemplate({ roleDescription: 'lab instances, v2', withProfile: false })
      .replace('Outputs:', '  Setting:\n    Type: AWS::SSM::Parameter\n    Properties: {Type: String, Value: !Ref WebPort}\nOutputs:');
    const described = await createChangeSet({
      StackName: 'sdk-lab', ChangeSetName: 'update', TemplateBody: template, Capabilities: ['CAPABILITY_IAM'],
      Parameters: [{ ParameterKey: 'Environment', UsePreviousValue: true }, { ParameterKey: 'VpcCidr', ParameterValue: '10.61.0.0/16' }],
    });
    assert.deepEqual([described.Status, described.ExecutionStatus], ['CREATE_COMPLETE', 'AVAILABLE']);
    assert.equal(described.Parameters!.find((parameter) => parameter.ParameterKey === 'Environment')!.ParameterValue, 'lab', 'UsePreviousValue');
    const changes = byLogicalId(described.Changes);
    const resources = (await cfn.send(new DescribeStacksCommand({ StackName: 'sdk-lab' }))).Stacks![0]!;
    assert.equal(resources.StackStatus, 'CREATE_COMPLETE', 'creating a change set changes nothing');

    const vpc = changes.get('LabVpc')!;
    assert.deepEqual([vpc.Action, vpc.Replacement, vpc.Scope], ['Modify', 'True', ['Properties']]);
    assert.match(vpc.PhysicalResourceId!, /^vpc-/);
    assert.deepEqual(vpc.Details, [{
      Target: { Attribute: 'Properties', Name: 'CidrBlock', RequiresRecreation: 'Always' }, Evaluation: 'Static', ChangeSource: 'ParameterReference', CausingEntity: 'VpcCidr',
    }]);
    const group = changes.get('WebSecurityGroup')!;
    assert.deepEqual([group.Action, group.Replacement], ['Modify', 'True']);
    assert.deepEqual(group.Details, [{
      Target: { Attribute: 'Properties', Name: 'VpcId', RequiresRecreation: 'Always' }, Evaluation: 'Static', ChangeSource: 'ResourceReference', CausingEntity: 'LabVpc',
    }]);
    const role = changes.get('InstanceRole')!;
    assert.deepEqual([role.Action, role.Replacement], ['Modify', 'False']);
    assert.deepEqual(role.Details, [{ Target: { Attribute: 'Properties', Name: 'Description', RequiresRecreation: 'Never' }, Evaluation: 'Static', ChangeSource: 'DirectModification' }]);
    assert.deepEqual([changes.get('Setting')!.Action, changes.get('Setting')!.ResourceType], ['Add', 'AWS::SSM::Parameter']);
    const profile = changes.get('InstanceProfile')!;
    assert.equal(profile.Action, 'Remove');
    assert.match(profile.PhysicalResourceId!, /^sdk-lab-InstanceProfile-[A-Z0-9]{12}$/);
    assert.equal(changes.size, 5);
  });

  it('executing the UPDATE change set runs UpdateStack\'s operation: replaced and removed resources are gone', async () => {
    const vpcBefore = (await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'update', StackName: 'sdk-lab' }))).Changes!
      .find((change) => change.ResourceChange!.LogicalResourceId === 'LabVpc')!.ResourceChange!.PhysicalResourceId!;
    const profileName = (await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'update', StackName: 'sdk-lab' }))).Changes!
      .find((change) => change.ResourceChange!.LogicalResourceId === 'InstanceProfile')!.ResourceChange!.PhysicalResourceId!;
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'update', StackName: stackId, ClientRequestToken: 'run-update-1' }));
    const stack = await settledStack(cfn, 'sdk-lab');
    assert.equal(stack.StackStatus, 'UPDATE_COMPLETE');
    const events = await stackEvents(cfn, 'sdk-lab');
    const update = events.slice(events.findIndex((event) => event.ResourceStatus === 'UPDATE_IN_PROGRESS' && event.LogicalResourceId === 'sdk-lab'));
    assert.equal(update[0]!.ClientRequestToken, 'run-update-1');
    const lines = eventLines(update);
    assert.ok(lines.includes('LabVpc UPDATE_IN_PROGRESS Requested update requires the creation of a new physical resource; hence creating one.'));
    assert.ok(lines.includes('sdk-lab UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'));
    assert.ok(lines.includes('InstanceProfile DELETE_COMPLETE'));
    assert.equal(lines.at(-1), 'sdk-lab UPDATE_COMPLETE');
    await expectAwsError(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profileName })), 'NoSuchEntity');
    const roleName = stack.Outputs!.find((output) => output.OutputKey === 'RoleName')!.OutputValue!;
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role!.Description, 'lab instances, v2');
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcBefore] }] }));
    assert.equal(groups.SecurityGroups!.filter((group) => group.GroupName !== 'default').length, 0, 'the old group went with the old VPC');
    assert.equal((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'update', StackName: 'sdk-lab' }))).ExecutionStatus, 'EXECUTE_COMPLETE');
  });

  it('a change set that changes nothing FAILS with AWS\'s reason, and cannot be executed', async () => {
    const unchanged = await createChangeSet({
      StackName: 'sdk-lab', ChangeSetName: 'nothing', UsePreviousTemplate: true, Capabilities: ['CAPABILITY_IAM'],
      Parameters: ['Environment', 'WebPort', 'VpcCidr'].map((key) => ({ ParameterKey: key, UsePreviousValue: true })),
    });
    assert.deepEqual([unchanged.Status, unchanged.ExecutionStatus], ['FAILED', 'UNAVAILABLE']);
    assert.equal(unchanged.StatusReason, "The submitted information didn't contain changes. Submit different information to create a change set.");
    await assert.rejects(waitUntilChangeSetCreateComplete({ client: cfn, maxWaitTime: 5, minDelay: 1, maxDelay: 1 }, { ChangeSetName: unchanged.ChangeSetId! }));
    const execute = await expectAwsError(cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'nothing', StackName: 'sdk-lab' })), 'InvalidChangeSetStatus');
    assert.equal(execute.message, `ChangeSet [${unchanged.ChangeSetId}] cannot be executed in its current status of [FAILED]`);
  });

  it('DeleteChangeSet deletes it (a name the stack has no change set of deletes nothing); UpdateStack makes the rest OBSOLETE', async () => {
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: 'nothing', StackName: 'sdk-lab' }));
    await expectAwsError(cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'nothing', StackName: 'sdk-lab' })), 'ChangeSetNotFound');
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: 'nothing', StackName: 'sdk-lab' }));
    const pending = await createChangeSet({
      StackName: 'sdk-lab', ChangeSetName: 'port', UsePreviousTemplate: true, Capabilities: ['CAPABILITY_IAM'],
      Parameters: [{ ParameterKey: 'WebPort', ParameterValue: '8080' }],
    });
    assert.equal(pending.ExecutionStatus, 'AVAILABLE');
    await cfn.send(new UpdateStackCommand({ StackName: 'sdk-lab', UsePreviousTemplate: true, Capabilities: ['CAPABILITY_IAM'], Parameters: [{ ParameterKey: 'WebPort', ParameterValue: '8443' }] }));
    assert.equal((await settledStack(cfn, 'sdk-lab')).StackStatus, 'UPDATE_COMPLETE');
    assert.equal((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'port', StackName: 'sdk-lab' }))).ExecutionStatus, 'OBSOLETE');
  });

  it('a stack in review with no change set left stays REVIEW_IN_PROGRESS and DeleteStack deletes it', async () => {
    const review = await createChangeSet({ StackName: 'review-only', ChangeSetName: 'look', ChangeSetType: 'CREATE', TemplateBody: manyParameters(2) });
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: review.ChangeSetId! }));
    assert.deepEqual((await cfn.send(new ListChangeSetsCommand({ StackName: 'review-only' }))).Summaries, []);
    assert.equal((await cfn.send(new DescribeStacksCommand({ StackName: 'review-only' }))).Stacks![0]!.StackStatus, 'REVIEW_IN_PROGRESS');
    await cfn.send(new DeleteStackCommand({ StackName: 'review-only' }));
    assert.equal((await settledStack(cfn, review.StackId!)).StackStatus, 'DELETE_COMPLETE');
    await expectAwsError(cfn.send(new DescribeStacksCommand({ StackName: 'review-only' })), 'ValidationError');
  });

  it('pages a change set\'s changes 100 at a time', async () => {
    const described = await createChangeSet({ StackName: 'many', ChangeSetName: 'many', ChangeSetType: 'CREATE', TemplateBody: manyParameters(130) });
    assert.equal(described.Changes!.length, 100);
    assert.ok(described.NextToken);
    const rest = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: described.ChangeSetId!, NextToken: described.NextToken }));
    assert.equal(rest.Changes!.length, 30);
    assert.equal(rest.NextToken, undefined);
    assert.equal(rest.Changes!.at(-1)!.ResourceChange!.LogicalResourceId, 'Setting130');
  });

  it('is authorized as cloudformation:CreateChangeSet and the others, with cloudformation:ChangeSetName', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['cloudformation:CreateChangeSet', 'cloudformation:DescribeChangeSet'], Resource: '*', Condition: { StringLike: { 'cloudformation:ChangeSetName': 'review-*' } } },
        { Effect: 'Allow', Action: 'cloudformation:ListChangeSets', Resource: '*' },
      ],
    });
    const reviewer = cloudformationClient(server, await createUserWithKey(server, 'change-set-reviewer', policy));
    const input = { StackName: 'reviewed', ChangeSetType: 'CREATE' as const, TemplateBody: manyParameters(1) };
    await expectAwsError(reviewer.send(new CreateChangeSetCommand({ ...input, ChangeSetName: 'deploy-now' })), 'AccessDenied');
    const { Id } = await reviewer.send(new CreateChangeSetCommand({ ...input, ChangeSetName: 'review-1' }));
    assert.equal((await reviewer.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).ChangeSetName, 'review-1');
    const denied = await expectAwsError(reviewer.send(new ExecuteChangeSetCommand({ ChangeSetName: Id })), 'AccessDenied');
    assert.match(denied.message, /not authorized to perform: cloudformation:ExecuteChangeSet on resource: arn:aws:cloudformation:us-east-1:000000000000:stack\/reviewed\//);
    reviewer.destroy();
    const viewer = cloudformationClient(server, await createUserWithKey(server, 'stack-viewer-cs', allow('cloudformation:ListChangeSets')));
    assert.equal((await viewer.send(new ListChangeSetsCommand({ StackName: 'reviewed' }))).Summaries![0]!.ChangeSetName, 'review-1');
    viewer.destroy();
  });
});

describe('a change set\'s life', () => {
  /** Every status a change set passes through, as its record changes. */
  function watchStatuses(): { statuses: (id: string) => string[] } {
    const seen = new Map<string, string[]>();
    server.app.cloudformation.changeSets.onChange((key, row) => {
      const line = row ? `${row.status} ${row.executionStatus}` : 'deleted';
      const lines = seen.get(key) ?? [];
      if (lines.at(-1) !== line) lines.push(line);
      seen.set(key, lines);
    });
    return { statuses: (id) => seen.get(id) ?? [] };
  }

  it('is computed in the background (CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE) and executed (EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE)', async () => {
    const watch = watchStatuses();
    const { Id } = await cfn.send(new CreateChangeSetCommand({ StackName: 'watched', ChangeSetName: 'watched', ChangeSetType: 'CREATE', TemplateBody: manyParameters(3) }));
    await settledChangeSet(Id!);
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    assert.equal((await settledStack(cfn, 'watched')).StackStatus, 'CREATE_COMPLETE');
    assert.deepEqual(watch.statuses(Id!), [
      'CREATE_PENDING UNAVAILABLE', 'CREATE_IN_PROGRESS UNAVAILABLE', 'CREATE_COMPLETE AVAILABLE',
      'CREATE_COMPLETE EXECUTE_IN_PROGRESS', 'CREATE_COMPLETE EXECUTE_COMPLETE',
    ]);
  });

  it('a failed execution is EXECUTE_FAILED; DisableRollback leaves the stack CREATE_FAILED', async () => {
    const failing = `${manyParameters(1)}  Topic: {Type: AWS::SNS::Topic}\n`;
    const { Id } = await cfn.send(new CreateChangeSetCommand({ StackName: 'failing', ChangeSetName: 'failing', ChangeSetType: 'CREATE', TemplateBody: failing }));
    assert.equal((await settledChangeSet(Id!)).ExecutionStatus, 'AVAILABLE');
    await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id, DisableRollback: true }));
    const stack = await settledStack(cfn, 'failing');
    assert.equal(stack.StackStatus, 'CREATE_FAILED');
    assert.equal(stack.DisableRollback, true);
    assert.equal((await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).ExecutionStatus, 'EXECUTE_FAILED');
  });

  it('reads its template from iamd\'s S3 (TemplateURL)', async () => {
    const s3 = s3Client(server);
    await s3.send(new CreateBucketCommand({ Bucket: 'change-set-templates' }));
    await s3.send(new PutObjectCommand({ Bucket: 'change-set-templates', Key: 'settings.yaml', Body: manyParameters(2) }));
    s3.destroy();
    const described = await createChangeSet({
      StackName: 'from-s3', ChangeSetName: 'from-s3', ChangeSetType: 'CREATE', TemplateURL: `${server.url}/change-set-templates/settings.yaml`,
    });
    assert.equal(described.Status, 'CREATE_COMPLETE');
    assert.deepEqual(described.Changes!.map((change) => change.ResourceChange!.LogicalResourceId), ['Setting1', 'Setting2']);
  });
});

describe('aws cloudformation deploy', realClient('aws-cli'), () => {
  const STACK = 'deployed-lab';
  const cli = (args: readonly string[]) => aws(server, server.root, ['cloudformation', ...args]);
  /**
   * `aws cloudformation deploy` names its change set awscli-cloudformation-package-deploy-SECONDS:
   * two deploys within one second would name the same change set (AlreadyExistsException, as on AWS).
   */
  const deploy = async (file: string, extra: readonly string[] = []) => {
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));
    return cli(['deploy', '--template-file', file, '--stack-name', STACK, '--capabilities', 'CAPABILITY_IAM', ...extra]);
  };
  interface CliChangeSet { ChangeSetId: string; ChangeSetName: string; Status: string; ExecutionStatus: string; StatusReason?: string; Changes: Array<{ ResourceChange: ResourceChange }> }
  /** The stack's newest change set, described. */
  const newestChangeSet = async (): Promise<CliChangeSet> => {
    const { Summaries } = await awsJson<{ Summaries: Array<{ ChangeSetId: string }> }>(server, server.root, ['cloudformation', 'list-change-sets', '--stack-name', STACK]);
    return awsJson<CliChangeSet>(server, server.root, ['cloudformation', 'describe-change-set', '--change-set-name', Summaries.at(-1)!.ChangeSetId]);
  };
  const stackStatus = async (): Promise<string> => (await settledStack(cfn, STACK)).StackStatus!;
  const groupPorts = async (): Promise<number[]> => {
    const groupId = (await settledStack(cfn, STACK)).Outputs!.find((output) => output.OutputKey === 'SecurityGroupId')!.OutputValue!;
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups![0]!;
    return group.IpPermissions!.map((permission) => permission.FromPort!);
  };

  it('creates the stack (a CREATE change set, executed, waited on)', async () => {
    const result = await deploy(templateFile('lab.yaml', labTemplate()), ['--parameter-overrides', 'Environment=lab']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Waiting for changeset to be created\.\./);
    assert.match(result.stdout, new RegExp(`Successfully created/updated stack - ${STACK}`));
    assert.equal(await stackStatus(), 'CREATE_COMPLETE');
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0]!;
    assert.equal(stack.Parameters!.find((parameter) => parameter.ParameterKey === 'Environment')!.ParameterValue, 'lab');
    const changeSet = await newestChangeSet();
    assert.match(changeSet.ChangeSetName, /^awscli-cloudformation-package-deploy-\d+$/);
    assert.equal(changeSet.ExecutionStatus, 'EXECUTE_COMPLETE');
  });

  it('deploying it again unchanged: "No changes to deploy" (exit 0 with --no-fail-on-empty-changeset, an error with --fail-on-empty-changeset)', async () => {
    const file = templateFile('lab.yaml', labTemplate());
    const quiet = await deploy(file, ['--parameter-overrides', 'Environment=lab', '--no-fail-on-empty-changeset']);
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.match(quiet.stdout, new RegExp(`No changes to deploy. Stack ${STACK} is up to date`));
    const failing = await deploy(file, ['--fail-on-empty-changeset']);
    assert.equal(failing.status, 255, failing.stderr);
    assert.match(failing.stderr, new RegExp(`No changes to deploy. Stack ${STACK} is up to date`));
    assert.equal(await stackStatus(), 'CREATE_COMPLETE');
  });

  it('deploying a changed template and parameter updates in place (Modify)', async () => {
    const result = await deploy(templateFile('lab-v2.yaml', labTemplate({ ...LAB_V1, roleDescription: 'lab instances, v2' })), ['--parameter-overrides', 'WebPort=443']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(await stackStatus(), 'UPDATE_COMPLETE');
    const changeSet = await newestChangeSet();
    assert.deepEqual(changeSet.Changes.map((change) => [change.ResourceChange.Action, change.ResourceChange.LogicalResourceId, change.ResourceChange.Replacement]), [
      ['Modify', 'WebSecurityGroup', 'False'], ['Modify', 'InstanceRole', 'False'],
    ]);
    assert.deepEqual(await groupPorts(), [443]);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks![0]!;
    assert.equal(stack.Parameters!.find((parameter) => parameter.ParameterKey === 'Environment')!.ParameterValue, 'lab', 'kept with UsePreviousValue');
  });

  it('deploying a template without a resource removes it (Remove)', async () => {
    const result = await deploy(templateFile('lab-v3.yaml', labTemplate({ roleDescription: 'lab instances, v2', withProfile: false })));
    assert.equal(result.status, 0, result.stderr);
    assert.equal(await stackStatus(), 'UPDATE_COMPLETE');
    const [removed, ...others] = (await newestChangeSet()).Changes;
    assert.deepEqual(others, []);
    assert.equal(removed!.ResourceChange.Action, 'Remove');
    assert.equal(removed!.ResourceChange.LogicalResourceId, 'InstanceProfile');
    await expectAwsError(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: removed!.ResourceChange.PhysicalResourceId! })), 'NoSuchEntity');
  });

  it('--no-execute-changeset leaves the change set for review; execute-change-set and wait stack-update-complete apply it', async () => {
    const result = await deploy(templateFile('lab-v3.yaml', labTemplate({ roleDescription: 'lab instances, v2', withProfile: false })), [
      '--parameter-overrides', 'WebPort=8080', '--no-execute-changeset',
    ]);
    assert.equal(result.status, 0, result.stderr);
    const id = /aws cloudformation describe-change-set --change-set-name (\S+)/.exec(result.stdout)?.[1];
    assert.ok(id && ARN.test(id), result.stdout);
    assert.equal(await stackStatus(), 'UPDATE_COMPLETE');
    assert.deepEqual(await groupPorts(), [443], 'nothing applied yet');
    const described = await awsJson<CliChangeSet>(server, server.root, ['cloudformation', 'describe-change-set', '--change-set-name', id]);
    assert.deepEqual([described.Status, described.ExecutionStatus], ['CREATE_COMPLETE', 'AVAILABLE']);

    const executed = await cli(['execute-change-set', '--change-set-name', id]);
    assert.equal(executed.status, 0, executed.stderr);
    const waited = await cli(['wait', 'stack-update-complete', '--stack-name', STACK]);
    assert.equal(waited.status, 0, waited.stderr);
    assert.deepEqual(await groupPorts(), [8080]);
  });

  it('create-change-set with wait change-set-create-complete: success, or the waiter\'s failure for a change set without changes', async () => {
    const file = templateFile('lab-v3.yaml', labTemplate({ roleDescription: 'lab instances, v3', withProfile: false }));
    const created = await awsJson<{ Id: string; StackId: string }>(server, server.root, [
      'cloudformation', 'create-change-set', '--stack-name', STACK, '--change-set-name', 'by-hand', '--template-body', `file://${file}`,
      '--capabilities', 'CAPABILITY_IAM', '--parameters', 'ParameterKey=WebPort,UsePreviousValue=true',
    ]);
    assert.match(created.Id, ARN);
    const waited = await cli(['wait', 'change-set-create-complete', '--change-set-name', 'by-hand', '--stack-name', STACK]);
    assert.equal(waited.status, 0, waited.stderr);
    const listed = await awsJson<{ Summaries: Array<{ ChangeSetName: string; ExecutionStatus: string }> }>(server, server.root, ['cloudformation', 'list-change-sets', '--stack-name', STACK]);
    assert.equal(listed.Summaries.find((summary) => summary.ChangeSetName === 'by-hand')!.ExecutionStatus, 'AVAILABLE');

    await awsJson(server, server.root, ['cloudformation', 'create-change-set', '--stack-name', STACK, '--change-set-name', 'empty', '--use-previous-template', '--capabilities', 'CAPABILITY_IAM',
      '--parameters', ...['Environment', 'WebPort', 'VpcCidr'].map((key) => `ParameterKey=${key},UsePreviousValue=true`)]);
    const failed = await cli(['wait', 'change-set-create-complete', '--change-set-name', 'empty', '--stack-name', STACK]);
    assert.equal(failed.status, 255);
    assert.match(failed.stderr, /Waiter ChangeSetCreateComplete failed: Waiter encountered a terminal failure state/);
  });
});
