import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCidr, parseDate, parseIpv4, parseIpv6, parseNumber } from './values.js';

describe('dates', () => {
  it('reads the W3C ISO 8601 profile and epoch seconds', () => {
    const cases: Array<[string, string]> = [
      ['2024-10-10T09:43:48.085Z', '2024-10-10T09:43:48.085Z'],
      ['2024-10-10T09:43:48Z', '2024-10-10T09:43:48.000Z'],
      ['2024-10-10t09:43:48z', '2024-10-10T09:43:48.000Z'],
      ['2024-10-10T09:43Z', '2024-10-10T09:43:00.000Z'],
      ['2024-10-10T11:43:48+02:00', '2024-10-10T09:43:48.000Z'],
      ['2024-10-10T04:13:48-0530', '2024-10-10T09:43:48.000Z'],
      ['2024-10-10T10:43:48+01', '2024-10-10T09:43:48.000Z'],
      ['2024-10-10T09:43:48', '2024-10-10T09:43:48.000Z'],
      ['2024-10-10', '2024-10-10T00:00:00.000Z'],
      ['2024-10', '2024-10-01T00:00:00.000Z'],
      ['2024-02-29', '2024-02-29T00:00:00.000Z'],
      ['1600-03-01', '1600-03-01T00:00:00.000Z'],
      ['1728553428', '2024-10-10T09:43:48.000Z'],
      ['0', '1970-01-01T00:00:00.000Z'],
    ];
    for (const [text, expected] of cases) assert.equal(parseDate(text), Date.parse(expected), text);
    assert.equal(parseDate('2024-10-10T09:43:48.0855Z'), Date.parse('2024-10-10T09:43:48.085Z') + 0.5);
  });

  it('agrees with Date.parse on random instants', () => {
    for (let ms = -5e12; ms < 5e12; ms += 7_777_777_777) {
      const iso = new Date(ms).toISOString();
      if (iso.startsWith('-') || iso.startsWith('+')) continue;
      assert.equal(parseDate(iso), ms, iso);
    }
  });

  it('rejects what is not a date', () => {
    for (const text of ['', 'now', '2023-02-29', '2024-13-01', '2024-00-10', '2024-10-10T25:00:00Z', '2024-10-10T09:60:00Z', '2024-10-10T09:43:48.Z',
      '2024-10-10T09:43:48+5', '2024-10-10 09:43:48Z', '2024-10T09:43:48Z', '12345678901234567890', '1.5', '-1', '2024-10-10T09:43:48ZZ']) {
      assert.ok(Number.isNaN(parseDate(text)), text);
    }
  });
});

describe('numbers and addresses', () => {
  it('numbers', () => {
    assert.equal(parseNumber('10'), 10);
    assert.equal(parseNumber('-0.5'), -0.5);
    assert.equal(parseNumber('+3.'), 3);
    for (const text of ['', '-', '.', '1e3', '0x10', '1,000', ' 1', 'Infinity']) assert.ok(Number.isNaN(parseNumber(text)), text);
  });

  it('IPv4', () => {
    assert.equal(parseIpv4('203.0.113.7'), 203 * 2 ** 24 + 113 * 256 + 7);
    for (const text of ['203.0.113', '203.0.113.256', '1.2.3.4.5', '1..2.3', 'a.b.c.d', '1.2.3.4 ']) assert.equal(parseIpv4(text), -1, text);
  });

  it('IPv6', () => {
    assert.equal(parseIpv6('::'), 0n);
    assert.equal(parseIpv6('::1'), 1n);
    assert.equal(parseIpv6('2001:DB8::1'), (0x2001n << 112n) | (0xdb8n << 96n) | 1n);
    assert.equal(parseIpv6('::ffff:1.2.3.4'), (0xffffn << 32n) | 0x01020304n);
    assert.equal(parseIpv6('1:2:3:4:5:6:7:8'), 0x00010002000300040005000600070008n);
    for (const text of [':', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7']) assert.equal(parseIpv6(text), -1n, text);
  });

  it('CIDR blocks, host bits masked', () => {
    assert.deepEqual(parseCidr('203.0.113.77/24'), { v6: false, low: 203 * 2 ** 24 + 113 * 256, high: 203 * 2 ** 24 + 113 * 256 + 255 });
    assert.deepEqual(parseCidr('0.0.0.0/0'), { v6: false, low: 0, high: 2 ** 32 - 1 });
    const v6 = parseCidr('2001:db8:1234:5678::/64');
    assert.ok(v6?.v6);
    assert.equal(v6.high - v6.low, (1n << 64n) - 1n);
    for (const text of ['1.2.3.4/33', '::/129', '1.2.3.4/', '1.2.3.4/-1', '/8']) assert.equal(parseCidr(text), undefined, text);
  });
});
