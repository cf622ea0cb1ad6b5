/**
 * Identifiers as AWS writes them. Unique ids are a 4-letter prefix and 17 characters of base32
 * (A-Z, 2-7); access key ids are a prefix and 16 characters that, as on AWS, encode the owning
 * account (so sts:GetAccessKeyInfo can answer for any key id). Randomness is injected so tests
 * can make ids deterministic.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export type RandomSource = (size: number) => Buffer;

export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export type UniqueIdPrefix = 'AIDA' | 'AROA' | 'AGPA' | 'ANPA' | 'AIPA';

export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer | undefined {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of text) {
    const index = BASE32.indexOf(char);
    if (index < 0) return undefined;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    value &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

const ACCOUNT_MASK = 0x7fffffffff80n;

/** The account an access key id was issued in, decoded as AWS encodes it (bits 7-46 of the first 6 bytes). */
export function accountOfAccessKeyId(accessKeyId: string): string | undefined {
  if (!/^A[A-Z]IA[A-Z2-7]{16}$/.test(accessKeyId)) return undefined;
  const bytes = base32Decode(accessKeyId.slice(4));
  if (!bytes || bytes.length < 6) return undefined;
  const head = BigInt('0x' + bytes.subarray(0, 6).toString('hex'));
  return ((head & ACCOUNT_MASK) >> 7n).toString().padStart(12, '0');
}

export class IdGenerator {
  private readonly injected: boolean;

  constructor(private readonly random: RandomSource = randomBytes) {
    this.injected = random !== randomBytes;
  }

  uniqueId(prefix: UniqueIdPrefix): string {
    return prefix + base32(this.random(11)).slice(0, 17);
  }

  accessKeyId(prefix: 'AKIA' | 'ASIA', accountId: string): string {
    const randomPart = this.random(5);
    const head = (BigInt(accountId) << 7n) | BigInt(randomPart[0]! & 0x7f);
    const bytes = Buffer.alloc(10);
    bytes.writeUIntBE(Number(head), 0, 6);
    randomPart.copy(bytes, 6, 1, 5);
    return prefix + base32(bytes);
  }

  /** 40 characters, the shape of an AWS secret access key. */
  secretAccessKey(): string {
    return this.random(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
  }

  /** A version 4 UUID; randomUUID draws from a pooled buffer, which matters once per request. */
  requestId(): string {
    if (!this.injected) return randomUUID();
    const b = this.random(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}
