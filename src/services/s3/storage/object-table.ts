/**
 * The `objects` table: one row per (bucket, key), naming the blob file that holds the body, with
 * everything else S3 keeps about the object (ETag, headers, user metadata, checksums, tags) as JSON.
 *
 * A listing is an index range scan of the primary key (see key-range.ts); `LIST_SQL` holds one
 * statement per shape of range, since SQLite uses a bound only when it is written as one.
 */
import type Database from 'better-sqlite3';
import { keyRange, type KeyRange } from './key-range.js';
import type { ListOptions, ObjectMetadata, ObjectRecord } from './types.js';

interface ObjectRow {
  bucket: string;
  key: string;
  blob_id: string;
  size: number;
  last_modified: string;
  metadata: string;
}

export interface StoredObject {
  record: ObjectRecord;
  /** the file under blobs/ that holds the body */
  blobId: string;
}

const COLUMNS = 'bucket, key, blob_id, size, last_modified, metadata';

export const LIST_SQL = {
  fromInclusive: `SELECT ${COLUMNS} FROM objects WHERE bucket = @bucket AND key >= @lower ORDER BY key LIMIT @limit`,
  fromExclusive: `SELECT ${COLUMNS} FROM objects WHERE bucket = @bucket AND key > @lower ORDER BY key LIMIT @limit`,
  betweenInclusive: `SELECT ${COLUMNS} FROM objects WHERE bucket = @bucket AND key >= @lower AND key < @upper ORDER BY key LIMIT @limit`,
  betweenExclusive: `SELECT ${COLUMNS} FROM objects WHERE bucket = @bucket AND key > @lower AND key < @upper ORDER BY key LIMIT @limit`,
} as const;

type ListParameters = { bucket: string; lower: string; upper?: string; limit: number };

export class ObjectTable {
  private readonly selectOne: Database.Statement<[string, string], ObjectRow>;
  private readonly selectAnyInBucket: Database.Statement<[string], { found: number }>;
  private readonly selectBlobUse: Database.Statement<[string], { found: number }>;
  private readonly listStatements: Record<keyof typeof LIST_SQL, Database.Statement<[ListParameters], ObjectRow>>;
  private readonly upsertRow: Database.Statement<[ObjectRow]>;
  private readonly updateRow: Database.Statement<[{ bucket: string; key: string; last_modified: string; metadata: string }]>;
  private readonly deleteRow: Database.Statement<[string, string]>;
  private readonly replaceReturningOld: (row: ObjectRow) => string | undefined;
  private readonly deleteReturningBlob: (bucket: string, key: string) => string | undefined;

  constructor(db: Database.Database) {
    this.selectOne = db.prepare(`SELECT ${COLUMNS} FROM objects WHERE bucket = ? AND key = ?`);
    this.selectAnyInBucket = db.prepare('SELECT 1 AS found FROM objects WHERE bucket = ? LIMIT 1');
    this.selectBlobUse = db.prepare('SELECT 1 AS found FROM objects WHERE blob_id = ?');
    this.listStatements = {
      fromInclusive: db.prepare(LIST_SQL.fromInclusive),
      fromExclusive: db.prepare(LIST_SQL.fromExclusive),
      betweenInclusive: db.prepare(LIST_SQL.betweenInclusive),
      betweenExclusive: db.prepare(LIST_SQL.betweenExclusive),
    };
    this.upsertRow = db.prepare(
      `INSERT INTO objects (${COLUMNS}) VALUES (@bucket, @key, @blob_id, @size, @last_modified, @metadata)
       ON CONFLICT (bucket, key) DO UPDATE SET blob_id = excluded.blob_id, size = excluded.size,
         last_modified = excluded.last_modified, metadata = excluded.metadata`,
    );
    this.updateRow = db.prepare('UPDATE objects SET last_modified = @last_modified, metadata = @metadata WHERE bucket = @bucket AND key = @key');
    this.deleteRow = db.prepare('DELETE FROM objects WHERE bucket = ? AND key = ?');
    this.replaceReturningOld = db.transaction((row: ObjectRow) => {
      const replaced = this.selectOne.get(row.bucket, row.key)?.blob_id;
      this.upsertRow.run(row);
      return replaced;
    });
    this.deleteReturningBlob = db.transaction((bucket: string, key: string) => {
      const existing = this.selectOne.get(bucket, key)?.blob_id;
      if (existing !== undefined) this.deleteRow.run(bucket, key);
      return existing;
    });
  }

  get(bucket: string, key: string): StoredObject | undefined {
    const row = this.selectOne.get(bucket, key);
    return row && { record: toObjectRecord(row), blobId: row.blob_id };
  }

  hasAny(bucket: string): boolean {
    return this.selectAnyInBucket.get(bucket) !== undefined;
  }

  referencesBlob(blobId: string): boolean {
    return this.selectBlobUse.get(blobId) !== undefined;
  }

  list(bucket: string, options: ListOptions): ObjectRecord[] {
    const limit = Math.max(0, Math.floor(options.limit));
    if (limit === 0) return [];
    const range = keyRange(options.prefix, options.after);
    const parameters: ListParameters = { bucket, lower: range.lower, limit };
    if (range.upper !== undefined) parameters.upper = range.upper;
    return this.listStatements[statementFor(range)].all(parameters).map(toObjectRecord);
  }

  /** inserts or replaces the object; returns the blob id of the object it replaced */
  put(record: ObjectRecord, blobId: string): string | undefined {
    return this.replaceReturningOld({
      bucket: record.bucket,
      key: record.key,
      blob_id: blobId,
      size: record.size,
      last_modified: record.lastModified,
      metadata: JSON.stringify(metadataOf(record)),
    });
  }

  /** new metadata for an existing object, same body; false when there is no such object */
  updateMetadata(bucket: string, key: string, metadata: ObjectMetadata, lastModified: string): boolean {
    const result = this.updateRow.run({ bucket, key, last_modified: lastModified, metadata: JSON.stringify(metadataOf(metadata)) });
    return result.changes > 0;
  }

  /** the deleted object's blob id, if there was one */
  delete(bucket: string, key: string): string | undefined {
    return this.deleteReturningBlob(bucket, key);
  }
}

function statementFor(range: KeyRange): keyof typeof LIST_SQL {
  if (range.upper === undefined) return range.lowerInclusive ? 'fromInclusive' : 'fromExclusive';
  return range.lowerInclusive ? 'betweenInclusive' : 'betweenExclusive';
}

/** Only the metadata fields, so a whole ObjectRecord handed in as metadata stores no more than that. */
export function metadataOf(source: ObjectMetadata): ObjectMetadata {
  const metadata: ObjectMetadata = {
    etag: source.etag,
    contentType: source.contentType,
    headers: source.headers,
    metadata: source.metadata,
    checksums: source.checksums,
    tags: source.tags,
    storageClass: source.storageClass,
  };
  if (source.checksumType !== undefined) metadata.checksumType = source.checksumType;
  if (source.partsCount !== undefined) metadata.partsCount = source.partsCount;
  return metadata;
}

function toObjectRecord(row: ObjectRow): ObjectRecord {
  const metadata = JSON.parse(row.metadata) as ObjectMetadata;
  return { bucket: row.bucket, key: row.key, size: row.size, lastModified: row.last_modified, ...metadata };
}
