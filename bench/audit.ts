/**
 * The cost of the audit trail: the HTTP GetCallerIdentity benchmark against two `iamd serve`
 * processes, one with the trail (the default) and one without (--audit-retention-days 0), measured
 * alternately in pairs by the same load generator, with each server's CPU per request by thread
 * (thread-cpu.ts: steadier than requests per second on a shared machine); plus, in process, the CPU
 * one record costs on the request thread (building and packing it, handing it over) and in the
 * writer thread (receiving it, storing it), in a new trail and one of 200,000.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { HeldBatch, readBatch } from '../src/audit/held-batch.js';
import { packEvent, type PackedEvent } from '../src/audit/packed-event.js';
import { packedEntry } from '../src/audit/trail-store.js';
import { buildAuditEvent } from '../src/audit/record-builder.js';
import { openTrailDatabase, SqliteTrailStore } from '../src/audit/sqlite-trail-store.js';
import type { Caller } from '../src/auth/caller.js';
import { benchSession } from './fixtures.js';
import { inTurn, load, PAIRS, ROOT, signedCallerIdentity, startProcess, WARM_UP_SECONDS } from './http.js';
import type { LoadResult, LoadSpec } from './load-generator.js';
import { cpuBetween, threadCpu, type CpuSplit } from './thread-cpu.js';
import type { BenchLine } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

/** Process CPU time (this thread, and the garbage collector's helpers) in µs. */
function cpuNow(): number {
  const used = process.cpuUsage();
  return used.user + used.system;
}

function recordCost(): BenchLine[] {
  const { app, claims, sessionToken } = benchSession();
  const caller = app.tokens.open(sessionToken) && ({
    kind: 'role-session', accountId: '000000000000', arn: 'arn:aws:sts::000000000000:assumed-role/workload/i-0123456789abcdef0',
    userId: 'AROA:i-0123456789abcdef0', roleName: 'workload', accessKeyId: claims.accessKeyId, session: claims,
  } satisfies Caller);
  const facts = {
    requestId: '00000000-0000-4000-8000-000000000000', time: new Date(), service: 'sts', action: 'GetCallerIdentity', caller, signature: null,
    remoteAddress: '127.0.0.1', localAddress: '127.0.0.1', userAgent: 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64', error: undefined,
    params: new Map([['Action', 'GetCallerIdentity'], ['Version', '2011-06-15']]),
  };
  for (let index = 0; index < 20_000; index++) packedEntry(packEvent(buildAuditEvent(app, facts)));

  // As in the server at 8,000 requests/s: every 50 ms the request thread hands over a batch of the
  // records it built and packed (AuditTrail.record), serialized once (held-batch.ts) and posted as bytes;
  // the writer receives it, derives each record's lookup fields and inserts them (compact-record.ts), and commits
  // every 400 ms (trail-worker.ts), into a trail file that grows to 400,000 records.
  const batch = 400;
  const batchesPerCommit = 8;
  const rounds = 1000;
  const channel = new MessageChannel();
  const dir = mkdtempSync(join(tmpdir(), 'iamd-bench-trail-'));
  const sqlite = new SqliteTrailStore(openTrailDatabase(join(dir, 'trail.sqlite')));
  let request = 0;
  let receive = 0;
  const store = [0, 0];
  for (let round = 0; round < rounds; round++) {
    const started = cpuNow();
    const packed: PackedEvent[] = [];
    for (let index = 0; index < batch; index++) packed.push(packEvent(buildAuditEvent(app, facts)));
    const held = new HeldBatch(packed);
    channel.port1.postMessage(held.serialized);
    const posted = cpuNow();
    const entries = readBatch(receiveMessageOnPort(channel.port2)!.message as Uint8Array).map(packedEntry);
    held.release();
    const unpacked = cpuNow();
    sqlite.insert(entries);
    if ((round + 1) % batchesPerCommit === 0) sqlite.commit();
    store[round < rounds / 2 ? 0 : 1]! += cpuNow() - unpacked;
    request += posted - started;
    receive += unpacked - posted;
  }
  channel.port1.close();
  sqlite.commit();
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
  app.close();
  const records = batch * rounds;
  const perRecord = (micros: number, count = records): number => micros / count;
  return [
    { name: 'audit record on the request thread', value: perRecord(request), unit: 'µs/record', note: 'build + pack + serialize + post; CPU' },
    {
      name: 'audit record in the writer thread', value: perRecord(receive + store[0]! + store[1]!), unit: 'µs/record',
      note: `receive + lookup fields ${perRecord(receive).toFixed(2)} + SQLite (compact record, indexes) ${perRecord(store[0]!, records / 2).toFixed(2)} (trail 0-200k) / ${perRecord(store[1]!, records / 2).toFixed(2)} (200k-400k); batches of ${batch}, a commit every ${batch * batchesPerCommit} records, synchronous=FULL; CPU`,
    },
  ];
}

/** One timed load, with the server's CPU per request by thread when /proc can tell. */
async function measured(pid: number, spec: LoadSpec): Promise<{ result: LoadResult; cpu?: CpuSplit }> {
  const before = threadCpu(pid);
  const result = await load(spec);
  const after = threadCpu(pid);
  if (!before || !after || result.requests === 0) return { result };
  const split = cpuBetween(pid, before, after);
  const perRequest = (micros: number): number => micros / result.requests;
  return { result, cpu: { main: perRequest(split.main), busiest: perRequest(split.busiest), rest: perRequest(split.rest) } };
}

function total(split: CpuSplit): number {
  return split.main + split.busiest + split.rest;
}

function describeCpu(split: CpuSplit | undefined, busiest: string): string {
  if (!split) return '';
  return `; CPU per request ${total(split).toFixed(1)} µs: request thread ${split.main.toFixed(1)}, ${busiest} ${split.busiest.toFixed(1)}, other threads ${split.rest.toFixed(1)}`;
}

export async function run(): Promise<BenchLine[]> {
  const onDir = mkdtempSync(join(tmpdir(), 'iamd-bench-audit-on-'));
  const offDir = mkdtempSync(join(tmpdir(), 'iamd-bench-audit-off-'));
  const env = { IAMD_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, IAMD_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey };
  const on = await startProcess([join(repo, 'bin', 'iamd'), 'serve', '--port', '0', '--data-dir', onDir], env);
  const off = await startProcess([join(repo, 'bin', 'iamd'), 'serve', '--port', '0', '--data-dir', offDir, '--audit-retention-days', '0'], env);
  let recorded = 0;
  try {
    const onRequest = await signedCallerIdentity(on.url);
    const offRequest = await signedCallerIdentity(off.url);
    const common = { seconds: 3, connections: 32, expectStatus: 200 };
    await load({ ...common, seconds: WARM_UP_SECONDS, url: `${on.url}/`, ...onRequest });
    await load({ ...common, seconds: WARM_UP_SECONDS, url: `${off.url}/`, ...offRequest });
    type Measured = Awaited<ReturnType<typeof measured>>;
    const pairs: Array<{ on: Measured; off: Measured; ratio: number }> = [];
    for (let round = 0; round < PAIRS; round++) {
      const [offResult, onResult] = await inTurn(round, () => measured(off.child.pid!, { ...common, url: `${off.url}/`, ...offRequest }),
        () => measured(on.child.pid!, { ...common, url: `${on.url}/`, ...onRequest }));
      if (onResult.result.errors + offResult.result.errors > 0) throw new Error('unexpected status during the audit benchmark');
      pairs.push({ on: onResult, off: offResult, ratio: onResult.result.perSecond / offResult.result.perSecond });
    }
    pairs.sort((a, b) => a.ratio - b.ratio);
    const median = pairs[Math.floor(PAIRS / 2)]!;
    on.child.kill('SIGTERM');
    await new Promise((resolve) => on.child.once('exit', resolve));
    const db = new Database(join(onDir, 'audit.sqlite'), { readonly: true });
    recorded = (db.prepare('SELECT COUNT(*) AS count FROM audit_events').get() as { count: number }).count;
    db.close();
    const lines: BenchLine[] = [
      {
        name: 'iamd GetCallerIdentity, audit trail on', value: median.on.result.perSecond, unit: 'req/s',
        note: `p99 ${median.on.result.p99ms.toFixed(2)} ms; ${recorded.toLocaleString('en-US')} records stored${describeCpu(median.on.cpu, 'writer thread')}`,
      },
      { name: 'iamd GetCallerIdentity, audit trail off', value: median.off.result.perSecond, unit: 'req/s', note: `p99 ${median.off.result.p99ms.toFixed(2)} ms${describeCpu(median.off.cpu, 'busiest other thread')}` },
      { name: `audit on / off (median of ${PAIRS} pairs)`, value: median.ratio, unit: 'ratio', note: `pairs ${pairs.map((pair) => pair.ratio.toFixed(2)).join(', ')}` },
    ];
    const cpuPairs = pairs.filter((pair) => pair.on.cpu && pair.off.cpu);
    if (cpuPairs.length > 0) {
      const extra = cpuPairs.map((pair) => total(pair.on.cpu!) - total(pair.off.cpu!)).sort((a, b) => a - b);
      lines.push({
        name: 'audit CPU per request in the server (on - off, all threads)', value: extra[Math.floor(extra.length / 2)]!, unit: 'µs',
        note: `median of pairs ${extra.map((micros) => micros.toFixed(1)).join(', ')}; 10 ms ticks from /proc`,
      });
    }
    return [...lines, ...recordCost()];
  } finally {
    on.child.kill('SIGTERM');
    off.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(onDir, { recursive: true, force: true });
    rmSync(offDir, { recursive: true, force: true });
  }
}
