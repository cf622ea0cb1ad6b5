/**
 * (b) Authenticated sts:GetCallerIdentity over loopback HTTP against a bare node:http server
 * answering a fixed body: both in their own process, measured by the same load generator in a
 * third process, in the same run.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadResult, LoadSpec } from './load-generator.js';
import type { BenchLine } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
/**
 * Every server is under load this long before it is measured, so that steady state is what is
 * compared. iamd takes seconds to get there (V8 optimizing a long request path, its young
 * generation growing to the allocation rate): in one run of 3-second rounds after 1 s of warm-up,
 * its request thread spent 83.5, 81.5, 74.3, 71.7 and 71.4 µs per request, and its garbage
 * collector's threads 7.5, 5.1, 3.0, 2.9 and 4.4; the bare server is steady at once.
 */
export const WARM_UP_SECONDS = 10;

/**
 * Pairs (or rounds) of measurements whose median is reported: the machine's noise moves single
 * rounds by 10% and more (pair ratios of one run ranged 0.44 to 0.78). Which server goes first
 * alternates from one pair to the next, so that neither is always measured after the other.
 */
export const PAIRS = 9;

/** The pair's measurements in the order of this round: as given in even rounds, reversed in odd ones. */
export async function inTurn<T>(round: number, first: () => Promise<T>, second: () => Promise<T>): Promise<[T, T]> {
  if (round % 2 === 0) {
    const a = await first();
    return [a, await second()];
  }
  const b = await second();
  return [await first(), b];
}

export const ROOT = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

export function startProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}

export function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'load-generator.js'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}`))));
  });
}

export async function signedCallerIdentity(url: string): Promise<Pick<LoadSpec, 'method' | 'headers' | 'body'>> {
  const parsed = new URL(url);
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  const signed = await new SignatureV4({ credentials: ROOT, service: 'sts', region: 'us-east-1', sha256: Sha256 }).sign(new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: parsed.hostname, port: Number(parsed.port), path: '/',
    headers: { host: parsed.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
  }));
  return { method: 'POST', headers: signed.headers, body };
}

export async function run(): Promise<BenchLine[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'iamd-bench-'));
  const iamd = await startProcess([join(repo, 'bin', 'iamd'), 'serve', '--port', '0', '--data-dir', dataDir], {
    IAMD_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, IAMD_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
  });
  const bare = await startProcess([join(here, 'bare-server.js')]);
  try {
    const request = await signedCallerIdentity(iamd.url);
    const common = { seconds: 3, connections: 32, expectStatus: 200 };
    // Warm both up, then measure them alternately in pairs: the machine is shared, so each pair's
    // ratio is taken close together in time, and the median pair is reported.
    await load({ ...common, seconds: WARM_UP_SECONDS, url: `${iamd.url}/`, ...request });
    await load({ ...common, seconds: WARM_UP_SECONDS, url: `${bare.url}/`, ...request });
    const pairs: Array<{ iamd: LoadResult; bare: LoadResult; ratio: number }> = [];
    for (let round = 0; round < PAIRS; round++) {
      const [bareResult, iamdResult] = await inTurn(round, () => load({ ...common, url: `${bare.url}/`, ...request }), () => load({ ...common, url: `${iamd.url}/`, ...request }));
      if (iamdResult.errors > 0) throw new Error(`iamd answered ${iamdResult.errors} requests with an unexpected status`);
      pairs.push({ iamd: iamdResult, bare: bareResult, ratio: iamdResult.perSecond / bareResult.perSecond });
    }
    pairs.sort((a, b) => a.ratio - b.ratio);
    const median = pairs[Math.floor(PAIRS / 2)]!;
    return [
      { name: 'iamd GetCallerIdentity (SigV4, logging on)', value: median.iamd.perSecond, unit: 'req/s', note: `p99 ${median.iamd.p99ms.toFixed(2)} ms` },
      { name: 'bare node:http fixed body', value: median.bare.perSecond, unit: 'req/s', note: `p99 ${median.bare.p99ms.toFixed(2)} ms` },
      { name: `iamd / bare node:http (median of ${PAIRS} pairs)`, value: median.ratio, unit: 'ratio', note: `pairs ${pairs.map((pair) => pair.ratio.toFixed(2)).join(', ')}; target >= 0.6` },
    ];
  } finally {
    iamd.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
