/**
 * The trail's writer thread (started by WorkerTrailWriter), on its own connection to the trail's
 * database. The server hands records over every few tens of ms (audit-trail.ts), so batches are
 * small and many; each is inserted as it arrives (compact-record.ts), into a transaction that is
 * committed COMMIT_MS after it was opened (a group commit: one fsync and one rewrite of the last
 * page of the table and of each index per commit, not per batch). It is committed at once when the
 * server asks ('sync': a lookup waits for it), before expired events are deleted, and at shutdown.
 * Batches are acknowledged, and copied to the JSON-lines file, once committed. A failure rolls the
 * transaction back and fails every batch in it, which the server queues again.
 *
 * Expired events are deleted a chunk at a time between batches; at shutdown the worker commits,
 * closes the database and raises the shared flag the server thread is waiting on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../server/logger.js';
import { readBatch } from './held-batch.js';
import { packedJson, type PackedEvent } from './packed-event.js';
import { openTrailDatabase, SqliteTrailStore } from './sqlite-trail-store.js';
import { packedEntry } from './trail-store.js';
import { asError, copyToFile, expireChunks, JsonLinesFile, type FromWorker, type ToWorker, type WorkerSettings } from './trail-writer.js';

/** Durable within one second: a record waits at most the server's handover period (50 ms), then this. */
const COMMIT_MS = 400;

const settings = workerData as WorkerSettings;
const port = parentPort!;
const send = (message: FromWorker): void => port.postMessage(message);
const logger: Logger = { log: (level, message, fields = {}) => send({ type: 'log', level: level === 'error' ? 'error' : 'warn', message, fields: fields as Record<string, string | number | undefined> }) };

const store = new SqliteTrailStore(openTrailDatabase(settings.databaseFile));
const file = settings.logFile === undefined ? undefined : new JsonLinesFile(settings.logFile);
const closed = new Int32Array(settings.closed);

/** Batches inserted since the last commit, and their JSON lines for the file. */
let uncommitted: number[] = [];
let uncommittedLines: string[] = [];
let commitTimer: NodeJS.Timeout | undefined;

function write(id: number, batch: readonly PackedEvent[]): void {
  try {
    const entries = batch.map(packedEntry);
    store.insert(entries);
    if (file) for (const entry of entries) uncommittedLines.push(packedJson(entry.record));
  } catch (error) {
    abandon(error, [id]);
    return;
  }
  uncommitted.push(id);
  commitTimer ??= setTimeout(commit, COMMIT_MS);
}

function commit(): void {
  clearTimeout(commitTimer);
  commitTimer = undefined;
  if (uncommitted.length === 0) return;
  try {
    store.commit();
  } catch (error) {
    abandon(error, []);
    return;
  }
  const ids = uncommitted;
  const lines = uncommittedLines;
  uncommitted = [];
  uncommittedLines = [];
  copyToFile(file, lines, logger);
  send({ type: 'written', ids });
}

/** Rolls the open transaction back: its batches, and those given, go back to the server. */
function abandon(error: unknown, also: number[]): void {
  clearTimeout(commitTimer);
  commitTimer = undefined;
  try {
    store.rollback();
  } catch {
    // SQLite rolls some failures back itself
  }
  const ids = [...uncommitted, ...also];
  uncommitted = [];
  uncommittedLines = [];
  send({ type: 'failed', ids, error: asError(error).message });
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'write':
      write(message.id, readBatch(message.batch));
      break;
    case 'sync':
      commit();
      send({ type: 'written', ids: [message.id] });
      break;
    case 'expire':
      commit();
      // Chunks are interleaved with incoming batches so that a large backlog never holds writes back.
      expireChunks(store, message.time, (run) => setImmediate(() => {
        commit();
        run();
      }), logger);
      send({ type: 'written', ids: [message.id] });
      break;
    case 'close':
      commit();
      store.close();
      file?.close();
      Atomics.store(closed, 0, 1);
      Atomics.notify(closed, 0);
      port.close();
      break;
  }
});
