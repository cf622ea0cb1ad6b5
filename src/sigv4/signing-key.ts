/**
 * The SigV4 signing key, HMAC chain "AWS4"+secret → date → region → service → "aws4_request".
 * Four HMACs per request add up, and one key serves a credential for a whole day in one region and
 * service, so keys are cached in a small map, bounded with second-chance eviction: a hit only marks
 * its entry used (moving it to the end of the map on every hit, a delete and a set, cost about 1 µs
 * per request under load as the map shrank and grew again); when the map is full the oldest entry
 * is evicted unless it was used since it was last passed over, in which case it goes to the end.
 *
 * A lookup must cost far less than the HMACs it saves, so it computes no cryptographic hash:
 * - the map key is a 32-bit FNV-1a fingerprint of the secret and the scope, which tells entries apart
 *   without showing anything usable of the secret (and, being a number, hashes for free). It only
 *   picks an entry;
 * - the entry records everything its key was derived from (the scope, and the secret XOR-masked with
 *   a per-process random pad) and is used only when all of it matches, the secret compared in full
 *   and in constant time. A fingerprint collision therefore never lets another secret's key through:
 *   the key is derived afresh and replaces the entry.
 * Neither the map keys nor the entries hold a secret in clear. (The mask only keeps secrets out of a
 * dump's plain text: whoever can read the process's memory can read the directory's secrets anyway.)
 *
 * The cached Buffer is shared: callers must treat it as read-only.
 */
import { createHmac, randomFillSync } from 'node:crypto';

interface CachedKey {
  scopeDate: string;
  region: string;
  service: string;
  maskedSecret: Uint16Array;
  key: Buffer;
  /** used since it was added or last passed over by eviction */
  used: boolean;
}

const MAX_CACHED_KEYS = 1024;
const cache = new Map<number, CachedKey>();
const PAD = randomFillSync(new Uint16Array(64));

/** HMAC-SHA256 of UTF-8 text: each link of the key's chain, and every signature made with the key. */
export function hmacSha256(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * The same HMAC as lower-case hex, a request's signature: digested straight to text, without the
 * Buffer that hmacSha256 makes and toString('hex') then reads (a Buffer costs a few µs per request
 * under load).
 */
export function hmacSha256Hex(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a over UTF-16 code units, continued from `hash`: cheap, and only ever used to pick an entry, never to trust one. */
function fnv1a(text: string, hash: number): number {
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  // A '/' after each part, so that ('ab', 'c') and ('a', 'bc') do not continue into the same state.
  return Math.imul(hash ^ 0x2f, 0x01000193);
}

/** Exported for tests (to build a collision): the map key of a secret and scope. */
export function cacheFingerprint(secret: string, scopeDate: string, region: string, service: string): number {
  return fnv1a(service, fnv1a(region, fnv1a(scopeDate, fnv1a(secret, FNV_OFFSET)))) >>> 0;
}

function masked(secret: string): Uint16Array {
  const result = new Uint16Array(secret.length);
  for (let index = 0; index < secret.length; index++) result[index] = secret.charCodeAt(index) ^ PAD[index % PAD.length]!;
  return result;
}

/** Constant time in the secret's contents: every code unit is compared, whatever differs first. */
function isSameSecret(maskedSecret: Uint16Array, secret: string): boolean {
  if (maskedSecret.length !== secret.length) return false;
  let difference = 0;
  for (let index = 0; index < secret.length; index++) {
    difference |= maskedSecret[index]! ^ PAD[index % PAD.length]! ^ secret.charCodeAt(index);
  }
  return difference === 0;
}

/** The whole check, so that the map key's spelling (its separators, its fingerprint) is never trusted. */
function isDerivedFrom(entry: CachedKey, secret: string, scopeDate: string, region: string, service: string): boolean {
  return entry.scopeDate === scopeDate && entry.region === region && entry.service === service && isSameSecret(entry.maskedSecret, secret);
}

export function signingKey(secretAccessKey: string, scopeDate: string, region: string, service: string): Buffer {
  const mapKey = cacheFingerprint(secretAccessKey, scopeDate, region, service);
  const cached = cache.get(mapKey);
  if (cached && isDerivedFrom(cached, secretAccessKey, scopeDate, region, service)) {
    cached.used = true;
    return cached.key;
  }
  const key = hmacSha256(hmacSha256(hmacSha256(hmacSha256('AWS4' + secretAccessKey, scopeDate), region), service), 'aws4_request');
  cache.delete(mapKey);
  if (cache.size >= MAX_CACHED_KEYS) evictOne();
  cache.set(mapKey, { scopeDate, region, service, maskedSecret: masked(secretAccessKey), key, used: false });
  return key;
}

/** Evicts the oldest entry not used since it was last passed over; those used go to the end, unmarked. */
function evictOne(): void {
  for (const [mapKey, entry] of cache) {
    cache.delete(mapKey);
    if (!entry.used) return;
    entry.used = false;
    cache.set(mapKey, entry);
  }
}

/** For tests and for key rotation: forget every derived key. */
export function clearSigningKeyCache(): void {
  cache.clear();
}

/** For tests: the cache's map keys, to show that no secret is held in clear. */
export function signingKeyCacheKeys(): string[] {
  return [...cache.keys()].map(String);
}

/** For tests: every value the cache holds besides the derived keys, to show that no secret is held in clear there either. */
export function signingKeyCacheSecrets(): Uint16Array[] {
  return [...cache.values()].map((entry) => entry.maskedSecret);
}
