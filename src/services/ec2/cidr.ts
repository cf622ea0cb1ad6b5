/**
 * IPv4 addresses and CIDR blocks as EC2 uses them: a block is canonical (no host bits set), VPC
 * and subnet blocks are /16 to /28, and every subnet keeps five addresses for AWS (the network
 * address, the next three, and the broadcast address).
 */

export interface Cidr {
  /** the network address as an unsigned 32-bit number */
  base: number;
  prefix: number;
  text: string;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => OCTET.test(part))) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** A block in canonical form, or undefined when the text is not one (10.0.0.1/16 has host bits set). */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const base = parseIpv4(match[1]!);
  const prefix = Number(match[2]);
  if (base === undefined || prefix > 32) return undefined;
  if (base % blockSize(prefix) !== 0) return undefined;
  return { base, prefix, text };
}

export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + blockSize(inner.prefix) <= outer.base + blockSize(outer.prefix);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);
}

export function ipInCidr(ip: number, cidr: Cidr): boolean {
  return ip >= cidr.base && ip < cidr.base + blockSize(cidr.prefix);
}

/** The addresses of a subnet an instance may have: all but the first four and the last. */
export function usableRange(cidr: Cidr): { first: number; last: number; count: number } {
  const first = cidr.base + 4;
  const last = cidr.base + blockSize(cidr.prefix) - 2;
  return { first, last, count: Math.max(0, last - first + 1) };
}

/** The last three octets of an address: what an instance's loopback address (127.b.c.d) is made of. */
export function lastThreeOctets(ip: number): number {
  return ip % 2 ** 24;
}
