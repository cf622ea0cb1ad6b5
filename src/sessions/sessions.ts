/**
 * Sessions: the inventory of every temporary credential iamd issued, and the three ways to cut them.
 *
 * - Inventory (inventory.ts): recorded when issued (STS and the instance metadata service all go
 *   through issueCredentials), durable, dropped an hour after expiry; last use tracked in memory on
 *   the request path (usage.ts, a request observer) and flushed every few seconds.
 * - Targeted revoke (revocations.ts): one access key, or everything issued to one instance. Durable
 *   before it returns; the request path checks a Set right after opening the token
 *   (auth/authenticate.ts). The metadata service of an instance whose credential was revoked issues
 *   a fresh one at the next fetch (imds/credentials.ts), so a targeted revoke never locks an
 *   instance out.
 * - Role-wide revoke: exactly the console's "Revoke active sessions" (the AWSRevokeOlderSessions
 *   inline policy, enforced by the policy engine); with `reissue`, every instance of the role is
 *   made to serve a fresh credential at its next fetch, as if its profile association had been
 *   replaced, so workloads recover without a stop/start.
 *
 * Every revoke can be a dry run: it lists the sessions it would cut and changes nothing.
 * Other iamd nodes sharing the store hear the changes through `store.onChange` (none with SQLite).
 */
import { assumedRoleArn, federatedUserArn, iamArn, rootArn } from '../domain/arn.js';
import type { RoleRecord } from '../directory/types.js';
import { profileState } from '../imds/credentials.js';
import { AwsError } from '../protocol/aws-error.js';
import type { App } from '../server/app.js';
import type { InstanceRecord } from '../services/ec2/types.js';
import type { RecordChange } from '../store/store.js';
import type { SessionClaims } from '../auth/session-token.js';
import { recordOf, SessionInventory, SESSION_KIND } from './inventory.js';
import { REVOCATION_KIND, Revocations } from './revocations.js';
import { REVOKE_POLICY_NAME, revokeCutoff, revokePolicyDocument, revokePolicyName } from './role-cutoff.js';
import type { RevocationRecord, RevocationScope, SessionFilter, SessionRecord, SessionStatus, SessionUsage } from './types.js';
import { SessionUsageTracker, USAGE_KIND } from './usage.js';

export interface SessionsOptions {
  /** how often last use is written to the store (0: only by flush()) */
  flushIntervalMs?: number;
  /** how often expired sessions are dropped (0: only by sweep()) */
  sweepIntervalMs?: number;
  /** how long an expired session stays listable (IncludeExpired), with its revocation, before it is dropped */
  expiredRetentionMs?: number;
}

export const DEFAULT_EXPIRED_RETENTION_MS = 3600_000;

/** A session as the inventory shows it. */
export interface SessionView {
  record: SessionRecord;
  /** the principal's ARN as GetCallerIdentity shows it */
  principalArn: string;
  usage: SessionUsage | undefined;
  status: SessionStatus;
  expired: boolean;
  /** its instance's metadata service is serving it now */
  served: boolean;
}

export interface RevokeOptions {
  /** ARN of whoever revokes (or the finding that contains) */
  revokedBy: string;
  scope?: RevocationScope;
  reason?: string;
  dryRun?: boolean;
  /** for a session missing from the inventory (issued before it existed): until when to keep the revocation */
  expiresAt?: number;
}

export interface RevokeOutcome {
  dryRun: boolean;
  /** the sessions cut (or, in a dry run, that would be) */
  sessions: SessionView[];
}

export interface RoleRevokeOutcome extends RevokeOutcome {
  role: RoleRecord;
  /** the new cut-off (ms): tokens issued before it are denied */
  cutoff: number;
  /** the inline policies the role has after the revoke (for the caller's quota check) */
  policies: Readonly<Record<string, string>>;
  /** instances made to serve a fresh credential at their next fetch (reissue) */
  reissued: InstanceRecord[];
}

export function noSuchSession(accessKeyId: string): AwsError {
  return new AwsError('NoSuchEntity', `No live session has the access key id ${accessKeyId}.`, 404);
}

export function noSuchInstance(instanceId: string): AwsError {
  return new AwsError('NoSuchEntity', `The instance with id ${instanceId} cannot be found.`, 404);
}

export function noSuchRole(roleName: string): AwsError {
  return new AwsError('NoSuchEntity', `The role with name ${roleName} cannot be found.`, 404);
}

/** The principal's ARN, as GetCallerIdentity shows it for these credentials. */
export function principalArnOf(record: SessionRecord): string {
  const principal = record.principal;
  switch (principal.type) {
    case 'AssumedRole': return assumedRoleArn(principal.accountId, principal.roleName, principal.sessionName);
    case 'User': return iamArn(principal.accountId, 'user', principal.userPath, principal.userName);
    case 'FederatedUser': return federatedUserArn(principal.accountId, principal.name);
    case 'Root': return rootArn(principal.accountId);
  }
}

export function roleNameOf(record: SessionRecord): string | undefined {
  return record.principal.type === 'AssumedRole' ? record.principal.roleName : undefined;
}

const byIssue = (a: SessionRecord, b: SessionRecord): number => a.issuedAt - b.issuedAt || (a.accessKeyId < b.accessKeyId ? -1 : a.accessKeyId > b.accessKeyId ? 1 : 0);

export class Sessions {
  readonly inventory: SessionInventory;
  readonly revocations: Revocations;
  readonly usage: SessionUsageTracker;
  /** the request path's check (auth/authenticate.ts): access key ids revoked by iamd */
  readonly revoked: ReadonlySet<string>;
  private readonly retentionMs: number;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly app: App, options: SessionsOptions = {}) {
    const store = app.store;
    this.inventory = new SessionInventory(store);
    this.revocations = new Revocations(store);
    this.usage = new SessionUsageTracker(store);
    this.revoked = this.revocations.revoked;
    this.retentionMs = options.expiredRetentionMs ?? DEFAULT_EXPIRED_RETENTION_MS;

    // Through an instance's address a request comes from inside its VPC: from the instance's private IP, as the trail says.
    app.requestObservers.push((observed) => {
      if (observed.caller.session === undefined) return;
      const request = observed.request;
      const via = app.network.source(request.localAddress);
      this.usage.touch(observed.caller.accessKeyId, request.time.getTime(), via ? via.privateIp : request.sourceIp, via?.instanceId);
    });
    store.onChange((changes) => this.follow(changes));

    this.every(options.flushIntervalMs ?? 5000, () => this.usage.flush());
    this.every(options.sweepIntervalMs ?? 60_000, () => this.sweep());
    this.sweep();
  }

  /** The request path's question: was this session revoked by iamd (one Set lookup)? */
  isRevoked(accessKeyId: string): boolean {
    return this.revocations.revoked.has(accessKeyId);
  }

  /** Records a credential as it is issued (before it is handed out). */
  record(claims: SessionClaims): void {
    this.inventory.record(recordOf(claims));
  }

  /** How a session stands: revoked by iamd, by its role's AWSRevokeOlderSessions policy, or not. */
  status(record: SessionRecord): SessionStatus {
    const revocation = this.revocations.get(record.accessKeyId);
    if (revocation) {
      return {
        revoked: true, revokedBy: revocation.scope, revokedAt: revocation.revokedAt, revokedByArn: revocation.revokedBy,
        ...(revocation.reason !== undefined ? { reason: revocation.reason } : {}),
      };
    }
    const cut = this.roleCut(record);
    return cut ? { revoked: true, revokedBy: 'role', revokedAt: cut.cutoff, revokedByArn: cut.role.arn, reason: REVOKE_POLICY_NAME } : { revoked: false };
  }

  view(record: SessionRecord, now = this.now()): SessionView {
    return {
      record,
      principalArn: principalArnOf(record),
      usage: this.usage.get(record.accessKeyId),
      status: this.status(record),
      expired: record.expiresAt <= now,
      served: this.served(record),
    };
  }

  /** Sessions matching the filter, oldest first. */
  list(filter: SessionFilter = {}): SessionView[] {
    const now = this.now();
    return this.select(filter, now).sort(byIssue).map((record) => this.view(record, now));
  }

  /** Revokes one session by access key id (targeted revoke; also the exfiltration containment). */
  revokeSession(accessKeyId: string, options: RevokeOptions): RevokeOutcome {
    const now = this.now();
    const record = this.inventory.get(accessKeyId);
    const dryRun = options.dryRun === true;
    if (!record || record.expiresAt <= now) {
      // Unknown to the inventory (issued before it existed): revocable when the caller knows its expiry.
      if (record || options.expiresAt === undefined || options.expiresAt <= now) throw noSuchSession(accessKeyId);
      if (!dryRun && !this.revocations.get(accessKeyId)) {
        this.revocations.add([this.revocation(accessKeyId, options.expiresAt, options, now)]);
      }
      return { dryRun, sessions: [] };
    }
    if (this.revocations.get(accessKeyId)) return { dryRun, sessions: [] };
    if (!dryRun) this.revocations.add([this.revocation(accessKeyId, record.expiresAt, { ...options, scope: options.scope ?? 'session' }, now, record.instanceId)]);
    return { dryRun, sessions: [this.view(record, now)] };
  }

  /** Revokes every live session issued to an instance; the instance gets a fresh one at its next fetch. */
  revokeInstance(instanceId: string, options: RevokeOptions): RevokeOutcome {
    const now = this.now();
    const sessions = this.inventory.ofInstance(instanceId);
    if (sessions.length === 0 && !this.app.ec2.instances.get(instanceId)) throw noSuchInstance(instanceId);
    const cut = sessions.filter((record) => record.expiresAt > now && !this.revocations.get(record.accessKeyId)).sort(byIssue);
    const dryRun = options.dryRun === true;
    if (!dryRun) {
      this.revocations.add(cut.map((record) => this.revocation(record.accessKeyId, record.expiresAt, { ...options, scope: options.scope ?? 'instance' }, now, instanceId)));
    }
    return { dryRun, sessions: cut.map((record) => this.view(record, now)) };
  }

  /**
   * The console's "Revoke active sessions": puts AWSRevokeOlderSessions with a cut-off of `cutoff`
   * (the request's time, to the millisecond; a later revoke moves it forward). With `reissue`, every
   * instance of the role serves a fresh credential at its next fetch. The caller checks the role's
   * inline policy quota against `policies` first when it wants IAM's LimitExceeded (the service does):
   * see `plannedPolicies`.
   */
  revokeRole(roleName: string, cutoff: Date, options: RevokeOptions & { reissue?: boolean }): RoleRevokeOutcome {
    const role = this.app.directory.get('role', roleName);
    if (!role) throw noSuchRole(roleName);
    const now = this.now();
    const at = cutoff.getTime();
    const cut = this.select({ roleName: role.roleName }, now)
      .filter((record) => this.ofRole(record, role) && record.issuedAt < at && !this.status(record).revoked)
      .sort(byIssue);
    const views = cut.map((record) => this.view(record, now));
    const policies = Sessions.plannedPolicies(role, cutoff);
    const instances = options.reissue ? this.instancesOf(role) : [];
    const dryRun = options.dryRun === true;
    if (!dryRun) {
      this.app.directory.apply([{ kind: 'role', put: { ...role, inlinePolicies: { ...policies } } }]);
      if (instances.length > 0) {
        this.app.ec2.instances.apply(instances.map((instance) => ({ put: { ...instance, credential: undefined, credentialV1: undefined } })));
      }
      this.app.logger.log('warn', 'role sessions revoked', {
        roleName: role.roleName, cutoff: cutoff.toISOString(), revokedBy: options.revokedBy, sessions: cut.length,
        reissued: instances.map((instance) => instance.instanceId).join(','),
      });
    }
    return { dryRun, sessions: views, role, cutoff: at, policies, reissued: instances };
  }

  /** The role's inline policies with AWSRevokeOlderSessions set to `cutoff` (replacing any spelling of it). */
  static plannedPolicies(role: RoleRecord, cutoff: Date): Record<string, string> {
    const policies: Record<string, string> = { ...role.inlinePolicies };
    const existing = revokePolicyName(policies);
    if (existing !== undefined) delete policies[existing];
    policies[REVOKE_POLICY_NAME] = revokePolicyDocument(cutoff);
    return policies;
  }

  /** Drops sessions (with their use and revocation) that expired more than the retention ago. */
  sweep(): void {
    const before = this.now() - this.retentionMs;
    const sessions = this.inventory.expired(before);
    const keys = new Set(sessions.map((record) => record.accessKeyId));
    for (const revocation of this.revocations.expired(before)) keys.add(revocation.accessKeyId);
    if (keys.size === 0) return;
    const revoked = [...keys].filter((key) => this.revocations.get(key));
    this.app.store.write([
      ...SessionInventory.deletions(sessions),
      ...Revocations.deletions(revoked),
      ...SessionUsageTracker.deletions(sessions.map((record) => record.accessKeyId)),
    ]);
    for (const key of keys) {
      this.inventory.forget(key);
      this.revocations.forget(key);
      this.usage.forget(key);
    }
  }

  flush(): void {
    this.usage.flush();
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    this.usage.flush();
  }

  private revocation(accessKeyId: string, expiresAt: number, options: RevokeOptions, now: number, instanceId?: string): RevocationRecord {
    return {
      accessKeyId,
      scope: options.scope ?? 'session',
      revokedAt: now,
      revokedBy: options.revokedBy,
      ...(instanceId !== undefined ? { instanceId } : {}),
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
      expiresAt,
    };
  }

  private select(filter: SessionFilter, now: number): SessionRecord[] {
    let candidates: Iterable<SessionRecord>;
    if (filter.accessKeyId !== undefined) {
      const record = this.inventory.get(filter.accessKeyId);
      candidates = record ? [record] : [];
    } else if (filter.instanceId !== undefined) {
      candidates = this.inventory.ofInstance(filter.instanceId);
    } else {
      candidates = this.inventory.values();
    }
    const roleName = filter.roleName?.toLowerCase();
    const selected: SessionRecord[] = [];
    for (const record of candidates) {
      if (!filter.includeExpired && record.expiresAt <= now) continue;
      if (filter.instanceId !== undefined && record.instanceId !== filter.instanceId) continue;
      if (roleName !== undefined && roleNameOf(record)?.toLowerCase() !== roleName) continue;
      selected.push(record);
    }
    return selected;
  }

  /** A role session of this very role (a role deleted and created again under its name is another role). */
  private ofRole(record: SessionRecord, role: RoleRecord): boolean {
    return record.principal.type === 'AssumedRole' && record.principal.roleId === role.roleId;
  }

  /** The role's AWSRevokeOlderSessions cut-off when it cuts this session. */
  private roleCut(record: SessionRecord): { role: RoleRecord; cutoff: number } | undefined {
    if (record.principal.type !== 'AssumedRole') return undefined;
    const role = this.app.directory.get('role', record.principal.roleName);
    if (!role || role.roleId !== record.principal.roleId) return undefined;
    const cutoff = revokeCutoff(role.inlinePolicies);
    return cutoff !== undefined && record.issuedAt < cutoff ? { role, cutoff } : undefined;
  }

  /** Whether its instance's metadata service hands this credential out now. */
  private served(record: SessionRecord): boolean {
    if (record.instanceId === undefined) return false;
    const instance = this.app.ec2.instances.get(record.instanceId);
    return instance?.credential?.accessKeyId === record.accessKeyId || instance?.credentialV1?.accessKeyId === record.accessKeyId;
  }

  /** The instances (not terminated) whose profile association leads to this role. */
  private instancesOf(role: RoleRecord): InstanceRecord[] {
    return this.app.ec2.instances.list().filter((instance) => {
      if (instance.state === 'terminated' || instance.state === 'shutting-down') return false;
      const state = profileState(this.app, instance);
      return state.kind === 'role' && state.role.roleId === role.roleId;
    }).sort((a, b) => (a.instanceId < b.instanceId ? -1 : 1));
  }

  /** Other nodes' writes (a shared store): take them over. */
  private follow(changes: readonly RecordChange[]): void {
    for (const change of changes) {
      if (change.kind === SESSION_KIND) {
        if (change.body === null) this.inventory.forget(change.key);
        else this.inventory.remember(change.body as SessionRecord);
      } else if (change.kind === REVOCATION_KIND) {
        if (change.body === null) this.revocations.forget(change.key);
        else this.revocations.remember(change.body as RevocationRecord);
      } else if (change.kind === USAGE_KIND) {
        this.usage.remember(change.key, change.body as SessionUsage | null);
      }
    }
  }

  private now(): number {
    return this.app.clock.now().getTime();
  }

  private every(intervalMs: number, task: () => void): void {
    if (intervalMs <= 0) return;
    const timer = setInterval(() => {
      try {
        task();
      } catch (error) {
        // The store closed under the timer (shutting down), or a transient store error: next time.
        this.app.logger.log('error', 'session housekeeping failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }
}
