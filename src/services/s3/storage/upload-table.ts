/**
 * The `uploads` and `parts` tables: multipart uploads in progress and the parts received so far,
 * each part naming the blob file that holds its bytes. Removing an upload returns its parts' blob
 * ids, for the caller to delete once the transaction has committed.
 */
import type Database from 'better-sqlite3';
import type { ChecksumSet, PartRecord, UploadRecord } from './types.js';

interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: string;
  details: string;
}

type UploadDetails = Pick<UploadRecord, 'metadata' | 'checksumAlgorithm' | 'checksumType' | 'initiator'>;

interface PartRow {
  upload_id: string;
  part_number: number;
  blob_id: string;
  size: number;
  etag: string;
  checksums: string;
  last_modified: string;
}

export interface StoredPart {
  record: PartRecord;
  blobId: string;
}

export class UploadTable {
  private readonly insertUpload: Database.Statement<[UploadRow]>;
  private readonly selectUpload: Database.Statement<[string], UploadRow>;
  private readonly selectBucketUploads: Database.Statement<[string], UploadRow>;
  private readonly deleteUpload: Database.Statement<[string]>;
  private readonly selectPart: Database.Statement<[string, number], PartRow>;
  private readonly selectParts: Database.Statement<[string], PartRow>;
  private readonly upsertPart: Database.Statement<[PartRow]>;
  private readonly deleteParts: Database.Statement<[string]>;
  private readonly selectBlobUse: Database.Statement<[string], { found: number }>;
  private readonly putPartReturningOld: (row: PartRow) => string | undefined;
  private readonly removeReturningBlobs: (uploadId: string) => string[] | undefined;
  private readonly removeBucketReturningBlobs: (bucket: string) => string[];

  constructor(db: Database.Database) {
    this.insertUpload = db.prepare('INSERT INTO uploads (upload_id, bucket, key, initiated, details) VALUES (@upload_id, @bucket, @key, @initiated, @details)');
    this.selectUpload = db.prepare('SELECT * FROM uploads WHERE upload_id = ?');
    this.selectBucketUploads = db.prepare('SELECT * FROM uploads WHERE bucket = ? ORDER BY key, initiated, upload_id');
    this.deleteUpload = db.prepare('DELETE FROM uploads WHERE upload_id = ?');
    this.selectPart = db.prepare('SELECT * FROM parts WHERE upload_id = ? AND part_number = ?');
    this.selectParts = db.prepare('SELECT * FROM parts WHERE upload_id = ? ORDER BY part_number');
    this.upsertPart = db.prepare(
      `INSERT INTO parts (upload_id, part_number, blob_id, size, etag, checksums, last_modified)
       VALUES (@upload_id, @part_number, @blob_id, @size, @etag, @checksums, @last_modified)
       ON CONFLICT (upload_id, part_number) DO UPDATE SET blob_id = excluded.blob_id, size = excluded.size,
         etag = excluded.etag, checksums = excluded.checksums, last_modified = excluded.last_modified`,
    );
    this.deleteParts = db.prepare('DELETE FROM parts WHERE upload_id = ?');
    this.selectBlobUse = db.prepare('SELECT 1 AS found FROM parts WHERE blob_id = ?');

    this.putPartReturningOld = db.transaction((row: PartRow) => {
      if (!this.selectUpload.get(row.upload_id)) throw new Error(`no multipart upload ${row.upload_id}`);
      const replaced = this.selectPart.get(row.upload_id, row.part_number)?.blob_id;
      this.upsertPart.run(row);
      return replaced;
    });
    this.removeReturningBlobs = db.transaction((uploadId: string) => {
      if (!this.selectUpload.get(uploadId)) return undefined;
      const blobIds = this.selectParts.all(uploadId).map((part) => part.blob_id);
      this.deleteParts.run(uploadId);
      this.deleteUpload.run(uploadId);
      return blobIds;
    });
    this.removeBucketReturningBlobs = db.transaction((bucket: string) => {
      const blobIds: string[] = [];
      for (const upload of this.selectBucketUploads.all(bucket)) blobIds.push(...(this.removeReturningBlobs(upload.upload_id) ?? []));
      return blobIds;
    });
  }

  /** throws if the bucket does not exist or the upload id is taken */
  insert(upload: UploadRecord): void {
    const details: UploadDetails = { metadata: upload.metadata, initiator: upload.initiator };
    if (upload.checksumAlgorithm !== undefined) details.checksumAlgorithm = upload.checksumAlgorithm;
    if (upload.checksumType !== undefined) details.checksumType = upload.checksumType;
    this.insertUpload.run({
      upload_id: upload.uploadId,
      bucket: upload.bucket,
      key: upload.key,
      initiated: upload.initiated,
      details: JSON.stringify(details),
    });
  }

  get(uploadId: string): UploadRecord | undefined {
    const row = this.selectUpload.get(uploadId);
    return row && toUploadRecord(row);
  }

  listForBucket(bucket: string): UploadRecord[] {
    return this.selectBucketUploads.all(bucket).map(toUploadRecord);
  }

  /** stores or replaces a part; returns the replaced part's blob id; throws if there is no such upload */
  putPart(uploadId: string, part: PartRecord, blobId: string): string | undefined {
    return this.putPartReturningOld({
      upload_id: uploadId,
      part_number: part.partNumber,
      blob_id: blobId,
      size: part.size,
      etag: part.etag,
      checksums: JSON.stringify(part.checksums),
      last_modified: part.lastModified,
    });
  }

  getPart(uploadId: string, partNumber: number): StoredPart | undefined {
    const row = this.selectPart.get(uploadId, partNumber);
    return row && { record: toPartRecord(row), blobId: row.blob_id };
  }

  listParts(uploadId: string): PartRecord[] {
    return this.selectParts.all(uploadId).map(toPartRecord);
  }

  referencesBlob(blobId: string): boolean {
    return this.selectBlobUse.get(blobId) !== undefined;
  }

  /** deletes the upload and its parts; their blob ids, or undefined when there was no such upload */
  remove(uploadId: string): string[] | undefined {
    return this.removeReturningBlobs(uploadId);
  }

  /** deletes every upload in the bucket; the blob ids of their parts */
  removeAllInBucket(bucket: string): string[] {
    return this.removeBucketReturningBlobs(bucket);
  }
}

function toUploadRecord(row: UploadRow): UploadRecord {
  const details = JSON.parse(row.details) as UploadDetails;
  return { uploadId: row.upload_id, bucket: row.bucket, key: row.key, initiated: row.initiated, ...details };
}

function toPartRecord(row: PartRow): PartRecord {
  return {
    partNumber: row.part_number,
    size: row.size,
    etag: row.etag,
    checksums: JSON.parse(row.checksums) as ChecksumSet,
    lastModified: row.last_modified,
  };
}
