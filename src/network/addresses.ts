/**
 * Instance addresses. Linux routes all of 127.0.0.0/8 to the loopback interface, so any 127.x.y.z
 * can be bound without root, and a server socket sees which of them a client dialed. An instance
 * with private IP a.b.c.d gets 127.b.c.d: the EC2 allocator never gives two live instances private
 * IPs with the same last three octets, so addresses never collide, even across VPCs whose CIDRs
 * overlap. (127.0.0.1 cannot come out: b.c.d = 0.0.1 is always a subnet's reserved router address.)
 *
 * macOS configures only 127.0.0.1 on lo0 (more need `ifconfig lo0 alias`, i.e. root). There the
 * instance listeners fall back to a port of their own per instance on 127.0.0.1, and report the
 * instance's 127.b.c.d as the local address, so that the rest of iamd sees the same identity.
 */
import { createServer } from 'node:net';

/** a.b.c.d → 127.b.c.d */
export function loopbackAddress(privateIp: string): string {
  const octets = privateIp.split('.');
  if (octets.length !== 4 || octets.some((octet) => !/^\d{1,3}$/.test(octet) || Number(octet) > 255)) {
    throw new Error(`not an IPv4 address: ${privateIp}`);
  }
  return `127.${Number(octets[1])}.${Number(octets[2])}.${Number(octets[3])}`;
}

/** loopbackAddress, or undefined for anything that is not an IPv4 address (never thrown at a record listener). */
export function loopbackAddressOf(privateIp: string | undefined): string | undefined {
  try {
    return privateIp === undefined ? undefined : loopbackAddress(privateIp);
  } catch {
    return undefined;
  }
}

let aliasesAvailable: Promise<boolean> | undefined;

/** Whether loopback addresses other than 127.0.0.1 can be bound here (tried once: 127.0.0.2, any port). */
export function loopbackAliasesAvailable(): Promise<boolean> {
  aliasesAvailable ??= new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '127.0.0.2', () => probe.close(() => resolve(true)));
  });
  return aliasesAvailable;
}

/** A port free on 127.0.0.1 now, for a port every instance address shares (IMDS); the kernel's choice of an unused one. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
