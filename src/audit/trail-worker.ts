/**
 * The trail's writer thread (started by WorkerTrailWriter): stores each batch it is handed in one
 * transaction on its own connection to the trail's database, copies it to the JSON-lines file,
 * deletes expired events a chunk at a time between batches, and at shutdown closes the database
 * and raises the shared flag the server thread is waiting on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '../server/logger.js';
import { openTrailDatabase, SqliteTrailStore } from './sqlite-trail-store.js';
import { expireChunks, JsonLinesFile, storeBatch, type FromWorker, type ToWorker, type WorkerSettings } from './trail-writer.js';

const settings = workerData as WorkerSettings;
const port = parentPort!;
const send = (message: FromWorker): void => port.postMessage(message);
const logger: Logger = { log: (level, message, fields = {}) => send({ type: 'log', level: level === 'error' ? 'error' : 'warn', message, fields: fields as Record<string, string | number | undefined> }) };

const store = new SqliteTrailStore(openTrailDatabase(settings.databaseFile));
const file = settings.logFile === undefined ? undefined : new JsonLinesFile(settings.logFile);
const closed = new Int32Array(settings.closed);

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'write': {
      const error = storeBatch(store, file, message.events, logger);
      send(error ? { type: 'failed', id: message.id, error: error.message } : { type: 'written', id: message.id });
      break;
    }
    case 'expire':
      // Chunks are interleaved with incoming batches so that a large backlog never holds writes back.
      expireChunks(store, message.time, (run) => setImmediate(run), logger);
      send({ type: 'written', id: message.id });
      break;
    case 'close':
      store.close();
      file?.close();
      Atomics.store(closed, 0, 1);
      Atomics.notify(closed, 0);
      port.close();
      break;
  }
});
