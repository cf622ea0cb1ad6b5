/**
 * The trail's storage: both stores (SQLite and memory) answer the same lookups the same way; the
 * batching trail writes within its flush period, before every lookup and at close, keeps a failed
 * batch for the next flush, copies records to the JSON-lines file, and applies retention.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { noAudit } from '../src/audit/audit-sink.js';
import { AuditTrail } from '../src/audit/audit-trail.js';
import type { CloudTrailEvent } from '../src/audit/cloudtrail-event.js';
import { openAuditTrail, sqliteAuditTrail } from '../src/audit/index.js';
import Database from 'better-sqlite3';
import { openTrailDatabase, SqliteTrailStore } from '../src/audit/sqlite-trail-store.js';
import { packedJson, packEvent } from '../src/audit/packed-event.js';
import { MemoryTrailStore, trailEntry, type TrailEntry, type TrailPage, type TrailQuery, type TrailStore } from '../src/audit/trail-store.js';
import { fixedClock } from '../src/domain/clock.js';
import { serveConfig, UsageError } from '../src/server/config.js';
import { silentLogger } from '../src/server/logger.js';

let counter = 0;

function event(overrides: Partial<CloudTrailEvent> & { at: string }): CloudTrailEvent {
  const { at, ...rest } = overrides;
  counter++;
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::000000000000:user/alice', accountId: '000000000000', accessKeyId: 'AKIAALICE', userName: 'alice' },
    eventTime: at,
    eventSource: 'sts.amazonaws.com',
    eventName: 'GetCallerIdentity',
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'test',
    requestParameters: null,
    responseElements: null,
    requestID: `req-${counter}`,
    eventID: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '000000000000',
    eventCategory: 'Management',
    ...rest,
  };
}

const ROLE_SESSION = {
  type: 'AssumedRole' as const, principalId: 'AROAEXAMPLE:i-0abc', arn: 'arn:aws:sts::000000000000:assumed-role/web/i-0abc', accountId: '000000000000',
  accessKeyId: 'ASIALEAKED', sessionContext: { attributes: { creationDate: '2026-11-28T09:00:00Z', mfaAuthenticated: 'false' as const } },
};

/** Ten events over three seconds, of three principals and several operations. */
function sample(): CloudTrailEvent[] {
  return [
    event({ at: '2026-11-28T10:00:00Z' }),
    event({ at: '2026-11-28T10:00:00Z', eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', readOnly: false, requestParameters: { userName: 'bob' } }),
    event({ at: '2026-11-28T10:00:01Z', userIdentity: ROLE_SESSION }),
    event({ at: '2026-11-28T10:00:01Z', userIdentity: ROLE_SESSION, eventName: 'ListUsers', eventSource: 'iam.amazonaws.com', errorCode: 'AccessDenied' }),
    event({ at: '2026-11-28T10:00:01Z', userIdentity: ROLE_SESSION, eventName: 'DescribeInstances', eventSource: 'ec2.amazonaws.com' }),
    event({
      at: '2026-11-28T10:00:02Z', eventName: 'AssumeRole', requestParameters: { roleArn: 'arn:aws:iam::000000000000:role/web', roleSessionName: 's' },
      responseElements: { credentials: { accessKeyId: 'ASIANEW', expiration: 'Nov 28, 2026, 11:00:02 AM' }, assumedRoleUser: { arn: 'arn:aws:sts::000000000000:assumed-role/web/s' } },
    }),
    event({ at: '2026-11-28T10:00:02Z', userIdentity: { type: 'Root', principalId: '000000000000', arn: 'arn:aws:iam::000000000000:root', accountId: '000000000000', accessKeyId: 'AKIAROOT' } }),
    event({ at: '2026-11-28T10:00:02Z', userIdentity: { type: 'Unknown', accessKeyId: 'AKIANOBODY' }, errorCode: 'InvalidClientTokenId' }),
    event({ at: '2026-11-28T10:00:02Z', userIdentity: ROLE_SESSION, eventName: 'RunInstances', eventSource: 'ec2.amazonaws.com', readOnly: false, responseElements: { instancesSet: { items: [{ instanceId: 'i-0new' }] } } }),
    event({ at: '2026-11-28T10:00:02Z', userIdentity: ROLE_SESSION, eventName: 'TerminateInstances', eventSource: 'ec2.amazonaws.com', readOnly: false, requestParameters: { instanceId: ['i-0new', 'i-0old'] } }),
  ];
}

const stores: Array<[string, () => TrailStore]> = [
  ['memory', () => new MemoryTrailStore()],
  ['SQLite', () => new SqliteTrailStore(openTrailDatabase(':memory:'))],
];

for (const [name, make] of stores) {
  describe(`the ${name} trail store`, () => {
    const events = sample();
    const store = make();
    store.append(events.map((item) => trailEntry(item)));
    const ids = (page: TrailPage): string[] => page.events.map((item) => item.eventId);
    const idsOf = (...indexes: number[]): string[] => indexes.map((index) => events[index]!.eventID);
    const query = (rest: Partial<TrailQuery> = {}): TrailPage => store.lookup({ limit: 50, ...rest });

    it('lists newest first (time, then insertion order)', () => {
      assert.deepEqual(ids(query()), idsOf(9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
      assert.equal(store.count(), 10);
    });

    it('finds by each attribute', () => {
      assert.deepEqual(ids(query({ attribute: { key: 'AccessKeyId', value: 'ASIALEAKED' } })), idsOf(9, 8, 4, 3, 2));
      assert.deepEqual(ids(query({ attribute: { key: 'AccessKeyId', value: 'AKIANOBODY' } })), idsOf(7));
      assert.deepEqual(ids(query({ attribute: { key: 'Username', value: 'i-0abc' } })), idsOf(9, 8, 4, 3, 2));
      assert.deepEqual(ids(query({ attribute: { key: 'Username', value: 'root' } })), idsOf(6));
      assert.deepEqual(ids(query({ attribute: { key: 'Username', value: 'alice' } })), idsOf(5, 1, 0));
      assert.deepEqual(ids(query({ attribute: { key: 'EventName', value: 'ListUsers' } })), idsOf(3));
      assert.deepEqual(ids(query({ attribute: { key: 'EventSource', value: 'ec2.amazonaws.com' } })), idsOf(9, 8, 4));
      assert.deepEqual(ids(query({ attribute: { key: 'ReadOnly', value: 'false' } })), idsOf(9, 8, 1));
      assert.deepEqual(ids(query({ attribute: { key: 'EventId', value: events[5]!.eventID } })), idsOf(5));
      assert.deepEqual(ids(query({ attribute: { key: 'ResourceName', value: 'i-0new' } })), idsOf(9, 8));
      assert.deepEqual(ids(query({ attribute: { key: 'ResourceName', value: 'ASIANEW' } })), idsOf(5));
      assert.deepEqual(ids(query({ attribute: { key: 'ResourceName', value: 'arn:aws:iam::000000000000:role/web' } })), idsOf(5));
      assert.deepEqual(ids(query({ attribute: { key: 'ResourceType', value: 'AWS::IAM::User' } })), idsOf(1));
      assert.deepEqual(ids(query({ attribute: { key: 'ResourceType', value: 'AWS::STS::AssumedRole' } })), idsOf(5));
    });

    it('keeps the resources and the record with each event', () => {
      const assume = query({ attribute: { key: 'EventName', value: 'AssumeRole' } }).events[0]!;
      assert.deepEqual(new Set(assume.resources.map((resource) => resource.type)), new Set(['AWS::IAM::Role', 'AWS::IAM::AccessKey', 'AWS::STS::AssumedRole']));
      assert.deepEqual(JSON.parse(assume.json), events[5]);
    });

    it('takes an inclusive time range and pages with a cursor', () => {
      const second = (text: string): number => Date.parse(text) / 1000;
      assert.deepEqual(ids(query({ startTime: second('2026-11-28T10:00:01Z'), endTime: second('2026-11-28T10:00:01Z') })), idsOf(4, 3, 2));
      const first = query({ attribute: { key: 'AccessKeyId', value: 'ASIALEAKED' }, limit: 2 });
      assert.deepEqual(ids(first), idsOf(9, 8));
      const next = query({ attribute: { key: 'AccessKeyId', value: 'ASIALEAKED' }, limit: 2, after: first.next! });
      assert.deepEqual(ids(next), idsOf(4, 3));
      const last = query({ attribute: { key: 'AccessKeyId', value: 'ASIALEAKED' }, limit: 2, after: next.next! });
      assert.deepEqual(ids(last), idsOf(2));
      assert.equal(last.next, undefined);
    });

    it('deletes the oldest events, a bounded number at a time', () => {
      const cutoff = Date.parse('2026-11-28T10:00:02Z') / 1000;
      assert.equal(store.deleteBefore(cutoff, 3), 3);
      assert.equal(store.deleteBefore(cutoff, 3), 2);
      assert.equal(store.deleteBefore(cutoff, 3), 0);
      assert.deepEqual(ids(query()), idsOf(9, 8, 7, 6, 5));
      assert.deepEqual(ids(query({ attribute: { key: 'ResourceType', value: 'AWS::IAM::User' } })), []);
    });
  });
}

describe('the SQLite trail\'s compact records', () => {
  const strings = (db: Database.Database): number => (db.prepare('SELECT COUNT(*) AS count FROM audit_strings').get() as { count: number }).count;
  /** The sample, plus records with what the sample lacks: a TLS session, an error message, an eventTime with milliseconds, a long user agent. */
  const varied = (): CloudTrailEvent[] => [
    ...sample(),
    event({ at: '2026-11-28T10:00:03Z', tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'localhost:4566' } }),
    event({ at: '2026-11-28T10:00:03Z', errorCode: 'AccessDenied', errorMessage: 'User: arn:aws:iam::000000000000:user/alice is not authorized to perform: "iam:ListUsers" \u2028 é' }),
    event({ at: '2026-11-28T10:00:03.250Z', userAgent: `aws-cli/2.9.19 ${'x'.repeat(900)}` }),
  ];

  it('reads back every record as the same JSON text the memory store makes of it', () => {
    const items = varied();
    const sqlite = new SqliteTrailStore(openTrailDatabase(':memory:'));
    const memory = new MemoryTrailStore();
    sqlite.append(items.map((item) => trailEntry(item)));
    memory.append(items.map((item) => trailEntry(item)));
    const texts = (store: TrailStore): string[] => store.lookup({ limit: 50 }).events.map((item) => item.json);
    assert.deepEqual(texts(sqlite), texts(memory));
    assert.deepEqual(new Set(texts(sqlite).map((text) => JSON.parse(text))), new Set(items.map((item) => JSON.parse(JSON.stringify(item)))));
  });

  it('keeps each identity and user agent once, and a record in much less than its JSON', () => {
    const db = openTrailDatabase(':memory:');
    const store = new SqliteTrailStore(db);
    const items = varied();
    store.append(items.map((item) => trailEntry(item)));
    // identities: alice, the role session, root, the unknown caller; user agents: 'test' and the long one
    assert.equal(strings(db), 6);
    const stored = db.prepare('SELECT body FROM audit_events WHERE event_id = ?').get(items[2]!.eventID) as { body: string };
    assert.ok(stored.body.length < JSON.stringify(items[2]).length / 2, stored.body);
  });

  it('still reads records stored whole by earlier versions, after its migration', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'iamd-trail-old-')), 'audit.sqlite');
    const old = openTrailDatabase(file);
    old.exec('DROP TABLE audit_strings; PRAGMA user_version = 2');
    const earlier = event({ at: '2026-11-28T09:00:00Z', eventName: 'DeleteUser', eventSource: 'iam.amazonaws.com', readOnly: false });
    const json = JSON.stringify(earlier);
    old.prepare(`INSERT INTO audit_events (event_time, event_id, event_name, event_source, read_only, access_key_id, username, body)
      VALUES (?, ?, 'DeleteUser', 'iam.amazonaws.com', 0, 'AKIAALICE', 'alice', ?)`).run(Date.parse(earlier.eventTime) / 1000, earlier.eventID, json);
    old.close();
    const store = new SqliteTrailStore(openTrailDatabase(file));
    const later = event({ at: '2026-11-28T10:00:00Z' });
    store.append([trailEntry(later)]);
    const page = store.lookup({ attribute: { key: 'AccessKeyId', value: 'AKIAALICE' }, limit: 50 });
    assert.deepEqual(page.events.map((item) => item.json), [packedJson(packEvent(later)), json]);
    store.close();
  });

  it('retention deletes the strings no remaining record names, and keeps those still named', () => {
    const db = openTrailDatabase(':memory:');
    const store = new SqliteTrailStore(db);
    const alice = event({ at: '2026-11-28T10:00:00Z', userAgent: 'old-agent' });
    const session = event({ at: '2026-11-28T10:00:00Z', userIdentity: ROLE_SESSION });
    const aliceLater = event({ at: '2026-11-28T11:00:00Z' });
    store.append([alice, session, aliceLater].map((item) => trailEntry(item)));
    assert.equal(strings(db), 4);
    assert.equal(store.deleteBefore(Date.parse('2026-11-28T10:30:00Z') / 1000, 100), 2);
    assert.equal(strings(db), 2, "the role session's identity and 'old-agent' are gone; alice's identity and 'test' remain");
    assert.deepEqual(store.lookup({ limit: 50 }).events.map((item) => item.json), [packedJson(packEvent(aliceLater))]);
    // a string deleted is stored again when a record names it again
    store.append([trailEntry(event({ at: '2026-11-28T11:00:01Z', userIdentity: ROLE_SESSION }))]);
    assert.equal(JSON.parse(store.lookup({ limit: 1 }).events[0]!.json).userIdentity.arn, ROLE_SESSION.arn);
  });

  it('forgets the string ids of a transaction rolled back', () => {
    const store = new SqliteTrailStore(openTrailDatabase(':memory:'));
    store.insert([trailEntry(event({ at: '2026-11-28T10:00:00Z', userIdentity: ROLE_SESSION }))]);
    store.rollback();
    const kept = event({ at: '2026-11-28T10:00:01Z', userIdentity: ROLE_SESSION });
    store.insert([trailEntry(kept)]);
    store.commit();
    assert.deepEqual(store.lookup({ limit: 50 }).events.map((item) => item.json), [packedJson(packEvent(kept))]);
  });
});

class RecordingStore extends MemoryTrailStore {
  appends = 0;
  failNext = false;
  override append(entries: readonly TrailEntry[]): void {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.appends++;
    super.append(entries);
  }
}

describe('the batching trail', () => {
  it('writes within its flush period, in one batch, and before every lookup', async () => {
    const store = new RecordingStore();
    const trail = AuditTrail.inline(store, { retentionDays: 90, clock: fixedClock(new Date('2026-11-28T10:00:05Z')), logger: silentLogger, flushMs: 50 });
    for (const item of sample()) trail.record(item);
    assert.equal(store.count(), 0, 'nothing is written on the request path');
    assert.equal(trail.pending, 10);
    await sleep(150);
    assert.equal(store.count(), 10);
    assert.equal(store.appends, 1);
    trail.record(event({ at: '2026-11-28T10:00:03Z' }));
    assert.equal((await trail.lookup({ limit: 50 })).events.length, 11, 'a lookup sees every record made before it');
    trail.close();
  });

  it('keeps a batch that failed to write for the next flush', () => {
    const store = new RecordingStore();
    const trail = AuditTrail.inline(store, { retentionDays: 90, clock: fixedClock(new Date('2026-11-28T10:00:05Z')), logger: silentLogger, flushMs: 60_000 });
    trail.record(event({ at: '2026-11-28T10:00:00Z' }));
    store.failNext = true;
    trail.flush();
    assert.equal(trail.pending, 1);
    trail.record(event({ at: '2026-11-28T10:00:01Z' }));
    trail.close();
    assert.equal(store.count(), 2);
  });

  it('appends one JSON line per record to the audit log, and flushes at close', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'iamd-jsonl-')), 'trail.jsonl');
    const trail = AuditTrail.inline(new MemoryTrailStore(), { retentionDays: 90, clock: fixedClock(new Date('2026-11-28T10:00:05Z')), logger: silentLogger, flushMs: 60_000, logFile: file });
    const items = sample();
    for (const item of items) trail.record(item);
    trail.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((line) => JSON.parse(line)), items);
    trail.record(items[0]!);
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, 10, 'a closed trail records nothing more');
  });

  it('deletes events older than the retention at start and then hourly', async () => {
    const store = new MemoryTrailStore();
    store.append(sample().map((item) => trailEntry(item)));
    const clock = fixedClock(new Date('2026-12-05T10:00:01.500Z'));
    // seven days: at start, everything before 2026-11-28T10:00:01Z goes
    const trail = AuditTrail.inline(store, { retentionDays: 7, clock, logger: silentLogger, flushMs: 20 });
    assert.equal(store.count(), 8);
    clock.advance(1000);
    await sleep(60);
    assert.equal(store.count(), 8, 'not again before an hour has passed');
    clock.advance(3600_000);
    await sleep(60);
    assert.equal(store.count(), 0);
    trail.close();
  });
});

describe('the writer thread', () => {
  const rows = (file: string): number => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS count FROM audit_events').get() as { count: number }).count;
    } finally {
      db.close();
    }
  };

  it('stores the batches it is handed in the trail\'s file; a lookup waits for them; close waits for the last', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamd-trail-worker-'));
    const file = join(dir, 'audit.sqlite');
    const logFile = join(dir, 'trail.jsonl');
    const trail = sqliteAuditTrail(file, { retentionDays: 36500, logFile }, silentLogger, fixedClock(new Date('2026-11-28T10:00:05Z')), 60_000);
    const items = sample();
    for (const item of items.slice(0, 5)) trail.record(item);
    const page = await trail.lookup({ limit: 50 });
    assert.deepEqual(page.events.map((item) => item.eventId), items.slice(0, 5).map((item) => item.eventID).reverse());
    for (const item of items.slice(5)) trail.record(item);
    assert.equal(rows(file), 5, 'nothing more is stored before the next flush');
    trail.close();
    assert.equal(rows(file), 10, 'close returns once the writer has stored everything');
    assert.equal(readFileSync(logFile, 'utf8').trimEnd().split('\n').length, 10);
  });

  it('applies retention in the writer thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamd-trail-worker-'));
    const file = join(dir, 'audit.sqlite');
    const seed = new SqliteTrailStore(openTrailDatabase(file));
    seed.append(sample().map((item) => trailEntry(item)));
    seed.close();
    const trail = sqliteAuditTrail(file, { retentionDays: 7 }, silentLogger, fixedClock(new Date('2026-12-05T10:00:01.500Z')), 60_000);
    const deadline = Date.now() + 3000;
    while (rows(file) !== 8 && Date.now() < deadline) await sleep(20);
    assert.equal(rows(file), 8);
    trail.close();
  });

  it('a batch the writer cannot store is logged and kept for the next flush', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamd-trail-worker-'));
    const file = join(dir, 'audit.sqlite');
    const logged: string[] = [];
    const trail = sqliteAuditTrail(file, { retentionDays: 36500 }, { log: (_level, message) => { logged.push(message); } }, fixedClock(new Date('2026-11-28T10:00:05Z')), 60_000);
    // Another connection holds the write lock past the writer's busy timeout: the batch fails, then succeeds.
    const blocker = new Database(file);
    blocker.pragma('busy_timeout = 0');
    blocker.exec('BEGIN IMMEDIATE');
    trail.record(sample()[0]!);
    trail.flush();
    const deadline = Date.now() + 8000;
    while (!logged.includes('audit trail write failed; records kept for the next flush') && Date.now() < deadline) await sleep(50);
    blocker.exec('ROLLBACK');
    blocker.close();
    assert.ok(logged.includes('audit trail write failed; records kept for the next flush'));
    assert.equal(trail.pending, 1);
    assert.equal((await trail.lookup({ limit: 50 })).events.length, 1);
    trail.close();
  });
});

describe('serve settings for the trail', () => {
  it('keep 90 days by default; --audit-retention-days and IAMD_AUDIT_RETENTION_DAYS change it; 0 keeps no trail', () => {
    assert.deepEqual(serveConfig([], {}).audit, { retentionDays: 90 });
    assert.deepEqual(serveConfig(['--audit-retention-days', '7', '--audit-log', '/tmp/t.jsonl'], {}).audit, { retentionDays: 7, logFile: '/tmp/t.jsonl' });
    assert.deepEqual(serveConfig([], { IAMD_AUDIT_RETENTION_DAYS: '30', IAMD_AUDIT_LOG: '/var/log/iamd.jsonl' }).audit, { retentionDays: 30, logFile: '/var/log/iamd.jsonl' });
    assert.throws(() => serveConfig(['--audit-retention-days', '-1'], {}), UsageError);
    assert.throws(() => serveConfig(['--audit-retention-days', 'forever'], {}), UsageError);
    const dir = mkdtempSync(join(tmpdir(), 'iamd-open-trail-'));
    assert.equal(openAuditTrail(dir, { retentionDays: 0 }, silentLogger), noAudit);
    const trail = openAuditTrail(dir, { retentionDays: 90 }, silentLogger);
    assert.ok(trail instanceof AuditTrail);
    trail.close();
  });
});
