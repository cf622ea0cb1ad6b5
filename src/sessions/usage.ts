/**
 * Last use of each session: when, from which address (and through which instance's address, if
 * any), and how many requests. Recorded in memory on the request path, with no database write per
 * request; what changed is written to the store (kind 'session-usage') by `flush`, which the owner
 * calls every few seconds and at shutdown, as auth/usage-tracker.ts does for keys and roles. A crash
 * loses the last few seconds of counting, never a session or a revocation.
 */
import type { RecordChange, Store } from '../store/store.js';
import type { SessionUsage } from './types.js';

export const USAGE_KIND = 'session-usage';

export class SessionUsageTracker {
  private readonly usage = new Map<string, SessionUsage>();
  private readonly pending = new Set<string>();

  constructor(private readonly store: Store) {
    for (const stored of store.loadAll(USAGE_KIND)) this.usage.set(stored.key, stored.body as SessionUsage);
  }

  get(accessKeyId: string): SessionUsage | undefined {
    return this.usage.get(accessKeyId);
  }

  /** One authenticated request of the session: a Map lookup and three assignments. */
  touch(accessKeyId: string, time: number, sourceIp: string, viaInstanceId: string | undefined): void {
    let usage = this.usage.get(accessKeyId);
    if (usage === undefined) {
      usage = { lastUsedAt: time, sourceIp, viaInstanceId, requests: 0 };
      this.usage.set(accessKeyId, usage);
    }
    if (time >= usage.lastUsedAt) {
      usage.lastUsedAt = time;
      usage.sourceIp = sourceIp;
      usage.viaInstanceId = viaInstanceId;
    }
    usage.requests++;
    this.pending.add(accessKeyId);
  }

  /** Takes over another node's flushed figures. */
  remember(accessKeyId: string, usage: SessionUsage | null): void {
    if (usage === null) this.usage.delete(accessKeyId);
    else if (!this.pending.has(accessKeyId)) this.usage.set(accessKeyId, usage);
  }

  forget(accessKeyId: string): void {
    this.usage.delete(accessKeyId);
    this.pending.delete(accessKeyId);
  }

  /** Writes what changed since the last flush. */
  flush(): void {
    if (this.pending.size === 0) return;
    const changes: RecordChange[] = [];
    for (const key of this.pending) {
      const usage = this.usage.get(key);
      if (usage) changes.push({ kind: USAGE_KIND, key, body: { ...usage } });
    }
    this.pending.clear();
    this.store.write(changes);
  }

  static deletions(accessKeyIds: Iterable<string>): RecordChange[] {
    return [...accessKeyIds].map((key) => ({ kind: USAGE_KIND, key, body: null }));
  }
}
