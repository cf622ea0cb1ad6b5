/**
 * The server's trail: records are packed on the request path (packed-event.ts: a flat tuple, cheap
 * to make and to hand over), queued in memory, and handed in batches to a writer (trail-writer.ts:
 * the server's is a worker thread) that makes their JSON, stores them and copies them to the
 * JSON-lines file when one is configured (`--audit-log FILE`, one CloudTrail record per line, for
 * a SIEM).
 *
 * - The queue is handed over every FLUSH_MS, 50 ms: queued for the former 500 ms, records outlived
 *   several of the request thread's young-generation collections (one every ~100 ms under load)
 *   and were promoted to the old generation (~460 bytes a request, with --trace-gc-nvp); queued
 *   for at most 50 ms, a record is copied once at most. The server's writer still commits only
 *   every few hundred ms (trail-worker.ts).
 * - Durable within one second: handed over within FLUSH_MS, at once when the queue grows past
 *   BATCH_LIMIT, before every lookup (which then waits until the writer has committed it, so a
 *   LookupEvents sees every call made before it), and at shutdown, which waits for the writer.
 * - Retention: events older than `retentionDays` are deleted at start and then hourly, a bounded
 *   number at a time, so a large backlog never stalls anything.
 * - A batch that fails to store (disk full) is logged and queued again for the next flush, up to
 *   MAX_QUEUED records; past that the oldest are dropped and the number dropped is logged.
 */
import type { Clock } from '../domain/clock.js';
import type { Logger } from '../server/logger.js';
import type { AuditSink } from './audit-sink.js';
import type { CloudTrailEvent } from './cloudtrail-event.js';
import { InlineTrailWriter, type TrailWriter } from './trail-writer.js';
import { packEvent, type PackedEvent } from './packed-event.js';
import type { TrailPage, TrailQuery, TrailStore } from './trail-store.js';

export const DEFAULT_RETENTION_DAYS = 90;
const FLUSH_MS = 50;
const BATCH_LIMIT = 2000;
const MAX_QUEUED = 200_000;
const RETENTION_EVERY_MS = 3600_000;

export interface AuditTrailOptions {
  retentionDays: number;
  clock: Clock;
  logger: Logger;
  /** handover period in ms (default 50) */
  flushMs?: number;
}

export class AuditTrail implements AuditSink {
  readonly enabled = true;
  private queue: PackedEvent[] = [];
  private readonly timer: NodeJS.Timeout;
  private flushScheduled = false;
  private nextRetention = 0;
  private closed = false;
  private readonly writer: TrailWriter;

  /**
   * `reader` answers lookups (and is closed with the trail); `writer` is made with the trail's
   * failure callback (a batch it could not store comes back to the queue).
   */
  constructor(private readonly reader: Pick<TrailStore, 'lookup'> & { close?(): void }, writer: (onFailure: (batch: PackedEvent[], error: Error) => void) => TrailWriter,
    private readonly options: AuditTrailOptions) {
    this.writer = writer((batch, error) => this.requeue(batch, error));
    this.timer = setInterval(() => this.tick(), options.flushMs ?? FLUSH_MS);
    this.timer.unref();
    this.applyRetention();
  }

  /** A trail that stores on the calling thread (tests, memory stores). */
  static inline(store: TrailStore, options: AuditTrailOptions & { logFile?: string }): AuditTrail {
    return new AuditTrail(store, (onFailure) => new InlineTrailWriter(store, onFailure, options.logger, options.logFile), options);
  }

  record(event: CloudTrailEvent): void {
    if (this.closed) return;
    this.queue.push(packEvent(event));
    if (this.queue.length >= BATCH_LIMIT && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
  }

  async lookup(query: TrailQuery): Promise<TrailPage> {
    this.flush();
    await this.writer.settled();
    return this.reader.lookup(query);
  }

  /** Records queued and not yet handed to the writer (tests, metrics). */
  get pending(): number {
    return this.queue.length;
  }

  /** Hands what is queued to the writer. */
  flush(): void {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.writer.write(batch);
  }

  /** Resolves once everything recorded so far is stored. */
  async settled(): Promise<void> {
    this.flush();
    await this.writer.settled();
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.flush();
    this.closed = true;
    this.writer.close();
    this.reader.close?.();
  }

  private tick(): void {
    this.flush();
    if (this.options.clock.now().getTime() >= this.nextRetention) this.applyRetention();
  }

  private applyRetention(): void {
    const now = this.options.clock.now().getTime();
    this.nextRetention = now + RETENTION_EVERY_MS;
    this.writer.expire(Math.floor(now / 1000) - this.options.retentionDays * 86400);
  }

  private requeue(batch: PackedEvent[], error: Error): void {
    if (this.closed) {
      this.options.logger.log('error', 'audit trail write failed at shutdown; records lost', { error: error.message, lost: batch.length });
      return;
    }
    this.queue = batch.concat(this.queue);
    const dropped = Math.max(0, this.queue.length - MAX_QUEUED);
    if (dropped > 0) this.queue.splice(0, dropped);
    this.options.logger.log('error', 'audit trail write failed; records kept for the next flush', { error: error.message, queued: this.queue.length, dropped });
  }
}
