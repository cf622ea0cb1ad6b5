import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextForYaml, templateError, yamlTemplate } from './fixtures.js';
import { resolveValue } from './intrinsics.js';
import { parseBody } from './parse-body.js';
import { parseSubString } from './sub.js';

function evaluate(value: string, sections = '', attributes: Record<string, unknown> = {}): unknown {
  const { context } = contextForYaml(yamlTemplate(sections), { attributes });
  return resolveValue((parseBody(`Value: ${value}`) as { Value: unknown }).Value, context);
}

describe('Fn::Sub syntax', () => {
  it('splits literals and variables', () => {
    assert.deepEqual(parseSubString('arn:${AWS::Partition}:s3:::${Bucket}/*'), [
      { literal: 'arn:' }, { variable: 'AWS::Partition' }, { literal: ':s3:::' }, { variable: 'Bucket' }, { literal: '/*' },
    ]);
  });

  it('writes ${!Literal} as the literal ${Literal}, and keeps lone dollars', () => {
    assert.deepEqual(parseSubString('${!Literal} costs $5 ${!a.b}'), [{ literal: '${Literal} costs $5 ${a.b}' }]);
  });

  it('rejects variable names with other characters, with AWS\'s message', () => {
    assert.throws(() => parseSubString('${fe_err:-none}'), templateError(
      'Template error: variable names in Fn::Sub syntax must contain only alphanumeric characters, underscores, periods, and colons',
    ));
  });
});

describe('Fn::Sub evaluated', () => {
  const sections = `Parameters:
  RootDomainName: {Type: String, Default: example.com}
  Port: {Type: Number, Default: 8080}`;

  it('substitutes pseudo parameters and resources (AWS VPC ARN example)', () => {
    assert.equal(
      evaluate('!Sub "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc/${vpc}"'),
      'arn:aws:ec2:us-east-1:123456789012:vpc/vpc-physical-id',
    );
  });

  it('substitutes from the variable map (AWS www.${Domain} example)', () => {
    assert.equal(evaluate('!Sub ["www.${Domain}", {Domain: !Ref RootDomainName}]', sections), 'www.example.com');
  });

  it('lets the variable map shadow a parameter of the same name', () => {
    assert.equal(evaluate('!Sub ["${RootDomainName}", {RootDomainName: other.org}]', sections), 'other.org');
  });

  it('substitutes resource attributes, parameters as text, and literals', () => {
    const attributes = { 'Role.Arn': 'arn:aws:iam::123456789012:role/r' };
    assert.equal(
      evaluate('!Sub "${Role.Arn} on ${Port} in ${AWS::Region}, ${!Literal}"', sections, attributes),
      'arn:aws:iam::123456789012:role/r on 8080 in us-east-1, ${Literal}',
    );
  });

  it('rejects a variable that comes out as a list', () => {
    assert.throws(() => evaluate('!Sub "${AWS::NotificationARNs}"'), templateError(
      'Template error: variable AWS::NotificationARNs in Fn::Sub expression does not resolve to a string',
    ));
  });
});
