/**
 * The audit trail: one CloudTrail record per API request (record-builder.ts), handed in batches
 * (audit-trail.ts) to a writer thread (trail-writer.ts, trail-worker.ts) that stores them in the
 * trail's own SQLite file in the data directory (sqlite-trail-store.ts), looked up by CloudTrail's
 * LookupEvents (services/cloudtrail). `openAuditTrail` is the server's wiring.
 */
import { join } from 'node:path';
import { systemClock, type Clock } from '../domain/clock.js';
import type { Logger } from '../server/logger.js';
import { noAudit, type AuditSink } from './audit-sink.js';
import { AuditTrail, DEFAULT_RETENTION_DAYS } from './audit-trail.js';
import { openTrailDatabase, SqliteTrailStore } from './sqlite-trail-store.js';
import { WorkerTrailWriter } from './trail-writer.js';

export { MemoryAuditSink, noAudit, type AuditSink } from './audit-sink.js';
export { AuditTrail, DEFAULT_RETENTION_DAYS } from './audit-trail.js';
export type { CloudTrailEvent } from './cloudtrail-event.js';

/** The trail's database file in a data directory. */
export const TRAIL_FILE = 'audit.sqlite';

export interface AuditSettings {
  /** days a record is kept; 0 keeps no trail at all (the pipeline then builds no records) */
  retentionDays: number;
  /** a JSON-lines file every record is also appended to */
  logFile?: string;
}

/** The server's trail in `<dataDir>/audit.sqlite`, written by a worker thread; none when retention is 0. */
export function openAuditTrail(dataDir: string, settings: AuditSettings | undefined, logger: Logger, clock: Clock = systemClock): AuditSink {
  const retentionDays = settings?.retentionDays ?? DEFAULT_RETENTION_DAYS;
  if (retentionDays === 0) return noAudit;
  return sqliteAuditTrail(join(dataDir, TRAIL_FILE), { ...settings, retentionDays }, logger, clock);
}

/** A trail in a SQLite file, written by a worker thread. */
export function sqliteAuditTrail(file: string, settings: AuditSettings, logger: Logger, clock: Clock = systemClock, flushMs?: number): AuditTrail {
  // Opened (and migrated) here first: this connection answers lookups; the writer thread opens its own.
  const reader = new SqliteTrailStore(openTrailDatabase(file));
  return new AuditTrail(reader, (onFailure) => new WorkerTrailWriter(file, onFailure, logger, settings.logFile), {
    retentionDays: settings.retentionDays, clock, logger, ...(flushMs !== undefined ? { flushMs } : {}),
  });
}
