/**
 * EC2's identifiers: a prefix and 17 lower-case hex digits (i-0123456789abcdef0, vpc-..., subnet-...),
 * MAC addresses and the like. Randomness is injected (Ec2State.ids) so tests can make them
 * deterministic; nothing here reads the clock.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RandomSource } from '../../domain/ids.js';

export type Ec2IdPrefix =
  | 'i' | 'r' | 'vpc' | 'subnet' | 'sg' | 'igw' | 'rtb' | 'rtbassoc' | 'vpce' | 'eni' | 'eni-attach' | 'iip-assoc'
  | 'vol' | 'snap' | 'dopt' | 'vpc-cidr-assoc' | 'sgr' | 'acl' | 'eipalloc' | 'eipassoc' | 'nat';

/** First octets of the MACs EC2 gives interfaces: locally administered, unicast. */
const MAC_FIRST_OCTETS = [0x02, 0x06, 0x0a, 0x0e, 0x12, 0x16];

export class Ec2Ids {
  constructor(private readonly random: RandomSource = randomBytes) {}

  /** `prefix-` and 17 hex digits, as EC2 writes its long ids. */
  id(prefix: Ec2IdPrefix): string {
    return `${prefix}-${this.random(9).toString('hex').slice(0, 17)}`;
  }

  /** A locally administered unicast MAC, as EC2 gives network interfaces (0e:..., 12:..., 0a:...). */
  macAddress(): string {
    const bytes = this.random(6);
    bytes[0] = MAC_FIRST_OCTETS[bytes[0]! % MAC_FIRST_OCTETS.length]!;
    return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(':');
  }
}

/** An id derived from other ids (stable, no randomness): for records EC2 shows but iamd does not keep. */
export function derivedId(prefix: Ec2IdPrefix, ...parts: readonly string[]): string {
  return `${prefix}-${createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 17)}`;
}
