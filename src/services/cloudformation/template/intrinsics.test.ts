import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextForYaml, templateError, yamlTemplate } from './fixtures.js';
import { resolveValue } from './intrinsics.js';
import { parseBody } from './parse-body.js';
import type { EvaluationContext } from './types.js';

/** Evaluates a YAML value (short forms allowed) in the context of the given template sections. */
function evaluate(value: string, sections = '', options: Parameters<typeof contextForYaml>[1] = {}): unknown {
  const { context } = contextForYaml(yamlTemplate(sections), options);
  return evaluateIn(value, context);
}

function evaluateIn(value: string, context: EvaluationContext): unknown {
  const parsed = parseBody(`Value: ${value}`) as { Value: unknown };
  return resolveValue(parsed.Value, context);
}

describe('Ref', () => {
  const sections = `Parameters:
  Name: {Type: String, Default: web}
  Count: {Type: Number, Default: 3}
  Ports: {Type: List<Number>, Default: "80, 443"}
  Cidrs: {Type: CommaDelimitedList, Default: "10.0.48.0/24, 10.0.112.0/24, 10.0.176.0/24"}`;

  it('gives a String parameter its value and a Number parameter its value as text', () => {
    assert.equal(evaluate('!Ref Name', sections), 'web');
    assert.equal(evaluate('!Ref Count', sections), '3');
  });

  it('gives list parameters an array of trimmed items', () => {
    assert.deepEqual(evaluate('!Ref Ports', sections), ['80', '443']);
    assert.deepEqual(evaluate('!Ref Cidrs', sections), ['10.0.48.0/24', '10.0.112.0/24', '10.0.176.0/24']);
  });

  it('gives pseudo parameters their values', () => {
    assert.deepEqual(
      evaluate('[!Ref "AWS::Region", !Ref "AWS::AccountId", !Ref "AWS::StackName", !Ref "AWS::Partition", !Ref "AWS::URLSuffix"]'),
      ['us-east-1', '123456789012', 'demo', 'aws', 'amazonaws.com'],
    );
    assert.deepEqual(evaluate('!Ref "AWS::NotificationARNs"'), ['arn:aws:sns:us-east-1:123456789012:stack-events']);
    assert.match(String(evaluate('!Ref "AWS::StackId"')), /^arn:aws:cloudformation:us-east-1:123456789012:stack\/demo\//);
  });

  it("gives a resource its physical id, asked of the context", () => {
    assert.equal(evaluate('!Ref Topic'), 'Topic-physical-id');
  });

  it('gives an SSM-backed parameter the stored value (split for list types)', () => {
    const ssmSections = `Parameters:
  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /images/latest}
  Zones: {Type: "AWS::SSM::Parameter::Value<List<String>>", Default: /net/zones}`;
    const ssm = { '/images/latest': 'ami-0ff8a91507f77f867', '/net/zones': 'us-east-1a,us-east-1b' };
    assert.equal(evaluate('!Ref Ami', ssmSections, { ssm }), 'ami-0ff8a91507f77f867');
    assert.deepEqual(evaluate('!Ref Zones', ssmSections, { ssm }), ['us-east-1a', 'us-east-1b']);
  });
});

describe('Fn::GetAtt', () => {
  it('asks the context for the attribute, in both forms', () => {
    const attributes = { 'Bucket.Arn': 'arn:aws:s3:::b', 'Stack.Outputs.VpcId': 'vpc-1' };
    assert.equal(evaluate('!GetAtt Bucket.Arn', '', { attributes }), 'arn:aws:s3:::b');
    assert.equal(evaluate('!GetAtt [Bucket, Arn]', '', { attributes }), 'arn:aws:s3:::b');
    assert.equal(evaluate('!GetAtt Stack.Outputs.VpcId', '', { attributes }), 'vpc-1');
  });

  it('takes the attribute name from a Ref', () => {
    const sections = 'Parameters:\n  Attribute: {Type: String, Default: Arn}';
    assert.equal(evaluate('{"Fn::GetAtt": [Bucket, !Ref Attribute]}', sections), 'Bucket.Arn-value');
  });
});

describe('Fn::Join', () => {
  it('joins with a delimiter (AWS example "a:b:c")', () => {
    assert.equal(evaluate('!Join [":", [a, b, c]]'), 'a:b:c');
  });

  it('joins nested functions (AWS example with partition and account)', () => {
    assert.equal(
      evaluate('!Join ["", ["arn:", !Ref AWS::Partition, ":s3:::elasticbeanstalk-*-", !Ref AWS::AccountId]]'),
      'arn:aws:s3:::elasticbeanstalk-*-123456789012',
    );
  });

  it('joins the list a function returns, and numbers as text', () => {
    assert.equal(evaluate('!Join [",", !GetAZs ""]'), 'us-east-1a,us-east-1b,us-east-1c');
    assert.equal(evaluate('!Join ["-", [1, true, x]]'), '1-true-x');
  });

  it('rejects a second argument that is not a list', () => {
    assert.throws(() => evaluate('!Join [",", abc]'), templateError(
      'Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.',
    ));
  });
});

describe('Fn::Split', () => {
  it('splits (AWS examples, empty items kept)', () => {
    assert.deepEqual(evaluate('!Split ["|", "a|b|c"]'), ['a', 'b', 'c']);
    assert.deepEqual(evaluate('!Split ["|", "a||c|"]'), ['a', '', 'c', '']);
  });

  it('splits the output of another function, then selects from it', () => {
    const exports = { 'net-SubnetIds': 'subnet-1,subnet-2,subnet-3' };
    assert.equal(evaluate('!Select [2, !Split [",", !ImportValue net-SubnetIds]]', '', { exports }), 'subnet-3');
  });
});

describe('Fn::Select', () => {
  it('selects by index (AWS example "grapes")', () => {
    assert.equal(evaluate('!Select ["1", [apples, grapes, oranges, mangoes]]'), 'grapes');
  });

  it('selects an availability zone from Fn::GetAZs', () => {
    assert.equal(evaluate('!Select [0, !GetAZs ""]'), 'us-east-1a');
    assert.equal(evaluate('!Select [1, !GetAZs {Ref: "AWS::Region"}]'), 'us-east-1b');
  });

  it('selects from a CommaDelimitedList parameter (AWS example)', () => {
    const sections = 'Parameters:\n  DbSubnetIpBlocks: {Type: CommaDelimitedList, Default: "10.0.48.0/24, 10.0.112.0/24, 10.0.176.0/24"}';
    assert.equal(evaluate('!Select ["0", !Ref DbSubnetIpBlocks]', sections), '10.0.48.0/24');
  });

  it('fails with AWS\'s message past the end of the list', () => {
    assert.throws(() => evaluate('!Select [3, [a, b, c]]'), templateError('Template error: Fn::Select cannot select nonexistent value at index 3'));
  });
});

describe('Fn::GetAZs', () => {
  it('lists the zones of the stack\'s region, or of a named region', () => {
    assert.deepEqual(evaluate('!GetAZs ""'), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
    assert.deepEqual(evaluate('!GetAZs eu-west-1'), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });
});

describe('Fn::FindInMap', () => {
  const regionMap = `Mappings:
  RegionMap:
    us-east-1: {HVM64: ami-0ff8a91507f77f867, HVMG2: ami-0a584ac55a7631c0c}
    us-west-1: {HVM64: ami-0bdb828fd58c52235, HVMG2: ami-066ee5fd4a9ef77f1}
    eu-west-1: {HVM64: ami-047bb4163c506cd98, HVMG2: ami-0a7c483d527806435}
  Ports:
    web: {List: [80, 443], Single: 8080}`;

  it('finds the AMI of the stack\'s region (AWS RegionMap example)', () => {
    assert.equal(evaluate('!FindInMap [RegionMap, !Ref "AWS::Region", HVM64]', regionMap), 'ami-0ff8a91507f77f867');
    assert.equal(evaluate('!FindInMap [RegionMap, eu-west-1, HVMG2]', regionMap), 'ami-0a7c483d527806435');
  });

  it('returns lists, and numbers as text', () => {
    assert.deepEqual(evaluate('!FindInMap [Ports, web, List]', regionMap), ['80', '443']);
    assert.equal(evaluate('!FindInMap [Ports, web, Single]', regionMap), '8080');
  });

  it('fails with AWS\'s message for a missing key, unless a DefaultValue is given', () => {
    assert.throws(() => evaluate('!FindInMap [RegionMap, ap-south-1, HVM64]', regionMap), templateError('Template error: Unable to get mapping for RegionMap::ap-south-1::HVM64'));
    assert.equal(evaluate('!FindInMap [RegionMap, ap-south-1, HVM64, {DefaultValue: ami-default}]', regionMap), 'ami-default');
  });
});

describe('Fn::Base64', () => {
  it('encodes (AWS example "AWS CloudFormation")', () => {
    assert.equal(evaluate('!Base64 AWS CloudFormation'), 'QVdTIENsb3VkRm9ybWF0aW9u');
  });

  it('encodes the output of Fn::Sub (user data)', () => {
    const encoded = evaluate('{"Fn::Base64": !Sub "#!/bin/bash\\necho ${AWS::Region}\\n"}');
    assert.equal(Buffer.from(String(encoded), 'base64').toString('utf8'), '#!/bin/bash\necho us-east-1\n');
  });
});

describe('Fn::ImportValue', () => {
  it('asks the context for the export, whose name may come from Fn::Sub', () => {
    const sections = 'Parameters:\n  NetworkStackName: {Type: String, Default: net}';
    const exports = { 'net-SubnetID': 'subnet-0abc' };
    assert.equal(evaluate('!ImportValue {"Fn::Sub": "${NetworkStackName}-SubnetID"}', sections, { exports }), 'subnet-0abc');
  });
});

describe('Fn::If and AWS::NoValue', () => {
  const sections = `Parameters:
  EnvType: {Type: String, Default: test}
  DBSnapshotName: {Type: String, Default: ""}
Conditions:
  IsProduction: !Equals [!Ref EnvType, prod]
  UseDBSnapshot: !Not [!Equals [!Ref DBSnapshotName, ""]]`;

  it('removes a property whose value is AWS::NoValue (AWS DBSnapshotIdentifier example)', () => {
    const properties = evaluate(`
  AllocatedStorage: "5"
  DBInstanceClass: !If [IsProduction, db.m5.large, db.t3.micro]
  DBSnapshotIdentifier: !If [UseDBSnapshot, !Ref DBSnapshotName, !Ref "AWS::NoValue"]`, sections);
    assert.deepEqual(properties, { AllocatedStorage: '5', DBInstanceClass: 'db.t3.micro' });
  });

  it('keeps the property when the condition holds', () => {
    const properties = evaluate('{Snapshot: !If [UseDBSnapshot, !Ref DBSnapshotName, !Ref "AWS::NoValue"]}', sections, {
      parameters: [{ key: 'DBSnapshotName', value: 'snap-1' }],
    });
    assert.deepEqual(properties, { Snapshot: 'snap-1' });
  });

  it('removes list items that are AWS::NoValue', () => {
    const tags = evaluate('[{Key: A, Value: "1"}, !If [IsProduction, {Key: B, Value: "2"}, !Ref "AWS::NoValue"]]', sections);
    assert.deepEqual(tags, [{ Key: 'A', Value: '1' }]);
  });

  it('does not evaluate the branch not taken', () => {
    assert.equal(evaluate('!If [IsProduction, !ImportValue {"Fn::Select": [9, []]}, small]', sections), 'small');
  });

  it('fails with AWS\'s message for an undeclared condition', () => {
    assert.throws(() => evaluate('!If [Nope, a, b]', sections), templateError('Template error: unresolved condition dependency Nope in Fn::If'));
  });
});

describe('dynamic references', () => {
  it('replaces {{resolve:ssm:name}} and {{resolve:ssm:name:version}} inside strings', () => {
    const ssm = { '/app/db-host': 'db.internal', '/app/port:2': '5432' };
    assert.equal(evaluate('"postgres://{{resolve:ssm:/app/db-host}}:{{resolve:ssm:/app/port:2}}/app"', '', { ssm }), 'postgres://db.internal:5432/app');
  });

  it('resolves references built by Fn::Sub, and leaves other services alone', () => {
    const sections = 'Parameters:\n  Env: {Type: String, Default: prod}';
    const ssm = { '/prod/url': 'https://prod' };
    assert.equal(evaluate('!Sub "{{resolve:ssm:/${Env}/url}}"', sections, { ssm }), 'https://prod');
    assert.equal(evaluate('"{{resolve:secretsmanager:db:SecretString:password}}"'), '{{resolve:secretsmanager:db:SecretString:password}}');
  });
});

describe('unknown functions and malformed arguments', () => {
  it('rejects a function CloudFormation does not know, with AWS\'s message', () => {
    assert.throws(() => evaluate('{"Fn::Length": [1, 2]}'), templateError(
      'Template Error: Encountered unsupported function: Fn::Length Supported functions are: [Fn::Base64, Fn::GetAtt, Fn::GetAZs, Fn::ImportValue, Fn::Join, Fn::Split, Fn::FindInMap, Fn::Select, Ref, Fn::Equals, Fn::If, Fn::Not, Condition, Fn::And, Fn::Or, Fn::Contains, Fn::EachMemberEquals, Fn::EachMemberIn, Fn::ValueOf, Fn::ValueOfAll, Fn::RefAll, Fn::Sub, Fn::Cidr]',
    ));
  });

  it('rejects a GetAtt without an attribute', () => {
    assert.throws(() => evaluate('{"Fn::GetAtt": [Bucket]}'), templateError(
      'Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute',
    ));
  });

  it('rejects a FindInMap with two arguments', () => {
    assert.throws(() => evaluate('!FindInMap [RegionMap, us-east-1]'), templateError(
      'Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value',
    ));
  });

  it('treats an object with a single Condition key as data outside the Conditions section', () => {
    assert.deepEqual(evaluate('{Condition: {Bool: {"aws:SecureTransport": "false"}}}'), { Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });
});
