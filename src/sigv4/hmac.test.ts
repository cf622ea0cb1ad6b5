import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { hmacSha256 } from './hmac.js';

test('HMAC-SHA256 from two digests equals createHmac for keys and messages of every size', () => {
  const messages = ['', 'a', 'AWS4-HMAC-SHA256\n20261128T061000Z\n20261128/us-east-1/sts/aws4_request\n' + 'f'.repeat(64), 'é𝄞 unicode ✓', 'x'.repeat(5000)];
  for (const keyLength of [0, 1, 32, 63, 64, 65, 200]) {
    const key = randomBytes(keyLength);
    for (const message of messages) {
      const expected = createHmac('sha256', key).update(message, 'utf8').digest();
      assert.equal(hmacSha256(key, message, 'hex'), expected.toString('hex'), `key ${keyLength} bytes, message ${message.length} chars`);
      assert.deepEqual(hmacSha256(key, message), expected);
    }
  }
});

test('RFC 4231 test case 2 (key "Jefe")', () => {
  assert.equal(hmacSha256(Buffer.from('Jefe'), 'what do ya want for nothing?', 'hex'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});

test('a changed message or key changes the result; a long message after a short one is not cut', () => {
  const key = randomBytes(32);
  const base = hmacSha256(key, 'message', 'hex');
  assert.notEqual(hmacSha256(key, 'messagf', 'hex'), base);
  assert.notEqual(hmacSha256(randomBytes(32), 'message', 'hex'), base);
  const long = 'y'.repeat(3000);
  assert.equal(hmacSha256(key, long, 'hex'), createHmac('sha256', key).update(long).digest('hex'));
  assert.equal(hmacSha256(key, 'message', 'hex'), base);
});
