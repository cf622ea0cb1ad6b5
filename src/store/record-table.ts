/**
 * One kind of record, held in memory and written through to the store: the pattern of the IAM
 * directory, for services whose records need no sealing (EC2's instances, VPCs, ...). Records are
 * immutable: a change puts a new object. `onChange` listeners hear every put and delete.
 */
import type { RecordChange, Store } from './store.js';

export type TableChange<T> = { put: T } | { delete: string };

export class RecordTable<T> {
  private readonly rows = new Map<string, T>();
  private readonly listeners: Array<(key: string, row: T | undefined) => void> = [];

  constructor(private readonly store: Store, readonly kind: string, private readonly keyOf: (row: T) => string) {
    for (const stored of store.loadAll(kind)) this.rows.set(stored.key, stored.body as T);
  }

  get(key: string): T | undefined {
    return this.rows.get(key);
  }

  list(): T[] {
    return [...this.rows.values()];
  }

  get size(): number {
    return this.rows.size;
  }

  put(row: T): void {
    this.apply([{ put: row }]);
  }

  delete(key: string): void {
    this.apply([{ delete: key }]);
  }

  /** The store changes for these table changes, for a write that spans several tables. */
  changes(changes: readonly TableChange<T>[]): RecordChange[] {
    return changes.map((change) => ('put' in change
      ? { kind: this.kind, key: this.keyOf(change.put), body: change.put }
      : { kind: this.kind, key: change.delete, body: null }));
  }

  /** Persists atomically, then applies in memory and tells the listeners. */
  apply(changes: readonly TableChange<T>[]): void {
    this.store.write(this.changes(changes));
    this.remember(changes);
  }

  /** Applies changes already persisted (by a multi-table write). */
  remember(changes: readonly TableChange<T>[]): void {
    for (const change of changes) {
      if ('put' in change) {
        const key = this.keyOf(change.put);
        this.rows.set(key, change.put);
        for (const listener of this.listeners) listener(key, change.put);
      } else {
        this.rows.delete(change.delete);
        for (const listener of this.listeners) listener(change.delete, undefined);
      }
    }
  }

  onChange(listener: (key: string, row: T | undefined) => void): void {
    this.listeners.push(listener);
  }
}
