import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBody } from './parse-body.js';
import { parseTemplate } from './parse.js';
import { templateError } from './fixtures.js';

describe('YAML short forms become long forms', () => {
  const cases: Array<[string, unknown]> = [
    ['!Ref MyBucket', { Ref: 'MyBucket' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!Base64 hello', { 'Fn::Base64': 'hello' }],
    ['!Cidr ["192.168.0.0/24", 6, 5]', { 'Fn::Cidr': ['192.168.0.0/24', 6, 5] }],
    ['!FindInMap [RegionMap, !Ref "AWS::Region", HVM64]', { 'Fn::FindInMap': ['RegionMap', { Ref: 'AWS::Region' }, 'HVM64'] }],
    ['!GetAtt MyBucket.Arn', { 'Fn::GetAtt': ['MyBucket', 'Arn'] }],
    ['!GetAtt Stack.Outputs.VpcId', { 'Fn::GetAtt': ['Stack', 'Outputs.VpcId'] }],
    ['!GetAtt [MyBucket, Arn]', { 'Fn::GetAtt': ['MyBucket', 'Arn'] }],
    ["!GetAZs ''", { 'Fn::GetAZs': '' }],
    ['!GetAZs {Ref: "AWS::Region"}', { 'Fn::GetAZs': { Ref: 'AWS::Region' } }],
    ['!ImportValue SharedVpc', { 'Fn::ImportValue': 'SharedVpc' }],
    ['!ImportValue {"Fn::Sub": "${Net}-SubnetID"}', { 'Fn::ImportValue': { 'Fn::Sub': '${Net}-SubnetID' } }],
    ['!Join [":", [a, b, c]]', { 'Fn::Join': [':', ['a', 'b', 'c']] }],
    ['!Select [1, [apples, grapes]]', { 'Fn::Select': [1, ['apples', 'grapes']] }],
    ['!Split ["|", "a|b|c"]', { 'Fn::Split': ['|', 'a|b|c'] }],
    ['!Sub "arn:${AWS::Partition}:s3:::${Bucket}"', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}' }],
    ['!Sub ["www.${Domain}", {Domain: !Ref Root}]', { 'Fn::Sub': ['www.${Domain}', { Domain: { Ref: 'Root' } }] }],
    ['!And [!Condition A, !Condition B]', { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] }],
    ['!Or [!Condition A, !Equals [a, b]]', { 'Fn::Or': [{ Condition: 'A' }, { 'Fn::Equals': ['a', 'b'] }] }],
    ['!Not [!Condition A]', { 'Fn::Not': [{ Condition: 'A' }] }],
    ['!Equals [!Ref Env, prod]', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }],
    ['!If [IsProd, large, !Ref "AWS::NoValue"]', { 'Fn::If': ['IsProd', 'large', { Ref: 'AWS::NoValue' }] }],
  ];
  for (const [yaml, expected] of cases) {
    it(yaml, () => assert.deepEqual(parseBody(`Value: ${yaml}`), { Value: expected }));
  }

  it('reads block sequences and mappings under a tag', () => {
    const body = 'Value: !Join\n  - ""\n  - - "arn:"\n    - !Ref AWS::Partition\nOther: !Sub\n  - ${A}\n  - A: x\n';
    assert.deepEqual(parseBody(body), {
      Value: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }]] },
      Other: { 'Fn::Sub': ['${A}', { A: 'x' }] },
    });
  });
});

describe('YAML scalars as CloudFormation reads them', () => {
  it('keeps dates and times as text, reads YAML 1.1 booleans', () => {
    assert.deepEqual(parseBody('a: 2010-09-09\nb: 1:20\nc: Yes\nd: off\ne: "yes"\nf: y\ng: 8080'), {
      a: '2010-09-09', b: '1:20', c: true, d: false, e: 'yes', f: 'y', g: 8080,
    });
  });
});

describe('bodies that are not well-formed', () => {
  it('reports the line and column of a JSON error', () => {
    assert.throws(() => parseBody('{\n  "Resources": {,\n}'), templateError('Template format error: JSON not well-formed. (line 2, column 17)'));
  });

  it('reports the line and column of a YAML error', () => {
    assert.throws(() => parseBody('Resources:\n  A: [1, 2\nB: c'), templateError('Template format error: YAML not well-formed. (line 3, column 1)'));
  });

  it('rejects a body that is not a mapping', () => {
    assert.throws(() => parseTemplate('just text'), templateError('Template format error: YAML not well-formed. (line 1, column 1)'));
    assert.throws(() => parseTemplate('[1, 2]'), templateError('Template format error: YAML not well-formed. (line 1, column 1)'));
  });

  it('rejects an unknown short form', () => {
    assert.throws(() => parseBody('Value: !Bogus x'), templateError('Template format error: YAML not well-formed. (line 1, column 8)'));
  });
});

describe('the template model', () => {
  it('reads every section', () => {
    const template = parseTemplate(`
AWSTemplateFormatVersion: "2010-09-09"
Description: demo
Metadata: {Owner: team}
Transform: AWS::Serverless-2016-10-31
Parameters:
  Size: {Type: Number, Default: 3, MinValue: 1, MaxValue: "10", NoEcho: true, AllowedValues: [1, 3, 5], Description: how many}
Mappings:
  RegionMap: {us-east-1: {AMI: ami-1, Ports: [80, 443]}}
Conditions:
  Big: !Equals [!Ref Size, 5]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Condition: Big
    DependsOn: Topic
    DeletionPolicy: Retain
    UpdateReplacePolicy: Snapshot
    CreationPolicy: {ResourceSignal: {Count: 2, Timeout: PT1H30M}}
    Metadata: {Note: x}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {TopicName: t}
Outputs:
  TopicArn: {Value: !Ref Topic, Description: the topic, Condition: Big, Export: {Name: !Sub "\${AWS::StackName}-topic"}}
`);
    assert.equal(template.formatVersion, '2010-09-09');
    assert.equal(template.description, 'demo');
    assert.deepEqual(template.metadata, { Owner: 'team' });
    assert.equal(template.transform, 'AWS::Serverless-2016-10-31');
    assert.deepEqual(template.parameters.Size, {
      type: 'Number', noEcho: true, default: '3', description: 'how many', minValue: 1, maxValue: 10, allowedValues: ['1', '3', '5'],
    });
    assert.deepEqual(template.mappings, { RegionMap: { 'us-east-1': { AMI: 'ami-1', Ports: [80, 443] } } });
    assert.deepEqual(template.conditions, { Big: { 'Fn::Equals': [{ Ref: 'Size' }, 5] } });
    assert.deepEqual(template.resources.Queue, {
      logicalId: 'Queue', type: 'AWS::SQS::Queue', properties: {}, dependsOn: ['Topic'], condition: 'Big',
      deletionPolicy: 'Retain', updateReplacePolicy: 'Snapshot', creationPolicy: { resourceSignal: { count: 2, timeoutSeconds: 5400 } },
      metadata: { Note: 'x' },
    });
    assert.deepEqual(template.resources.Topic, {
      logicalId: 'Topic', type: 'AWS::SNS::Topic', properties: { TopicName: 't' }, dependsOn: [], deletionPolicy: 'Delete',
    });
    assert.deepEqual(template.outputs.TopicArn, {
      value: { Ref: 'Topic' }, description: 'the topic', condition: 'Big', exportName: { 'Fn::Sub': '${AWS::StackName}-topic' },
    });
  });

  const rejected: Array<[string, string, string]> = [
    ['an unknown top-level section', 'Resource: {}\nOutput: {}', 'Invalid template property or properties [Resource, Output]'],
    ['a format version other than 2010-09-09', 'AWSTemplateFormatVersion: "2011-01-01"\nResources: {A: {Type: T}}', 'Template format error: Unsupported value for AWSTemplateFormatVersion.'],
    ['a resource without Type', 'Resources: {A: {Properties: {}}}', 'Template format error: Every Resources object must contain a Type member.'],
    ['a Type that is not a string', 'Resources: {A: {Type: !Ref P}}', 'Template format error: [/Resources/A] Every Type member must be a string.'],
    ['an unknown resource attribute', 'Resources: {A: {Type: T, Propertiess: {}}}', "Template format error: Invalid template resource property 'Propertiess'"],
    ['a non-alphanumeric logical id', 'Resources: {My_Topic: {Type: T}}', 'Template format error: Resource name My_Topic is non alphanumeric.'],
    ['DependsOn with a function', 'Resources: {A: {Type: T, DependsOn: !If [C, B, !Ref "AWS::NoValue"]}}', 'Template format error: DependsOn must be a string or list of strings.'],
    ['a Condition that is not a string', 'Resources: {A: {Type: T, Condition: [C]}}', 'Template format error: Every Condition member must be a string.'],
    ['a parameter without Type', 'Parameters: {P: {Default: x}}\nResources: {A: {Type: T}}', 'Template format error: Every Parameters object must contain a Type member.'],
    ['an unknown parameter type', 'Parameters: {P: {Type: Strin}}\nResources: {A: {Type: T}}', 'Template format error: Unrecognized parameter type: Strin'],
    ['an unknown parameter property', 'Parameters: {P: {Type: String, Defualt: x}}\nResources: {A: {Type: T}}', "Invalid template parameter property 'Defualt'"],
    ['AllowedValues that is not a list', 'Parameters: {P: {Type: String, AllowedValues: a}}\nResources: {A: {Type: T}}', 'Template format error: Every AllowedValues member must be a list.'],
    ['an output without Value', 'Resources: {A: {Type: T}}\nOutputs: {O: {Description: x}}', 'Template format error: Every Outputs member must contain a Value object'],
    ['an unknown output property', 'Resources: {A: {Type: T}}\nOutputs: {O: {Value: x, Count: 2}}', 'Template format error: Invalid outputs property : [Count]'],
    ['a mapping attribute that is not a map', 'Mappings: {M: {a: b}}\nResources: {A: {Type: T}}', 'Template format error: [/Mappings/M/a] Every Mappings attribute must be a map'],
    ['a mapping value that is an object', 'Mappings: {M: {a: {b: {c: d}}}}\nResources: {A: {Type: T}}', 'Template format error: Every Mappings attribute must be a String or a List.'],
  ];
  for (const [what, body, message] of rejected) {
    it(`rejects ${what}`, () => assert.throws(() => parseTemplate(body), templateError(message)));
  }
});
