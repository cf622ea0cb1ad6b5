/** The `buckets` table: one row per bucket, its policy as sent and its tags as JSON. */
import type Database from 'better-sqlite3';
import type { BucketRecord, S3Tag } from './types.js';

interface BucketRow {
  name: string;
  region: string;
  created_at: string;
  policy: string | null;
  tags: string | null;
}

export class BucketTable {
  private readonly insertRow: Database.Statement<[BucketRow]>;
  private readonly selectOne: Database.Statement<[string], BucketRow>;
  private readonly selectAll: Database.Statement<[], BucketRow>;
  private readonly updatePolicyAndTags: Database.Statement<[{ name: string; policy: string | null; tags: string | null }]>;
  private readonly deleteRow: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare('INSERT INTO buckets (name, region, created_at, policy, tags) VALUES (@name, @region, @created_at, @policy, @tags)');
    this.selectOne = db.prepare('SELECT * FROM buckets WHERE name = ?');
    this.selectAll = db.prepare('SELECT * FROM buckets ORDER BY name');
    this.updatePolicyAndTags = db.prepare('UPDATE buckets SET policy = @policy, tags = @tags WHERE name = @name');
    this.deleteRow = db.prepare('DELETE FROM buckets WHERE name = ?');
  }

  /** throws if the bucket exists */
  insert(bucket: BucketRecord): void {
    this.insertRow.run({
      name: bucket.name,
      region: bucket.region,
      created_at: bucket.createdAt,
      policy: bucket.policy ?? null,
      tags: bucket.tags ? JSON.stringify(bucket.tags) : null,
    });
  }

  get(name: string): BucketRecord | undefined {
    const row = this.selectOne.get(name);
    return row && toBucketRecord(row);
  }

  list(): BucketRecord[] {
    return this.selectAll.all().map(toBucketRecord);
  }

  /** `undefined` leaves a field as it is, `null` removes it */
  update(name: string, change: { policy?: string | null; tags?: S3Tag[] | null }): void {
    const current = this.selectOne.get(name);
    if (!current) return;
    const policy = change.policy === undefined ? current.policy : change.policy;
    const tags = change.tags === undefined ? current.tags : change.tags && JSON.stringify(change.tags);
    this.updatePolicyAndTags.run({ name, policy, tags });
  }

  /** throws (foreign key) if objects or uploads still refer to the bucket */
  delete(name: string): void {
    this.deleteRow.run(name);
  }
}

function toBucketRecord(row: BucketRow): BucketRecord {
  const record: BucketRecord = { name: row.name, region: row.region, createdAt: row.created_at };
  if (row.policy !== null) record.policy = row.policy;
  if (row.tags !== null) record.tags = JSON.parse(row.tags) as S3Tag[];
  return record;
}
