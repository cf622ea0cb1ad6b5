import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrSubnets } from './cidr.js';
import { contextForYaml, templateError, yamlTemplate } from './fixtures.js';
import { resolveValue } from './intrinsics.js';

describe('Fn::Cidr', () => {
  it('carves six /27 blocks from a /24 (AWS example !Cidr ["192.168.0.0/24", 6, 5])', () => {
    const { context } = contextForYaml(yamlTemplate(''));
    assert.deepEqual(resolveValue({ 'Fn::Cidr': ['192.168.0.0/24', 6, 5] }, context), [
      '192.168.0.0/27', '192.168.0.32/27', '192.168.0.64/27', '192.168.0.96/27', '192.168.0.128/27', '192.168.0.160/27',
    ]);
  });

  it('takes its block from a resource attribute (select the first /24 of a VPC)', () => {
    const { context } = contextForYaml(yamlTemplate(''), { attributes: { 'Vpc.CidrBlock': '10.0.0.0/16' } });
    const value = { 'Fn::Select': [1, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 3, 8] }] };
    assert.equal(resolveValue(value, context), '10.0.1.0/24');
  });

  it('carves IPv6 /64s from a /56', () => {
    assert.deepEqual(cidrSubnets('2600:1f16:67d:2000::/56', 3, 64), ['2600:1f16:67d:2000::/64', '2600:1f16:67d:2001::/64', '2600:1f16:67d:2002::/64']);
  });

  it('starts from the network address when host bits are set', () => {
    assert.deepEqual(cidrSubnets('10.0.0.77/24', 2, 7), ['10.0.0.0/25', '10.0.0.128/25']);
  });

  it('rejects counts outside 1..256 and blocks too small for the request', () => {
    assert.throws(() => cidrSubnets('10.0.0.0/16', 0, 8), templateError('Template error: Fn::Cidr count must be between 1 and 256'));
    assert.throws(() => cidrSubnets('10.0.0.0/24', 3, 7), templateError('Template error: Fn::Cidr 10.0.0.0/24 cannot hold 3 blocks of 7 bits'));
    assert.throws(() => cidrSubnets('10.0.0.0/24', 1, 9), templateError('Template error: Fn::Cidr cidrBits 9 does not fit in 10.0.0.0/24'));
    assert.throws(() => cidrSubnets('10.0.0.256/24', 1, 4), templateError('Template error: Fn::Cidr ipBlock 10.0.0.256/24 is not a valid CIDR block'));
  });

  it('rejects a count over 256 or not whole, and cidrBits below 0 or wider than the block', () => {
    assert.throws(() => cidrSubnets('10.0.0.0/8', 257, 8), templateError('Template error: Fn::Cidr count must be between 1 and 256'));
    assert.throws(() => cidrSubnets('10.0.0.0/8', 1.5, 8), templateError('Template error: Fn::Cidr count must be between 1 and 256'));
    assert.throws(() => cidrSubnets('10.0.0.0/24', 1, -1), templateError('Template error: Fn::Cidr cidrBits -1 does not fit in 10.0.0.0/24'));
    assert.throws(() => cidrSubnets('2600:1f16::/56', 1, 73), templateError('Template error: Fn::Cidr cidrBits 73 does not fit in 2600:1f16::/56'));
    assert.deepEqual(cidrSubnets('10.0.0.0/8', 256, 16).slice(-1), ['10.255.0.0/16']);
  });

  it('rejects blocks that are not CIDR blocks, IPv4 or IPv6', () => {
    for (const ipBlock of ['10.0.0.0', '10.0.0.0/33', '10.0.0.01/24', '10.0.0/24', '10.0.0.0/24/1', '10.0.0.0/x', '2600::/129', '2600:::/56', '1:2:3:4:5:6:7:8:9/64', '1:2:3:4:5:6:7/64', '1::2::3/64', 'g::/64']) {
      assert.throws(() => cidrSubnets(ipBlock, 1, 0), templateError(`Template error: Fn::Cidr ipBlock ${ipBlock} is not a valid CIDR block`), ipBlock);
    }
  });

  it('writes addresses at the top of the IPv4 space, /32 blocks, and IPv6 with the longest zero run shortened', () => {
    assert.deepEqual(cidrSubnets('255.255.255.0/24', 2, 7), ['255.255.255.0/25', '255.255.255.128/25']);
    assert.deepEqual(cidrSubnets('128.0.0.0/30', 4, 0), ['128.0.0.0/32', '128.0.0.1/32', '128.0.0.2/32', '128.0.0.3/32']);
    assert.deepEqual(cidrSubnets('2001:DB8::/64', 2, 32), ['2001:db8::/96', '2001:db8::1:0:0/96']);
    assert.deepEqual(cidrSubnets('::/0', 2, 127), ['::/1', '8000::/1']);
  });
});
