/**
 * The object store's own SQLite file, `objects.sqlite`, beside its blobs: opened as the main store
 * is (WAL journal, synchronous=FULL so a commit is on disk before the call returns, numbered
 * migrations in `schema_migrations`), plus foreign keys, so an object or upload cannot outlive its
 * bucket and a part cannot outlive its upload.
 *
 * Tables are WITHOUT ROWID: `objects` is stored in (bucket, key) order, so a listing is a range scan
 * of the table itself. Keys use the BINARY collation, that is UTF-8 byte order, as S3 sorts. Every
 * body file is named by exactly one row (`blob_id` is unique in objects and in parts).
 */
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE buckets (
     name TEXT PRIMARY KEY,
     region TEXT NOT NULL,
     created_at TEXT NOT NULL,
     policy TEXT,
     tags TEXT
   ) WITHOUT ROWID;
   CREATE TABLE objects (
     bucket TEXT NOT NULL REFERENCES buckets (name),
     key TEXT NOT NULL,
     blob_id TEXT NOT NULL UNIQUE,
     size INTEGER NOT NULL,
     last_modified TEXT NOT NULL,
     metadata TEXT NOT NULL,
     PRIMARY KEY (bucket, key)
   ) WITHOUT ROWID;
   CREATE TABLE uploads (
     upload_id TEXT PRIMARY KEY,
     bucket TEXT NOT NULL REFERENCES buckets (name),
     key TEXT NOT NULL,
     initiated TEXT NOT NULL,
     details TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX uploads_by_key ON uploads (bucket, key, initiated);
   CREATE TABLE parts (
     upload_id TEXT NOT NULL REFERENCES uploads (upload_id),
     part_number INTEGER NOT NULL,
     blob_id TEXT NOT NULL UNIQUE,
     size INTEGER NOT NULL,
     etag TEXT NOT NULL,
     checksums TEXT NOT NULL,
     last_modified TEXT NOT NULL,
     PRIMARY KEY (upload_id, part_number)
   ) WITHOUT ROWID;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openMetadataDatabase(file: string): Database.Database {
  // Create the file owner-only; SQLite gives its -wal and -shm files the same mode.
  closeSync(openSync(file, 'a', 0o600));
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  const applied = row.version ?? 0;
  if (applied > MIGRATIONS.length) {
    throw new Error(`objects.sqlite has schema version ${applied}; this iamd knows up to ${MIGRATIONS.length}`);
  }
  for (let version = applied + 1; version <= MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
    })();
  }
}
