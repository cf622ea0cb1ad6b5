/**
 * A batch the trail's writer keeps until the worker thread has committed it, so that it can be
 * handed back to the trail if the worker fails: kept off the request thread's heap, in the queue of
 * a MessageChannel of its own (structured-clone bytes, outside the heap), dropped unread when the
 * channel is closed, read back only after a failure.
 *
 * Why not keep the records themselves: a batch waits for the worker's commit for up to half a
 * second, outliving several young-generation collections, so each record kept (~500 bytes a
 * request) was copied and then promoted to the old generation, whose collections run on the other
 * threads that the server shares its two cores with. (v8.serialize() would do as well but for its
 * serializer, which holds every object it wrote until the garbage collector finds the serializer
 * unreachable: the records are promoted all the same.)
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { PackedEvent } from './packed-event.js';

export class HeldBatch {
  private readonly keeper: MessagePort;
  private readonly reader: MessagePort;

  constructor(batch: readonly PackedEvent[]) {
    const { port1, port2 } = new MessageChannel();
    this.keeper = port1;
    this.reader = port2;
    this.keeper.unref();
    this.reader.unref();
    this.keeper.postMessage(batch);
  }

  /** Drops the batch (it is stored): its bytes are freed once the channel has closed. */
  release(): void {
    this.keeper.close();
    this.reader.close();
  }

  /** The batch's records, read back (it could not be stored); the batch is then released. */
  recover(): PackedEvent[] {
    const received = receiveMessageOnPort(this.reader);
    this.release();
    return received === undefined ? [] : (received.message as PackedEvent[]);
  }
}
