/**
 * S3 through iamd, each figure against a baseline measured in the same run:
 * - authenticated GetObject of a 1 KiB object (SigV4 header auth, bucket lookup, policy evaluation,
 *   a file read, audit trail on) per second, against a bare node:http server answering 1 KiB;
 * - the same with the audit trail off, for the cost of auditing;
 * - PUT and GET of a 100 MiB object with the JS SDK (aws-chunked with a CRC32 trailer, as the SDK
 *   sends a stream) in MB/s, against copying the same file on the same disk.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { inTurn, load, PAIRS, ROOT, startProcess, WARM_UP_SECONDS } from './http.js';
import type { LoadResult } from './load-generator.js';
import type { BenchLine } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const MIB = 1024 * 1024;

async function startIamd(dataDir: string, audit: boolean): Promise<{ child: import('node:child_process').ChildProcess; url: string }> {
  const args = [join(repo, 'bin', 'iamd'), 'serve', '--port', '0', '--data-dir', dataDir, ...(audit ? [] : ['--audit-retention-days', '0'])];
  return startProcess(args, { IAMD_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, IAMD_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey });
}

function client(url: string): S3Client {
  return new S3Client({ endpoint: url, region: 'us-east-1', credentials: ROOT, forcePathStyle: true, maxAttempts: 1 });
}

/** A signed GET of /bench/object (header form, as the SDKs send it). */
async function signedGet(url: string): Promise<{ method: string; headers: Record<string, string>; body: string }> {
  const parsed = new URL(url);
  const signed = await new SignatureV4({ credentials: ROOT, service: 's3', region: 'us-east-1', sha256: Sha256, uriEscapePath: false }).sign(new HttpRequest({
    method: 'GET', protocol: 'http:', hostname: parsed.hostname, port: Number(parsed.port), path: '/bench/object',
    headers: { host: parsed.host, 'x-amz-content-sha256': EMPTY_SHA256 },
  }));
  return { method: 'GET', headers: signed.headers, body: '' };
}

async function seconds(action: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function drain(body: Readable, path: string): Promise<void> {
  await pipeline(body, createWriteStream(path));
}

export async function run(): Promise<BenchLine[]> {
  const dirs = [mkdtempSync(join(tmpdir(), 'iamd-bench-s3-')), mkdtempSync(join(tmpdir(), 'iamd-bench-s3-off-'))];
  const work = mkdtempSync(join(tmpdir(), 'iamd-bench-files-'));
  const audited = await startIamd(dirs[0]!, true);
  const unaudited = await startIamd(dirs[1]!, false);
  const bare = await startProcess([join(here, 'bare-server.js'), '1024']);
  try {
    const object = randomBytes(1024);
    for (const server of [audited, unaudited]) {
      const s3 = client(server.url);
      await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
      await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'object', Body: object }));
      s3.destroy();
    }
    const common = { seconds: 3, connections: 32, expectStatus: 200 };
    const onRequest = await signedGet(audited.url);
    const offRequest = await signedGet(unaudited.url);
    for (const [url, request] of [[audited.url, onRequest], [unaudited.url, offRequest], [bare.url, onRequest]] as const) {
      await load({ ...common, seconds: WARM_UP_SECONDS, url: `${url}/bench/object`, ...request });
    }
    const rounds: Array<{ on: LoadResult; off: LoadResult; bare: LoadResult }> = [];
    for (let round = 0; round < PAIRS; round++) {
      // bare and audited next to each other (their ratio is the target), in alternating order; then the trail off
      const [bareResult, on] = await inTurn(round, () => load({ ...common, url: `${bare.url}/bench/object`, ...onRequest }),
        () => load({ ...common, url: `${audited.url}/bench/object`, ...onRequest }));
      const off = await load({ ...common, url: `${unaudited.url}/bench/object`, ...offRequest });
      if (on.errors > 0 || off.errors > 0) throw new Error(`iamd answered ${on.errors + off.errors} GetObject requests with an unexpected status`);
      rounds.push({ on, off, bare: bareResult });
    }
    rounds.sort((a, b) => a.on.perSecond / a.bare.perSecond - b.on.perSecond / b.bare.perSecond);
    const median = rounds[Math.floor(PAIRS / 2)]!;

    // 100 MiB through the SDK, against copying the same file on the same disk.
    const source = join(work, 'source.bin');
    writeFileSync(source, randomBytes(100 * MIB));
    const size = statSync(source).size;
    const copySeconds = await seconds(() => pipeline(createReadStream(source), createWriteStream(join(work, 'copy.bin'))));
    const s3 = client(audited.url);
    const putSeconds = await seconds(() => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'big', Body: createReadStream(source), ContentLength: size })));
    const getSeconds = await seconds(async () => {
      const answer = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'big' }));
      await drain(answer.Body as Readable, join(work, 'download.bin'));
    });
    s3.destroy();
    const mbps = (secondsTaken: number): number => size / MIB / secondsTaken;
    return [
      { name: 'iamd GetObject 1 KiB (SigV4, audit on)', value: median.on.perSecond, unit: 'req/s', note: `p99 ${median.on.p99ms.toFixed(2)} ms` },
      { name: 'iamd GetObject 1 KiB (SigV4, audit off)', value: median.off.perSecond, unit: 'req/s', note: `p99 ${median.off.p99ms.toFixed(2)} ms` },
      { name: 'bare node:http 1 KiB body', value: median.bare.perSecond, unit: 'req/s', note: `p99 ${median.bare.p99ms.toFixed(2)} ms` },
      {
        name: `GetObject audit on / bare node:http (median of ${PAIRS})`, value: median.on.perSecond / median.bare.perSecond, unit: 'ratio',
        note: `rounds ${rounds.map((r) => (r.on.perSecond / r.bare.perSecond).toFixed(2)).join(', ')}; target >= 0.5`,
      },
      { name: 'GetObject audit on / audit off (same rounds)', value: median.on.perSecond / median.off.perSecond, unit: 'ratio' },
      { name: 'PutObject 100 MiB (JS SDK stream, aws-chunked + CRC32)', value: mbps(putSeconds), unit: 'MB/s' },
      { name: 'GetObject 100 MiB (JS SDK, to a file)', value: mbps(getSeconds), unit: 'MB/s' },
      { name: 'copy of the same file on disk (streams)', value: mbps(copySeconds), unit: 'MB/s' },
    ];
  } finally {
    for (const server of [audited, unaudited, bare]) server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const dir of [...dirs, work]) rmSync(dir, { recursive: true, force: true });
  }
}
