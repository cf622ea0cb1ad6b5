/**
 * Fn::Cidr: `count` consecutive blocks with `cidrBits` host bits each, carved from the start of
 * `ipBlock` (IPv4 or IPv6). `!Cidr ["192.168.0.0/24", 6, 5]` gives the six /27s from
 * 192.168.0.0/27 to 192.168.0.160/27.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-cidr.html
 * IPv4 addresses are read and written by EC2's cidr.ts; IPv6 ones here (EC2 has no IPv6 blocks yet).
 * Unlike EC2, Fn::Cidr takes a block with host bits set and starts from its network address.
 */
import { formatIpv4, parseIpv4 } from '../../ec2/cidr.js';
import { fail, messages } from './errors.js';

interface Block {
  address: bigint;
  prefix: number;
  width: 32 | 128;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const missing = 8 - groups.reduce((sum, half) => sum + half.length, 0);
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = halves.length === 2 ? [...groups[0]!, ...Array<string>(missing).fill('0'), ...groups[1]!] : groups[0]!;
  if (!all.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return all.reduce((value, group) => value * 65536n + BigInt(parseInt(group, 16)), 0n);
}

function ipv4Value(text: string): bigint | undefined {
  const value = parseIpv4(text);
  return value === undefined ? undefined : BigInt(value);
}

function parseBlock(text: string): Block | undefined {
  const [address, prefixText, extra] = text.split('/');
  if (address === undefined || prefixText === undefined || extra !== undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const width = address.includes(':') ? 128 : 32;
  const value = width === 32 ? ipv4Value(address) : parseIpv6(address);
  if (value === undefined || prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  return { address: (value >> hostBits) << hostBits, prefix, width };
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, index) => Number((value >> BigInt(112 - index * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export function cidrSubnets(ipBlock: string, count: number, cidrBits: number): string[] {
  const block = parseBlock(ipBlock);
  if (!block) return fail(messages.cidrInvalid(`ipBlock ${ipBlock} is not a valid CIDR block`));
  if (!Number.isInteger(count) || count < 1 || count > 256) return fail(messages.cidrInvalid('count must be between 1 and 256'));
  const newPrefix = block.width - cidrBits;
  if (!Number.isInteger(cidrBits) || cidrBits < 0 || newPrefix < block.prefix) {
    return fail(messages.cidrInvalid(`cidrBits ${cidrBits} does not fit in ${ipBlock}`));
  }
  if (BigInt(count) > 1n << BigInt(newPrefix - block.prefix)) {
    return fail(messages.cidrInvalid(`${ipBlock} cannot hold ${count} blocks of ${cidrBits} bits`));
  }
  const format = block.width === 32 ? (value: bigint) => formatIpv4(Number(value)) : formatIpv6;
  const size = 1n << BigInt(cidrBits);
  return Array.from({ length: count }, (_, index) => `${format(block.address + BigInt(index) * size)}/${newPrefix}`);
}
