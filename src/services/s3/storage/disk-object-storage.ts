/**
 * ObjectStorage over one directory: `objects.sqlite` for buckets, object metadata and uploads,
 * `blobs/` for bodies, `tmp/` for bodies being received. See blob-files.ts for the order of writes
 * that keeps a crash from exposing half an object, and multipart.ts for completion.
 *
 * Every metadata call is synchronous (better-sqlite3) and so atomic with respect to every other
 * call in the process; only `stage` and `completeUpload` wait on I/O, and they touch nothing
 * visible until their final synchronous commit.
 */
import type Database from 'better-sqlite3';
import type { Readable } from 'node:stream';
import type { BlobFiles } from './blob-files.js';
import { BucketTable } from './bucket-table.js';
import { isWellFormedKey } from './key-range.js';
import { MultipartUploads } from './multipart.js';
import { metadataOf, ObjectTable } from './object-table.js';
import { UploadTable } from './upload-table.js';
import type {
  BucketRecord,
  ListOptions,
  ObjectMetadata,
  ObjectRecord,
  ObjectStorage,
  PartRecord,
  S3Tag,
  StagedBlob,
  UploadRecord,
} from './types.js';

const UNSTORABLE_KEY = 'an object key must be well-formed Unicode (no lone surrogate)';

/** `openBody` was handed a record whose body is no longer the object's: read the object again. */
export class ObjectChangedError extends Error {
  constructor(bucket: string, key: string) {
    super(`object ${key} in bucket ${bucket} was replaced or deleted since it was read`);
    this.name = 'ObjectChangedError';
  }
}

export class DiskObjectStorage implements ObjectStorage {
  private readonly buckets: BucketTable;
  private readonly objects: ObjectTable;
  private readonly uploads: UploadTable;
  private readonly multipart: MultipartUploads;
  private readonly removeBucket: (name: string) => string[];
  /** buckets are read on every request and change rarely: kept in memory, dropped on every change */
  private readonly bucketCache = new Map<string, BucketRecord | null>();
  /** counts changes to objects; a record read since the last change still names its blob */
  private generation = 0;
  private readonly blobOfRecord = new WeakMap<ObjectRecord, { blobId: string; generation: number }>();

  constructor(
    private readonly db: Database.Database,
    private readonly blobs: BlobFiles,
  ) {
    this.buckets = new BucketTable(db);
    this.objects = new ObjectTable(db);
    this.uploads = new UploadTable(db);
    this.multipart = new MultipartUploads(db, this.uploads, this.objects, blobs);
    this.removeBucket = db.transaction((name: string) => {
      const partBlobs = this.uploads.removeAllInBucket(name);
      this.buckets.delete(name);
      return partBlobs;
    });
  }

  /** removes what an interrupted run left: every file in tmp/, every blob no row names */
  sweepOrphans(): { temporaryFiles: number; blobs: number } {
    const temporaryFiles = this.blobs.clearTemporary();
    const blobs = this.blobs.sweep((blobId) => this.objects.referencesBlob(blobId) || this.uploads.referencesBlob(blobId));
    return { temporaryFiles, blobs };
  }

  createBucket(bucket: BucketRecord): void {
    this.bucketCache.delete(bucket.name);
    this.buckets.insert(bucket);
  }

  getBucket(name: string): BucketRecord | undefined {
    let cached = this.bucketCache.get(name);
    if (cached === undefined) {
      const stored = this.buckets.get(name);
      // frozen: every caller shares the cached record
      cached = stored ? Object.freeze({ ...stored, ...(stored.tags ? { tags: Object.freeze(stored.tags.map((tag) => Object.freeze(tag))) as S3Tag[] } : {}) }) : null;
      if (this.bucketCache.size > 10_000) this.bucketCache.clear();
      this.bucketCache.set(name, cached);
    }
    return cached ?? undefined;
  }

  listBuckets(): BucketRecord[] {
    return this.buckets.list();
  }

  updateBucket(name: string, change: { policy?: string | null; tags?: S3Tag[] | null }): void {
    this.bucketCache.delete(name);
    this.buckets.update(name, change);
  }

  hasObjects(bucket: string): boolean {
    return this.objects.hasAny(bucket);
  }

  /** throws, changing nothing, if the bucket still holds objects */
  deleteBucket(name: string): void {
    this.bucketCache.delete(name);
    this.generation++;
    for (const blobId of this.removeBucket(name)) this.blobs.remove(blobId);
  }

  getObject(bucket: string, key: string): ObjectRecord | undefined {
    const stored = this.objects.get(bucket, key);
    if (!stored) return undefined;
    this.blobOfRecord.set(stored.record, { blobId: stored.blobId, generation: this.generation });
    return stored.record;
  }

  listObjects(bucket: string, options: ListOptions): ObjectRecord[] {
    return this.objects.list(bucket, options);
  }

  /** throws ObjectChangedError if the object now has another body than `object` describes */
  openBody(object: ObjectRecord, range?: { start: number; end: number }): Readable {
    return this.blobs.read(this.blobOf(object), range);
  }

  readBody(object: ObjectRecord, range?: { start: number; end: number }): Buffer {
    return this.blobs.readWhole(this.blobOf(object), range ?? { start: 0, end: object.size - 1 });
  }

  /** The blob of the object as it still is; ObjectChangedError if it was replaced or deleted since `object` was read. */
  private blobOf(object: ObjectRecord): string {
    const known = this.blobOfRecord.get(object);
    if (known !== undefined && known.generation === this.generation) return known.blobId;
    const stored = this.objects.get(object.bucket, object.key);
    if (!stored || stored.record.etag !== object.etag || stored.record.size !== object.size) {
      throw new ObjectChangedError(object.bucket, object.key);
    }
    return stored.blobId;
  }

  stage(source: Readable): Promise<StagedBlob> {
    return this.blobs.stage(source);
  }

  putObject(bucket: string, key: string, metadata: ObjectMetadata, blob: StagedBlob, lastModified: string): ObjectRecord {
    this.generation++;
    const staged = this.blobs.claim(blob);
    if (!isWellFormedKey(key)) {
      staged.discard();
      throw new Error(UNSTORABLE_KEY);
    }
    const object: ObjectRecord = { bucket, key, size: staged.size, lastModified, ...metadataOf(metadata) };
    this.blobs.commitAndRecord(staged, (blobId) => {
      const replaced = this.objects.put(object, blobId);
      return replaced === undefined ? [] : [replaced];
    });
    return object;
  }

  updateObject(bucket: string, key: string, change: Partial<ObjectMetadata>, lastModified?: string): ObjectRecord | undefined {
    this.generation++;
    const current = this.objects.get(bucket, key)?.record;
    if (!current) return undefined;
    const metadata = metadataOf({ ...current, ...definedFields(change) });
    const modified = lastModified ?? current.lastModified;
    this.objects.updateMetadata(bucket, key, metadata, modified);
    return { bucket, key, size: current.size, lastModified: modified, ...metadata };
  }

  deleteObject(bucket: string, key: string): boolean {
    this.generation++;
    const blobId = this.objects.delete(bucket, key);
    if (blobId === undefined) return false;
    this.blobs.remove(blobId);
    return true;
  }

  createUpload(upload: UploadRecord): void {
    if (!isWellFormedKey(upload.key)) throw new Error(UNSTORABLE_KEY);
    this.uploads.insert(upload);
  }

  getUpload(uploadId: string): UploadRecord | undefined {
    return this.uploads.get(uploadId);
  }

  listUploads(bucket: string): UploadRecord[] {
    return this.uploads.listForBucket(bucket);
  }

  putPart(uploadId: string, part: Omit<PartRecord, 'size'>, blob: StagedBlob): PartRecord {
    return this.multipart.putPart(uploadId, part, blob);
  }

  listParts(uploadId: string): PartRecord[] {
    return this.uploads.listParts(uploadId);
  }

  completeUpload(uploadId: string, partNumbers: readonly number[], metadata: ObjectMetadata, lastModified: string): Promise<ObjectRecord> {
    // the object changes when the upload commits, after the parts are copied: count it then
    return this.multipart.complete(uploadId, partNumbers, metadata, lastModified).finally(() => {
      this.generation++;
    });
  }

  abortUpload(uploadId: string): void {
    this.multipart.abort(uploadId);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}


/** the fields of `change` that are set: an absent or undefined field leaves the current value */
function definedFields<T extends object>(change: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as Partial<T>;
}
