/**
 * HMAC-SHA256 (RFC 2104) as two one-shot SHA-256 digests: H((K ^ opad) || H((K ^ ipad) || m)).
 *
 * Every request's signature is one HMAC under its (cached) signing key. createHmac builds an
 * OpenSSL MAC context for each call: in a profile of the server under load its constructor was the
 * largest single item of a request (about 6 µs of wall time, against about 4 µs for these two
 * digests over a reused buffer). The padded key blocks are computed once per key (a signing key is
 * the same Buffer for a day: signing-key.ts). Proven equal to createHmac in hmac.test.ts. Where
 * crypto.hash is missing (Node < 20.12) createHmac is used.
 */
import * as crypto from 'node:crypto';

const BLOCK = 64;
const DIGEST = 32;

interface PaddedKey {
  inner: Buffer;
  outer: Buffer;
}

const oneShotHash: typeof crypto.hash | undefined = typeof crypto.hash === 'function' ? crypto.hash : undefined;
const paddedKeys = new WeakMap<Buffer, PaddedKey>();
/** Reused for every message (the server is single-threaded and each use is synchronous); zeroed after use. */
let scratch = Buffer.alloc(1024);

function padded(key: Buffer): PaddedKey {
  let pads = paddedKeys.get(key);
  if (pads === undefined) {
    const block = Buffer.alloc(BLOCK);
    (key.length > BLOCK ? crypto.createHash('sha256').update(key).digest() : key).copy(block);
    const inner = Buffer.alloc(BLOCK);
    const outer = Buffer.alloc(BLOCK);
    for (let index = 0; index < BLOCK; index++) {
      inner[index] = block[index]! ^ 0x36;
      outer[index] = block[index]! ^ 0x5c;
    }
    block.fill(0);
    pads = { inner, outer };
    paddedKeys.set(key, pads);
  }
  return pads;
}

/** HMAC-SHA256 of a text (UTF-8) under `key`; `key` must not change afterwards (its pads are kept). */
export function hmacSha256(key: Buffer, message: string, encoding: 'hex'): string;
export function hmacSha256(key: Buffer, message: string): Buffer;
export function hmacSha256(key: Buffer, message: string, encoding?: 'hex'): string | Buffer {
  if (oneShotHash === undefined) {
    const mac = crypto.createHmac('sha256', key).update(message, 'utf8');
    return encoding === 'hex' ? mac.digest('hex') : mac.digest();
  }
  const { inner, outer } = padded(key);
  const room = BLOCK + message.length * 3;
  if (scratch.length < room) scratch = Buffer.alloc(room);
  inner.copy(scratch, 0);
  const written = scratch.write(message, BLOCK, 'utf8');
  const innerDigest = oneShotHash('sha256', scratch.subarray(0, BLOCK + written), 'buffer');
  outer.copy(scratch, 0);
  innerDigest.copy(scratch, BLOCK);
  const result = encoding === 'hex'
    ? oneShotHash('sha256', scratch.subarray(0, BLOCK + DIGEST), 'hex')
    : oneShotHash('sha256', scratch.subarray(0, BLOCK + DIGEST), 'buffer');
  scratch.fill(0, 0, BLOCK + DIGEST);
  return result;
}
