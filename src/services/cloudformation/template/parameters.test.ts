import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templateError, yamlTemplate } from './fixtures.js';
import { parseTemplate } from './parse.js';
import { resolveParameters, type ParameterLookups } from './parameters.js';
import type { ParameterValueInput } from './types.js';
import { validateTemplate } from './validate.js';

const noSsm: ParameterLookups = { ssmParameter: () => undefined };

function resolve(parameters: string, given: ParameterValueInput[], lookups: ParameterLookups = noSsm) {
  return resolveParameters(parseTemplate(yamlTemplate(`Parameters:\n${parameters}`)), given, lookups);
}

describe('parameter values', () => {
  it('takes given values over defaults, keeps NoEcho and the type', () => {
    const resolved = resolve('  Name: {Type: String, Default: web}\n  Secret: {Type: String, NoEcho: true}', [{ key: 'Secret', value: 's3cr3t' }]);
    assert.deepEqual(resolved.get('Name'), { value: 'web', noEcho: false, type: 'String' });
    assert.deepEqual(resolved.get('Secret'), { value: 's3cr3t', noEcho: true, type: 'String' });
  });

  it('splits CommaDelimitedList, List<Number> and List<AWS::EC2::…> values', () => {
    const resolved = resolve(
      '  Cidrs: {Type: CommaDelimitedList}\n  Ports: {Type: List<Number>}\n  Subnets: {Type: List<AWS::EC2::Subnet::Id>}',
      [{ key: 'Cidrs', value: '10.0.0.0/24,10.0.1.0/24' }, { key: 'Ports', value: '80, 443' }, { key: 'Subnets', value: 'subnet-1,subnet-2' }],
    );
    assert.deepEqual(resolved.get('Cidrs')?.value, ['10.0.0.0/24', '10.0.1.0/24']);
    assert.deepEqual(resolved.get('Ports')?.value, ['80', '443']);
    assert.deepEqual(resolved.get('Subnets')?.value, ['subnet-1', 'subnet-2']);
  });

  it('reuses the previous value on UsePreviousValue', () => {
    const resolved = resolve('  Name: {Type: String, Default: web}', [{ key: 'Name', usePreviousValue: true }], {
      ...noSsm, previous: new Map([['Name', 'api']]),
    });
    assert.equal(resolved.get('Name')?.value, 'api');
  });

  it('looks SSM-backed parameters up, keeping the name as the value', () => {
    const resolved = resolve('  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /ami/latest}', [], {
      ssmParameter: (name) => (name === '/ami/latest' ? 'ami-0123' : undefined),
    });
    assert.deepEqual(resolved.get('Ami'), { value: '/ami/latest', resolvedValue: 'ami-0123', noEcho: false, type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>' });
  });
});

describe('parameter errors, with AWS\'s messages', () => {
  it('names every parameter without a value', () => {
    assert.throws(
      () => resolve('  A: {Type: String}\n  B: {Type: String, Default: b}\n  C: {Type: Number}', []),
      templateError('Parameters: [A, C] must have values'),
    );
  });

  it('names given keys the template does not declare', () => {
    assert.throws(() => resolve('  A: {Type: String, Default: a}', [{ key: 'Nope', value: 'x' }, { key: 'Other', value: 'y' }]),
      templateError('Parameters: [Nope, Other] do not exist in the template'));
  });

  it('checks AllowedValues', () => {
    assert.throws(() => resolve('  Env: {Type: String, AllowedValues: [prod, test]}', [{ key: 'Env', value: 'dev' }]),
      templateError("Parameter 'Env' must be one of AllowedValues"));
  });

  it('checks AllowedPattern against the whole value', () => {
    assert.throws(() => resolve('  Name: {Type: String, AllowedPattern: "[a-z]+"}', [{ key: 'Name', value: 'abc1' }]),
      templateError("Parameter 'Name' must match pattern [a-z]+"));
  });

  it('checks AllowedPattern item by item for list types', () => {
    assert.doesNotThrow(() => resolve('  Ids: {Type: CommaDelimitedList, AllowedPattern: "sg-[0-9a-f]+"}', [{ key: 'Ids', value: 'sg-1a,sg-2b' }]));
    assert.throws(() => resolve('  Ids: {Type: CommaDelimitedList, AllowedPattern: "sg-[0-9a-f]+"}', [{ key: 'Ids', value: 'sg-1a,vpc-2' }]),
      templateError("Parameter 'Ids' must match pattern sg-[0-9a-f]+"));
  });

  it('rejects an AllowedPattern that is not a regular expression', () => {
    assert.throws(() => resolve('  Name: {Type: String, AllowedPattern: "[a-z"}', [{ key: 'Name', value: 'abc' }]),
      templateError("Parameter 'Name' AllowedPattern must be a valid regular expression."));
  });

  it('checks MinLength and MaxLength', () => {
    assert.throws(() => resolve('  Naming: {Type: String, MinLength: 12}', [{ key: 'Naming', value: 'aws-ab-' }]),
      templateError("Parameter 'Naming' must contain at least 12 characters"));
    assert.throws(() => resolve('  Naming: {Type: String, MaxLength: 3}', [{ key: 'Naming', value: 'abcd' }]),
      templateError("Parameter 'Naming' must contain at most 3 characters"));
  });

  it('checks numbers and MinValue / MaxValue, item by item for List<Number>', () => {
    assert.throws(() => resolve('  Size: {Type: Number}', [{ key: 'Size', value: 'ten' }]), templateError("Parameter 'Size' must be a number"));
    assert.throws(() => resolve('  Size: {Type: Number, MinValue: 1}', [{ key: 'Size', value: '0' }]),
      templateError("Parameter 'Size' must be a number not less than 1"));
    assert.throws(() => resolve('  Ports: {Type: List<Number>, MaxValue: 1024}', [{ key: 'Ports', value: '80,8080' }]),
      templateError("Parameter 'Ports' must be a number not greater than 1024"));
  });

  it('replaces the reason with the ConstraintDescription', () => {
    assert.throws(
      () => resolve('  CreateVPNEndpoint: {Type: String, AllowedValues: ["true", "false"], ConstraintDescription: "Must specify \'true\' or \'false\'"}',
        [{ key: 'CreateVPNEndpoint', value: 'maybe' }]),
      templateError("Parameter CreateVPNEndpoint failed to satisfy constraint: Must specify 'true' or 'false'"),
    );
  });

  it('rejects a default that breaks its own constraints when the template is validated', () => {
    const template = parseTemplate(yamlTemplate('Parameters:\n  Naming: {Type: String, Default: aws-ab-, MinLength: 12}'));
    assert.throws(() => validateTemplate(template), templateError("Parameter 'Naming' must contain at least 12 characters"));
  });

  it('names SSM parameters that do not exist', () => {
    assert.throws(() => resolve('  Ami: {Type: "AWS::SSM::Parameter::Value<String>", Default: /missing}', []),
      templateError('Unable to fetch parameters [/missing] from parameter store for this account.'));
  });

  it('refuses UsePreviousValue without a previous value', () => {
    assert.throws(() => resolve('  Name: {Type: String}', [{ key: 'Name', usePreviousValue: true }]),
      templateError('Invalid input for parameter key Name. Cannot specify usePreviousValue as true for a parameter key not in the previous template'));
  });
});
