/**
 * Bodies on disk. A body is streamed into `tmp/<random>` and fsynced (`stage`); committing renames
 * it to `blobs/<2 hex>/<32 hex>`, a random name that says nothing of the bucket or key, and fsyncs
 * the directory, so the rename is on disk before any metadata row names the file. Files are 0600,
 * directories 0700.
 *
 * Whatever a crash leaves behind is garbage, never a half object: files in tmp/ (not yet
 * committed) and blobs no row names (renamed but the transaction did not commit, or replaced and
 * not yet unlinked). `clearTemporary` and `sweep` remove them when the store opens.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, createReadStream, fsyncSync, mkdirSync, openSync, readSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StagedBlob } from './types.js';

const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;
const BLOB_ID = /^[0-9a-f]{32}$/;

/** A body in tmp/, waiting to become an object or a part. */
export class StagedFile implements StagedBlob {
  private state: 'staged' | 'committed' | 'discarded' = 'staged';

  constructor(
    readonly path: string,
    readonly size: number,
    readonly owner: BlobFiles,
  ) {}

  get isStaged(): boolean {
    return this.state === 'staged';
  }

  discard(): void {
    if (this.state !== 'staged') return;
    this.state = 'discarded';
    rmSync(this.path, { force: true });
  }

  /** the file has been renamed into blobs/: nothing left to discard */
  markCommitted(): void {
    this.state = 'committed';
  }
}

export class BlobFiles {
  private readonly blobDirectory: string;
  private readonly temporaryDirectory: string;
  private readonly knownShards = new Set<string>();

  constructor(root: string) {
    this.blobDirectory = join(root, 'blobs');
    this.temporaryDirectory = join(root, 'tmp');
    for (const directory of [root, this.blobDirectory, this.temporaryDirectory]) {
      mkdirSync(directory, { recursive: true, mode: DIRECTORY_MODE });
      chmodSync(directory, DIRECTORY_MODE);
    }
  }

  /**
   * Streams `source` into a new temporary file with backpressure, so only a few chunks are in
   * memory at any time, then fsyncs it. If the source fails, the file is removed and the error
   * rethrown.
   */
  async stage(source: Readable): Promise<StagedFile> {
    const path = join(this.temporaryDirectory, randomBlobId());
    const handle = await open(path, 'wx', FILE_MODE);
    // autoClose off, to fsync before closing; destroying the stream releases its hold on the handle
    const sink = handle.createWriteStream({ autoClose: false });
    try {
      try {
        await pipeline(source, sink);
        await handle.sync();
        return new StagedFile(path, sink.bytesWritten, this);
      } finally {
        sink.destroy();
        // waits for any write still in flight after a failure
        await handle.close();
      }
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /** the blob as a StagedFile of this store, still staged; throws otherwise */
  claim(blob: StagedBlob): StagedFile {
    if (!(blob instanceof StagedFile) || blob.owner !== this) throw new Error('the body was not staged by this object storage');
    if (!blob.isStaged) throw new Error('the staged body was already committed or discarded');
    return blob;
  }

  /** moves a staged body into blobs/ under a new random id, durably; returns the id */
  commit(blob: StagedBlob): string {
    const staged = this.claim(blob);
    const blobId = randomBlobId();
    const shard = this.ensureShard(blobId);
    renameSync(staged.path, join(shard, blobId));
    staged.markCommitted();
    syncDirectory(shard);
    return blobId;
  }

  /**
   * Commits `blob`, then runs `record(blobId)`, the metadata transaction that makes it visible and
   * returns the blob ids it made garbage (a replaced object or part), then removes those. If
   * `record` throws, the new blob is removed and the error rethrown. In that order a crash at any
   * point leaves either the old state or the new one, plus perhaps an unreferenced file.
   */
  commitAndRecord(blob: StagedBlob, record: (blobId: string) => readonly string[]): void {
    const blobId = this.commit(blob);
    let garbage: readonly string[];
    try {
      garbage = record(blobId);
    } catch (error) {
      this.remove(blobId);
      throw error;
    }
    for (const unreferenced of garbage) this.remove(unreferenced);
  }

  /**
   * The blob's bytes (start..end inclusive when given). The file is opened before this returns, so
   * the stream reads this body to its end even if the object is replaced or deleted meanwhile: on
   * Linux, unlinking a file removes its name, and the data stays until the last descriptor closes.
   */
  read(blobId: string, range?: { start: number; end: number }): Readable {
    const path = this.pathOf(blobId);
    const fd = openSync(path, 'r');
    try {
      return createReadStream(path, { fd, start: range?.start, end: range?.end });
    } catch (error) {
      // an invalid range: the stream never took the descriptor
      closeSync(fd);
      throw error;
    }
  }

  /** The bytes start..end (inclusive) of the blob, read at once: for small bodies only. */
  readWhole(blobId: string, range: { start: number; end: number }): Buffer {
    const length = Math.max(0, range.end - range.start + 1);
    const bytes = Buffer.allocUnsafe(length);
    if (length === 0) return bytes;
    const fd = openSync(this.pathOf(blobId), 'r');
    try {
      let done = 0;
      while (done < length) {
        const read = readSync(fd, bytes, done, length - done, range.start + done);
        if (read === 0) throw new Error(`blob ${blobId} is shorter than its record`);
        done += read;
      }
      return bytes;
    } finally {
      closeSync(fd);
    }
  }

  /** opened handles on the blobs, pinning their bytes as `read` does; the caller closes them */
  async openAll(blobIds: readonly string[]): Promise<FileHandle[]> {
    const handles: FileHandle[] = [];
    try {
      for (const blobId of blobIds) handles.push(await open(this.pathOf(blobId), 'r'));
      return handles;
    } catch (error) {
      await Promise.all(handles.map((handle) => handle.close()));
      throw error;
    }
  }

  /** unlinks the blob; a missing file is not an error */
  remove(blobId: string): void {
    rmSync(this.pathOf(blobId), { force: true });
  }

  /** empties tmp/: at open, anything there is an upload that never committed */
  clearTemporary(): number {
    const names = readdirSync(this.temporaryDirectory);
    for (const name of names) rmSync(join(this.temporaryDirectory, name), { recursive: true, force: true });
    return names.length;
  }

  /** removes every file under blobs/ that no metadata row names; how many were removed */
  sweep(isReferenced: (blobId: string) => boolean): number {
    let removed = 0;
    for (const shard of readdirSync(this.blobDirectory, { withFileTypes: true })) {
      if (!shard.isDirectory()) continue;
      const shardPath = join(this.blobDirectory, shard.name);
      for (const name of readdirSync(shardPath)) {
        if (BLOB_ID.test(name) && isReferenced(name)) continue;
        rmSync(join(shardPath, name), { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }

  private pathOf(blobId: string): string {
    if (!BLOB_ID.test(blobId)) throw new Error(`not a blob id: ${blobId}`);
    return join(this.blobDirectory, blobId.slice(0, 2), blobId);
  }

  private ensureShard(blobId: string): string {
    const shard = join(this.blobDirectory, blobId.slice(0, 2));
    if (this.knownShards.has(shard)) return shard;
    if (mkdirSync(shard, { recursive: true, mode: DIRECTORY_MODE }) !== undefined) syncDirectory(this.blobDirectory);
    this.knownShards.add(shard);
    return shard;
  }
}

function randomBlobId(): string {
  return randomBytes(16).toString('hex');
}

/** makes a rename or a new entry in `directory` durable */
function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
