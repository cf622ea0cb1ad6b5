/**
 * Audit trail fixtures: a server whose trail is the real one (SQLite, batched) instead of the
 * memory sink of startTestServer, JS SDK CloudTrail clients, and readers of a test server's records.
 */
import { CloudTrailClient, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditTrail } from '../../src/audit/audit-trail.js';
import type { CloudTrailEvent } from '../../src/audit/cloudtrail-event.js';
import { sqliteAuditTrail, TRAIL_FILE } from '../../src/audit/index.js';
import { TokenKeyring } from '../../src/auth/token-keyring.js';
import { systemClock, type Clock } from '../../src/domain/clock.js';
import { IdGenerator } from '../../src/domain/ids.js';
import { App } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/http-server.js';
import type { Logger } from '../../src/server/logger.js';
import { silentLogger } from '../../src/server/logger.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Credentials, TestServer } from './server.js';

export interface TrailServer {
  url: string;
  app: App;
  root: Credentials;
  trail: AuditTrail;
  /** the trail's SQLite file */
  trailFile: string;
  dir: string;
  running: RunningServer;
  close(): Promise<void>;
}

export interface TrailServerOptions {
  clock?: Clock;
  logger?: Logger;
  logFile?: string;
  retentionDays?: number;
}

/** An in-process server with the server's trail: SQLite, written by its worker thread (flushed every 100 ms here). */
export async function startTrailServer(options: TrailServerOptions = {}): Promise<TrailServer> {
  const accountId = '000000000000';
  const ids = new IdGenerator();
  const root = { accessKeyId: ids.accessKeyId('AKIA', accountId), secretAccessKey: ids.secretAccessKey() };
  const dir = mkdtempSync(join(tmpdir(), 'iamd-trail-'));
  const store = new SqliteStore(join(dir, 'iamd.sqlite'));
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const trailFile = join(dir, TRAIL_FILE);
  const trail = sqliteAuditTrail(trailFile, { retentionDays: options.retentionDays ?? 90, ...(options.logFile ? { logFile: options.logFile } : {}) }, logger, clock, 100);
  const app = App.create({
    accountId, region: 'us-east-1', store, secrets: new SecretBox(Buffer.alloc(32, 7)), keyring: TokenKeyring.inMemory(), root, ids, audit: trail, clock, logger,
  });
  const running = await listen(app, { host: '127.0.0.1', port: 0 });
  return {
    url: running.url, app, root, trail, trailFile, dir, running,
    async close() {
      await running.close();
      app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Anything with an endpoint and the root user's keys: a TestServer or a TrailServer. */
export type Endpoint = Pick<TestServer, 'url' | 'root'>;

export function cloudTrailClient(server: Endpoint, credentials: Credentials = server.root, region = 'us-east-1'): CloudTrailClient {
  return new CloudTrailClient({ endpoint: server.url, region, credentials, maxAttempts: 1 });
}

/** The records of a lookup through the JS SDK, as parsed CloudTrail events. */
export async function lookup(server: Endpoint, input: LookupEventsCommandInput, credentials: Credentials = server.root): Promise<CloudTrailEvent[]> {
  const client = cloudTrailClient(server, credentials);
  try {
    const answer = await client.send(new LookupEventsCommand(input));
    return (answer.Events ?? []).map((event) => JSON.parse(event.CloudTrailEvent!) as CloudTrailEvent);
  } finally {
    client.destroy();
  }
}

export const byAccessKey = (accessKeyId: string): LookupEventsCommandInput => ({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: accessKeyId }] });

/** The memory sink's records of a test server for one request id (there is exactly one). */
export function recordOf(server: TestServer, requestId: string): CloudTrailEvent {
  const found = server.audit.records.filter((record) => record.requestID === requestId);
  if (found.length !== 1) throw new Error(`expected one record for request ${requestId}, found ${found.length}`);
  return found[0]!;
}

/** The last record of a test server (optionally of one event name). */
export function lastRecord(server: TestServer, eventName?: string): CloudTrailEvent {
  const records = server.audit.records.filter((record) => eventName === undefined || record.eventName === eventName);
  const record = records[records.length - 1];
  if (!record) throw new Error(`no record${eventName ? ` of ${eventName}` : ''}`);
  return record;
}
