import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requiredCapabilities } from './capabilities.js';
import { contextForYaml, templateError } from './fixtures.js';
import { outputValues } from './outputs.js';
import { parseTemplate } from './parse.js';
import { templateSummary } from './summary.js';

describe('capabilities', () => {
  it('needs none without IAM resources', () => {
    assert.deepEqual(requiredCapabilities(parseTemplate('Resources:\n  Topic: {Type: AWS::SNS::Topic}')), { resources: [] });
  });

  it('needs CAPABILITY_IAM for IAM resources without custom names', () => {
    const template = parseTemplate(`
Resources:
  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
  Policy: {Type: AWS::IAM::Policy, Properties: {PolicyName: inline}}
  Key: {Type: AWS::IAM::AccessKey}
  Topic: {Type: AWS::SNS::Topic}
`);
    assert.deepEqual(requiredCapabilities(template), {
      capability: 'CAPABILITY_IAM',
      reason: 'The following resource(s) require capabilities: [AWS::IAM::Role, AWS::IAM::Policy, AWS::IAM::AccessKey]',
      resources: ['Role', 'Policy', 'Key'],
    });
  });

  for (const [type, nameProperty] of [
    ['AWS::IAM::Role', 'RoleName'], ['AWS::IAM::User', 'UserName'], ['AWS::IAM::Group', 'GroupName'],
    ['AWS::IAM::ManagedPolicy', 'ManagedPolicyName'], ['AWS::IAM::InstanceProfile', 'InstanceProfileName'],
  ] as const) {
    it(`needs CAPABILITY_NAMED_IAM for ${type} with ${nameProperty}`, () => {
      const template = parseTemplate(`Resources:\n  Named: {Type: ${type}, Properties: {${nameProperty}: !Sub "\${AWS::StackName}-x"}}`);
      assert.equal(requiredCapabilities(template).capability, 'CAPABILITY_NAMED_IAM');
    });
  }
});

describe('template summary', () => {
  it('reports parameters, capabilities, resource types, transforms and version', () => {
    const template = parseTemplate(`
AWSTemplateFormatVersion: 2010-09-09
Description: web tier
Transform: [AWS::Serverless-2016-10-31]
Parameters:
  Env: {Type: String, Default: prod, AllowedValues: [prod, test], Description: environment}
  Password: {Type: String, NoEcho: true}
Resources:
  Role: {Type: AWS::IAM::Role, Properties: {RoleName: web}}
  RoleTwo: {Type: AWS::IAM::Role}
  Topic: {Type: AWS::SNS::Topic}
`);
    assert.deepEqual(templateSummary(template), {
      parameters: [
        { ParameterKey: 'Env', DefaultValue: 'prod', ParameterType: 'String', NoEcho: false, Description: 'environment', ParameterConstraints: { AllowedValues: ['prod', 'test'] } },
        { ParameterKey: 'Password', ParameterType: 'String', NoEcho: true, ParameterConstraints: {} },
      ],
      description: 'web tier',
      capabilities: ['CAPABILITY_NAMED_IAM'],
      capabilitiesReason: 'The following resource(s) require capabilities: [AWS::IAM::Role]',
      resourceTypes: ['AWS::IAM::Role', 'AWS::SNS::Topic'],
      declaredTransforms: ['AWS::Serverless-2016-10-31'],
      version: '2010-09-09',
    });
  });
});

describe('output values', () => {
  const body = `
Parameters:
  Env: {Type: String, Default: test}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Cdn: {Type: AWS::CloudFront::Distribution, Condition: IsProd}
Outputs:
  BucketName: {Value: !Ref Bucket, Description: the bucket, Export: {Name: !Sub "\${AWS::StackName}-bucket"}}
  Port: {Value: 443}
  CdnDomain: {Value: !GetAtt Cdn.DomainName, Condition: IsProd}
  Site: {Value: !If [IsProd, !GetAtt Cdn.DomainName, !GetAtt Bucket.WebsiteURL]}
`;

  it('evaluates kept outputs as text, leaving out those whose condition is false', () => {
    const { template, context } = contextForYaml(body);
    assert.deepEqual(outputValues(template, context), [
      { key: 'BucketName', value: 'Bucket-physical-id', description: 'the bucket', exportName: 'demo-bucket' },
      { key: 'Port', value: '443' },
      { key: 'Site', value: 'Bucket.WebsiteURL-value' },
    ]);
  });

  it('rejects a kept output that names a resource left out by its condition', () => {
    const { template, context } = contextForYaml(body.replace('DomainName, Condition: IsProd}', 'DomainName}'));
    assert.throws(() => outputValues(template, context), templateError('Unresolved resource dependencies [Cdn] in the Outputs block of the template'));
  });

  it('rejects an output whose value is a list', () => {
    const { template, context } = contextForYaml('Resources:\n  A: {Type: T}\nOutputs:\n  Zones: {Value: !GetAZs ""}');
    assert.throws(() => outputValues(template, context), templateError('Template format error: The Value field of every Outputs member must evaluate to a String and not a List.'));
  });
});
