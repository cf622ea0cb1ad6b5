import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templateError } from './fixtures.js';
import { parseTemplate } from './parse.js';
import { validateTemplate } from './validate.js';

const validate = (body: string): void => validateTemplate(parseTemplate(body));
const rejects = (body: string, message: string): void => assert.throws(() => validate(body), templateError(message));

describe('validateTemplate accepts', () => {
  it('a template using every kind of reference', () => {
    assert.doesNotThrow(() => validate(`
Parameters:
  Env: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Policy:
    Type: AWS::S3::BucketPolicy
    DependsOn: [Bucket]
    Properties:
      Bucket: !Ref Bucket
      Document: !Sub ["\${Bucket.Arn}/\${Env}/\${Suffix}/\${AWS::AccountId}", {Suffix: !If [IsProd, p, d]}]
Outputs:
  Arn: {Value: !GetAtt Bucket.Arn, Condition: IsProd, Export: {Name: !Sub "\${AWS::StackName}-\${Env}-arn"}}
`));
  });
});

describe('validateTemplate rejects, with AWS\'s messages', () => {
  it('a template without resources', () => {
    rejects('Description: nothing', 'Template format error: At least one Resources member must be defined.');
  });

  it('Refs to undeclared names, all of them at once', () => {
    rejects(`
Resources:
  SecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties: {VpcId: !Ref VpcID, Other: !Sub "\${Missing}-x"}
  Other: {Type: AWS::SNS::Topic, Properties: {Name: !Ref VpcID}}
`, 'Template format error: Unresolved resource dependencies [VpcID, Missing] in the Resources block of the template');
  });

  it('DependsOn an undeclared resource', () => {
    rejects('Resources:\n  A: {Type: T, DependsOn: [kmsSecurityKey]}', 'Template format error: Unresolved resource dependencies [kmsSecurityKey] in the Resources block of the template');
  });

  it('Fn::GetAtt of an undeclared resource', () => {
    rejects('Resources:\n  Fn: {Type: AWS::Lambda::Function, Properties: {Role: !GetAtt IamRoleLambdaExecution.Arn}}',
      'Template error: instance of Fn::GetAtt references undefined resource IamRoleLambdaExecution');
  });

  it('a Fn::Sub attribute of something that is not a resource', () => {
    rejects('Resources:\n  A: {Type: T, Properties: {X: !Sub "${context.identity.sub}"}}',
      'Template error: instance of Fn::Sub references invalid resource attribute context.identity.sub');
  });

  it('a resource Condition that is not declared', () => {
    rejects('Resources:\n  ListenerHttps: {Type: T, Condition: ListenForHttps}', 'Template format error: Condition ListenForHttps is not defined.');
  });

  it('a Fn::If on an undeclared condition', () => {
    rejects('Resources:\n  A: {Type: T, Properties: {X: !If [Nope, a, b]}}', 'Template error: unresolved condition dependency Nope in Fn::If');
  });

  it('an unknown function anywhere in the template', () => {
    rejects('Resources:\n  A: {Type: T, Properties: {X: [{"Fn::ToJsonString": {a: b}}]}}',
      'Template Error: Encountered unsupported function: Fn::ToJsonString Supported functions are: [Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr]');
  });

  it('a malformed Fn::Join', () => {
    rejects('Resources:\n  A: {Type: T, Properties: {X: !Join ["", ",", !Ref B]}}\n  B: {Type: T}',
      'Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.');
  });

  it('an output naming an undeclared resource', () => {
    rejects('Resources:\n  A: {Type: T}\nOutputs:\n  Url: {Value: !GetAtt [DefaultCloudfrontDistribution, DomainName]}',
      'Template error: instance of Fn::GetAtt references undefined resource DefaultCloudfrontDistribution');
    rejects('Resources:\n  A: {Type: T}\nOutputs:\n  Stage: {Value: !Ref "AWS::Stage"}',
      'Unresolved resource dependencies [AWS::Stage] in the Outputs block of the template');
  });

  it('an export name that depends on a resource', () => {
    rejects(`
Resources:
  VPC: {Type: AWS::EC2::VPC}
Outputs:
  VpcId: {Value: !Ref VPC, Export: {Name: !Sub "\${AWS::StackName}-\${VPC}-Id"}}
`, 'Template format error: Output VpcId is malformed.  The Name field of Export must not depend on any resources, imported values, or Fn::GetAZs.');
  });

  it('a circular dependency, counting both branches of Fn::If', () => {
    rejects(`
Conditions:
  Never: !Equals [a, b]
Resources:
  Role: {Type: AWS::IAM::Role, Properties: {X: !If [Never, !GetAtt Function.Arn, none]}}
  Function: {Type: AWS::Lambda::Function, Properties: {Role: !GetAtt Role.Arn}}
`, 'Circular dependency between resources: [Role, Function]');
  });
});
