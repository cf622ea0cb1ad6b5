/**
 * The trail of `bin/iamd serve`: records are on disk (audit.sqlite and the --audit-log file)
 * within one second of the call, survive a SIGKILL once there, are flushed by a graceful shutdown
 * however recent, are found again by LookupEvents after a restart, and are deleted once older than
 * --audit-retention-days (0: no trail at all).
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteTrailStore } from '../src/audit/sqlite-trail-store.js';
import { startServerProcess, type ServerProcess } from './helpers/process.js';
import { lookup } from './helpers/trail.js';

const ROOT = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const ENV = { IAMD_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, IAMD_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey, IAMD_LOG_LEVEL: 'warn' };

let dir: string;
before(() => { dir = mkdtempSync(join(tmpdir(), 'iamd-trail-durable-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

async function callerIdentity(url: string, region: string): Promise<string> {
  const sts = new STSClient({ endpoint: url, region, credentials: ROOT, maxAttempts: 1 });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).$metadata.requestId!;
  } finally {
    sts.destroy();
  }
}

/** The request ids in the server's trail table, read by a connection of our own (as after a crash). */
function storedRequestIds(dataDir: string): Set<string> {
  const file = join(dataDir, 'audit.sqlite');
  if (!existsSync(file)) return new Set();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const { events } = new SqliteTrailStore(db).lookup({ limit: 1_000_000 });
    return new Set(events.map((event) => (JSON.parse(event.json) as { requestID: string }).requestID));
  } catch {
    return new Set();
  } finally {
    db.close();
  }
}

async function waitUntil(check: () => boolean, limitMs: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > limitMs) return Infinity;
    await sleep(20);
  }
  return Date.now() - started;
}

describe('iamd serve\'s trail', () => {
  const logFile = (): string => join(dir, 'trail.jsonl');
  let server: ServerProcess | undefined;
  // A failed assertion must not leave a child server running (it would keep the test process alive).
  afterEach(async () => { await server?.stop('SIGKILL'); server = undefined; });

  it('is on disk within one second of a call, and a SIGKILL then loses nothing', async () => {
    server = await startServerProcess(['--data-dir', dir, '--audit-log', logFile()], ENV);
    const ids = [await callerIdentity(server.url, 'eu-north-1'), await callerIdentity(server.url, 'eu-north-1')];
    const inTable = await waitUntil(() => ids.every((id) => storedRequestIds(dir).has(id)), 1000);
    assert.ok(inTable <= 1000, 'the records reached the SQLite file within one second');
    const inFile = await waitUntil(() => existsSync(logFile()) && ids.every((id) => readFileSync(logFile(), 'utf8').includes(id)), 200);
    assert.ok(inFile <= 200, 'and the JSON-lines file with them');
    await server.stop('SIGKILL');

    server = await startServerProcess(['--data-dir', dir, '--audit-log', logFile()], ENV);
    const found = await lookup({ url: server.url, root: ROOT }, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }] });
    assert.ok(ids.every((id) => found.some((record) => record.requestID === id && record.awsRegion === 'eu-north-1')));
  });

  it('is flushed by a graceful shutdown, however recent the call', async () => {
    server ??= await startServerProcess(['--data-dir', dir, '--audit-log', logFile()], ENV);
    const id = await callerIdentity(server.url, 'sa-east-1');
    assert.equal(await server.stop('SIGTERM'), 0);
    server = undefined;
    assert.ok(storedRequestIds(dir).has(id));
    const lines = readFileSync(logFile(), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { requestID: string; eventName: string });
    assert.ok(lines.some((line) => line.requestID === id));
    assert.equal(new Set(lines.map((line) => line.requestID)).size, lines.length, 'each record once in the file');
  });

  it('deletes records older than --audit-retention-days at start', async () => {
    const db = new Database(join(dir, 'audit.sqlite'));
    const old = Math.floor(Date.now() / 1000) - 10 * 86400;
    db.prepare(`INSERT INTO audit_events (event_time, event_id, event_name, event_source, read_only, body) VALUES (?, 'old-event', 'OldCall', 'sts.amazonaws.com', 1, '{}')`).run(old);
    db.close();
    server = await startServerProcess(['--data-dir', dir, '--audit-retention-days', '7'], ENV);
    const old7 = await lookup({ url: server.url, root: ROOT }, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'OldCall' }] });
    assert.deepEqual(old7, []);
    const recent = await lookup({ url: server.url, root: ROOT }, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }] });
    assert.ok(recent.length >= 3, 'recent records are kept');
    assert.equal(await server.stop('SIGTERM'), 0);
    server = undefined;
  });

  it('with --audit-retention-days 0 keeps no trail', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'iamd-no-trail-'));
    try {
      server = await startServerProcess(['--data-dir', empty, '--audit-retention-days', '0'], ENV);
      await callerIdentity(server.url, 'us-east-1');
      assert.deepEqual(await lookup({ url: server.url, root: ROOT }, {}), []);
      assert.equal(await server.stop('SIGTERM'), 0);
      server = undefined;
      assert.equal(storedRequestIds(empty).size, 0);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
