/**
 * S3's object storage, behind one interface: buckets and object metadata in SQLite, bodies as files
 * in the data directory. Bodies are streamed in and out, never held whole in memory. A body is first
 * staged in a temporary file; the object (or part) becomes visible only when it is committed, in one
 * SQLite transaction after an atomic rename, so an interrupted upload leaves nothing behind but a
 * temporary file that `open` sweeps away.
 *
 * The store knows nothing of HTTP, SigV4 or policies; ETags and checksums are computed by the S3
 * operations while the body streams (src/services/s3/payload) and handed in with the record.
 */
import type { Readable } from 'node:stream';

export interface S3Tag {
  Key: string;
  Value: string;
}

/** Base64 checksum values, keyed by S3's algorithm names. */
export interface ChecksumSet {
  CRC32?: string;
  CRC32C?: string;
  CRC64NVME?: string;
  SHA1?: string;
  SHA256?: string;
}
export type ChecksumAlgorithm = keyof ChecksumSet;
/** Bodies up to this size are answered from one read (readBody) rather than streamed. */
export const SMALL_BODY_BYTES = 64 * 1024;

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

export interface BucketRecord {
  name: string;
  /** LocationConstraint; us-east-1 when none was given */
  region: string;
  /** ISO 8601 with milliseconds */
  createdAt: string;
  /** the bucket policy document as the user sent it */
  policy?: string;
  tags?: S3Tag[];
}

/** What describes an object, besides its body. */
export interface ObjectMetadata {
  /** MD5 hex, or `md5-of-part-md5s-N` for a multipart object; without quotes */
  etag: string;
  contentType: string;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires: lower-case names, values as sent */
  headers: Record<string, string>;
  /** user metadata (x-amz-meta-*), lower-case names without the prefix */
  metadata: Record<string, string>;
  checksums: ChecksumSet;
  checksumType?: ChecksumType;
  tags: S3Tag[];
  storageClass: string;
  /** the number of parts of a multipart object */
  partsCount?: number;
}

export interface ObjectRecord extends ObjectMetadata {
  bucket: string;
  key: string;
  size: number;
  /** ISO 8601 with milliseconds */
  lastModified: string;
}

/** A body written to a temporary file, not yet part of any object. */
export interface StagedBlob {
  readonly size: number;
  /** removes the temporary file; a no-op once committed */
  discard(): void;
}

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  /** ISO 8601 */
  initiated: string;
  /** what the object will carry once completed (etag is filled in then) */
  metadata: Omit<ObjectMetadata, 'etag' | 'partsCount'>;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
  /** the initiator's ARN and principal id, for ListMultipartUploads/ListParts */
  initiator: { arn: string; id: string };
}

export interface PartRecord {
  partNumber: number;
  size: number;
  /** MD5 hex, without quotes */
  etag: string;
  checksums: ChecksumSet;
  /** ISO 8601 */
  lastModified: string;
}

export interface ListOptions {
  prefix?: string;
  /** keys strictly after this one (UTF-8 binary order, as S3 sorts) */
  after?: string;
  limit: number;
}

export interface ObjectStorage {
  createBucket(bucket: BucketRecord): void;
  getBucket(name: string): BucketRecord | undefined;
  /** sorted by name */
  listBuckets(): BucketRecord[];
  updateBucket(name: string, change: { policy?: string | null; tags?: S3Tag[] | null }): void;
  /** whether the bucket holds any object */
  hasObjects(bucket: string): boolean;
  /** deletes the bucket and its (aborted) multipart uploads; the caller checked it is empty (if not, this throws and changes nothing) */
  deleteBucket(name: string): void;

  getObject(bucket: string, key: string): ObjectRecord | undefined;
  /** objects in UTF-8 binary key order */
  listObjects(bucket: string, options: ListOptions): ObjectRecord[];
  /**
   * the body, or the bytes start..end inclusive of it. The file is open when this returns, so the
   * stream delivers that body whole even if the object is replaced or deleted meanwhile. Throws
   * ObjectChangedError (storage/index.ts) if the object no longer has the body `object` describes
   * (replaced or deleted since it was read); call it right after getObject.
   */
  openBody(object: ObjectRecord, range?: { start: number; end: number }): Readable;
  /**
   * A small body (or range), read whole at once: for answers of a few KiB a stream costs more than
   * the read. Throws ObjectChangedError as openBody does. The caller keeps it small (SMALL_BODY_BYTES).
   */
  readBody(object: ObjectRecord, range?: { start: number; end: number }): Buffer;
  /** streams `source` into a temporary file; rejects (and removes the file) if the source fails */
  stage(source: Readable): Promise<StagedBlob>;
  /**
   * makes the staged body the object's, replacing any object under that key, atomically. The blob
   * is used up: committed, or removed if this throws. Throws if the bucket does not exist or the
   * key is not well-formed Unicode (a lone surrogate has no UTF-8 form).
   */
  putObject(bucket: string, key: string, metadata: ObjectMetadata, blob: StagedBlob, lastModified: string): ObjectRecord;
  /** replaces an object's metadata and/or tags without touching its body (CopyObject onto itself, PutObjectTagging) */
  updateObject(bucket: string, key: string, change: Partial<ObjectMetadata>, lastModified?: string): ObjectRecord | undefined;
  /** true when an object was deleted */
  deleteObject(bucket: string, key: string): boolean;

  createUpload(upload: UploadRecord): void;
  getUpload(uploadId: string): UploadRecord | undefined;
  /** the bucket's uploads in progress, by key then initiation time */
  listUploads(bucket: string): UploadRecord[];
  /** stores (or replaces) one part from a staged body; the blob is used up as by putObject; throws if there is no such upload */
  putPart(uploadId: string, part: Omit<PartRecord, 'size'>, blob: StagedBlob): PartRecord;
  /** by part number */
  listParts(uploadId: string): PartRecord[];
  /**
   * Concatenates the listed parts (streamed, in the order given) into the object's body and commits
   * the object; removes the upload and its parts. The caller validated the part list. Rejects,
   * leaving the upload as it now is, if it was aborted or a listed part replaced meanwhile.
   */
  completeUpload(uploadId: string, partNumbers: readonly number[], metadata: ObjectMetadata, lastModified: string): Promise<ObjectRecord>;
  abortUpload(uploadId: string): void;

  close(): void;
}
