/**
 * "Last used" of access keys and roles, kept without a database write per request: the request
 * path records into memory, and the tracker writes what changed to the store every few seconds
 * and at shutdown (kind 'usage', outside the directory, so recording never invalidates the
 * policy caches). Losing the last few seconds of "last used" in a crash is acceptable; it is
 * advisory, as on AWS, where it lags by hours.
 */
import type { Store } from '../store/store.js';
import type { Caller } from './caller.js';

export interface Usage {
  /** ISO time with milliseconds */
  time: string;
  service: string;
  region: string;
}

const KIND = 'usage';

export class UsageTracker {
  private readonly known = new Map<string, Usage>();
  private readonly pending = new Map<string, Usage>();

  constructor(private readonly store: Store) {
    for (const record of store.loadAll(KIND)) this.known.set(record.key, record.body as Usage);
  }

  accessKey(accessKeyId: string): Usage | undefined {
    return this.known.get(`key:${accessKeyId}`);
  }

  role(roleId: string): Usage | undefined {
    return this.known.get(`role:${roleId}`);
  }

  touchAccessKey(accessKeyId: string, usage: Usage): void {
    this.touch(`key:${accessKeyId}`, usage);
  }

  touchRole(roleId: string, usage: Usage): void {
    this.touch(`role:${roleId}`, usage);
  }

  forgetAccessKey(accessKeyId: string): void {
    this.forget(`key:${accessKeyId}`);
  }

  forgetRole(roleId: string): void {
    this.forget(`role:${roleId}`);
  }

  /** Records an authenticated call: the long-term key it was signed with, or the role of its session (root's is not kept). */
  recordCall(caller: Caller, time: Date, service: string, region: string): void {
    const usage = (): Usage => ({ time: time.toISOString(), service, region });
    if (caller.kind === 'user') this.touchAccessKey(caller.accessKeyId, usage());
    else if (caller.session?.principal.type === 'AssumedRole') this.touchRole(caller.session.principal.roleId, usage());
  }

  /** Writes what changed since the last flush. */
  flush(): void {
    if (this.pending.size === 0) return;
    const changes = [...this.pending].map(([key, body]) => ({ kind: KIND, key, body }));
    this.pending.clear();
    this.store.write(changes);
  }

  private touch(key: string, usage: Usage): void {
    this.known.set(key, usage);
    this.pending.set(key, usage);
  }

  private forget(key: string): void {
    this.known.delete(key);
    this.pending.delete(key);
    this.store.write([{ kind: KIND, key, body: null }]);
  }
}
