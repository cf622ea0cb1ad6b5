import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cidrContains, cidrsOverlap, formatIpv4, lastThreeOctets, parseCidr, parseIpv4, usableRange } from './cidr.js';
import { filterPattern } from './input.js';
import { privateDnsName } from './private-ips.js';

describe('IPv4 and CIDR blocks', () => {
  it('parses and formats addresses', () => {
    assert.equal(parseIpv4('172.31.16.5'), 172 * 2 ** 24 + 31 * 2 ** 16 + 16 * 256 + 5);
    assert.equal(formatIpv4(parseIpv4('10.0.255.1')!), '10.0.255.1');
    for (const bad of ['10.0.0', '10.0.0.256', '10.0.0.01', 'a.b.c.d', '10.0.0.1.2', '']) assert.equal(parseIpv4(bad), undefined, bad);
  });

  it('accepts canonical blocks only', () => {
    assert.deepEqual(parseCidr('10.0.0.0/16'), { base: parseIpv4('10.0.0.0'), prefix: 16, text: '10.0.0.0/16' });
    assert.equal(parseCidr('10.0.0.1/16'), undefined);
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('10.0.0.0'), undefined);
  });

  it('knows containment and overlap', () => {
    const vpc = parseCidr('10.0.0.0/16')!;
    assert.ok(cidrContains(vpc, parseCidr('10.0.1.0/24')!));
    assert.ok(!cidrContains(vpc, parseCidr('10.1.0.0/24')!));
    assert.ok(!cidrContains(parseCidr('10.0.1.0/24')!, vpc));
    assert.ok(cidrsOverlap(parseCidr('10.0.1.0/24')!, parseCidr('10.0.1.128/25')!));
    assert.ok(!cidrsOverlap(parseCidr('10.0.1.0/24')!, parseCidr('10.0.2.0/24')!));
  });

  it('keeps AWS\'s five addresses of a subnet', () => {
    const range = usableRange(parseCidr('10.0.1.0/24')!);
    assert.deepEqual([formatIpv4(range.first), formatIpv4(range.last), range.count], ['10.0.1.4', '10.0.1.254', 251]);
    assert.equal(usableRange(parseCidr('172.31.0.0/20')!).count, 4091);
    assert.equal(usableRange(parseCidr('10.0.0.0/28')!).count, 11);
  });

  it('derives the loopback suffix and the private DNS name', () => {
    assert.equal(lastThreeOctets(parseIpv4('10.16.32.5')!), lastThreeOctets(parseIpv4('172.16.32.5')!));
    assert.notEqual(lastThreeOctets(parseIpv4('10.16.32.5')!), lastThreeOctets(parseIpv4('10.16.32.6')!));
    assert.equal(privateDnsName('172.31.16.5', 'us-east-1'), 'ip-172-31-16-5.ec2.internal');
    assert.equal(privateDnsName('10.0.1.4', 'eu-west-1'), 'ip-10-0-1-4.eu-west-1.compute.internal');
  });
});

describe('EC2 filter values', () => {
  it('match with * and ?, case-sensitively, with \\ escaping', () => {
    assert.ok(filterPattern('al2023-ami-2023.*-x86_64').test('al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64'));
    assert.ok(!filterPattern('al2023-ami-2023.*-x86_64').test('al2023-ami-2023.6.20241121.0-kernel-6.1-arm64'));
    assert.ok(filterPattern('web-?').test('web-1'));
    assert.ok(!filterPattern('web-?').test('web-10'));
    assert.ok(!filterPattern('Web').test('web'));
    assert.ok(filterPattern('a\\*b').test('a*b'));
    assert.ok(!filterPattern('a\\*b').test('axxb'));
    assert.ok(filterPattern('10.0.0.0/8').test('10.0.0.0/8'));
    assert.ok(!filterPattern('10.0.0.0/8').test('10x0x0x0/8'), 'dots are not regular-expression wildcards');
  });
});
