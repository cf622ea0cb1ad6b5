/**
 * Templates through the API, with the JS SDK and boto3: ValidateTemplate and GetTemplateSummary
 * (parameters, description, capabilities and why, resource types), GetTemplate, the
 * ValidationErrors of a bad template and of a circular dependency, capabilities for named IAM
 * resources, a second stack of the same name, and boto3's own stack_create_complete waiter.
 */
import {
  CreateStackCommand, GetTemplateCommand, GetTemplateSummaryCommand, ValidateTemplateCommand, type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cloudformationClient, createStack } from './helpers/cloudformation.js';
import { boto3, realClient } from './helpers/real-clients.js';
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

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Description: An instance role and a network
Parameters:
  Environment:
    Type: String
    Default: test
    AllowedValues: [test, prod]
    Description: where it runs
  Secret:
    Type: String
    NoEcho: true
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}
  Network:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.10.0.0/16}
`;

describe('ValidateTemplate and GetTemplateSummary', () => {
  it('ValidateTemplate lists parameters, the description and the capability the template needs, with the reason', async () => {
    const answer = await cfn.send(new ValidateTemplateCommand({ TemplateBody: TEMPLATE }));
    assert.equal(answer.Description, 'An instance role and a network');
    assert.deepEqual(answer.Parameters!.map((parameter) => [parameter.ParameterKey, parameter.DefaultValue, parameter.NoEcho, parameter.Description]), [
      ['Environment', 'test', false, 'where it runs'],
      ['Secret', undefined, true, undefined],
    ]);
    assert.deepEqual(answer.Capabilities, ['CAPABILITY_IAM']);
    assert.equal(answer.CapabilitiesReason, 'The following resource(s) require capabilities: [AWS::IAM::Role]');
  });

  it('GetTemplateSummary adds parameter types and constraints, and the resource types', async () => {
    const answer = await cfn.send(new GetTemplateSummaryCommand({ TemplateBody: TEMPLATE }));
    const environment = answer.Parameters!.find((parameter) => parameter.ParameterKey === 'Environment')!;
    assert.equal(environment.ParameterType, 'String');
    assert.deepEqual(environment.ParameterConstraints!.AllowedValues, ['test', 'prod']);
    assert.deepEqual(answer.ResourceTypes, ['AWS::IAM::Role', 'AWS::EC2::VPC']);
    assert.equal(answer.Version, '2010-09-09');
  });

  it('a malformed template is a ValidationError with the engine\'s message', async () => {
    const error = await expectAwsError(cfn.send(new ValidateTemplateCommand({ TemplateBody: 'Resources:\n  Thing:\n    Properties: {}\n' })), 'ValidationError');
    assert.match(error.message, /^Template format error: /);
    const missing = await expectAwsError(cfn.send(new ValidateTemplateCommand({})), 'ValidationError');
    assert.equal(missing.message, 'Either Template URL or Template Body must be specified.');
  });
});

describe('CreateStack refusals', () => {
  it('a named IAM resource needs CAPABILITY_NAMED_IAM; CAPABILITY_IAM is not enough', async () => {
    const named = TEMPLATE.replace('    Properties:\n      AssumeRolePolicyDocument', '    Properties:\n      RoleName: named-role\n      AssumeRolePolicyDocument');
    const error = await expectAwsError(cfn.send(new CreateStackCommand({
      StackName: 'named', TemplateBody: named, Capabilities: ['CAPABILITY_IAM'], Parameters: [{ ParameterKey: 'Secret', ParameterValue: 'x' }],
    })), 'InsufficientCapabilitiesException');
    assert.equal(error.message, 'Requires capabilities : [CAPABILITY_NAMED_IAM]');
  });

  it('a circular dependency, an unknown attribute and a missing parameter are ValidationErrors', async () => {
    const cycle = `Resources:
  A:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: !GetAtt B.CidrBlock}
  B:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: !GetAtt A.CidrBlock}
`;
    const circular = await expectAwsError(cfn.send(new CreateStackCommand({ StackName: 'cycle', TemplateBody: cycle })), 'ValidationError');
    assert.match(circular.message, /^Circular dependency between resources: \[(A, B|B, A)\]$/);
    const attribute = await expectAwsError(cfn.send(new CreateStackCommand({
      StackName: 'attribute', TemplateBody: 'Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\nOutputs:\n  X: {Value: !GetAtt A.Colour}\n',
    })), 'ValidationError');
    assert.equal(attribute.message, 'Template error: resource A does not support attribute type Colour in Fn::GetAtt');
    const inSub = await expectAwsError(cfn.send(new CreateStackCommand({
      StackName: 'attribute-in-sub',
      TemplateBody: 'Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\nOutputs:\n  X: {Value: !Sub "${A.CidrBlock} is ${A.Colour}"}\n',
    })), 'ValidationError');
    assert.equal(inSub.message, 'Template error: instance of Fn::Sub references invalid resource attribute A.Colour');
    const parameter = await expectAwsError(cfn.send(new CreateStackCommand({ StackName: 'parameter', TemplateBody: TEMPLATE, Capabilities: ['CAPABILITY_IAM'] })), 'ValidationError');
    assert.equal(parameter.message, 'Parameters: [Secret] must have values');
  });

  it('a second stack of the same name is AlreadyExistsException; GetTemplate returns the body as given', async () => {
    const body = 'Resources:\n  Network:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.11.0.0/16}\n';
    await createStack(cfn, { StackName: 'only-one', TemplateBody: body });
    const error = await expectAwsError(cfn.send(new CreateStackCommand({ StackName: 'only-one', TemplateBody: body })), 'AlreadyExistsException');
    assert.equal(error.message, 'Stack [only-one] already exists');
    const template = await cfn.send(new GetTemplateCommand({ StackName: 'only-one' }));
    assert.equal(template.TemplateBody, body);
    const badName = await expectAwsError(cfn.send(new CreateStackCommand({ StackName: 'under_score', TemplateBody: body })), 'ValidationError');
    assert.equal(badName.message, "1 validation error detected: Value 'under_score' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
  });
});

describe('boto3', realClient('boto3'), () => {
  it('create_stack, the stack_create_complete waiter and describe_stack_events work unchanged', async () => {
    const result = await boto3(server, server.root, `
cfn = boto3.client("cloudformation", endpoint_url=ENDPOINT)
stack_id = cfn.create_stack(StackName="from-boto3", TemplateBody=${JSON.stringify('Resources:\n  Network:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.12.0.0/16}\n')})["StackId"]
cfn.get_waiter("stack_create_complete").wait(StackName="from-boto3", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
stack = cfn.describe_stacks(StackName=stack_id)["Stacks"][0]
events = cfn.describe_stack_events(StackName="from-boto3")["StackEvents"]
cfn.delete_stack(StackName="from-boto3")
cfn.get_waiter("stack_delete_complete").wait(StackName="from-boto3", WaiterConfig={"Delay": 1, "MaxAttempts": 30})
print(json.dumps({"status": stack["StackStatus"], "events": [e["ResourceStatus"] for e in events], "after": cfn.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]}))
`);
    assert.equal(result.status, 0, result.stderr);
    const answer = JSON.parse(result.stdout) as { status: string; events: string[]; after: string };
    assert.equal(answer.status, 'CREATE_COMPLETE');
    assert.deepEqual(answer.events, ['CREATE_COMPLETE', 'CREATE_COMPLETE', 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS']);
    assert.equal(answer.after, 'DELETE_COMPLETE');
  });
});
