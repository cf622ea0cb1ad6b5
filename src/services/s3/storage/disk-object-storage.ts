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
import { SmallBodyCache } from './small-body-cache.js';
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

const OBJECT_CACHE_ENTRIES = 10_000;
const BODY_CACHE_BYTES = 16 * 1024 * 1024;

/** Bucket names hold no NUL: bucket and key joined by one make a unique cache key. */
function objectCacheKey(bucket: string, key: string): string {
  return `${bucket}\u0000${key}`;
}

function frozenRecord(record: ObjectRecord): ObjectRecord {
  return Object.freeze({
    ...record,
    headers: Object.freeze({ ...record.headers }),
    metadata: Object.freeze({ ...record.metadata }),
    checksums: Object.freeze({ ...record.checksums }),
    tags: Object.freeze(record.tags.map((tag) => Object.freeze({ ...tag }))) as S3Tag[],
  });
}

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
  /**
   * Objects read recently, by bucket and key (and keys found missing, as null): every GetObject
   * reads its object twice (authorization, then the answer). An entry is dropped by every change
   * to its key; records are frozen, being shared.
   */
  private readonly objectCache = new Map<string, { record: ObjectRecord; blobId: string } | null>();
  /** small bodies recently read, by blob id (a blob never changes: no invalidation, only a size budget) */
  private readonly bodyCache = new SmallBodyCache(BODY_CACHE_BYTES);

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
    this.objectCache.clear();
    for (const blobId of this.removeBucket(name)) this.blobs.remove(blobId);
  }

  getObject(bucket: string, key: string): ObjectRecord | undefined {
    return this.cachedObject(bucket, key)?.record;
  }

  private cachedObject(bucket: string, key: string): { record: ObjectRecord; blobId: string } | undefined {
    const cacheKey = objectCacheKey(bucket, key);
    let entry = this.objectCache.get(cacheKey);
    if (entry === undefined) {
      const stored = this.objects.get(bucket, key);
      entry = stored ? { record: frozenRecord(stored.record), blobId: stored.blobId } : null;
      if (this.objectCache.size >= OBJECT_CACHE_ENTRIES) this.objectCache.clear();
      this.objectCache.set(cacheKey, entry);
    }
    return entry ?? undefined;
  }

  private forget(bucket: string, key: string): void {
    this.objectCache.delete(objectCacheKey(bucket, key));
  }

  listObjects(bucket: string, options: ListOptions): ObjectRecord[] {
    return this.objects.list(bucket, options);
  }

  /** throws ObjectChangedError if the object now has another body than `object` describes */
  openBody(object: ObjectRecord, range?: { start: number; end: number }): Readable {
    return this.blobs.read(this.blobOf(object), range);
  }

  readBody(object: ObjectRecord, range?: { start: number; end: number }): Buffer {
    const blobId = this.blobOf(object);
    const whole = { start: 0, end: object.size - 1 };
    let body = this.bodyCache.get(blobId);
    if (body === undefined) {
      if (range !== undefined) return this.blobs.readWhole(blobId, range);
      body = this.blobs.readWhole(blobId, whole);
      this.bodyCache.put(blobId, body);
    }
    return range === undefined ? body : body.subarray(range.start, range.end + 1);
  }

  /** The blob of the object as it still is; ObjectChangedError if it was replaced or deleted since `object` was read. */
  private blobOf(object: ObjectRecord): string {
    const cached = this.objectCache.get(objectCacheKey(object.bucket, object.key));
    if (cached && cached.record === object) return cached.blobId;
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
    this.forget(bucket, key);
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
    this.forget(bucket, key);
    const current = this.objects.get(bucket, key)?.record;
    if (!current) return undefined;
    const metadata = metadataOf({ ...current, ...definedFields(change) });
    const modified = lastModified ?? current.lastModified;
    this.objects.updateMetadata(bucket, key, metadata, modified);
    return { bucket, key, size: current.size, lastModified: modified, ...metadata };
  }

  deleteObject(bucket: string, key: string): boolean {
    this.forget(bucket, key);
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
    const upload = this.uploads.get(uploadId);
    // the object changes when the upload commits, after the parts are copied
    return this.multipart.complete(uploadId, partNumbers, metadata, lastModified, () => {
      if (upload) this.forget(upload.bucket, upload.key);
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
