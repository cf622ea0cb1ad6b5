/**
 * signingKey: the HMAC chain AWS documents, cached under a fingerprint rather than the secret, and
 * served from the cache only to the exact secret it was derived from.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { cacheFingerprint, clearSigningKeyCache, signingKey, signingKeyCacheKeys, signingKeyCacheSecrets } from './signing-key.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

describe('signingKey', () => {
  beforeEach(() => clearSigningKeyCache());

  it('derives the key of AWS\'s documented example', () => {
    // "Examples of how to derive a signing key for Signature Version 4" (AWS General Reference).
    assert.equal(signingKey(SECRET, '20120215', 'us-east-1', 'iam').toString('hex'), 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });

  it('returns the cached Buffer on the second call, a distinct key per scope', () => {
    const first = signingKey(SECRET, '20150830', 'us-east-1', 'iam');
    assert.equal(signingKey(SECRET, '20150830', 'us-east-1', 'iam'), first);
    assert.notEqual(signingKey(SECRET, '20150830', 'us-east-1', 'sts'), first);
    assert.notEqual(signingKey(SECRET, '20150831', 'us-east-1', 'iam'), first);
    assert.notEqual(signingKey(SECRET + 'x', '20150830', 'us-east-1', 'iam'), first);
    assert.equal(signingKeyCacheKeys().length, 4);
  });

  it('does not keep the secret in clear as a map key', () => {
    signingKey(SECRET, '20150830', 'us-east-1', 'iam');
    const keys = signingKeyCacheKeys();
    assert.equal(keys.length, 1);
    for (const key of keys) {
      assert.ok(!key.includes(SECRET) && !key.includes('EXAMPLEKEY'));
      assert.ok(!key.includes(Buffer.from(SECRET).toString('base64').slice(0, 16)));
      assert.ok(!key.includes(Buffer.from(SECRET).toString('hex').slice(0, 16)));
    }
  });

  it('does not keep the secret in clear in its entries either', () => {
    signingKey(SECRET, '20150830', 'us-east-1', 'iam');
    const held = signingKeyCacheSecrets();
    assert.equal(held.length, 1);
    const heldText = String.fromCharCode(...held[0]!);
    assert.notEqual(heldText, SECRET);
    assert.ok(!heldText.includes('EXAMPLEKEY'));
  });

  it('never serves one secret the key of another, even when their map keys collide', () => {
    // Two secrets whose fingerprints collide under this scope (found by a birthday search over
    // 'colliding-secret-N'; if the fingerprint function changes, search again).
    const first = 'colliding-secret-268369';
    const second = 'colliding-secret-1048694';
    const scope = ['20150830', 'us-east-1', 'iam'] as const;
    assert.equal(cacheFingerprint(first, ...scope), cacheFingerprint(second, ...scope));

    const firstKey = signingKey(first, ...scope);
    const secondKey = signingKey(second, ...scope);
    assert.notDeepEqual(secondKey, firstKey);
    assert.notDeepEqual(signingKey(first, ...scope), secondKey);
    // Both are the keys a fresh derivation gives.
    clearSigningKeyCache();
    assert.deepEqual(signingKey(second, ...scope), secondKey);
    assert.deepEqual(signingKey(first, ...scope), firstKey);
  });

  it('is bounded, evicting keys not used since eviction last passed them over', () => {
    const oldest = signingKey('secret-0', '20150830', 'us-east-1', 'iam');
    const kept = signingKey('secret-1', '20150830', 'us-east-1', 'iam');
    for (let index = 2; index < 1100; index++) {
      signingKey(`secret-${index}`, '20150830', 'us-east-1', 'iam');
      if (index % 100 === 0) signingKey('secret-1', '20150830', 'us-east-1', 'iam'); // keep secret-1 recent
    }
    assert.ok(signingKeyCacheKeys().length <= 1024);
    assert.equal(signingKey('secret-1', '20150830', 'us-east-1', 'iam'), kept);
    const recomputed = signingKey('secret-0', '20150830', 'us-east-1', 'iam');
    assert.notEqual(recomputed, oldest);
    assert.deepEqual(recomputed, oldest);
  });
});
