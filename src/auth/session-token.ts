/**
 * Session tokens are authenticated, encrypted envelopes of the session's claims (AES-256-GCM
 * under a keyring key), so a request signed with temporary credentials is checked without a
 * database read: the token carries the session's secret, principal, issue time and expiry, sealed
 * so that nobody without the key can read or forge it.
 *
 * Layout (then base64): version byte 1 | key id (4 bytes) | iv (12) | ciphertext | tag (16).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Tag } from '../directory/types.js';
import type { TokenKeyring } from './token-keyring.js';

export type SessionPrincipal =
  | { type: 'AssumedRole'; accountId: string; roleId: string; roleName: string; rolePath: string; sessionName: string }
  | { type: 'User'; accountId: string; userId: string; userName: string; userPath: string }
  | { type: 'Root'; accountId: string }
  /** GetFederationToken: the federated user's name, and the IAM user (or root) whose permissions bound it */
  | { type: 'FederatedUser'; accountId: string; name: string; userId?: string; userName?: string };

export interface SessionClaims {
  accessKeyId: string;
  secretAccessKey: string;
  principal: SessionPrincipal;
  /** milliseconds since the epoch: aws:TokenIssueTime to the millisecond */
  issuedAt: number;
  expiresAt: number;
  sessionPolicy?: string;
  policyArns?: string[];
  tags?: Tag[];
  transitiveTagKeys?: string[];
  sourceIdentity?: string;
  /** the ARN of whoever asked for the session (AssumeRole caller), for the session inventory */
  issuedTo?: string;
  mfaAuthenticated?: boolean;
  /** instance credentials only: the instance IMDS delivered them to, and how */
  ec2?: InstanceDelivery;
}

export interface InstanceDelivery {
  instanceId: string;
  instanceArn: string;
  vpcId: string;
  privateIp: string;
  /** ec2:RoleDelivery: the metadata service version used, '1.0' or '2.0' */
  roleDelivery: '1.0' | '2.0';
}

const VERSION = 1;
const AAD = Buffer.from('iamd-session-token-v1');
const CACHE_LIMIT = 100_000;

export class SessionTokenCodec {
  private readonly cache = new Map<string, SessionClaims>();

  constructor(private readonly keyring: TokenKeyring) {}

  seal(claims: SessionClaims): string {
    const keyId = this.keyring.activeKeyId;
    const key = this.keyring.key(keyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(AAD);
    const body = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), Buffer.from(keyId, 'hex'), iv, body, cipher.getAuthTag()]).toString('base64');
  }

  /** The claims of a genuine token, or undefined for anything forged, damaged or sealed with an unknown key. */
  open(token: string): SessionClaims | undefined {
    const cached = this.cache.get(token);
    if (cached) return cached;
    const claims = this.decrypt(token);
    if (claims) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(token, claims);
    }
    return claims;
  }

  private decrypt(token: string): SessionClaims | undefined {
    const raw = Buffer.from(token, 'base64');
    if (raw.length < 1 + 4 + 12 + 16 + 2 || raw[0] !== VERSION) return undefined;
    const key = this.keyring.key(raw.subarray(1, 5).toString('hex'));
    if (!key) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(5, 17));
      decipher.setAAD(AAD);
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const plain = Buffer.concat([decipher.update(raw.subarray(17, raw.length - 16)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as SessionClaims;
    } catch {
      return undefined;
    }
  }
}
