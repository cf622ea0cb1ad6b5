/**
 * The embedded store: one SQLite file in the data directory, WAL journal, synchronous=FULL so a
 * write is on disk before the API call that made it returns. Schema changes are numbered
 * migrations recorded in `schema_migrations`.
 */
import Database from 'better-sqlite3';
import type { RecordChange, Store, StoredRecord } from './store.js';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE records (
     kind TEXT NOT NULL,
     key TEXT NOT NULL,
     body TEXT NOT NULL,
     updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     PRIMARY KEY (kind, key)
   ) WITHOUT ROWID`,
];

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly selectKind: Database.Statement<[string], { key: string; body: string }>;
  private readonly upsert: Database.Statement<[string, string, string]>;
  private readonly remove: Database.Statement<[string, string]>;
  private readonly writeAll: (changes: readonly RecordChange[]) => void;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.migrate();
    this.selectKind = this.db.prepare('SELECT key, body FROM records WHERE kind = ? ORDER BY key');
    this.upsert = this.db.prepare(
      `INSERT INTO records (kind, key, body) VALUES (?, ?, ?)
       ON CONFLICT (kind, key) DO UPDATE SET body = excluded.body, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    );
    this.remove = this.db.prepare('DELETE FROM records WHERE kind = ? AND key = ?');
    this.writeAll = this.db.transaction((changes: readonly RecordChange[]) => {
      for (const change of changes) {
        if (change.body === null) this.remove.run(change.kind, change.key);
        else this.upsert.run(change.kind, change.key, JSON.stringify(change.body));
      }
    });
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const row = this.db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
    const applied = row.version ?? 0;
    for (let version = applied + 1; version <= MIGRATIONS.length; version++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[version - 1]!);
        this.db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
      })();
    }
  }

  loadAll(kind: string): StoredRecord[] {
    return this.selectKind.all(kind).map((row) => ({ kind, key: row.key, body: JSON.parse(row.body) as unknown }));
  }

  write(changes: readonly RecordChange[]): void {
    if (changes.length > 0) this.writeAll(changes);
  }

  onChange(): void {
    // A single embedded database has no other writers.
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
