/**
 * The in-memory directory of IAM entities, written through to the store. Every read on the
 * request path is a map lookup here. Records are immutable: a change replaces the record, so a
 * cache that holds an old record is never corrupted, and `generation` tells caches to rebuild.
 *
 * IAM names are unique without regard to case ("Bob" and "bob" are the same user), so names are
 * keyed in lower case; the record keeps the spelling it was created with.
 */
import type { SecretBox } from '../store/secret-box.js';
import type { RecordChange, Store } from '../store/store.js';
import type { AccessKeyRecord, RecordKind, RecordTypes } from './types.js';

export type DirectoryChange =
  | { [K in RecordKind]: { kind: K; put: RecordTypes[K] } }[RecordKind]
  | { kind: RecordKind; delete: string };

const KINDS: readonly RecordKind[] = ['user', 'access-key', 'group', 'role', 'policy', 'instance-profile'];

export function keyOf<K extends RecordKind>(kind: K, record: RecordTypes[K]): string {
  switch (kind) {
    case 'user': return (record as RecordTypes['user']).userName.toLowerCase();
    case 'access-key': return (record as RecordTypes['access-key']).accessKeyId;
    case 'group': return (record as RecordTypes['group']).groupName.toLowerCase();
    case 'role': return (record as RecordTypes['role']).roleName.toLowerCase();
    case 'policy': return (record as RecordTypes['policy']).arn;
    case 'instance-profile': return (record as RecordTypes['instance-profile']).instanceProfileName.toLowerCase();
    default: throw new Error(`unknown record kind ${String(kind)}`);
  }
}

/** Normalizes a lookup key the way keyOf does for that kind. */
export function lookupKey(kind: RecordKind, key: string): string {
  return kind === 'access-key' || kind === 'policy' ? key : key.toLowerCase();
}

type Maps = { [K in RecordKind]: Map<string, RecordTypes[K]> };

interface SealedAccessKey extends Omit<AccessKeyRecord, 'secretAccessKey'> {
  sealedSecret: string;
}

export class Directory {
  private readonly maps: Maps = {
    user: new Map(), 'access-key': new Map(), group: new Map(), role: new Map(), policy: new Map(), 'instance-profile': new Map(),
  };
  private readonly listeners: Array<() => void> = [];
  /** Incremented on every change; caches compare it to know when to rebuild. */
  generation = 0;

  constructor(private readonly store: Store, private readonly secrets: SecretBox) {
    for (const kind of KINDS) {
      for (const stored of store.loadAll(kind)) this.remember(kind, this.fromStored(kind, stored.body));
    }
    store.onChange((changes) => {
      for (const change of changes) {
        const kind = change.kind as RecordKind;
        if (!KINDS.includes(kind)) continue;
        if (change.body === null) this.maps[kind].delete(change.key);
        else this.remember(kind, this.fromStored(kind, change.body));
      }
      this.changed();
    });
  }

  get<K extends RecordKind>(kind: K, key: string): RecordTypes[K] | undefined {
    return this.maps[kind].get(lookupKey(kind, key)) as RecordTypes[K] | undefined;
  }

  list<K extends RecordKind>(kind: K): RecordTypes[K][] {
    return [...this.maps[kind].values()] as RecordTypes[K][];
  }

  count(kind: RecordKind): number {
    return this.maps[kind].size;
  }

  /** Persists the changes atomically, then applies them in memory. */
  apply(changes: readonly DirectoryChange[]): void {
    const stored: RecordChange[] = changes.map((change) =>
      'put' in change
        ? { kind: change.kind, key: keyOf(change.kind, change.put), body: this.toStored(change.kind, change.put) }
        : { kind: change.kind, key: lookupKey(change.kind, change.delete), body: null },
    );
    this.store.write(stored);
    for (const change of changes) {
      if ('put' in change) this.remember(change.kind, change.put);
      else this.maps[change.kind].delete(lookupKey(change.kind, change.delete));
    }
    this.changed();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.generation++;
    for (const listener of this.listeners) listener();
  }

  private remember<K extends RecordKind>(kind: K, record: RecordTypes[K]): void {
    (this.maps[kind] as Map<string, RecordTypes[K]>).set(keyOf(kind, record), record);
  }

  private toStored<K extends RecordKind>(kind: K, record: RecordTypes[K]): unknown {
    if (kind !== 'access-key') return record;
    const { secretAccessKey, ...rest } = record as AccessKeyRecord;
    const sealed: SealedAccessKey = { ...rest, sealedSecret: this.secrets.seal(secretAccessKey) };
    return sealed;
  }

  private fromStored<K extends RecordKind>(kind: K, body: unknown): RecordTypes[K] {
    if (kind !== 'access-key') return body as RecordTypes[K];
    const { sealedSecret, ...rest } = body as SealedAccessKey;
    const record: AccessKeyRecord = { ...rest, secretAccessKey: this.secrets.open(sealedSecret) };
    return record as RecordTypes[K];
  }
}
