/**
 * The calls a stack makes that iamd answers without a service of its own (AWS::SSM::Parameter's
 * PutParameter / DeleteParameter, AWS::EC2::LaunchTemplate's CreateLaunchTemplate,
 * CreateLaunchTemplateVersion and DeleteLaunchTemplate), with the JS SDK: they are authorized as
 * calls made through CloudFormation (aws:CalledVia), refused with the reason a service's refusal
 * gives, and recorded in the trail as CloudTrail records a service's calls for a principal
 * (invokedBy cloudformation.amazonaws.com), never with the parameter's value or the user data.
 */
import { DeleteStackCommand, UpdateStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CloudTrailEvent } from '../src/audit/cloudtrail-event.js';
import { cloudformationClient, createStack, resourceHistory, settledStack, stackEvents } from './helpers/cloudformation.js';
import { createUserWithKey } from './helpers/iam.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.close();
});

/** A policy allowing CloudFormation, and `actions` only when the call came through `calledVia`. */
function allowedOnlyVia(actions: string[], calledVia: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' },
      { Effect: 'Allow', Action: actions, Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': calledVia } } },
    ],
  });
}

async function deployer(name: string, actions: string[], calledVia: string): Promise<CloudFormationClient> {
  return cloudformationClient(server, await createUserWithKey(server, name, allowedOnlyVia(actions, calledVia)));
}

/** The trail records of `eventName` that user `userName` made. */
function recordsOf(userName: string, eventName: string): CloudTrailEvent[] {
  return server.audit.records.filter((event) => event.eventName === eventName && (event.userIdentity as { userName?: string }).userName === userName);
}

function assertInvokedByCloudFormation(record: CloudTrailEvent, eventSource: string): void {
  assert.equal(record.eventSource, eventSource);
  assert.equal((record.userIdentity as { invokedBy?: string }).invokedBy, 'cloudformation.amazonaws.com');
  assert.equal(record.sourceIPAddress, 'cloudformation.amazonaws.com');
  assert.equal(record.userAgent, 'cloudformation.amazonaws.com');
}

const SSM_ACTIONS = ['ssm:PutParameter', 'ssm:DeleteParameter'];
const PARAMETER_STACK = `Parameters:
  Setting: {Type: String, NoEcho: true}
Resources:
  Parameter:
    Type: AWS::SSM::Parameter
    Properties: {Name: /performed/setting, Type: String, Value: !Ref Setting, Description: written by a stack}
`;

describe('AWS::SSM::Parameter: PutParameter and DeleteParameter through CloudFormation', () => {
  const FIRST = 'recognisable-first-value-4d81c2';
  const SECOND = 'recognisable-second-value-9a07e5';

  it('a policy allowing ssm:PutParameter only via CloudFormation lets the stack write it; the trail has each call, never the value', async () => {
    const cfn = await deployer('ssm-via-cfn', SSM_ACTIONS, 'cloudformation.amazonaws.com');
    const stack = await createStack(cfn, { StackName: 'performed-ssm', TemplateBody: PARAMETER_STACK, Parameters: [{ ParameterKey: 'Setting', ParameterValue: FIRST }] });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(server.app.cloudformation.parameters.get('/performed/setting')?.value, FIRST);

    const [put, ...others] = recordsOf('ssm-via-cfn', 'PutParameter');
    assert.ok(put, 'the stack\'s PutParameter is in the trail');
    assert.equal(others.length, 0);
    assertInvokedByCloudFormation(put, 'ssm.amazonaws.com');
    assert.equal(put.errorCode, undefined);
    assert.deepEqual(put.requestParameters, {
      name: '/performed/setting', description: 'written by a stack', value: 'HIDDEN_DUE_TO_SECURITY_REASONS', type: 'String', overwrite: false, tier: 'Standard', dataType: 'text',
    });
    assert.deepEqual(put.responseElements, { version: 1, tier: 'Standard' });

    // An update writes a new version (Overwrite); its value is no more in the trail than the first.
    await cfn.send(new UpdateStackCommand({ StackName: 'performed-ssm', TemplateBody: PARAMETER_STACK, Parameters: [{ ParameterKey: 'Setting', ParameterValue: SECOND }] }));
    assert.equal((await settledStack(cfn, 'performed-ssm')).StackStatus, 'UPDATE_COMPLETE');
    assert.equal(server.app.cloudformation.parameters.get('/performed/setting')?.value, SECOND);
    const overwrite = recordsOf('ssm-via-cfn', 'PutParameter')[1]!;
    assert.equal(overwrite.requestParameters!.overwrite, true);
    assert.deepEqual(overwrite.responseElements, { version: 2, tier: 'Standard' });

    await cfn.send(new DeleteStackCommand({ StackName: 'performed-ssm' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    assert.equal(server.app.cloudformation.parameters.get('/performed/setting'), undefined);
    const [deleted] = recordsOf('ssm-via-cfn', 'DeleteParameter');
    assert.ok(deleted, 'the stack\'s DeleteParameter is in the trail');
    assertInvokedByCloudFormation(deleted, 'ssm.amazonaws.com');
    assert.deepEqual(deleted.requestParameters, { name: '/performed/setting' });

    const trail = JSON.stringify(server.audit.records);
    assert.ok(!trail.includes(FIRST) && !trail.includes(SECOND), 'a parameter value is in the trail');
    cfn.destroy();
  });

  it('a policy allowing ssm:PutParameter only via another service: CREATE_FAILED with AccessDenied, the refusal in the trail', async () => {
    const cfn = await deployer('ssm-via-athena', SSM_ACTIONS, 'athena.amazonaws.com');
    const stack = await createStack(cfn, { StackName: 'performed-ssm-denied', TemplateBody: PARAMETER_STACK, Parameters: [{ ParameterKey: 'Setting', ParameterValue: FIRST }] });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    assert.equal(server.app.cloudformation.parameters.get('/performed/setting'), undefined);
    const failure = resourceHistory(await stackEvents(cfn, 'performed-ssm-denied'), 'Parameter').find((line) => line.startsWith('CREATE_FAILED'))!;
    assert.match(failure, /^CREATE_FAILED: Resource handler returned message: "User: arn:aws:iam::000000000000:user\/ssm-via-athena is not authorized to perform: ssm:PutParameter on resource: arn:aws:ssm:us-east-1:000000000000:parameter\/performed\/setting/);
    const [refused] = recordsOf('ssm-via-athena', 'PutParameter');
    assert.ok(refused, 'the refused PutParameter is in the trail');
    assertInvokedByCloudFormation(refused, 'ssm.amazonaws.com');
    assert.equal(refused.errorCode, 'AccessDeniedException');
    assert.match(failure, new RegExp(`\\(Service: Ssm, Status Code: 400, Request ID: ${refused.requestID}\\)" \\(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: AccessDenied\\)$`));
    assert.ok(!JSON.stringify(refused).includes(FIRST), 'the parameter value is in the trail');
    cfn.destroy();
  });
});

describe('AWS::EC2::LaunchTemplate: launch template calls through CloudFormation', () => {
  const USER_DATA = Buffer.from('#!/bin/sh\necho recognisable-user-data-62bf0a\n').toString('base64');
  const EC2_ACTIONS = ['ec2:CreateLaunchTemplate', 'ec2:CreateLaunchTemplateVersion', 'ec2:DeleteLaunchTemplate'];
  const TEMPLATE_STACK = (instanceType: string): string => `Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateName: performed-template
      LaunchTemplateData: {ImageId: ami-0abcdef1234567890, InstanceType: ${instanceType}, UserData: ${USER_DATA}}
`;

  it('allowed only via CloudFormation: created, versioned and deleted by the stack; the trail has each call, never the user data', async () => {
    const cfn = await deployer('ec2-via-cfn', EC2_ACTIONS, 'cloudformation.amazonaws.com');
    const stack = await createStack(cfn, { StackName: 'performed-ec2', TemplateBody: TEMPLATE_STACK('t3.micro') });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const template = server.app.cloudformation.launchTemplates.list().find((candidate) => candidate.launchTemplateName === 'performed-template')!;
    assert.ok(template, 'the launch template is kept');

    const [created] = recordsOf('ec2-via-cfn', 'CreateLaunchTemplate');
    assert.ok(created, 'the stack\'s CreateLaunchTemplate is in the trail');
    assertInvokedByCloudFormation(created, 'ec2.amazonaws.com');
    assert.equal(created.errorCode, undefined);
    assert.deepEqual(created.requestParameters, {
      launchTemplateName: 'performed-template',
      launchTemplateData: { imageId: 'ami-0abcdef1234567890', instanceType: 't3.micro', userData: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
    });
    assert.deepEqual(created.responseElements, {
      launchTemplate: { launchTemplateId: template.launchTemplateId, launchTemplateName: 'performed-template', defaultVersionNumber: 1, latestVersionNumber: 1 },
    });

    await cfn.send(new UpdateStackCommand({ StackName: 'performed-ec2', TemplateBody: TEMPLATE_STACK('t3.small') }));
    assert.equal((await settledStack(cfn, 'performed-ec2')).StackStatus, 'UPDATE_COMPLETE');
    const [versioned] = recordsOf('ec2-via-cfn', 'CreateLaunchTemplateVersion');
    assert.ok(versioned, 'the stack\'s CreateLaunchTemplateVersion is in the trail');
    assertInvokedByCloudFormation(versioned, 'ec2.amazonaws.com');
    assert.equal(versioned.requestParameters!.launchTemplateId, template.launchTemplateId);

    await cfn.send(new DeleteStackCommand({ StackName: 'performed-ec2' }));
    assert.equal((await settledStack(cfn, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    assert.equal(server.app.cloudformation.launchTemplates.get(template.launchTemplateId), undefined);
    const [deleted] = recordsOf('ec2-via-cfn', 'DeleteLaunchTemplate');
    assert.ok(deleted, 'the stack\'s DeleteLaunchTemplate is in the trail');
    assertInvokedByCloudFormation(deleted, 'ec2.amazonaws.com');

    // (CreateStack's record holds the template body, user data included, as CloudTrail's does.)
    assert.ok(!JSON.stringify([created, versioned, deleted]).includes(USER_DATA), 'the user data is in a launch template record');
    cfn.destroy();
  });

  it('allowed only via another service: CREATE_FAILED with EC2\'s UnauthorizedOperation, the refusal in the trail', async () => {
    const cfn = await deployer('ec2-via-athena', EC2_ACTIONS, 'athena.amazonaws.com');
    const stack = await createStack(cfn, { StackName: 'performed-ec2-denied', TemplateBody: TEMPLATE_STACK('t3.micro') });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const failure = resourceHistory(await stackEvents(cfn, 'performed-ec2-denied'), 'Template').find((line) => line.startsWith('CREATE_FAILED'))!;
    assert.match(failure, /^CREATE_FAILED: Resource handler returned message: "You are not authorized to perform this operation\. User: arn:aws:iam::000000000000:user\/ec2-via-athena is not authorized to perform: ec2:CreateLaunchTemplate on resource: arn:aws:ec2:us-east-1:000000000000:launch-template\/lt-/);
    assert.match(failure, /\(Service: Ec2, Status Code: 403, Request ID: [0-9a-f-]{36}\)" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: AccessDenied\)$/);
    const [refused] = recordsOf('ec2-via-athena', 'CreateLaunchTemplate');
    assert.ok(refused, 'the refused CreateLaunchTemplate is in the trail');
    assertInvokedByCloudFormation(refused, 'ec2.amazonaws.com');
    assert.equal(refused.errorCode, 'Client.UnauthorizedOperation');
    assert.ok(!JSON.stringify(refused).includes(USER_DATA), 'the user data is in the trail');
    cfn.destroy();
  });

  it('a name already in use: checked after authorization, CREATE_FAILED with EC2\'s AlreadyExistsException, the failed call in the trail', async () => {
    const cfn = await deployer('ec2-twice', EC2_ACTIONS, 'cloudformation.amazonaws.com');
    const TWICE = TEMPLATE_STACK('t3.micro').replace('performed-template', 'performed-twice');
    assert.equal((await createStack(cfn, { StackName: 'performed-first', TemplateBody: TWICE })).StackStatus, 'CREATE_COMPLETE');
    const second = await createStack(cfn, { StackName: 'performed-second', TemplateBody: TWICE });
    assert.equal(second.StackStatus, 'ROLLBACK_COMPLETE');
    const failure = resourceHistory(await stackEvents(cfn, 'performed-second'), 'Template').find((line) => line.startsWith('CREATE_FAILED'))!;
    const records = recordsOf('ec2-twice', 'CreateLaunchTemplate');
    assert.equal(records.length, 2);
    const refused = records.find((record) => record.errorCode !== undefined)!;
    assert.equal(refused.errorCode, 'Client.InvalidLaunchTemplateName.AlreadyExistsException');
    assert.equal(refused.errorMessage, 'Launch template name already in use.');
    assert.equal(failure, `CREATE_FAILED: Resource handler returned message: "Launch template name already in use. (Service: Ec2, Status Code: 400, Request ID: ${refused.requestID})" `
      + `(RequestToken: ${/RequestToken: ([0-9a-f-]{36})/.exec(failure)?.[1]}, HandlerErrorCode: AlreadyExists)`);
    assert.equal(server.app.cloudformation.launchTemplates.list().filter((template) => template.launchTemplateName === 'performed-twice').length, 1);

    // A caller refused by authorization is told so, not that the name is taken.
    const outsider = await deployer('ec2-outsider', EC2_ACTIONS, 'athena.amazonaws.com');
    await createStack(outsider, { StackName: 'performed-outsider', TemplateBody: TWICE });
    const refusal = resourceHistory(await stackEvents(outsider, 'performed-outsider'), 'Template').find((line) => line.startsWith('CREATE_FAILED'))!;
    assert.match(refusal, /HandlerErrorCode: AccessDenied\)$/);
    assert.ok(!refusal.includes('already in use'));
    cfn.destroy();
    outsider.destroy();
  });
});
