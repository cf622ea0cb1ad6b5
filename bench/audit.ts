/**
 * The cost of the audit trail: the HTTP GetCallerIdentity benchmark against two `iamd serve`
 * processes, one with the trail (the default) and one without (--audit-retention-days 0), measured
 * alternately in pairs by the same load generator; plus, in process, what one record costs on the
 * request path (building it) and off it (serializing and storing it in a batch).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trailEntry } from '../src/audit/trail-store.js';
import { buildAuditEvent } from '../src/audit/record-builder.js';
import { openTrailDatabase, SqliteTrailStore } from '../src/audit/sqlite-trail-store.js';
import type { Caller } from '../src/auth/caller.js';
import type { CloudTrailEvent } from '../src/audit/cloudtrail-event.js';
import { benchSession } from './fixtures.js';
import { load, ROOT, signedCallerIdentity, startProcess } from './http.js';
import type { LoadResult } from './load-generator.js';
import type { BenchLine } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

function inProcess(): BenchLine[] {
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
  const rounds = 500_000;
  for (let index = 0; index < 20_000; index++) buildAuditEvent(app, facts);
  // Records live until their batch is handed over; a ring of one batch keeps the garbage collector's work realistic.
  const events: CloudTrailEvent[] = new Array(50_000);
  let started = performance.now();
  for (let index = 0; index < rounds; index++) events[index % events.length] = buildAuditEvent(app, facts);
  const buildNs = ((performance.now() - started) * 1e6) / rounds;

  const sqlite = new SqliteTrailStore(openTrailDatabase(join(mkdtempSync(join(tmpdir(), 'iamd-bench-trail-')), 'trail.sqlite')));
  const batch = 2000;
  started = performance.now();
  for (let offset = 0; offset < 50_000; offset += batch) sqlite.append(events.slice(offset, offset + batch).map((event) => trailEntry(event)));
  const storeNs = ((performance.now() - started) * 1e6) / 50_000;
  app.close();
  return [
    { name: 'audit record build (on the request path)', value: buildNs / 1000, unit: 'µs/record' },
    { name: 'audit record serialize + SQLite batch insert (writer thread)', value: storeNs / 1000, unit: 'µs/record', note: `batches of ${batch}, synchronous=FULL` },
  ];
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
    await load({ ...common, seconds: 1, url: `${on.url}/`, ...onRequest });
    await load({ ...common, seconds: 1, url: `${off.url}/`, ...offRequest });
    const pairs: Array<{ on: LoadResult; off: LoadResult; ratio: number }> = [];
    for (let round = 0; round < 3; round++) {
      const offResult = await load({ ...common, url: `${off.url}/`, ...offRequest });
      const onResult = await load({ ...common, url: `${on.url}/`, ...onRequest });
      if (onResult.errors + offResult.errors > 0) throw new Error('unexpected status during the audit benchmark');
      pairs.push({ on: onResult, off: offResult, ratio: onResult.perSecond / offResult.perSecond });
    }
    pairs.sort((a, b) => a.ratio - b.ratio);
    const median = pairs[1]!;
    on.child.kill('SIGTERM');
    await new Promise((resolve) => on.child.once('exit', resolve));
    const db = new Database(join(onDir, 'audit.sqlite'), { readonly: true });
    recorded = (db.prepare('SELECT COUNT(*) AS count FROM audit_events').get() as { count: number }).count;
    db.close();
    return [
      { name: 'iamd GetCallerIdentity, audit trail on', value: median.on.perSecond, unit: 'req/s', note: `p99 ${median.on.p99ms.toFixed(2)} ms; ${recorded.toLocaleString('en-US')} records stored` },
      { name: 'iamd GetCallerIdentity, audit trail off', value: median.off.perSecond, unit: 'req/s', note: `p99 ${median.off.p99ms.toFixed(2)} ms` },
      { name: 'audit on / off (median of 3 pairs)', value: median.ratio, unit: 'ratio', note: `pairs ${pairs.map((pair) => pair.ratio.toFixed(2)).join(', ')}` },
      ...inProcess(),
    ];
  } finally {
    on.child.kill('SIGTERM');
    off.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(onDir, { recursive: true, force: true });
    rmSync(offDir, { recursive: true, force: true });
  }
}
