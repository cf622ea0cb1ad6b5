/** Helpers for the storage tests: scratch directories, bodies in and out, minimal records. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import type { TestContext } from 'node:test';
import type { BucketRecord, ObjectMetadata, ObjectStorage, StagedBlob } from './types.js';

/** a new empty directory, removed when the test ends */
export function scratchDirectory(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'iamd-s3-storage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** every file below `dir`, as paths relative to it, sorted */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `bytes` as a stream of chunks of at most `chunkSize` */
export function streamOf(bytes: Buffer, chunkSize = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += chunkSize) chunks.push(bytes.subarray(offset, offset + chunkSize));
  return Readable.from(chunks);
}

export function stageBytes(storage: ObjectStorage, bytes: Buffer | string): Promise<StagedBlob> {
  return storage.stage(streamOf(Buffer.from(bytes)));
}

/** distinct, position-dependent bytes, so a misplaced or missing chunk shows */
export function patternedBytes(size: number, seed = 0): Buffer {
  const bytes = Buffer.alloc(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 31 + seed * 7 + (index >> 8)) & 0xff;
  return bytes;
}

export function bucketNamed(name: string): BucketRecord {
  return { name, region: 'us-east-1', createdAt: '2025-01-02T03:04:05.678Z' };
}

export function metadataWithEtag(etag: string, extra: Partial<ObjectMetadata> = {}): ObjectMetadata {
  return {
    etag,
    contentType: 'application/octet-stream',
    headers: {},
    metadata: {},
    checksums: {},
    tags: [],
    storageClass: 'STANDARD',
    ...extra,
  };
}
