import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeldBatch } from './held-batch.js';
import type { PackedEvent } from './packed-event.js';

const record: PackedEvent = [
  '1.08', '{"type":"Root"}', 'AKIAEXAMPLE', 'root', '2026-11-28T10:00:00Z', 'sts.amazonaws.com', 'GetCallerIdentity', 'us-east-1', '127.0.0.1',
  'test', undefined, undefined, null, { credentials: { accessKeyId: 'ASIANEW' } }, 'request-1', 'event-1', true, 'AwsApiCall', true,
  '000000000000', 'Management', undefined,
];

describe('a held batch', () => {
  it('gives its records back unchanged, undefined members included', () => {
    const held = new HeldBatch([record, record]);
    assert.deepEqual(held.recover(), [record, record]);
  });

  it('writes each identity once, and gives every record its own back', () => {
    const other: PackedEvent = [...record];
    other[1] = `{"type":"AssumedRole","arn":"arn:aws:sts::000000000000:assumed-role/web/${'x'.repeat(2000)}"}`;
    other[14] = 'request-2';
    // distinct arrays: a structured clone writes an array it has already written as a reference
    const batch: PackedEvent[] = [record, other, record, other, other].map((item) => [...item]);
    const held = new HeldBatch(batch);
    const single = new HeldBatch([other]);
    // four more records than `single`, under 1,000 bytes each: the 2,000-character identity is not written again
    assert.ok(held.serialized!.length < single.serialized!.length + 4 * 1000, 'the identities are not written once per record');
    assert.deepEqual(held.recover(), batch);
    assert.deepEqual(batch[1]![1], other[1], 'the batch handed over is left as it was');
  });

  it('gives them back once', () => {
    const held = new HeldBatch([record]);
    assert.equal(held.recover().length, 1);
    assert.deepEqual(held.recover(), []);
  });
});

describe('a held batch, as the worker reads it', () => {
  it('reads the same records from the posted bytes, after a structured clone of them', async () => {
    const { MessageChannel, receiveMessageOnPort } = await import('node:worker_threads');
    const { readBatch } = await import('./held-batch.js');
    const held = new HeldBatch([record]);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(held.serialized);
    const posted = receiveMessageOnPort(port2)!.message as Uint8Array;
    port1.close();
    assert.deepEqual(readBatch(posted), [record]);
    held.release();
    assert.equal(held.serialized, undefined);
    assert.deepEqual(held.recover(), []);
  });
});
