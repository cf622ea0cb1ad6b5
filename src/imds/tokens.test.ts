import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { imdsJson } from './json.js';
import { MetadataTokens } from './tokens.js';

describe('IMDSv2 tokens', () => {
  const tokens = new MetadataTokens(Buffer.alloc(32, 9));
  const now = Date.parse('2026-11-28T10:00:00.000Z');

  it('are valid for their instance until their TTL runs out', () => {
    const token = tokens.issue('i-0123456789abcdef0', 60, now);
    assert.match(token, /^[A-Za-z0-9+/]{52}$/);
    assert.ok(tokens.valid(token, 'i-0123456789abcdef0', now));
    assert.ok(tokens.valid(token, 'i-0123456789abcdef0', now + 59_999));
    assert.ok(!tokens.valid(token, 'i-0123456789abcdef0', now + 60_000));
    assert.ok(!tokens.valid(token, 'i-0fedcba9876543210', now));
  });

  it('are refused when forged, damaged or issued by another iamd', () => {
    const token = tokens.issue('i-0123456789abcdef0', 21600, now);
    const raw = Buffer.from(token, 'base64');
    raw.writeUIntBE(now + 99 * 3600_000, 1, 6); // a longer life, without the key to seal it
    assert.ok(!tokens.valid(raw.toString('base64'), 'i-0123456789abcdef0', now));
    assert.ok(!tokens.valid(token.slice(0, -4), 'i-0123456789abcdef0', now));
    assert.ok(!tokens.valid('', 'i-0123456789abcdef0', now));
    assert.ok(!new MetadataTokens(Buffer.alloc(32, 8)).valid(token, 'i-0123456789abcdef0', now));
  });
});

describe('IMDS JSON', () => {
  it('is written as EC2 writes it: " : " between name and value, two-space indent, no final newline', () => {
    assert.equal(imdsJson({ Code: 'Success', Skipped: undefined, kernelId: null, Count: 2 }), '{\n  "Code" : "Success",\n  "kernelId" : null,\n  "Count" : 2\n}');
  });
});
