/** The canonicalisation pieces on their own: path, query, header values, percent-encoding. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalHeaderValue } from './canonical-headers.js';
import { canonicalQuery } from './canonical-query.js';
import { canonicalUri } from './canonical-uri.js';
import { encodePathSegmentAsSent, percentDecode, reencode, uriEncode } from './uri-encode.js';

describe('uri encoding', () => {
  it('keeps only the unreserved characters, upper-case hex, UTF-8', () => {
    assert.equal(uriEncode("AZaz09-._~ /+*!'()ü"), 'AZaz09-._~%20%2F%2B%2A%21%27%28%29%C3%BC');
  });

  it('decodes strictly and round-trips what is malformed', () => {
    assert.equal(percentDecode('a%20b+c').toString(), 'a b+c');
    assert.equal(reencode('%zz%4'), '%25zz%254');
    assert.equal(reencode('%ff%7e%7E~'), '%FF~~~');
    assert.equal(reencode('a+b'), 'a%2Bb');
  });
});

describe('canonicalUri', () => {
  it('normalises and encodes each wire segment again for non-S3', () => {
    assert.equal(canonicalUri('', true), '/');
    assert.equal(canonicalUri('//example//', true), '/example/');
    assert.equal(canonicalUri('/example/..', true), '/');
    assert.equal(canonicalUri('/a/./b/../c', true), '/a/c');
    assert.equal(canonicalUri('/foo%20bar/%C3%BC', true), '/foo%2520bar/%25C3%25BC');
    assert.equal(canonicalUri('/example space/ሴ', true), '/example%20space/%E1%88%B4');
  });

  it('keeps the S3 path as sent, encoding only what cannot appear raw', () => {
    assert.equal(canonicalUri('//a/./b/../c//', false), '//a/./b/../c//');
    assert.equal(canonicalUri('/bucket/foo%20bar/%c3%bc', false), '/bucket/foo%20bar/%c3%bc');
    assert.equal(canonicalUri("/bucket/a!$&'()*+,;=:@b", false), "/bucket/a!$&'()*+,;=:@b");
    assert.equal(canonicalUri('/bucket/a b/ü/100%', false), '/bucket/a%20b/%C3%BC/100%25');
  });
});

describe('canonicalQuery', () => {
  it('sorts by encoded name then value, keeps empty values and repeated keys', () => {
    assert.equal(canonicalQuery('b=2&a=&c&a=z&a=b&a-b=1&A=0'), 'A=0&a=&a=b&a=z&a-b=1&b=2&c=');
  });

  it('re-encodes strictly and drops excluded names and empty pieces', () => {
    assert.equal(canonicalQuery('q=a+b%2a~%7e&&x=%20&X-Amz-Signature=abc&', new Set(['X-Amz-Signature'])), 'q=a%2Bb%2A~~&x=%20');
  });
});

describe('canonicalHeaderValue', () => {
  it('trims, collapses runs of whitespace (quotes included), joins duplicates with ","', () => {
    assert.equal(canonicalHeaderValue(['  a   b\t\tc  ']), 'a b c');
    assert.equal(canonicalHeaderValue(['"a   b   c"']), '"a b c"');
    assert.equal(canonicalHeaderValue(['value1\n  value2\n     value3']), 'value1 value2 value3');
    assert.equal(canonicalHeaderValue([' one ', 'two', '']), 'one,two,');
  });
});

it("an S3 path's quick check agrees with encoding it segment by segment", () => {
  const alphabet = ['a', 'Z', '0', '-', '.', '_', '~', '!', '$', '&', "'", '(', ')', '*', '+', ',', ';', '=', ':', '@', '/', '%', '%2F', '%2f', '%zz', ' ', 'é', '"', '#', '[', '\\', '^', '`', '{', '|', '}', '<', '>'];
  let seed = 7;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
  for (let round = 0; round < 5000; round++) {
    let path = '/';
    const length = next() % 12;
    for (let index = 0; index < length; index++) path += alphabet[next() % alphabet.length];
    assert.equal(canonicalUri(path, false), path.split('/').map(encodePathSegmentAsSent).join('/'), path);
  }
});
