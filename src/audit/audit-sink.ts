/**
 * The audit hook: the pipeline hands one CloudTrail record per request to the sink, on every exit
 * path, failures included (record-builder.ts builds it), and CloudTrail's LookupEvents reads the
 * trail back through the same sink. The server's sink is the AuditTrail (audit-trail.ts: batched
 * into the trail's own SQLite file by a writer thread, durable within a second); tests use MemoryAuditSink; `noAudit` keeps nothing
 * and tells the pipeline not to build records at all (auditing off).
 *
 * Records are built from redacted fields only: no secret key, session token or signature is ever
 * put in one.
 */
import type { CloudTrailEvent } from './cloudtrail-event.js';
import { MemoryTrailStore, trailEntry, type TrailPage, type TrailQuery } from './trail-store.js';

export interface AuditSink {
  /** false: the pipeline builds no records (auditing off) */
  readonly enabled: boolean;
  record(event: CloudTrailEvent): void;
  /** Events matching the query, newest first; records handed over before the call are included. */
  lookup(query: TrailQuery): Promise<TrailPage>;
  /** Writes what is queued. */
  flush(): void;
  /** Flushes and stops (server shutdown). */
  close(): void;
}

export const noAudit: AuditSink = {
  enabled: false,
  record() {},
  lookup: () => Promise.resolve({ events: [] }),
  flush() {},
  close() {},
};

/** Keeps records in memory, in order, and answers lookups over them: for tests. */
export class MemoryAuditSink implements AuditSink {
  readonly enabled = true;
  readonly records: CloudTrailEvent[] = [];
  private readonly store = new MemoryTrailStore();

  record(event: CloudTrailEvent): void {
    this.records.push(event);
    this.store.append([trailEntry(event)]);
  }

  lookup(query: TrailQuery): Promise<TrailPage> {
    return Promise.resolve(this.store.lookup(query));
  }

  flush(): void {}

  close(): void {}
}
