/**
 * Storage behind one narrow interface. The directory keeps every record in memory (the hot path
 * never reads the database) and writes through here; a write is durable when `write` returns.
 * SQLite is the embedded default; a PostgreSQL implementation for several nodes adds a change feed
 * (`onChange`) so that other nodes' caches converge.
 *
 * Records are JSON documents keyed by (kind, key). Values that are secrets (access key secrets)
 * are sealed by the caller before they reach the store (see secret-box.ts).
 */
export interface StoredRecord {
  kind: string;
  key: string;
  body: unknown;
}

export interface RecordChange {
  kind: string;
  key: string;
  /** null deletes the record */
  body: unknown | null;
}

export interface Store {
  /** Every record of one kind. */
  loadAll(kind: string): StoredRecord[];
  /** Applies all changes atomically; durable when it returns. */
  write(changes: readonly RecordChange[]): void;
  /** Called for changes made by other writers (other nodes); the SQLite store has none. */
  onChange(listener: (changes: readonly RecordChange[]) => void): void;
  close(): void;
}
