import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKeys, isWellFormedKey, keyRange, prefixUpperBound } from './key-range.js';

const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

/** whether `key` lies in [prefix, upper) in UTF-8 byte order */
function inPrefixRange(key: string, prefix: string): boolean {
  const upper = prefixUpperBound(prefix);
  return compareKeys(key, prefix) >= 0 && (upper === undefined || compareKeys(key, upper) < 0);
}

describe('key order', () => {
  it('compares as UTF-8 bytes, not UTF-16 code units', () => {
    // UTF-16: D83D DE00 < FFFD; UTF-8: EF BF BD < F0 9F 98 80
    assert.ok('\u{1F600}' < '\uFFFD');
    assert.ok(compareKeys('\uFFFD', '\u{1F600}') < 0);
    assert.ok(compareKeys('a', 'b') < 0);
    assert.ok(compareKeys('ab', 'a') > 0);
    assert.equal(compareKeys('é', 'é'), 0);
  });

  it('refuses keys with lone surrogates, which have no UTF-8 form', () => {
    assert.equal(isWellFormedKey('plain/key \u{1F600} \uFFFF'), true);
    assert.equal(isWellFormedKey('half \uD83D'), false);
    assert.equal(isWellFormedKey('\uDE00 half'), false);
  });
});

describe('prefix upper bound', () => {
  it('increments the last code point', () => {
    assert.equal(prefixUpperBound('photos/'), 'photos0');
    assert.equal(prefixUpperBound('a'), 'b');
    assert.equal(prefixUpperBound('é'), 'ê');
  });

  it('bounds a prefix ending in U+FFFF by U+10000, above every BMP character and below the rest', () => {
    assert.equal(prefixUpperBound('p\uFFFF'), 'p\u{10000}');
    assert.equal(utf8(prefixUpperBound('p\uFFFF')!), utf8('p') + 'f0908080');
  });

  it('skips the surrogate block', () => {
    assert.equal(prefixUpperBound('x\uD7FF'), 'x\uE000');
  });

  it('carries past the last code point, and has no bound when every code point is the last', () => {
    assert.equal(prefixUpperBound('q\u{10FFFF}'), 'r');
    assert.equal(prefixUpperBound('q\u{10FFFF}\u{10FFFF}'), 'r');
    assert.equal(prefixUpperBound('\u{10FFFF}'), undefined);
    assert.equal(prefixUpperBound(''), undefined);
  });

  it('contains exactly the keys that start with the prefix', () => {
    const alphabet = ['a', 'b', '/', 'é', '\uD7FF', '\uE000', '\uFFFD', '\uFFFF', '\u{10000}', '\u{1F600}', '\u{10FFFF}'];
    const strings = [''];
    for (const first of alphabet) {
      strings.push(first);
      for (const second of alphabet) strings.push(first + second);
    }
    for (const prefix of strings) {
      for (const key of strings) {
        assert.equal(inPrefixRange(key, prefix), key.startsWith(prefix), `key ${utf8(key)}, prefix ${utf8(prefix)}`);
      }
    }
  });
});

describe('listing ranges', () => {
  it('starts at the prefix, inclusive, when there is no `after`', () => {
    assert.deepEqual(keyRange('logs/', undefined), { lower: 'logs/', lowerInclusive: true, upper: 'logs0' });
    assert.deepEqual(keyRange(undefined, undefined), { lower: '', lowerInclusive: true, upper: undefined });
  });

  it('starts after `after` when it sorts at or past the prefix', () => {
    assert.deepEqual(keyRange('logs/', 'logs/2024'), { lower: 'logs/2024', lowerInclusive: false, upper: 'logs0' });
    assert.deepEqual(keyRange('logs/', 'logs/'), { lower: 'logs/', lowerInclusive: false, upper: 'logs0' });
    assert.deepEqual(keyRange(undefined, 'm'), { lower: 'm', lowerInclusive: false, upper: undefined });
  });

  it('ignores an `after` that sorts before the prefix, comparing as UTF-8', () => {
    assert.deepEqual(keyRange('z', 'a'), { lower: 'z', lowerInclusive: true, upper: '{' });
    // '\u{1F600}' < '\uFFFD' in UTF-16 but not in UTF-8: `after` is past the prefix
    assert.deepEqual(keyRange('\uFFFD', '\u{1F600}'), { lower: '\u{1F600}', lowerInclusive: false, upper: '\uFFFE' });
  });
});
