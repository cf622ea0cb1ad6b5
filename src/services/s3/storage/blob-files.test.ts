import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { BlobFiles } from './blob-files.js';
import { filesUnder, readAll, scratchDirectory, streamOf } from './testing.js';

const CHUNK = 64 * 1024;

describe('blob files', () => {
  it('streams a 20 MiB body to disk without ever holding more than a few chunks', async (t) => {
    const dir = scratchDirectory(t);
    const blobs = new BlobFiles(dir);
    const temporary = join(dir, 'tmp');
    const chunkCount = (20 * 1024 * 1024) / CHUNK;
    const produced = createHash('sha256');
    let producedBytes = 0;
    let largestLead = 0;

    // Pulled one chunk at a time: each pull measures how far production is ahead of the file.
    async function* source(): AsyncGenerator<Buffer> {
      for (let index = 0; index < chunkCount; index++) {
        const names = readdirSync(temporary);
        const onDisk = names.length === 1 ? statSync(join(temporary, names[0]!)).size : 0;
        largestLead = Math.max(largestLead, producedBytes - onDisk);
        const chunk = Buffer.alloc(CHUNK, index & 0xff);
        chunk.writeUInt32BE(index, 0);
        produced.update(chunk);
        producedBytes += chunk.length;
        yield chunk;
      }
    }

    const staged = await blobs.stage(Readable.from(source()));
    assert.equal(staged.size, 20 * 1024 * 1024);
    // in practice one chunk (the one being written); the body is 320
    assert.ok(largestLead <= 4 * CHUNK, `production ran ${largestLead} bytes ahead of the disk`);

    const blobId = blobs.commit(staged);
    const stored = createHash('sha256');
    for await (const chunk of blobs.read(blobId)) stored.update(chunk as Buffer);
    assert.equal(stored.digest('hex'), produced.digest('hex'));
    assert.deepEqual(readdirSync(temporary), []);
  });

  it('removes the temporary file and rejects when the source fails mid-stream', async (t) => {
    const dir = scratchDirectory(t);
    const blobs = new BlobFiles(dir);
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(CHUNK, 1);
      yield Buffer.alloc(CHUNK, 2);
      throw new Error('connection reset');
    }
    await assert.rejects(blobs.stage(Readable.from(failing())), /connection reset/);
    assert.deepEqual(filesUnder(dir), []);
  });

  it('removes the temporary file when the source is destroyed (a client that went away)', async (t) => {
    const dir = scratchDirectory(t);
    const blobs = new BlobFiles(dir);
    const source = new Readable({ read() {} });
    source.push(Buffer.alloc(1000));
    const staging = blobs.stage(source);
    setImmediate(() => source.destroy());
    await assert.rejects(staging);
    assert.deepEqual(filesUnder(dir), []);
  });

  it('writes owner-only files in owner-only directories, under random names', async (t) => {
    const dir = scratchDirectory(t);
    const blobs = new BlobFiles(dir);
    const blobId = blobs.commit(await blobs.stage(streamOf(Buffer.from('secret'))));
    const [file] = filesUnder(dir);
    assert.equal(file, join('blobs', blobId.slice(0, 2), blobId));
    assert.match(blobId, /^[0-9a-f]{32}$/);
    assert.equal(statSync(join(dir, file!)).mode & 0o777, 0o600);
    for (const directory of ['.', 'blobs', 'tmp', join('blobs', blobId.slice(0, 2))]) {
      assert.equal(statSync(join(dir, directory)).mode & 0o777, 0o700, directory);
    }
  });

  it('discards a staged body, and commits a staged body only once', async (t) => {
    const dir = scratchDirectory(t);
    const blobs = new BlobFiles(dir);
    const discarded = await blobs.stage(streamOf(Buffer.from('draft')));
    discarded.discard();
    discarded.discard();
    assert.deepEqual(filesUnder(dir), []);
    assert.throws(() => blobs.commit(discarded), /already committed or discarded/);

    const committed = await blobs.stage(streamOf(Buffer.from('final')));
    const blobId = blobs.commit(committed);
    committed.discard(); // a no-op once committed
    assert.equal((await readAll(blobs.read(blobId))).toString(), 'final');
    assert.throws(() => blobs.commit(committed), /already committed or discarded/);
  });

  it('refuses a staged body from another store', async (t) => {
    const mine = new BlobFiles(scratchDirectory(t));
    const theirs = new BlobFiles(scratchDirectory(t));
    const staged = await theirs.stage(streamOf(Buffer.from('x')));
    assert.throws(() => mine.commit(staged), /not staged by this object storage/);
    assert.throws(() => mine.commit({ size: 1, discard() {} }), /not staged by this object storage/);
  });

  it('stages an empty body as an empty file', async (t) => {
    const blobs = new BlobFiles(scratchDirectory(t));
    const staged = await blobs.stage(Readable.from([]));
    assert.equal(staged.size, 0);
    assert.equal((await readAll(blobs.read(blobs.commit(staged)))).length, 0);
  });

  it('sweeps tmp/ and the blobs no one references', async (t) => {
    const dir = scratchDirectory(t);
    const blobs = new BlobFiles(dir);
    const kept = blobs.commit(await blobs.stage(streamOf(Buffer.from('kept'))));
    const orphan = blobs.commit(await blobs.stage(streamOf(Buffer.from('orphan'))));
    await blobs.stage(streamOf(Buffer.from('never committed')));
    assert.equal(blobs.clearTemporary(), 1);
    assert.equal(blobs.sweep((blobId) => blobId === kept), 1);
    assert.deepEqual(filesUnder(dir), [join('blobs', kept.slice(0, 2), kept)]);
    assert.notEqual(orphan, kept);
  });
});
