import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextForYaml, templateError, yamlTemplate } from './fixtures.js';
import { parseTemplate } from './parse.js';
import { validateTemplate } from './validate.js';

function conditionsOf(sections: string, parameters: Array<{ key: string; value: string }> = []): Record<string, boolean> {
  const { context } = contextForYaml(yamlTemplate(sections), { parameters });
  return Object.fromEntries(context.conditions);
}

describe('condition functions', () => {
  const sections = `Parameters:
  EnvType: {Type: String, Default: test, AllowedValues: [prod, test]}
  BucketName: {Type: String, Default: ""}
Conditions:
  IsProduction: !Equals [!Ref EnvType, prod]
  CreateBucket: !Not [!Equals [!Ref BucketName, ""]]
  CreateBucketPolicy: !And [!Condition IsProduction, !Condition CreateBucket]
  ProductionOrBucket: !Or [!Condition IsProduction, !Condition CreateBucket]
  InUsEast1: !Equals [!Ref "AWS::Region", us-east-1]`;

  it('evaluates nested conditions (AWS CreateBucketPolicy example), with defaults', () => {
    assert.deepEqual(conditionsOf(sections), {
      IsProduction: false, CreateBucket: false, CreateBucketPolicy: false, ProductionOrBucket: false, InUsEast1: true,
    });
  });

  it('evaluates them with given values', () => {
    assert.deepEqual(conditionsOf(sections, [{ key: 'EnvType', value: 'prod' }, { key: 'BucketName', value: 'logs' }]), {
      IsProduction: true, CreateBucket: true, CreateBucketPolicy: true, ProductionOrBucket: true, InUsEast1: true,
    });
    assert.equal(conditionsOf(sections, [{ key: 'BucketName', value: 'logs' }]).ProductionOrBucket, true);
  });

  it('lets a condition use a condition declared after it', () => {
    assert.deepEqual(conditionsOf('Conditions:\n  Outer: !Not [!Condition Inner]\n  Inner: !Equals [a, b]'), { Outer: true, Inner: false });
  });

  it('compares as text, so a YAML boolean equals the string "true"', () => {
    assert.deepEqual(conditionsOf('Conditions:\n  Same: !Equals [true, "true"]\n  Numbers: !Equals [1, "1"]'), { Same: true, Numbers: true });
  });

  it('compares Fn::FindInMap and Fn::Select results', () => {
    const withMap = `Mappings:
  Envs: {us-east-1: {Tier: gold}}
Conditions:
  Gold: !Equals [!FindInMap [Envs, !Ref "AWS::Region", Tier], gold]
  FirstZone: !Equals [!Select [0, !GetAZs ""], us-east-1a]`;
    assert.deepEqual(conditionsOf(withMap), { Gold: true, FirstZone: true });
  });
});

describe('malformed conditions', () => {
  const rejects = (sections: string, message: string): void => {
    assert.throws(() => validateTemplate(parseTemplate(yamlTemplate(sections))), templateError(message));
    assert.throws(() => contextForYaml(yamlTemplate(sections)), templateError(message));
  };

  it('rejects a condition that is not a boolean operation', () => {
    rejects('Conditions:\n  Literal: yes-please', 'Template format error: Conditions can only be boolean operations on parameters and other conditions');
  });

  it('rejects a reference to a resource', () => {
    rejects('Conditions:\n  HasTopic: !Equals [!Ref Topic, x]', 'Template format error: Unresolved dependencies [Topic]. Cannot reference resources in the Conditions block of the template');
  });

  it('rejects an undeclared condition', () => {
    rejects('Conditions:\n  A: !Not [!Condition Missing]', 'Template format error: Condition Missing is not defined.');
  });

  it('rejects a condition that depends on itself', () => {
    rejects('Conditions:\n  A: !Not [!Condition B]\n  B: !Not [!Condition A]', 'Template format error: Circular dependency between conditions: [A, B]');
  });

  it('rejects Fn::And with one operand, or with an operand that is not a condition', () => {
    rejects('Conditions:\n  A: !And [!Equals [a, a]]', 'Template error: every Fn::And object requires a list of at least 2 and at most 10 boolean parameters.');
    rejects('Conditions:\n  A: !Or [!Equals [a, a], "true"]', 'Template error: every Fn::Or object requires a list of at least 2 and at most 10 boolean parameters.');
  });

  it('rejects Fn::Equals on a list', () => {
    assert.throws(
      () => contextForYaml(yamlTemplate('Parameters:\n  L: {Type: CommaDelimitedList, Default: "a,b"}\nConditions:\n  A: !Equals [!Ref L, a]')),
      templateError('Template error: every Fn::Equals object requires a list of 2 string parameters.'),
    );
  });
});
