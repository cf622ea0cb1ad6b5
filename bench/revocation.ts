/**
 * (e) Revocation, in process:
 * - the cost of the revocation check on the request path (the Set lookup authenticate.ts does right
 *   after opening the token), with 100,000 revoked sessions, for a key that is revoked and one that
 *   is not; and of recording a request's use of its session (the request observer);
 * - from a RevokeSession call returning to the first refused request: revoke through the whole
 *   pipeline (app.handle, iamd's API, signed by root) over a SQLite file with synchronous=FULL,
 *   then at once the revoked session's next request, which must be refused; repeated, the median
 *   and p99 of both, and how many of those next requests were refused (all of them, or it fails);
 * - 1,000,000 live sessions in the inventory: the heap they take (per session), the time a restart
 *   takes to load them from the store, and request throughput (the whole pipeline, GetCallerIdentity
 *   signed with one of those sessions) with them against an empty inventory, measured alternately.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TokenKeyring } from '../src/auth/token-keyring.js';
import type { SessionClaims } from '../src/auth/session-token.js';
import { IdGenerator } from '../src/domain/ids.js';
import { App } from '../src/server/app.js';
import type { IncomingRequest } from '../src/server/pipeline.js';
import { SessionInventory } from '../src/sessions/inventory.js';
import type { SessionRecord } from '../src/sessions/types.js';
import { issueCredentials } from '../src/services/sts/credentials.js';
import { signRequest, type SigningCredentials } from '../src/sigv4/sign.js';
import { SecretBox } from '../src/store/secret-box.js';
import { SqliteStore } from '../src/store/sqlite-store.js';
import type { BenchLine } from './types.js';

const ACCOUNT = '000000000000';
const ROOT = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const ENDPOINT = new URL('http://127.0.0.1:4566/');
const MILLION = 1_000_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

function openApp(file: string): App {
  const ids = new IdGenerator();
  return App.create({
    accountId: ACCOUNT, region: 'us-east-1', store: new SqliteStore(file), secrets: new SecretBox(Buffer.alloc(32, 5)),
    keyring: TokenKeyring.inMemory(), root: ROOT, ids,
  });
}

function addRole(app: App): void {
  app.directory.apply([{
    kind: 'role',
    put: {
      roleId: 'AROABENCHROLE0000001', roleName: 'workload', path: '/', arn: `arn:aws:iam::${ACCOUNT}:role/workload`, createDate: new Date().toISOString(),
      assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
      maxSessionDuration: 43200, tags: [], inlinePolicies: {}, attachedPolicyArns: [],
    },
  }]);
}

/** A session of role `workload` issued through issueCredentials (so recorded in the inventory). */
function issue(app: App, sessionName: string): { claims: SessionClaims; credentials: SigningCredentials } {
  const issued = issueCredentials(app, app.clock.now(), {
    principal: { type: 'AssumedRole', accountId: ACCOUNT, roleId: 'AROABENCHROLE0000001', roleName: 'workload', rolePath: '/', sessionName },
    issuedTo: `arn:aws:iam::${ACCOUNT}:user/bench`,
  }, 43200);
  return { claims: issued.claims, credentials: { accessKeyId: issued.claims.accessKeyId, secretAccessKey: issued.claims.secretAccessKey, sessionToken: issued.sessionToken } };
}

function signed(credentials: SigningCredentials, service: string, body: string): IncomingRequest {
  const headers = signRequest(
    { method: 'POST', url: ENDPOINT, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body },
    credentials, { region: 'us-east-1', service, date: new Date() },
  );
  return { method: 'POST', url: '/', headers: Object.entries(headers), body: Buffer.from(body), remoteAddress: '127.0.0.1', localAddress: '127.0.0.1', secure: false };
}

const callerIdentity = (credentials: SigningCredentials): IncomingRequest => signed(credentials, 'sts', 'Action=GetCallerIdentity&Version=2011-06-15');

const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

function nsPer(iterations: number, body: (index: number) => void): number {
  for (let i = 0; i < 100_000; i++) body(i);
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body(i);
  return Number(process.hrtime.bigint() - started) / iterations;
}

/**
 * The revocation check and the usage record, alone, over 65,536 different keys (so the lookups are
 * not all served from the CPU cache), with 1,000 and 100,000 revocations held; the loop's own cost
 * (reading the key) is measured apart and subtracted.
 */
function checkCost(): BenchLine[] {
  const lines: BenchLine[] = [];
  const ids = new IdGenerator();
  const mask = 65_535;
  for (const held of [1000, 100_000]) {
    const app = openApp(':memory:');
    try {
      const revoked = Array.from({ length: held }, () => ids.accessKeyId('ASIA', ACCOUNT));
      const live = Array.from({ length: mask + 1 }, () => ids.accessKeyId('ASIA', ACCOUNT));
      const probes = Array.from({ length: mask + 1 }, (_, i) => revoked[i % held]!);
      app.sessions.revocations.add(revoked.map((accessKeyId) => ({ accessKeyId, scope: 'session', revokedAt: 0, revokedBy: 'bench', expiresAt: Date.now() + 3600_000 })));
      const set = app.sessions.revoked;
      let sink = 0;
      const loop = nsPer(20_000_000, (i) => { if (live[i & mask]!.length === 3) sink++; });
      const hit = nsPer(20_000_000, (i) => { if (set.has(probes[i & mask]!)) sink++; }) - loop;
      const miss = nsPer(20_000_000, (i) => { if (set.has(live[i & mask]!)) sink++; }) - loop;
      if (sink < 0) console.log(sink);
      const count = held.toLocaleString('en-US');
      lines.push({ name: `revocation check, ${count} revoked: a revoked key`, value: hit, unit: 'ns/check' });
      lines.push({ name: `revocation check, ${count} revoked: a key not revoked`, value: miss, unit: 'ns/check' });
      if (held === 1000) {
        const now = Date.now();
        const touch = nsPer(5_000_000, (i) => app.sessions.usage.touch(live[i & 1023]!, now + i, '127.0.0.1', undefined)) - loop;
        lines.push({ name: 'session last-use record per request', value: touch, unit: 'ns/request' });
      }
    } finally {
      app.close();
    }
  }
  return lines;
}

/** RevokeSession through the pipeline, then the revoked session's very next request. */
async function revokeToDenial(): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'iamd-bench-revoke-'));
  const app = openApp(join(dir, 'iamd.sqlite'));
  try {
    addRole(app);
    const revokeMs: number[] = [];
    const toDenialMs: number[] = [];
    let refused = 0;
    const rounds = 200;
    for (let round = 0; round < rounds; round++) {
      const { credentials } = issue(app, `round-${round}`);
      const request = callerIdentity(credentials);
      const revoke = signed(ROOT, 'iamd', `Action=RevokeSession&Version=2026-11-28&AccessKeyId=${credentials.accessKeyId}`);
      if ((await app.handle(request)).statusCode !== 200) throw new Error('the session should work before the revoke');
      const started = performance.now();
      const answer = await app.handle(revoke);
      const returned = performance.now();
      if (answer.statusCode !== 200) throw new Error(`RevokeSession answered ${answer.statusCode}: ${String(answer.body)}`);
      const next = await app.handle(request);
      const denied = performance.now();
      if (next.statusCode === 403 && String(next.body).includes('<Code>InvalidClientTokenId</Code>')) refused++;
      revokeMs.push(returned - started);
      toDenialMs.push(denied - returned);
    }
    if (refused !== rounds) throw new Error(`only ${refused} of ${rounds} requests right after a revoke were refused`);
    return [
      { name: 'RevokeSession call (pipeline + durable write), median', value: quantile(revokeMs, 0.5), unit: 'ms' },
      { name: 'RevokeSession call, p99', value: quantile(revokeMs, 0.99), unit: 'ms' },
      { name: 'revoke returned -> next request refused, median', value: quantile(toDenialMs, 0.5), unit: 'ms' },
      { name: 'revoke returned -> next request refused, p99', value: quantile(toDenialMs, 0.99), unit: 'ms' },
      { name: 'next requests refused after a revoke', value: refused, unit: `of ${rounds}`, note: 'must be all: the very next request' },
    ];
  } finally {
    app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Sequential in-process requests per second through app.handle. */
async function requestsPerSecond(app: App, request: IncomingRequest, seconds: number): Promise<number> {
  for (let i = 0; i < 2000; i++) await app.handle(request);
  let count = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) await app.handle(request);
    count += 200;
  }
  return count / ((performance.now() - started) / 1000);
}

/** Records shaped like real ones: 1,000 instances' sessions and AssumeRole sessions of 1,000 callers. */
function syntheticRecords(count: number): SessionRecord[] {
  const ids = new IdGenerator();
  const now = Date.now();
  const records: SessionRecord[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    let accessKeyId = ids.accessKeyId('ASIA', ACCOUNT);
    while (used.has(accessKeyId)) accessKeyId = ids.accessKeyId('ASIA', ACCOUNT);
    used.add(accessKeyId);
    const onInstance = i % 2 === 0;
    const instanceId = `i-0${(i % 1000).toString(16).padStart(16, '0')}`;
    const sessionName = onInstance ? instanceId : `job-${i % 1000}`;
    records.push({
      accessKeyId,
      origin: onInstance ? 'InstanceMetadata' : 'AssumeRole',
      principal: { type: 'AssumedRole', accountId: ACCOUNT, roleId: 'AROABENCHROLE0000001', roleName: 'workload', rolePath: '/', sessionName },
      issuedTo: onInstance ? `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${instanceId}` : `arn:aws:iam::${ACCOUNT}:user/caller-${i % 1000}`,
      ...(onInstance ? { instanceId } : {}),
      issuedAt: now - (i % 3600) * 1000,
      expiresAt: now + 6 * 3600_000 + (i % 3600) * 1000,
    });
  }
  return records;
}

/** A million live sessions: heap, restart load time, and request throughput with them against none. */
async function millionSessions(): Promise<BenchLine[]> {
  const dir = mkdtempSync(join(tmpdir(), 'iamd-bench-million-'));
  const file = join(dir, 'iamd.sqlite');
  try {
    // Written to a store file in batches, as issuing them would have, then loaded as a restart does.
    // In key order: what a store's index makes of a day's inserts, without the bench waiting on random B-tree inserts.
    const records = syntheticRecords(MILLION).sort((a, b) => (a.accessKeyId < b.accessKeyId ? -1 : 1));
    const writer = new SqliteStore(file);
    const written = performance.now();
    for (let start = 0; start < records.length; start += 50_000) {
      writer.write(records.slice(start, start + 50_000).map((record) => ({ kind: 'session', key: record.accessKeyId, body: record })));
    }
    const writeSeconds = (performance.now() - written) / 1000;
    writer.close();
    records.length = 0;

    const baseline = heapAfterGc();
    const reader = new SqliteStore(file);
    const loading = performance.now();
    const inventory = new SessionInventory(reader);
    const loadSeconds = (performance.now() - loading) / 1000;
    const heap = heapAfterGc() - baseline;
    if (inventory.size !== MILLION) throw new Error(`loaded ${inventory.size} sessions`);
    reader.close();

    // Throughput: the same App with the million in its inventory, and an empty one, alternately.
    const full = openApp(':memory:');
    const empty = openApp(':memory:');
    for (const record of inventory.values()) full.sessions.inventory.remember(record);
    for (const app of [full, empty]) addRole(app);
    const fullRequest = callerIdentity(issue(full, 'bench').credentials);
    const emptyRequest = callerIdentity(issue(empty, 'bench').credentials);
    const withMillion: number[] = [];
    const withNone: number[] = [];
    for (let round = 0; round < 3; round++) {
      withMillion.push(await requestsPerSecond(full, fullRequest, 1.5));
      withNone.push(await requestsPerSecond(empty, emptyRequest, 1.5));
    }
    const median = (values: number[]): number => quantile(values, 0.5);
    full.close();
    empty.close();
    return [
      { name: '1,000,000 sessions: heap of the inventory', value: heap / 1024 / 1024, unit: 'MiB' },
      { name: '1,000,000 sessions: heap per session', value: heap / MILLION, unit: 'bytes' },
      { name: '1,000,000 sessions: load from the store (restart)', value: loadSeconds, unit: 's' },
      { name: '1,000,000 sessions: bulk write (bench setup), 50,000 per transaction', value: writeSeconds, unit: 's' },
      { name: 'GetCallerIdentity in process, 1,000,000 sessions held', value: median(withMillion), unit: 'req/s' },
      { name: 'GetCallerIdentity in process, empty inventory', value: median(withNone), unit: 'req/s' },
      { name: '1,000,000 sessions / empty', value: median(withMillion) / median(withNone), unit: 'ratio' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchLine[]> {
  return [...checkCost(), ...await revokeToDenial(), ...await millionSessions()];
}
