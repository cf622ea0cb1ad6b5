/**
 * Exfiltration detection: instance credentials (a session whose claims carry `ec2`) are meant to be
 * used from their instance, and here a request's network identity is real (src/network): a request
 * through a running instance's own address comes from that instance. So every authenticated request
 * signed with instance credentials is checked against the address it arrived on:
 *
 * - through the address of the instance the credentials were delivered to: nothing;
 * - through no instance's address (the public listener, e.g. 127.0.0.1): a finding of type
 *   `UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS`;
 * - through another running instance's address: `...InstanceCredentialExfiltration.InsideAWS`.
 *
 * One finding per (session, type), updated by later requests, never one per request. The request
 * path costs one Map lookup for an instance session used from home (nearly all of them), and a
 * second one when it is not; a finding is written to the store when it is created and when it is
 * contained, and its count and last-seen time are flushed every few seconds and at shutdown, like
 * "last used" (auth/usage-tracker.ts). A crash loses at most those few seconds of counting.
 *
 * With auto-contain (`iamd serve --auto-contain`) the request that creates a finding revokes that
 * one session (the targeted revoke of src/sessions) and is itself refused as the revoked session's
 * requests are: the attacker's first call from outside is its last. ContainFinding does the same on
 * demand. Findings are kept for 90 days after they were last seen, as GuardDuty keeps them.
 *
 * Known gaps: no suppression rules or archiving; with several nodes (PostgreSQL) each node counts
 * what it sees and the last flush wins.
 */
import { createHash } from 'node:crypto';
import type { ObservedRequest } from '../server/app.js';
import type { Clock } from '../domain/clock.js';
import type { IdGenerator } from '../domain/ids.js';
import type { InstanceAddresses } from '../network/instance-addresses.js';
import type { Logger } from '../server/logger.js';
import type { Store } from '../store/store.js';
import { iamArn } from '../domain/arn.js';
import { HIGH_SEVERITY, INSIDE_AWS, OUTSIDE_AWS, type FindingContainment, type FindingRecord, type FindingSource, type FindingType } from './types.js';

const KIND = 'finding';
const FLUSH_INTERVAL_MS = 5000;
const RETENTION_MS = 90 * 24 * 3600 * 1000;

/** Revokes the finding's session (the targeted revoke); throws an AwsError when it cannot. */
export type SessionRevoker = (finding: FindingRecord, containedBy: string) => void;

/** What the detector needs of the application (the App has all of it). */
export interface FindingsHost {
  readonly accountId: string;
  readonly region: string;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly network: InstanceAddresses;
  readonly logger: Logger;
  readonly requestObservers: Array<(observed: ObservedRequest) => void>;
}

export interface FindingsOptions {
  revoke: SessionRevoker;
  /** the error a revoked session's request gets, thrown for the request that triggers auto-contain */
  revokedError: (accessKeyId: string) => Error;
  /** flush timer (tests turn it off and flush by hand) */
  flushIntervalMs?: number;
}

/** A finding as the request path updates it: the stored record plus what changes with every request. */
interface LiveFinding {
  record: FindingRecord;
  count: number;
  lastSeen: number;
  source: FindingSource;
  api: string;
  serviceName: string;
  userAgent: string;
}

export class ExfiltrationFindings {
  /** contain the session on the first request that raises (or finds) an uncontained finding */
  autoContain = false;
  /** by access key id, one map per type (no key string built on the request path) */
  private readonly outside = new Map<string, LiveFinding>();
  private readonly inside = new Map<string, LiveFinding>();
  private readonly byId = new Map<string, LiveFinding>();
  private readonly pending = new Set<LiveFinding>();
  private readonly timer: NodeJS.Timeout | undefined;
  readonly detectorId: string;

  constructor(private readonly host: FindingsHost, private readonly options: FindingsOptions) {
    this.detectorId = detectorIdOf(host.accountId);
    const cutoff = host.clock.now().getTime() - RETENTION_MS;
    const expired: string[] = [];
    for (const stored of host.store.loadAll(KIND)) {
      const record = stored.body as FindingRecord;
      if (Date.parse(record.eventLastSeen) < cutoff) expired.push(stored.key);
      else this.remember(record);
    }
    if (expired.length > 0) host.store.write(expired.map((key) => ({ kind: KIND, key, body: null })));
    host.requestObservers.push((observed) => this.observe(observed));
    const interval = options.flushIntervalMs ?? FLUSH_INTERVAL_MS;
    if (interval > 0) {
      this.timer = setInterval(() => this.flush(), interval);
      this.timer.unref();
    }
  }

  /** The request observer: a Map lookup for instance credentials used from their instance, nothing for other callers. */
  observe(observed: ObservedRequest): void {
    const { caller, request } = observed;
    const delivery = caller.session?.ec2;
    if (delivery === undefined) return;
    const through = this.host.network.source(request.localAddress);
    if (through !== undefined && through.instanceId === delivery.instanceId) return;
    const type: FindingType = through === undefined ? OUTSIDE_AWS : INSIDE_AWS;
    const time = request.time.getTime();
    let live = (type === OUTSIDE_AWS ? this.outside : this.inside).get(caller.accessKeyId);
    if (live === undefined) {
      live = this.create(type, observed, through === undefined ? undefined : { instanceId: through.instanceId, vpcId: through.vpcId, privateIp: through.privateIp });
    } else {
      live.count++;
      if (time > live.lastSeen) live.lastSeen = time;
      if (live.source.localAddress !== request.localAddress || live.source.ipAddress !== request.sourceIp) {
        live.source = sourceOf(request.sourceIp, request.localAddress, through);
      }
      live.api = observed.action;
      live.serviceName = observed.service;
      live.userAgent = request.userAgent;
      this.pending.add(live);
    }
    if (this.autoContain && live.record.containment === undefined) {
      this.contain(live, 'auto-contain');
      throw this.options.revokedError(caller.accessKeyId);
    }
  }

  /** Every finding, most recently seen first. */
  list(): FindingRecord[] {
    return [...this.byId.values()].map(snapshot).sort((a, b) => b.eventLastSeen.localeCompare(a.eventLastSeen) || a.id.localeCompare(b.id));
  }

  get(id: string): FindingRecord | undefined {
    const live = this.byId.get(id);
    return live === undefined ? undefined : snapshot(live);
  }

  /**
   * Revokes the finding's session and records it; durable when it returns. A finding already
   * contained is left as it was (its first containment stands).
   */
  containFinding(id: string, containedBy: string): FindingRecord | undefined {
    const live = this.byId.get(id);
    if (live === undefined) return undefined;
    if (live.record.containment === undefined) this.contain(live, containedBy);
    return snapshot(live);
  }

  /** The finding's ARN, as GuardDuty writes it. */
  arnOf(record: Pick<FindingRecord, 'region' | 'accountId' | 'id'>): string {
    return `arn:aws:guardduty:${record.region}:${record.accountId}:detector/${this.detectorId}/finding/${record.id}`;
  }

  /** Writes the counts and last-seen times that changed since the last flush. */
  flush(): void {
    if (this.pending.size === 0) return;
    const changes = [...this.pending].map((live) => ({ kind: KIND, key: live.record.id, body: snapshot(live) }));
    this.pending.clear();
    this.host.store.write(changes);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }

  private create(type: FindingType, observed: ObservedRequest, other: { instanceId: string; vpcId: string; privateIp: string } | undefined): LiveFinding {
    const { caller, request } = observed;
    const session = caller.session!;
    const delivery = session.ec2!;
    const principal = session.principal;
    const roleName = principal.type === 'AssumedRole' ? principal.roleName : (caller.roleName ?? '');
    const roleArn = principal.type === 'AssumedRole' ? iamArn(principal.accountId, 'role', principal.rolePath, principal.roleName) : (caller.roleArn ?? '');
    const seen = request.time.toISOString();
    const record: FindingRecord = {
      id: this.host.ids.requestId().replace(/-/g, ''),
      type,
      severity: HIGH_SEVERITY,
      accountId: caller.accountId,
      region: this.host.region,
      accessKeyId: caller.accessKeyId,
      principalId: caller.userId,
      roleName,
      roleArn,
      sessionArn: caller.arn,
      instanceId: delivery.instanceId,
      instanceArn: delivery.instanceArn,
      vpcId: delivery.vpcId,
      privateIp: delivery.privateIp,
      sessionIssuedAt: session.issuedAt,
      sessionExpiresAt: session.expiresAt,
      source: sourceOf(request.sourceIp, request.localAddress, other),
      api: observed.action,
      serviceName: observed.service,
      userAgent: request.userAgent,
      createdAt: this.host.clock.now().toISOString(),
      updatedAt: seen,
      eventFirstSeen: seen,
      eventLastSeen: seen,
      count: 1,
    };
    // Durable before the request goes on: a finding is never lost, only the counting after it.
    this.host.store.write([{ kind: KIND, key: record.id, body: record }]);
    const live = this.remember(record);
    this.host.logger.log('warn', 'finding', {
      findingId: record.id, type, accessKeyId: record.accessKeyId, instanceId: record.instanceId, roleName, sourceIp: record.source.ipAddress,
      ...(other ? { throughInstanceId: other.instanceId } : {}),
    });
    return live;
  }

  private contain(live: LiveFinding, containedBy: string): void {
    this.options.revoke(live.record, containedBy);
    const containedAt = this.host.clock.now().toISOString();
    const containment: FindingContainment = { containedAt, containedBy };
    live.record = { ...live.record, containment, updatedAt: containedAt > live.record.updatedAt ? containedAt : live.record.updatedAt };
    this.pending.delete(live);
    this.host.store.write([{ kind: KIND, key: live.record.id, body: snapshot(live) }]);
    this.host.logger.log('warn', 'finding contained', { findingId: live.record.id, accessKeyId: live.record.accessKeyId, containedBy });
  }

  private remember(record: FindingRecord): LiveFinding {
    const live: LiveFinding = {
      record,
      count: record.count,
      lastSeen: Date.parse(record.eventLastSeen),
      source: record.source,
      api: record.api,
      serviceName: record.serviceName,
      userAgent: record.userAgent,
    };
    (record.type === OUTSIDE_AWS ? this.outside : this.inside).set(record.accessKeyId, live);
    this.byId.set(record.id, live);
    return live;
  }
}

function sourceOf(ipAddress: string, localAddress: string, other: { instanceId: string; vpcId: string; privateIp: string } | undefined): FindingSource {
  return other === undefined ? { ipAddress, localAddress } : { ipAddress, localAddress, instanceId: other.instanceId, vpcId: other.vpcId, privateIp: other.privateIp };
}

function snapshot(live: LiveFinding): FindingRecord {
  const lastSeen = new Date(live.lastSeen).toISOString();
  return {
    ...live.record,
    source: live.source,
    api: live.api,
    serviceName: live.serviceName,
    userAgent: live.userAgent,
    count: live.count,
    eventLastSeen: lastSeen,
    updatedAt: lastSeen > live.record.updatedAt ? lastSeen : live.record.updatedAt,
  };
}

/** A detector id of GuardDuty's shape (32 hex digits), fixed per account: iamd has one detector, always on. */
function detectorIdOf(accountId: string): string {
  return createHash('sha256').update(`iamd-detector:${accountId}`).digest('hex').slice(0, 32);
}
