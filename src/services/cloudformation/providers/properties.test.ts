import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedProperties, jsonDocument, ResourceFailure, validateProperties, type PropertySchema } from './properties.js';

const SCHEMA: PropertySchema = {
  CidrBlock: { type: 'string', required: true },
  EnableDnsHostnames: { type: 'boolean' },
  Tags: { type: 'list' },
  MaxSessionDuration: { type: 'number' },
};

const failure = (properties: Record<string, unknown>): string => {
  try {
    validateProperties('Network', SCHEMA, properties);
  } catch (error) {
    assert.ok(error instanceof ResourceFailure);
    return error.message;
  }
  return 'valid';
};

describe('validateProperties', () => {
  it("answers with AWS's resource handler messages", () => {
    assert.equal(failure({}), 'Properties validation failed for resource Network with message:\n#: required key [CidrBlock] not found');
    assert.equal(failure({ CidrBlock: '10.0.0.0/16', Colour: 'blue' }), 'Properties validation failed for resource Network with message:\n#: extraneous key [Colour] is not permitted');
    assert.equal(failure({ CidrBlock: ['10.0.0.0/16'] }), 'Properties validation failed for resource Network with message:\n#/CidrBlock: expected type: String, found: JSONArray');
    assert.equal(failure({ CidrBlock: 'x', Tags: 'Name' }), 'Properties validation failed for resource Network with message:\n#/Tags: expected type: JSONArray, found: String');
  });

  it('accepts numbers and booleans written as strings, as template parameters are', () => {
    assert.equal(failure({ CidrBlock: '10.0.0.0/16', EnableDnsHostnames: 'true', MaxSessionDuration: '7200' }), 'valid');
    assert.match(failure({ CidrBlock: 'x', MaxSessionDuration: 'long' }), /#\/MaxSessionDuration: expected type: Number, found: String$/);
  });
});

describe('changedProperties and jsonDocument', () => {
  it('compare resolved values, added and removed properties included', () => {
    assert.deepEqual([...changedProperties({ A: 1, B: [1, 2], C: 'x' }, { A: 1, B: [2, 1], D: 'y' })].sort(), ['B', 'C', 'D']);
  });

  it('a policy document object becomes JSON text; text stays as given', () => {
    assert.equal(jsonDocument({ Doc: { Version: '2012-10-17' } }, 'Doc'), '{"Version":"2012-10-17"}');
    assert.equal(jsonDocument({ Doc: '{"a":1}' }, 'Doc'), '{"a":1}');
  });
});
