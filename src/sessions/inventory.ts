/**
 * Every temporary credential iamd issued and that has not expired (plus, for a while, those that
 * just did): in memory, keyed by access key id, and in the store (kind 'session'), written when the
 * credential is issued and before it is handed out, so that a session the caller holds is always one
 * the inventory can list and revoke, across restarts.
 *
 * Expired sessions are dropped by `expired(now)`, which the owner (sessions.ts) calls periodically:
 * sessions sit in buckets by the minute they expire in, so a sweep looks at the due buckets only,
 * however many sessions are live. Instance sessions are indexed by instance (instance revokes,
 * reissues); a filter by role walks the whole inventory, which is an administrator's call, not the
 * request path.
 *
 * Memory: a million live sessions take about 200 bytes each (bench/revocation.ts). Sessions of the
 * same principal (an instance's, a CI job's) share one principal object, and records loaded from the
 * store share their repeated strings (role names, callers' ARNs...).
 */
import type { SessionClaims, SessionPrincipal } from '../auth/session-token.js';
import type { RecordChange, Store } from '../store/store.js';
import type { SessionOrigin, SessionRecord } from './types.js';

export const SESSION_KIND = 'session';

const BUCKET_MS = 60_000;
/** distinct principals remembered for sharing; the cache starts over when full (the records keep theirs) */
const PRINCIPAL_CACHE_LIMIT = 50_000;

/** The API that issued these claims, read from their principal. */
export function originOf(claims: Pick<SessionClaims, 'principal' | 'ec2'>): SessionOrigin {
  if (claims.ec2) return 'InstanceMetadata';
  switch (claims.principal.type) {
    case 'AssumedRole': return 'AssumeRole';
    case 'FederatedUser': return 'GetFederationToken';
    default: return 'GetSessionToken';
  }
}

/** The inventory record of issued claims (no secret: the claims' secret stays in the token). */
export function recordOf(claims: SessionClaims): SessionRecord {
  return {
    accessKeyId: claims.accessKeyId,
    origin: originOf(claims),
    principal: claims.principal,
    issuedTo: claims.issuedTo ?? '',
    ...(claims.ec2 ? { instanceId: claims.ec2.instanceId } : {}),
    issuedAt: claims.issuedAt,
    expiresAt: claims.expiresAt,
  };
}

/** What makes two principals the same principal. */
function principalKey(principal: SessionPrincipal): string {
  switch (principal.type) {
    case 'AssumedRole': return `r|${principal.accountId}|${principal.roleId}|${principal.roleName}|${principal.rolePath}|${principal.sessionName}`;
    case 'User': return `u|${principal.accountId}|${principal.userId}|${principal.userName}|${principal.userPath}`;
    case 'FederatedUser': return `f|${principal.accountId}|${principal.name}|${principal.userId ?? ''}|${principal.userName ?? ''}`;
    case 'Root': return `0|${principal.accountId}`;
  }
}

/** Makes equal strings one string while records are loaded. */
class Interner {
  private readonly strings = new Map<string, string>();

  string<T extends string | undefined>(text: T): T {
    if (text === undefined) return text;
    const known = this.strings.get(text);
    if (known !== undefined) return known as T;
    this.strings.set(text, text);
    return text;
  }
}

export class SessionInventory {
  private readonly sessions = new Map<string, SessionRecord>();
  /** instance id -> its sessions' access key ids */
  private readonly byInstance = new Map<string, Set<string>>();
  /** expiry minute -> access key ids expiring in it */
  private readonly buckets = new Map<number, string[]>();

  private principals = new Map<string, SessionPrincipal>();

  constructor(private readonly store: Store) {
    const interner = new Interner();
    for (const stored of store.loadAll(SESSION_KIND)) {
      const record = stored.body as SessionRecord;
      this.remember({
        accessKeyId: record.accessKeyId,
        origin: interner.string(record.origin),
        principal: record.principal,
        issuedTo: interner.string(record.issuedTo),
        ...(record.instanceId !== undefined ? { instanceId: interner.string(record.instanceId) } : {}),
        issuedAt: record.issuedAt,
        expiresAt: record.expiresAt,
      });
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  get(accessKeyId: string): SessionRecord | undefined {
    return this.sessions.get(accessKeyId);
  }

  /** Stores the session durably, then holds it in memory. */
  record(record: SessionRecord): void {
    this.store.write([{ kind: SESSION_KIND, key: record.accessKeyId, body: record }]);
    this.remember(record);
  }

  /** Holds a record already stored (loading, another node's change, or a bulk load). */
  remember(stored: SessionRecord): void {
    const record = this.sharing(stored);
    const previous = this.sessions.get(record.accessKeyId);
    if (previous) this.unindex(previous);
    this.sessions.set(record.accessKeyId, record);
    if (record.instanceId !== undefined) {
      let keys = this.byInstance.get(record.instanceId);
      if (!keys) this.byInstance.set(record.instanceId, keys = new Set());
      keys.add(record.accessKeyId);
    }
    const bucket = Math.floor(record.expiresAt / BUCKET_MS);
    const due = this.buckets.get(bucket);
    if (due) due.push(record.accessKeyId);
    else this.buckets.set(bucket, [record.accessKeyId]);
  }

  /** Forgets a session in memory (its store record is deleted by the caller's write). */
  forget(accessKeyId: string): void {
    const record = this.sessions.get(accessKeyId);
    if (!record) return;
    this.sessions.delete(accessKeyId);
    this.unindex(record);
  }

  /** The sessions issued to an instance. */
  ofInstance(instanceId: string): SessionRecord[] {
    const keys = this.byInstance.get(instanceId);
    return keys ? [...keys].map((key) => this.sessions.get(key)!) : [];
  }

  /** Every record, in issue order within the same load (callers sort). */
  values(): IterableIterator<SessionRecord> {
    return this.sessions.values();
  }

  /**
   * The sessions that expired at or before `before` (ms), taken out of their buckets; the caller
   * deletes them (store and memory) in one write. A bucket is taken only once wholly due.
   */
  expired(before: number): SessionRecord[] {
    const due = new Set<SessionRecord>();
    for (const [bucket, keys] of this.buckets) {
      if ((bucket + 1) * BUCKET_MS > before) continue;
      this.buckets.delete(bucket);
      for (const key of keys) {
        const record = this.sessions.get(key);
        // A key may be listed twice (re-recorded) or already forgotten.
        if (record && record.expiresAt <= before) due.add(record);
      }
    }
    return [...due];
  }

  /** The store changes that delete these sessions. */
  static deletions(records: readonly SessionRecord[]): RecordChange[] {
    return records.map((record) => ({ kind: SESSION_KIND, key: record.accessKeyId, body: null }));
  }

  /** The record with the principal object it shares with the same principal's other sessions. */
  private sharing(record: SessionRecord): SessionRecord {
    const key = principalKey(record.principal);
    const shared = this.principals.get(key);
    if (shared !== undefined) return shared === record.principal ? record : { ...record, principal: shared };
    if (this.principals.size >= PRINCIPAL_CACHE_LIMIT) this.principals = new Map();
    this.principals.set(key, record.principal);
    return record;
  }

  private unindex(record: SessionRecord): void {
    if (record.instanceId === undefined) return;
    const keys = this.byInstance.get(record.instanceId);
    keys?.delete(record.accessKeyId);
    if (keys && keys.size === 0) this.byInstance.delete(record.instanceId);
  }
}
