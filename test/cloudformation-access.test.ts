/**
 * Who may do what, and what is never shown, with the JS SDK. CloudFormation acts with its caller's
 * permissions: a caller without cloudformation:CreateStack is refused (AccessDenied); a caller who
 * may create stacks but not roles sees the role fail with AWS's AccessDenied reason and the stack
 * roll back; a policy that allows iam:CreateRole only through CloudFormation (aws:CalledVia) lets
 * the stack create the role while the same call made directly is refused (and the trail records
 * the stack's call with invokedBy cloudformation.amazonaws.com). NoEcho parameters are
 * '****' wherever the stack is described, and a secret access key read with Fn::GetAtt reaches the
 * resource that uses it but never an event.
 */
import {
  CreateChangeSetCommand, CreateStackCommand, DeleteStackCommand, DescribeStackResourcesCommand, DescribeStacksCommand, UpdateStackCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cloudformationClient, createStack, resourceHistory, settledStack, stackEvents } from './helpers/cloudformation.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import { expectAwsError, iamClient, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let root: CloudFormationClient;

const TRUST = "{Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}";
const ROLE_STACK = (roleName: string) => `Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.90.0.0/16}
  AppRole:
    Type: AWS::IAM::Role
    DependsOn: Network
    Properties:
      RoleName: ${roleName}
      AssumeRolePolicyDocument: ${TRUST}
`;

before(async () => {
  server = await startTestServer();
  root = cloudformationClient(server);
});

after(async () => {
  root?.destroy();
  await server?.close();
});

describe('the caller\'s permissions', () => {
  it('a caller without cloudformation:CreateStack is refused: AccessDenied', async () => {
    const viewer = cloudformationClient(server, await createUserWithKey(server, 'stack-viewer', allow('cloudformation:Describe*')));
    const error = await expectAwsError(viewer.send(new CreateStackCommand({
      StackName: 'denied', TemplateBody: ROLE_STACK('never-made'), Capabilities: ['CAPABILITY_NAMED_IAM'],
    })), 'AccessDenied');
    assert.match(error.message, /^User: arn:aws:iam::000000000000:user\/stack-viewer is not authorized to perform: cloudformation:CreateStack on resource: arn:aws:cloudformation:us-east-1:000000000000:stack\/denied\/\*/);
    await expectAwsError(viewer.send(new DescribeStacksCommand({ StackName: 'denied' })), 'ValidationError');
    viewer.destroy();
  });

  it('CloudFormation creates resources as its caller: without iam:CreateRole the role fails with AccessDenied and the stack rolls back', async () => {
    const deployer = cloudformationClient(server, await createUserWithKey(server, 'deployer', allow(['cloudformation:*', 'ec2:*'])));
    const stack = await createStack(deployer, { StackName: 'no-iam', TemplateBody: ROLE_STACK('deployer-role'), Capabilities: ['CAPABILITY_NAMED_IAM'] });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const events = await stackEvents(deployer, 'no-iam');
    const failure = resourceHistory(events, 'AppRole')[1]!;
    assert.match(failure, /^CREATE_FAILED: Resource handler returned message: "User: arn:aws:iam::000000000000:user\/deployer is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::000000000000:role\/deployer-role/);
    assert.match(failure, /\(Service: Iam, Status Code: 403, Request ID: [0-9a-f-]{36}\)" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: AccessDenied\)$/);
    assert.deepEqual(resourceHistory(events, 'Network').slice(-2), ['DELETE_IN_PROGRESS', 'DELETE_COMPLETE']);
    deployer.destroy();
  });

  it('aws:CalledVia: a role allowed only through CloudFormation is created by the stack, refused when asked for directly', async () => {
    const viaOnly = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'cloudformation:*', Resource: '*' },
        { Effect: 'Allow', Action: 'ec2:*', Resource: '*' },
        {
          Effect: 'Allow', Action: ['iam:CreateRole', 'iam:DeleteRole'], Resource: '*',
          Condition: { 'ForAnyValue:StringEquals': { 'aws:CalledVia': 'cloudformation.amazonaws.com' }, Bool: { 'aws:ViaAWSService': 'true' } },
        },
      ],
    });
    const credentials = await createUserWithKey(server, 'via-cloudformation', viaOnly);
    const direct = iamClient(server, credentials);
    await expectAwsError(direct.send(new CreateRoleCommand({ RoleName: 'direct-role', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) })), 'AccessDenied');
    direct.destroy();

    const deployer = cloudformationClient(server, credentials);
    const stack = await createStack(deployer, { StackName: 'via-cfn', TemplateBody: ROLE_STACK('via-cfn-role'), Capabilities: ['CAPABILITY_NAMED_IAM'] });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const iam = iamClient(server);
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'via-cfn-role' }))).Role!.RoleName, 'via-cfn-role');
    // The trail records the call as CloudTrail records calls a service makes for a principal.
    const record = server.audit.records.find((event) => event.eventName === 'CreateRole' && event.errorCode === undefined
      && (event.userIdentity as { userName?: string }).userName === 'via-cloudformation')!;
    assert.ok(record, 'the stack\'s CreateRole is in the trail');
    assert.equal((record.userIdentity as { invokedBy?: string }).invokedBy, 'cloudformation.amazonaws.com');
    assert.equal(record.sourceIPAddress, 'cloudformation.amazonaws.com');
    assert.equal(record.userAgent, 'cloudformation.amazonaws.com');
    await deployer.send(new DeleteStackCommand({ StackName: 'via-cfn' }));
    assert.equal((await settledStack(deployer, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    await expectAwsError(iam.send(new GetRoleCommand({ RoleName: 'via-cfn-role' })), 'NoSuchEntity');
    iam.destroy();
    deployer.destroy();
  });

  it('cloudformation:ResourceTypes and cloudformation:TemplateUrl: the template a request names is checked by CreateStack, UpdateStack and CreateChangeSet alike', async () => {
    const MUTATIONS = ['cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:CreateChangeSet'];
    const noIam = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['cloudformation:*', 'ec2:*'], Resource: '*' },
        { Effect: 'Deny', Action: MUTATIONS, Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'cloudformation:ResourceTypes': 'AWS::IAM::*' } } },
        { Effect: 'Deny', Action: MUTATIONS, Resource: '*', Condition: { StringLike: { 'cloudformation:TemplateUrl': '*/untrusted/*' } } },
      ],
    });
    const deployer = cloudformationClient(server, await createUserWithKey(server, 'no-iam-templates', noIam));
    const denied = (action: string, stack: string) => new RegExp(
      `^User: arn:aws:iam::000000000000:user/no-iam-templates is not authorized to perform: cloudformation:${action} on resource: arn:aws:cloudformation:us-east-1:000000000000:stack/${stack}/.* with an explicit deny in an identity-based policy$`);
    const network = 'Resources:\n  Network:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.91.0.0/16}\n';

    const stack = await createStack(deployer, { StackName: 'network-only', TemplateBody: network });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const create = await expectAwsError(deployer.send(new CreateStackCommand({
      StackName: 'with-role', TemplateBody: ROLE_STACK('no-iam-role'), Capabilities: ['CAPABILITY_NAMED_IAM'],
    })), 'AccessDenied');
    assert.match(create.message, denied('CreateStack', 'with-role'));
    const update = await expectAwsError(deployer.send(new UpdateStackCommand({
      StackName: 'network-only', TemplateBody: ROLE_STACK('no-iam-role'), Capabilities: ['CAPABILITY_NAMED_IAM'],
    })), 'AccessDenied');
    assert.match(update.message, denied('UpdateStack', 'network-only'));
    const changeSet = await expectAwsError(deployer.send(new CreateChangeSetCommand({
      StackName: 'network-only', ChangeSetName: 'add-role', TemplateBody: ROLE_STACK('no-iam-role'), Capabilities: ['CAPABILITY_NAMED_IAM'],
    })), 'AccessDenied');
    assert.match(changeSet.message, denied('CreateChangeSet', 'network-only'));
    // Refused on the URL alone, before the template is read.
    const byUrl = await expectAwsError(deployer.send(new UpdateStackCommand({
      StackName: 'network-only', TemplateURL: `${server.url}/untrusted/network.yaml`,
    })), 'AccessDenied');
    assert.match(byUrl.message, denied('UpdateStack', 'network-only'));
    await expectAwsError(iamClient(server).send(new GetRoleCommand({ RoleName: 'no-iam-role' })), 'NoSuchEntity');
    await deployer.send(new DeleteStackCommand({ StackName: 'network-only' }));
    assert.equal((await settledStack(deployer, stack.StackId!)).StackStatus, 'DELETE_COMPLETE');
    deployer.destroy();
  });
});

describe('secrets', () => {
  const PASSWORD = 'correct-horse-battery-staple-91';
  const TEMPLATE = `Parameters:
  DatabasePassword:
    Type: String
    NoEcho: true
    MinLength: 8
Resources:
  PasswordSetting:
    Type: AWS::SSM::Parameter
    Properties: {Name: /app/db-password, Type: String, Value: !Ref DatabasePassword}
  Deployer:
    Type: AWS::IAM::User
  DeployerKey:
    Type: AWS::IAM::AccessKey
    Properties: {UserName: !Ref Deployer}
  DeployerSecret:
    Type: AWS::SSM::Parameter
    Properties: {Name: /app/deployer-secret, Type: String, Value: !GetAtt DeployerKey.SecretAccessKey}
Outputs:
  KeyId: {Value: !Ref DeployerKey}
`;

  it('a NoEcho parameter is **** in DescribeStacks and in events; a secret key read by Fn::GetAtt never reaches an event', async () => {
    const stack = await createStack(root, {
      StackName: 'secrets', TemplateBody: TEMPLATE, Capabilities: ['CAPABILITY_IAM'],
      Parameters: [{ ParameterKey: 'DatabasePassword', ParameterValue: PASSWORD }],
    });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.deepEqual(stack.Parameters, [{ ParameterKey: 'DatabasePassword', ParameterValue: '****' }]);

    const parameters = server.app.cloudformation.parameters;
    assert.equal(parameters.get('/app/db-password')?.value, PASSWORD);
    const keyId = stack.Outputs!.find((output) => output.OutputKey === 'KeyId')!.OutputValue!;
    const secret = server.app.directory.get('access-key', keyId)!.secretAccessKey;
    assert.equal(parameters.get('/app/deployer-secret')?.value, secret);

    const events = await stackEvents(root, 'secrets');
    const shown = JSON.stringify(events);
    assert.ok(!shown.includes(PASSWORD), 'the NoEcho value is in an event');
    assert.ok(!shown.includes(secret), 'the secret access key is in an event');
    const passwordEvent = events.find((event) => event.LogicalResourceId === 'PasswordSetting' && event.ResourceProperties)!;
    assert.equal(JSON.parse(passwordEvent.ResourceProperties!).Value, '****');
    const described = JSON.stringify([
      await root.send(new DescribeStacksCommand({ StackName: 'secrets' })),
      await root.send(new DescribeStackResourcesCommand({ StackName: 'secrets' })),
    ]);
    assert.ok(!described.includes(PASSWORD) && !described.includes(secret));
    // The secret key the stack read never reaches the trail either (CreateAccessKey's response is redacted there).
    assert.ok(!JSON.stringify(server.audit.records).includes(secret));
    // Nor the NoEcho value: CreateStack's parameter values are recorded as hidden.
    assert.ok(!JSON.stringify(server.audit.records).includes(PASSWORD), 'the NoEcho value is in the trail');
    const create = server.audit.records.find((event) => event.eventName === 'CreateStack' && event.requestParameters?.stackName === 'secrets')!;
    assert.deepEqual(create.requestParameters!.parameters, [{ parameterKey: 'DatabasePassword', parameterValue: 'HIDDEN_DUE_TO_SECURITY_REASONS' }]);
  });
});
