/**
 * IMDSv2 session tokens. A token is sealed rather than stored: version, expiry, a random nonce and
 * an HMAC over them and the instance id, under a key drawn when iamd starts. Checking one costs an
 * HMAC and keeps no memory per token (clients take a new token for every credential fetch), a token
 * works only on the instance it was issued on, and none survives a restart of iamd (AWS's do not
 * outlive the instance's metadata service either).
 *
 * Tokens issued or checked recently are remembered (a bounded map), so that the GETs following a
 * PUT, as every SDK sends them, cost a map lookup; nonces come from a pooled random buffer.
 *
 * Layout (then base64): version 1 (1 byte) | expiry, milliseconds since the epoch (6) | nonce (12) | MAC (20).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 1;
const MAC_BYTES = 20;
const SIZE = 1 + 6 + 12 + MAC_BYTES;
const SEALED = 1 + 6 + 12;
const REMEMBERED = 10_000;
const NONCE_POOL = 12 * 512;

/** TTL bounds of X-aws-ec2-metadata-token-ttl-seconds. */
export const TOKEN_TTL_MIN = 1;
export const TOKEN_TTL_MAX = 21600;

interface Known {
  instanceId: string;
  expiresAt: number;
}

export class MetadataTokens {
  private readonly known = new Map<string, Known>();
  private nonces = randomBytes(NONCE_POOL);
  private nonceOffset = 0;

  constructor(private readonly key: Buffer = randomBytes(32)) {}

  /** A token for `instanceId`, valid for `ttlSeconds` from `nowMs`. */
  issue(instanceId: string, ttlSeconds: number, nowMs: number): string {
    const token = Buffer.allocUnsafe(SIZE);
    const expiresAt = nowMs + ttlSeconds * 1000;
    token[0] = VERSION;
    token.writeUIntBE(expiresAt, 1, 6);
    if (this.nonceOffset === NONCE_POOL) {
      this.nonces = randomBytes(NONCE_POOL);
      this.nonceOffset = 0;
    }
    this.nonces.copy(token, 7, this.nonceOffset, this.nonceOffset + 12);
    this.nonceOffset += 12;
    this.mac(token, instanceId).copy(token, SEALED, 0, MAC_BYTES);
    const text = token.toString('base64');
    this.remember(text, { instanceId, expiresAt });
    return text;
  }

  /** Whether `token` was issued here for `instanceId` and has not expired at `nowMs`. */
  valid(token: string, instanceId: string, nowMs: number): boolean {
    const known = this.known.get(token);
    if (known) return known.instanceId === instanceId && nowMs < known.expiresAt;
    if (token.length !== 52) return false;
    const raw = Buffer.from(token, 'base64');
    if (raw.length !== SIZE || raw[0] !== VERSION) return false;
    const expiresAt = raw.readUIntBE(1, 6);
    if (nowMs >= expiresAt || !timingSafeEqual(this.mac(raw, instanceId).subarray(0, MAC_BYTES), raw.subarray(SEALED))) return false;
    this.remember(token, { instanceId, expiresAt });
    return true;
  }

  private remember(token: string, known: Known): void {
    if (this.known.size >= REMEMBERED) this.known.clear();
    this.known.set(token, known);
  }

  private mac(token: Buffer, instanceId: string): Buffer {
    return createHmac('sha256', this.key).update(token.subarray(0, SEALED)).update(instanceId).digest();
  }
}
