/**
 * Stacks working together and the template language end to end, with the JS SDK: an export
 * (Outputs ... Export) imported by another stack with Fn::ImportValue, ListExports / ListImports,
 * an export in use protected from deletion, a missing export failing the importer; SSM
 * parameters written by one stack and read by another through `{{resolve:ssm:...}}` and an
 * `AWS::SSM::Parameter::Value<String>` parameter; and a stack whose outputs exercise the
 * intrinsic and condition functions with AWS's documented examples.
 */
import {
  DeleteStackCommand, DescribeStackResourcesCommand, ListExportsCommand, ListImportsCommand, type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cloudformationClient, createStack, outputsOf, resourceHistory, settledStack, stackEvents } from './helpers/cloudformation.js';
import { expectAwsError, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let cfn: CloudFormationClient;
let ec2: EC2Client;

before(async () => {
  server = await startTestServer();
  cfn = cloudformationClient(server);
  ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, maxAttempts: 1 });
});

after(async () => {
  cfn?.destroy();
  ec2?.destroy();
  await server?.close();
});

const NETWORK = `Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.60.0.0/16}
Outputs:
  VpcId:
    Value: !Ref Network
    Export: {Name: !Sub '\${AWS::StackName}-VpcId'}
  VpcCidr:
    Value: !GetAtt Network.CidrBlock
    Export: {Name: shared-vpc-cidr}
`;

const APPLICATION = `Parameters:
  NetworkStack: {Type: String, Default: network}
Resources:
  AppSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: {'Fn::ImportValue': !Sub '\${NetworkStack}-VpcId'}
      CidrBlock: !Select [2, !Cidr [!ImportValue shared-vpc-cidr, 4, 8]]
Outputs:
  SubnetId: {Value: !Ref AppSubnet}
`;

describe('exports and Fn::ImportValue across stacks', () => {
  let networkId: string;

  it('a stack imports another stack\'s exports; ListExports and ListImports show them', async () => {
    const network = await createStack(cfn, { StackName: 'network', TemplateBody: NETWORK });
    assert.equal(network.StackStatus, 'CREATE_COMPLETE');
    networkId = network.StackId!;
    const app = await createStack(cfn, { StackName: 'application', TemplateBody: APPLICATION });
    assert.equal(app.StackStatus, 'CREATE_COMPLETE');
    const subnet = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [outputsOf(app).SubnetId!] }))).Subnets![0]!;
    assert.equal(subnet.VpcId, outputsOf(network).VpcId);
    assert.equal(subnet.CidrBlock, '10.60.2.0/24');

    const exports = (await cfn.send(new ListExportsCommand({}))).Exports!;
    assert.deepEqual(exports.map((entry) => [entry.Name, entry.Value, entry.ExportingStackId]), [
      ['network-VpcId', outputsOf(network).VpcId, networkId],
      ['shared-vpc-cidr', '10.60.0.0/16', networkId],
    ]);
    assert.deepEqual((await cfn.send(new ListImportsCommand({ ExportName: 'network-VpcId' }))).Imports, ['application']);
    const none = await expectAwsError(cfn.send(new ListImportsCommand({ ExportName: 'nobody-imports-this' })), 'ValidationError');
    assert.equal(none.message, "Export 'nobody-imports-this' is not imported by any stack.");
  });

  it('a second stack cannot export a name already exported', async () => {
    const clash = await createStack(cfn, { StackName: 'network2', TemplateBody: NETWORK.replace('10.60.0.0/16', '10.61.0.0/16') });
    assert.equal(clash.StackStatus, 'ROLLBACK_COMPLETE');
    const events = await stackEvents(cfn, 'network2');
    assert.ok(resourceHistory(events, 'network2').includes('ROLLBACK_IN_PROGRESS: Export with name shared-vpc-cidr is already exported by stack network. Rollback requested by user.'));
  });

  it('an export in use cannot be deleted: the stack stays as it was, with AWS\'s reason', async () => {
    await cfn.send(new DeleteStackCommand({ StackName: 'network' }));
    const stack = await settledStack(cfn, 'network');
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    assert.equal(stack.StackStatusReason, 'Export network-VpcId cannot be deleted as it is in use by application');
  });

  it('a stack importing a name nobody exports fails before creating anything', async () => {
    const orphan = await createStack(cfn, { StackName: 'orphan', TemplateBody: APPLICATION, Parameters: [{ ParameterKey: 'NetworkStack', ParameterValue: 'missing' }] });
    assert.equal(orphan.StackStatus, 'ROLLBACK_COMPLETE');
    const events = await stackEvents(cfn, 'orphan');
    assert.deepEqual(resourceHistory(events, 'orphan'), [
      'CREATE_IN_PROGRESS: User Initiated',
      'ROLLBACK_IN_PROGRESS: No export named missing-VpcId found. Rollback requested by user.',
      'ROLLBACK_COMPLETE',
    ]);
    assert.equal(resourceHistory(events, 'AppSubnet').length, 0);
  });

  it('once the importer is gone, the exporter can be deleted', async () => {
    await cfn.send(new DeleteStackCommand({ StackName: 'application' }));
    await cfn.send(new DeleteStackCommand({ StackName: 'network' }));
    assert.equal((await settledStack(cfn, networkId)).StackStatus, 'DELETE_COMPLETE');
    assert.deepEqual((await cfn.send(new ListExportsCommand({}))).Exports, []);
  });
});

describe('SSM parameters between stacks', () => {
  it('{{resolve:ssm:...}} and AWS::SSM::Parameter::Value<String> read what another stack wrote; versions resolve', async () => {
    const writer = await createStack(cfn, {
      StackName: 'settings',
      TemplateBody: `Resources:
  Cidr:
    Type: AWS::SSM::Parameter
    Properties: {Name: /lab/cidr, Type: String, Value: 10.70.0.0/16, Description: the lab network}
  Zones:
    Type: AWS::SSM::Parameter
    Properties: {Type: StringList, Value: !Join [',', !GetAZs '']}
Outputs:
  ZonesName: {Value: !Ref Zones}
  ZonesType: {Value: !GetAtt Zones.Type}
`,
    });
    assert.equal(writer.StackStatus, 'CREATE_COMPLETE');
    assert.match(outputsOf(writer).ZonesName!, /^CFN-Zones-[A-Z0-9]{12}$/);
    assert.equal(outputsOf(writer).ZonesType, 'StringList');

    const reader = await createStack(cfn, {
      StackName: 'reader',
      TemplateBody: `Parameters:
  NetworkCidr:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /lab/cidr
Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: '{{resolve:ssm:/lab/cidr}}'
      Tags: [{Key: FromParameter, Value: !Ref NetworkCidr}, {Key: Version, Value: '{{resolve:ssm:/lab/cidr:1}}'}]
Outputs:
  Cidr: {Value: !GetAtt Network.CidrBlock}
`,
    });
    assert.equal(reader.StackStatus, 'CREATE_COMPLETE', reader.StackStatusReason);
    assert.equal(outputsOf(reader).Cidr, '10.70.0.0/16');
    const parameter = reader.Parameters!.find((entry) => entry.ParameterKey === 'NetworkCidr')!;
    assert.deepEqual([parameter.ParameterValue, parameter.ResolvedValue], ['/lab/cidr', '10.70.0.0/16']);
  });

  it('a dynamic reference to a parameter that does not exist fails the resource', async () => {
    const stack = await createStack(cfn, {
      StackName: 'unresolved',
      TemplateBody: `Resources:
  Network:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: '{{resolve:ssm:/does/not/exist}}'}
`,
    });
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const history = resourceHistory(await stackEvents(cfn, 'unresolved'), 'Network');
    assert.equal(history[1], 'CREATE_FAILED: Parameters: [ssm:/does/not/exist] cannot be found.');
  });
});

describe('intrinsic and condition functions, end to end', () => {
  const TEMPLATE = `Parameters:
  Environment: {Type: String, Default: prod, AllowedValues: [prod, test]}
  Subnets: {Type: CommaDelimitedList, Default: 'a,b,c'}
Mappings:
  RegionMap:
    us-east-1: {HVM64: ami-0ff8a91507f77f867, HVMG2: ami-0a584ac55a7631c0c}
Conditions:
  IsProduction: !Equals [!Ref Environment, prod]
  IsTest: !Not [Condition: IsProduction]
  ProductionInUsEast1: !And [Condition: IsProduction, !Equals [!Ref 'AWS::Region', us-east-1]]
  EitherWay: !Or [Condition: IsProduction, Condition: IsTest]
Resources:
  ProductionNetwork:
    Type: AWS::EC2::VPC
    Condition: IsProduction
    Properties: {CidrBlock: 10.80.0.0/16}
  TestNetwork:
    Type: AWS::EC2::VPC
    Condition: IsTest
    Properties: {CidrBlock: 10.81.0.0/16}
Outputs:
  Join: {Value: !Join [':', [a, b, c]]}
  Select: {Value: !Select ['1', [apples, grapes, oranges, mangoes]]}
  Split: {Value: !Select [2, !Split ['|', 'a|b|c']]}
  SubString: {Value: !Sub 'arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:vpc/\${ProductionNetwork}'}
  SubMap: {Value: !Sub ['www.\${Domain}', {Domain: example.com}]}
  FindInMap: {Value: !FindInMap [RegionMap, !Ref 'AWS::Region', HVM64]}
  If: {Value: !If [IsProduction, production, test]}
  NoValueIf: {Value: !If [ProductionInUsEast1, !Ref ProductionNetwork, !Ref 'AWS::NoValue']}
  Either: {Value: !If [EitherWay, 'yes', 'no']}
  Base64: {Value: !Base64 'AWS CloudFormation'}
  Cidr: {Value: !Join [',', !Cidr [192.168.0.0/24, 6, 5]]}
  Zones: {Value: !Join [',', !GetAZs us-east-1]}
  ListParameter: {Value: !Select [1, !Ref Subnets]}
  Pseudo: {Value: !Join ['|', [!Ref 'AWS::StackName', !Ref 'AWS::URLSuffix', !Ref 'AWS::Partition']]}
  OnlyInTest: {Condition: IsTest, Value: !Ref TestNetwork}
`;

  it('evaluates each function as AWS documents it, and creates only the resources whose condition holds', async () => {
    const stack = await createStack(cfn, { StackName: 'functions', TemplateBody: TEMPLATE });
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const outputs = outputsOf(stack);
    const resources = (await cfn.send(new DescribeStackResourcesCommand({ StackName: 'functions' }))).StackResources!;
    assert.deepEqual(resources.map((resource) => resource.LogicalResourceId), ['ProductionNetwork']);
    const vpcId = resources[0]!.PhysicalResourceId!;
    assert.deepEqual(outputs, {
      Join: 'a:b:c',
      Select: 'grapes',
      Split: 'c',
      SubString: `arn:aws:ec2:us-east-1:000000000000:vpc/${vpcId}`,
      SubMap: 'www.example.com',
      FindInMap: 'ami-0ff8a91507f77f867',
      If: 'production',
      NoValueIf: vpcId,
      Either: 'yes',
      Base64: 'QVdTIENsb3VkRm9ybWF0aW9u',
      Cidr: '192.168.0.0/27,192.168.0.32/27,192.168.0.64/27,192.168.0.96/27,192.168.0.128/27,192.168.0.160/27',
      Zones: 'us-east-1a,us-east-1b,us-east-1c,us-east-1d,us-east-1e,us-east-1f',
      ListParameter: 'b',
      Pseudo: 'functions|amazonaws.com|aws',
    });
  });
});
