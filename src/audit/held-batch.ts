/**
 * A batch of packed records as the bytes of one structured clone (v8.serialize): what the writer
 * posts to its worker thread (a copy of bytes, no second clone of every record) and keeps until
 * the worker has committed it, so that it can be handed back to the trail if the worker fails.
 *
 * Why bytes: the records are serialized once on the request thread instead of twice (a postMessage
 * of the records and a copy kept in a MessageChannel to give back: about 3.3 µs a record, against
 * 1.4 to 2.0 µs for one serialization and a post of its bytes, measured side by side on a busy
 * machine). A Buffer's bytes live outside the JavaScript heap, so a batch kept for the
 * worker's commit (up to half a second, several young-generation collections) is never copied or
 * promoted by the collector; only the small Buffer object is.
 *
 * A caller's userIdentity JSON (about 500 characters for a role session) is written once per
 * batch, its records naming it by index: a structured clone copies every occurrence of a string,
 * so that serializing a batch cost about 1.2-1.9 µs a record with it and 0.8-1.1 µs without (in
 * process, batches of 400 role-session records), and the worker had a copy of it to read, keep
 * and hash for every record.
 */
import { deserialize, serialize } from 'node:v8';
import type { PackedEvent } from './packed-event.js';

/** A record as serialized: its userIdentity JSON replaced by its index in the batch's identities. */
type IndexedRecord = [PackedEvent[0], number, ...unknown[]];
type SerializedBatch = [identities: string[], records: IndexedRecord[]];

function indexed(batch: readonly PackedEvent[]): SerializedBatch {
  const identities: string[] = [];
  const indexes = new Map<string, number>();
  const records = batch.map((record): IndexedRecord => {
    const json = record[1];
    let index = indexes.get(json);
    if (index === undefined) {
      index = identities.push(json) - 1;
      indexes.set(json, index);
    }
    const copy = record.slice() as unknown as IndexedRecord;
    copy[1] = index;
    return copy;
  });
  return [identities, records];
}

export class HeldBatch {
  private bytes: Uint8Array | undefined;

  constructor(batch: readonly PackedEvent[]) {
    this.bytes = serialize(indexed(batch));
  }

  /** The serialized batch (to post to the worker); undefined once released. */
  get serialized(): Uint8Array | undefined {
    return this.bytes;
  }

  /** Drops the batch (it is stored). */
  release(): void {
    this.bytes = undefined;
  }

  /** The batch's records, read back (it could not be stored); the batch is then released. */
  recover(): PackedEvent[] {
    const bytes = this.bytes;
    this.release();
    return bytes === undefined ? [] : readBatch(bytes);
  }
}

/** A batch from its serialized bytes (in the worker thread, or when a batch comes back). */
export function readBatch(bytes: Uint8Array): PackedEvent[] {
  const [identities, records] = deserialize(bytes) as SerializedBatch;
  for (const record of records) (record as unknown as PackedEvent)[1] = identities[record[1]]!;
  return records as unknown as PackedEvent[];
}
