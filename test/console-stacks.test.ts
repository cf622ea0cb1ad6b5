/**
 * The console's Stacks pages against iamd's CloudFormation, in a real browser. A stack created with
 * the JS SDK (a security group, an instance role with its profile, and an instance whose
 * CreationPolicy waits for a signal, so that the stack stays CREATE_IN_PROGRESS until the test
 * sends it) is followed in the list and on its page without a reload, read again on every tick
 * while it is in progress: its status reaching CREATE_COMPLETE, then DELETE_COMPLETE once deleted; its resources, outputs and events are what
 * the API answers, events in AWS's order (newest first). A stack that rolled back says why; a
 * deleted stack is found among the deleted ones; a caller denied cloudformation:DescribeStacks
 * sees the access-denied state. Screenshots in test-artifacts/console/.
 */
import {
  CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStackResourcesCommand, SignalResourceCommand, type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { cloudformationClient, createStack, settledStack } from './helpers/cloudformation.js';
import {
  browserTest, consoleUrl, eventually, expectAccessible, launchConsoleBrowser, screenshot, signIn, type ConsoleBrowser,
} from './helpers/console-browser.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const STACK = 'web-tier';
const BROKEN = 'broken-tier';
const TRUST = "{Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}";

const WEB_TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Description: A web tier - its security group, instance role and server
Parameters:
  HttpsFrom:
    Type: String
    Default: 0.0.0.0/0
Resources:
  WebGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: HTTPS in
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref HttpsFrom}
  WebRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: ${TRUST}
  WebProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref WebRole]
  WebServer:
    Type: AWS::EC2::Instance
    CreationPolicy:
      ResourceSignal: {Count: 1, Timeout: PT10M}
    Properties:
      ImageId: ami-03c951bbe993ea087
      InstanceType: t3.micro
      SecurityGroupIds: [!GetAtt WebGroup.GroupId]
      IamInstanceProfile: !Ref WebProfile
Outputs:
  RoleArn:
    Description: The web servers' role
    Value: !GetAtt WebRole.Arn
  GroupId:
    Value: !GetAtt WebGroup.GroupId
    Export:
      Name: !Sub '\${AWS::StackName}-GroupId'
  ServerId:
    Value: !Ref WebServer
`;

/** A security group that is created, and a role whose managed policy does not exist: the stack rolls back. */
const BROKEN_TEMPLATE = `Resources:
  BrokenGroup:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: kept for a moment}
  BrokenRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: ${TRUST}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/NoSuchPolicy]
`;

let server: TestServer;
let cfn: CloudFormationClient;
let browser: ConsoleBrowser;
let page: Page;
let stackId: string;

async function open(target: Page, route: string): Promise<void> {
  await target.goto('about:blank');
  await target.goto(consoleUrl(server.url, route));
}

/** The text of each cell of a table (named by its caption), row by row, first lines only (a status without its reason). */
function tableCells(target: Page, caption: string): Promise<string[][]> {
  return target.getByRole('region', { name: caption, exact: true }).locator('tbody tr')
    .evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => ((cell as unknown as { innerText: string }).innerText.trim().split('\n')[0] ?? '').trim())));
}

function rowKeys(target: Page, caption: string): Promise<string[]> {
  return target.getByRole('region', { name: caption, exact: true }).locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key') ?? ''));
}

/** The stack's resources as the API answers them: logical id, physical id, type, status. */
async function apiResources(stackName: string): Promise<string[][]> {
  const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: stackName }))).StackResources ?? [];
  return resources.map((resource) => [resource.LogicalResourceId!, resource.PhysicalResourceId ?? '—', resource.ResourceType!, resource.ResourceStatus!]);
}

/** The stack's event ids in the API's order (newest first). */
async function apiEventIds(stackName: string): Promise<string[]> {
  return ((await cfn.send(new DescribeStackEventsCommand({ StackName: stackName }))).StackEvents ?? []).map((event) => event.EventId!);
}

/** The page's resources table agrees with the API (first four columns). */
async function resourcesAsApi(stackName: string): Promise<boolean> {
  const shown = (await tableCells(page, 'Resources')).map((cells) => cells.slice(0, 4));
  return JSON.stringify(shown) === JSON.stringify(await apiResources(stackName));
}

const stackStatus = (target: Page, status: string) => target.locator('#stack-status').getByText(status, { exact: true });

describe('console: Stacks against CloudFormation', browserTest(), () => {
  before(async () => {
    server = await startTestServer();
    // The instance waits for SignalResource (iamd would otherwise signal it once it runs).
    server.app.cloudformation.settings.signalInstancesWhenRunning = false;
    cfn = cloudformationClient(server);
    browser = await launchConsoleBrowser();
    page = browser.page;
    await signIn(page, server.url, server.root, '/stacks');
  });
  after(async () => {
    await browser?.close();
    cfn?.destroy();
    await server?.close();
  });

  it('a stack being created appears in the list, and its page follows it to CREATE_COMPLETE without a reload', async () => {
    await page.getByText('No stacks.').waitFor();
    stackId = (await cfn.send(new CreateStackCommand({ StackName: STACK, TemplateBody: WEB_TEMPLATE, Capabilities: ['CAPABILITY_IAM'] }))).StackId!;
    const row = page.locator(`main tr[data-key="${stackId}"]`);
    await row.getByText('CREATE_IN_PROGRESS').waitFor();
    assert.match(await row.innerText(), /A web tier - its security group, instance role and server/);
    await eventually('the server waiting for its signal', async () => server.app.cloudformation.signals.waiting(stackId, 'WebServer'));
    await row.getByRole('link', { name: STACK }).click();
    await page.getByRole('heading', { name: STACK, level: 1 }).waitFor();
    assert.equal(new URL(page.url()).hash, `#/stacks/${STACK}?id=${encodeURIComponent(stackId)}`);
    await stackStatus(page, 'CREATE_IN_PROGRESS').waitFor();
    await eventually('the resources as the API has them while the server waits', () => resourcesAsApi(STACK));
    const waiting = Object.fromEntries((await tableCells(page, 'Resources')).map((cells) => [cells[0], cells[3]]));
    assert.deepEqual(waiting, { WebGroup: 'CREATE_COMPLETE', WebRole: 'CREATE_COMPLETE', WebProfile: 'CREATE_COMPLETE', WebServer: 'CREATE_IN_PROGRESS' });
    assert.equal(await page.getByRole('region', { name: 'Outputs', exact: true }).count(), 0, 'no outputs before the stack is complete');
    await expectAccessible(page, 'stack in progress');
    await screenshot(page, 'stack-in-progress');
    // Nothing reaches the trail while the server waits, yet the page asks for the stack on every tick (3 s).
    const reads = (): number => server.audit.records.filter((event) => event.eventName === 'DescribeStacks'
      && event.userIdentity.accessKeyId === server.root.accessKeyId && /HeadlessChrome/.test(event.userAgent ?? '')).length;
    const readsBefore = reads();
    await new Promise((resolve) => setTimeout(resolve, 7500));
    assert.ok(reads() - readsBefore >= 2, `the stack read ${reads() - readsBefore} times in 7.5 s while in progress`);

    const navigations: string[] = [];
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations.push(frame.url()); });
    const serverId = (await apiResources(STACK)).find(([logicalId]) => logicalId === 'WebServer')![1]!;
    await cfn.send(new SignalResourceCommand({ StackName: STACK, LogicalResourceId: 'WebServer', UniqueId: serverId, Status: 'SUCCESS' }));
    await stackStatus(page, 'CREATE_COMPLETE').waitFor();
    const stack = await settledStack(cfn, STACK);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.ok(await resourcesAsApi(STACK), 'resources as the API has them');
    assert.deepEqual(await rowKeys(page, 'Events'), await apiEventIds(STACK), 'events in the API\'s order');
    const newest = (await tableCells(page, 'Events'))[0]!;
    assert.deepEqual(newest.slice(1, 4), [STACK, 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE'], 'newest first');
    assert.deepEqual(await tableCells(page, 'Outputs'), stack.Outputs!.map((output) => [output.OutputKey!, output.OutputValue!, output.Description ?? '', output.ExportName ?? '']));
    assert.match(stack.Outputs!.find((output) => output.OutputKey === 'RoleArn')!.OutputValue!, /^arn:aws:iam::000000000000:role\/web-tier-WebRole-/);
    assert.deepEqual(await tableCells(page, 'Parameters'), [['HttpsFrom', '0.0.0.0/0']]);
    assert.deepEqual(navigations, [], 'no reload');
    await expectAccessible(page, 'stack');
    await screenshot(page, 'stack-complete');
  });

  it('deleting it: its page follows it to DELETE_COMPLETE, the list drops it and shows it among the deleted', async () => {
    const list = await browser.context.newPage();
    try {
      await signIn(list, server.url, server.root, '/stacks');
      const row = list.locator(`main tr[data-key="${stackId}"]`);
      await row.getByText('CREATE_COMPLETE').waitFor();
      const navigations: string[] = [];
      page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations.push(frame.url()); });
      await cfn.send(new DeleteStackCommand({ StackName: STACK }));
      await stackStatus(page, 'DELETE_COMPLETE').waitFor();
      assert.equal((await settledStack(cfn, stackId)).StackStatus, 'DELETE_COMPLETE');
      await eventually('every resource deleted, as the API has them', () => resourcesAsApi(stackId));
      assert.ok((await tableCells(page, 'Resources')).every((cells) => cells[3] === 'DELETE_COMPLETE'));
      assert.deepEqual(await rowKeys(page, 'Events'), await apiEventIds(stackId));
      assert.deepEqual(navigations, [], 'no reload');
      await row.waitFor({ state: 'detached' });
      await list.getByText('No stacks.').waitFor();
      await list.getByLabel('Show').selectOption('deleted');
      await row.getByText('DELETE_COMPLETE').waitFor();
      assert.match(list.url(), /#\/stacks\?view=deleted$/);
      await expectAccessible(list, 'deleted stacks');
      await screenshot(list, 'stacks-deleted');
    } finally {
      await list.close();
    }
  });

  it('a stack that rolled back says why: the failed resource and its reason, as its events have them', async () => {
    const stack = await createStack(cfn, { StackName: BROKEN, TemplateBody: BROKEN_TEMPLATE, Capabilities: ['CAPABILITY_IAM'] });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    assert.equal(stack.StackStatusReason, undefined, 'the status itself carries no reason');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: BROKEN }))).StackEvents!;
    const failed = events.find((event) => event.ResourceStatus === 'CREATE_FAILED')!;
    assert.equal(failed.LogicalResourceId, 'BrokenRole');
    await open(page, '/stacks');
    await page.locator(`main tr[data-key="${stack.StackId}"]`).getByText('ROLLBACK_COMPLETE').waitFor();
    await open(page, `/stacks/${BROKEN}`);
    const why = page.getByRole('region', { name: 'Why the stack failed' });
    await why.waitFor();
    const text = await why.innerText();
    assert.match(text, /BrokenRole \(AWS::IAM::Role\) CREATE_FAILED/);
    assert.ok(text.includes(failed.ResourceStatusReason!), text);
    assert.match(failed.ResourceStatusReason!, /Policy arn:aws:iam::aws:policy\/NoSuchPolicy does not exist or is not attachable/);
    assert.ok(text.includes('The following resource(s) failed to create: [BrokenRole]. Rollback requested by user.'), text);
    assert.ok(!text.includes('BrokenGroup'), 'only what failed');
    assert.equal(new URL(page.url()).hash, `#/stacks/${BROKEN}?id=${encodeURIComponent(stack.StackId!)}`, 'opened by name, the page keeps the id');
    assert.equal(await page.locator('tr.row-denied').count(), 1, 'the failed event stands out');
    await expectAccessible(page, 'rolled-back stack');
    await screenshot(page, 'stack-rolled-back');
  });

  it('a stack name no live stack has is said so', async () => {
    await open(page, `/stacks/${STACK}`);
    await page.getByText('This stack does not exist.').waitFor();
    await page.getByRole('link', { name: 'deleted stacks' }).click();
    await page.locator(`main tr[data-key="${stackId}"]`).waitFor();
  });

  it('a caller denied cloudformation:DescribeStacks sees the access-denied state, on the list and on a stack', async () => {
    const denied = await createUserWithKey(server, 'no-stacks', allow('iam:ListRoles'));
    const other = await browser.context.newPage();
    try {
      await signIn(other, server.url, denied, '/stacks');
      await other.getByText('Access denied: your credentials may not call DescribeStacks').waitFor();
      await expectAccessible(other, 'stacks access denied');
      await screenshot(other, 'stacks-access-denied');
      await open(other, `/stacks/${BROKEN}`);
      await other.getByText('Access denied: your credentials may not call DescribeStacks').waitFor();
      const refused = server.audit.records.filter((event) => event.eventName === 'DescribeStacks' && event.userIdentity.accessKeyId === denied.accessKeyId);
      assert.ok(refused.length >= 2 && refused.every((event) => event.errorCode === 'AccessDenied'), 'refused, and recorded in the trail');
    } finally {
      await other.close();
    }
    assert.deepEqual(browser.pageErrors, []);
  });
});
