/**
 * How batches of records reach storage. The server's writer is a worker thread with its own
 * connection to the trail's SQLite file (trail-worker.ts): indexing and inserting a record cost
 * about 8 µs, which must not run on the thread that serves requests. A batch of
 * packed records (packed-event.ts) is serialized once (held-batch.ts), posted as bytes, and its
 * bytes kept until the worker has committed it. The inline writer does the same work on the calling thread:
 * for tests and for stores in memory.
 *
 * Both copy every record to the JSON-lines file when one is configured, after the batch is stored.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../server/logger.js';
import { HeldBatch } from './held-batch.js';
import { packedJson, type PackedEvent } from './packed-event.js';
import { packedEntry, type TrailStore } from './trail-store.js';

export interface TrailWriter {
  /** Hands a batch over; a batch that cannot be stored comes back through the failure callback. */
  write(batch: PackedEvent[]): void;
  /** Deletes events older than `time` (epoch seconds), a bounded chunk at a time. */
  expire(time: number): void;
  /** Resolves once every batch handed over so far is stored. */
  settled(): Promise<void>;
  /** Waits until every batch handed over is stored, then stops. Synchronous: it runs at shutdown. */
  close(): void;
}

export type WriteFailure = (batch: PackedEvent[], error: Error) => void;

export const RETENTION_CHUNK = 5000;

/** Appends the records to a JSON-lines file, one record per line. */
export class JsonLinesFile {
  private fd: number | undefined;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a', 0o600);
  }

  append(lines: readonly string[]): void {
    if (this.fd !== undefined && lines.length > 0) writeSync(this.fd, lines.join('\n') + '\n');
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Copies stored records to the JSON-lines file; a failure is logged, never thrown (the trail has them). */
export function copyToFile(file: JsonLinesFile | undefined, lines: readonly string[], logger: Pick<Logger, 'log'>): void {
  try {
    file?.append(lines);
  } catch (error) {
    logger.log('error', 'audit log write failed', { file: file?.path, error: asError(error).message });
  }
}

/** Stores a batch into a TrailStore and copies it to the JSON-lines file; never throws. */
export function storeBatch(store: TrailStore, file: JsonLinesFile | undefined, batch: readonly PackedEvent[], logger: Pick<Logger, 'log'>): Error | undefined {
  try {
    const entries = batch.map(packedEntry);
    store.append(entries);
    if (file) copyToFile(file, entries.map((entry) => packedJson(entry.record)), logger);
    return undefined;
  } catch (error) {
    return asError(error);
  }
}

/** Deletes expired events chunk by chunk; `next` runs the following chunk (now, or later to let writes in). */
export function expireChunks(store: TrailStore, time: number, next: (run: () => void) => void, logger: Pick<Logger, 'log'>): void {
  const chunk = (): void => {
    try {
      if (store.deleteBefore(time, RETENTION_CHUNK) === RETENTION_CHUNK) next(chunk);
    } catch (error) {
      logger.log('error', 'audit retention failed', { error: (error as Error).message });
    }
  };
  chunk();
}

/** Writes on the calling thread. */
export class InlineTrailWriter implements TrailWriter {
  private readonly file: JsonLinesFile | undefined;

  constructor(private readonly store: TrailStore, private readonly onFailure: WriteFailure, private readonly logger: Logger, logFile?: string) {
    this.file = logFile === undefined ? undefined : new JsonLinesFile(logFile);
  }

  write(batch: PackedEvent[]): void {
    const error = storeBatch(this.store, this.file, batch, this.logger);
    if (error) this.onFailure(batch, error);
  }

  expire(time: number): void {
    expireChunks(this.store, time, (run) => run(), this.logger);
  }

  settled(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.file?.close();
  }
}

/**
 * Messages between the writer and its worker thread. The worker acknowledges batches once they are
 * committed ('written'), which it does on its own schedule or at once for a 'sync'.
 */
export type ToWorker =
  | { type: 'write'; id: number; batch: Uint8Array }
  | { type: 'sync'; id: number }
  | { type: 'expire'; id: number; time: number }
  | { type: 'close' };
export type FromWorker =
  | { type: 'written'; ids: number[] }
  | { type: 'failed'; ids: number[]; error: string }
  | { type: 'log'; level: 'error' | 'warn'; message: string; fields: Record<string, string | number | undefined> };

export interface WorkerSettings {
  databaseFile: string;
  logFile?: string;
  /** set to 1 by the worker once it has stored everything and closed, at shutdown */
  closed: SharedArrayBuffer;
}

const CLOSE_TIMEOUT_MS = 10_000;

/** Writes in a worker thread with its own connection to the trail's database file. */
export class WorkerTrailWriter implements TrailWriter {
  private worker: Worker | undefined;
  private nextId = 0;
  /** Batches handed over and not yet committed; undefined for syncs and retention. */
  private readonly inflight = new Map<number, HeldBatch | undefined>();
  private waiters: Array<() => void> = [];
  private readonly closedFlag = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly databaseFile: string, private readonly onFailure: WriteFailure, private readonly logger: Logger, private readonly logFile?: string) {
    this.start();
  }

  write(batch: PackedEvent[]): void {
    const id = ++this.nextId;
    const held = new HeldBatch(batch);
    this.inflight.set(id, held);
    this.post({ type: 'write', id, batch: held.serialized! });
  }

  /** Acknowledged like a batch once its first chunk is deleted, so that a lookup right after start sees retention applied. */
  expire(time: number): void {
    const id = ++this.nextId;
    this.inflight.set(id, undefined);
    this.post({ type: 'expire', id, time });
  }

  /** Asks the worker to commit now (it otherwise waits up to its commit period), and waits for it. */
  settled(): Promise<void> {
    if (this.inflight.size === 0) return Promise.resolve();
    const id = ++this.nextId;
    this.inflight.set(id, undefined);
    this.post({ type: 'sync', id });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  close(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    worker.postMessage({ type: 'close' } satisfies ToWorker);
    // Shutdown is synchronous (App.close): wait here, off the event loop, until the worker has committed.
    if (Atomics.wait(this.closedFlag, 0, 0, CLOSE_TIMEOUT_MS) === 'timed-out') {
      this.logger.log('error', 'audit trail writer did not finish within 10 s at shutdown', { pendingBatches: this.inflight.size });
    }
    for (const held of this.inflight.values()) held?.release();
    this.inflight.clear();
    void worker.terminate();
  }

  private post(message: ToWorker): void {
    if (!this.worker) this.start();
    this.worker!.postMessage(message);
  }

  private start(): void {
    const settings: WorkerSettings = { databaseFile: this.databaseFile, closed: this.closedFlag.buffer as SharedArrayBuffer, ...(this.logFile ? { logFile: this.logFile } : {}) };
    const worker = new Worker(new URL('./trail-worker.js', import.meta.url), { workerData: settings });
    worker.unref();
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => {
      this.logger.log('error', 'audit trail writer failed; restarting it', { error: error.message });
      if (this.worker === worker) this.worker = undefined;
      this.giveBack([...this.inflight.keys()], error);
      this.release();
    });
    this.worker = worker;
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case 'written':
        for (const id of message.ids) {
          this.inflight.get(id)?.release();
          this.inflight.delete(id);
        }
        break;
      case 'failed':
        this.giveBack(message.ids, new Error(message.error));
        break;
      case 'log':
        this.logger.log(message.level, message.message, message.fields);
        return;
    }
    if (this.inflight.size === 0) this.release();
  }

  /** Hands the records of batches that were not stored back to the trail. */
  private giveBack(ids: readonly number[], error: Error): void {
    const records: PackedEvent[] = [];
    for (const id of ids) {
      const held = this.inflight.get(id);
      this.inflight.delete(id);
      if (held !== undefined) for (const record of held.recover()) records.push(record);
    }
    if (records.length > 0) this.onFailure(records, error);
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
