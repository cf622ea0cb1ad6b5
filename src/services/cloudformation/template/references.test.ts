import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findReferences } from './references.js';

describe('findReferences: Fn::ImportValue', () => {
  it('collects every import argument as written, wherever it is nested, with the references inside it', () => {
    const value = [
      { VpcId: { 'Fn::ImportValue': 'network-VpcId' } },
      { 'Fn::Sub': ['${Subnet}-x', { Subnet: { 'Fn::ImportValue': { 'Fn::Sub': '${Env}-SubnetId' } } }] },
      { 'Fn::If': ['IsProd', { 'Fn::ImportValue': 'prod-Key' }, { 'Fn::ImportValue': { Ref: 'KeyExport' } }] },
    ];
    const found = findReferences(value);
    assert.deepEqual(found.imports, ['network-VpcId', { 'Fn::Sub': '${Env}-SubnetId' }, 'prod-Key', { Ref: 'KeyExport' }]);
    assert.deepEqual(found.references.map((reference) => reference.target), ['Env', 'KeyExport']);
  });

  it('finds none in a value without the function', () => {
    assert.deepEqual(findReferences({ Name: 'ImportValue', List: ['Fn::ImportValue'] }).imports, []);
  });
});
