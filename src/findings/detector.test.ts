import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Caller } from '../auth/caller.js';
import type { RequestInfo } from '../auth/request-context.js';
import type { SessionClaims } from '../auth/session-token.js';
import { fixedClock } from '../domain/clock.js';
import { IdGenerator } from '../domain/ids.js';
import { InstanceAddresses } from '../network/instance-addresses.js';
import type { ObservedRequest } from '../server/app.js';
import { silentLogger } from '../server/logger.js';
import type { InstanceRecord } from '../services/ec2/types.js';
import { RecordTable } from '../store/record-table.js';
import type { RecordChange, Store, StoredRecord } from '../store/store.js';
import { ExfiltrationFindings, type FindingsOptions } from './detector.js';
import { findingView } from './guardduty-format.js';
import { INSIDE_AWS, OUTSIDE_AWS } from './types.js';

/** A store in memory that counts its writes. */
class CountingStore implements Store {
  readonly rows = new Map<string, StoredRecord>();
  writes = 0;
  loadAll(kind: string): StoredRecord[] {
    return [...this.rows.values()].filter((row) => row.kind === kind);
  }
  write(changes: readonly RecordChange[]): void {
    this.writes++;
    for (const change of changes) {
      const id = `${change.kind}/${change.key}`;
      if (change.body === null) this.rows.delete(id);
      else this.rows.set(id, { kind: change.kind, key: change.key, body: JSON.parse(JSON.stringify(change.body)) });
    }
  }
  onChange(): void {}
  close(): void {}
}

const ACCOUNT = '000000000000';
const HOME = { instanceId: 'i-0aaaaaaaaaaaaaaaa', privateIp: '172.31.9.5', address: '127.31.9.5' };
const OTHER = { instanceId: 'i-0bbbbbbbbbbbbbbbb', privateIp: '172.31.9.6', address: '127.31.9.6' };
const VPC = 'vpc-0a1b2c3d4e5f60718';

function instance(id: string, privateIp: string): InstanceRecord {
  return { instanceId: id, state: 'running', privateIpAddress: privateIp, vpcId: VPC } as InstanceRecord;
}

function setup(options: Partial<FindingsOptions> = {}, store = new CountingStore(), start = new Date('2026-11-28T10:00:00.000Z')) {
  const clock = fixedClock(start);
  const instances = new RecordTable<InstanceRecord>(store, 'ec2-instance', (row) => row.instanceId);
  instances.put(instance(HOME.instanceId, HOME.privateIp));
  instances.put(instance(OTHER.instanceId, OTHER.privateIp));
  const revoked: string[] = [];
  const host = {
    accountId: ACCOUNT, region: 'us-east-1', store, clock, ids: new IdGenerator(), network: new InstanceAddresses(instances),
    logger: silentLogger, requestObservers: [] as Array<(observed: ObservedRequest) => void>,
  };
  const findings = new ExfiltrationFindings(host, {
    revoke: (finding) => { revoked.push(finding.accessKeyId); },
    revokedError: (accessKeyId) => new Error(`revoked ${accessKeyId}`),
    flushIntervalMs: 0,
    ...options,
  });
  const observe = (caller: Caller, localAddress: string, sourceIp = '127.0.0.1'): void => {
    const request: RequestInfo = { sourceIp, localAddress, secure: false, userAgent: 'aws-cli/2', region: 'us-east-1', time: clock.now() };
    for (const observer of host.requestObservers) observer({ caller, request, service: 'sts', action: 'GetCallerIdentity', requestId: 'r' });
  };
  return { findings, store, clock, revoked, observe, host };
}

function instanceCaller(accessKeyId: string, instanceId = HOME.instanceId): Caller {
  const session: SessionClaims = {
    accessKeyId, secretAccessKey: 'x', issuedAt: Date.parse('2026-11-28T09:00:00.000Z'), expiresAt: Date.parse('2026-11-28T15:00:00.000Z'),
    principal: { type: 'AssumedRole', accountId: ACCOUNT, roleId: 'AROAEXAMPLEEXAMPLE12', roleName: 'web', rolePath: '/', sessionName: instanceId },
    ec2: { instanceId, instanceArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${instanceId}`, vpcId: VPC, privateIp: HOME.privateIp, roleDelivery: '2.0' },
  };
  return {
    kind: 'role-session', accountId: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/web/${instanceId}`, userId: `AROAEXAMPLEEXAMPLE12:${instanceId}`,
    roleName: 'web', roleArn: `arn:aws:iam::${ACCOUNT}:role/web`, accessKeyId, session,
  };
}

describe('exfiltration findings', () => {
  it('raise nothing for instance credentials used through their own instance, nor for other callers', () => {
    const { findings, observe, store } = setup();
    const writes = store.writes;
    observe(instanceCaller('ASIAHOMEHOMEHOMEHOME'), HOME.address, HOME.address);
    observe({ kind: 'root', accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, userId: ACCOUNT, accessKeyId: 'AKIAROOTROOTROOTROOT' }, '127.0.0.1');
    assert.deepEqual(findings.list(), []);
    assert.equal(store.writes, writes);
  });

  it('raise one OutsideAWS finding per session, counted in memory and flushed', () => {
    const { findings, observe, store, clock } = setup();
    const caller = instanceCaller('ASIACOPYCOPYCOPYCOPY');
    observe(caller, '127.0.0.1');
    const writesAfterCreate = store.writes;
    for (let call = 0; call < 9; call++) {
      clock.advance(1000);
      observe(caller, '127.0.0.1');
    }
    assert.equal(store.writes, writesAfterCreate, 'no database write per request');
    const [finding, ...others] = findings.list();
    assert.equal(others.length, 0);
    assert.equal(finding!.type, OUTSIDE_AWS);
    assert.equal(finding!.severity, 8);
    assert.equal(finding!.count, 10);
    assert.equal(finding!.eventFirstSeen, '2026-11-28T10:00:00.000Z');
    assert.equal(finding!.eventLastSeen, '2026-11-28T10:00:09.000Z');
    assert.equal(finding!.instanceId, HOME.instanceId);
    assert.equal(finding!.roleName, 'web');
    assert.equal(finding!.source.ipAddress, '127.0.0.1');
    assert.match(finding!.id, /^[0-9a-f]{32}$/);
    findings.flush();
    assert.equal(store.writes, writesAfterCreate + 1);
    assert.equal((store.rows.get(`finding/${finding!.id}`)!.body as { count: number }).count, 10);
  });

  it('raise InsideAWS through another instance\'s address, with that instance and VPC', () => {
    const { findings, observe } = setup();
    observe(instanceCaller('ASIAMOVEDMOVEDMOVEDM'), OTHER.address, OTHER.address);
    const [finding] = findings.list();
    assert.equal(finding!.type, INSIDE_AWS);
    assert.deepEqual(finding!.source, { ipAddress: OTHER.address, localAddress: OTHER.address, instanceId: OTHER.instanceId, vpcId: VPC, privateIp: OTHER.privateIp });
    const view = findingView(finding!, findings.arnOf(finding!), findings.detectorId);
    const at = (...path: string[]): unknown => path.reduce<unknown>((node, name) => (node as Record<string, unknown>)[name], view);
    assert.equal(at('Service', 'Action', 'AwsApiCallAction', 'RemoteIpDetails', 'IpAddressV4'), OTHER.privateIp);
    assert.deepEqual(at('Service', 'Action', 'AwsApiCallAction', 'RemoteAccountDetails'), { AccountId: ACCOUNT, Affiliated: true });
    assert.equal(at('Resource', 'AccessKeyDetails', 'AccessKeyId'), 'ASIAMOVEDMOVEDMOVEDM');
    assert.match(String(at('Arn')), /^arn:aws:guardduty:us-east-1:000000000000:detector\/[0-9a-f]{32}\/finding\/[0-9a-f]{32}$/);
  });

  it('with auto-contain revoke the session and refuse the request that raised the finding', () => {
    const { findings, observe, revoked } = setup();
    findings.autoContain = true;
    const caller = instanceCaller('ASIALEAKLEAKLEAKLEAK');
    assert.throws(() => observe(caller, '127.0.0.1'), /revoked ASIALEAKLEAKLEAKLEAK/);
    assert.deepEqual(revoked, ['ASIALEAKLEAKLEAKLEAK']);
    const [finding] = findings.list();
    assert.equal(finding!.containment?.containedBy, 'auto-contain');
    // Contained once: a request that still reaches the observer counts, and is left to the revocation.
    observe(caller, '127.0.0.1');
    assert.deepEqual(revoked, ['ASIALEAKLEAKLEAKLEAK']);
    assert.equal(findings.get(finding!.id)!.count, 2);
  });

  it('contain on demand once, and survive a restart with their counts', () => {
    const first = setup();
    const caller = instanceCaller('ASIAKEEPKEEPKEEPKEEP');
    first.observe(caller, '127.0.0.1');
    first.observe(caller, '127.0.0.1');
    const id = first.findings.list()[0]!.id;
    assert.equal(first.findings.containFinding(id, 'arn:aws:iam::000000000000:root')!.containment!.containedBy, 'arn:aws:iam::000000000000:root');
    first.findings.containFinding(id, 'someone else');
    assert.deepEqual(first.revoked, ['ASIAKEEPKEEPKEEPKEEP']);
    first.observe(caller, '127.0.0.1');
    first.findings.close();
    const second = setup({}, first.store);
    const again = second.findings.get(id)!;
    assert.equal(again.count, 3);
    assert.equal(again.containment!.containedBy, 'arn:aws:iam::000000000000:root');
    second.observe(caller, '127.0.0.1');
    assert.equal(second.findings.list().length, 1, 'the same finding goes on after a restart');
    assert.equal(second.findings.get(id)!.count, 4);
  });

  it('are dropped 90 days after they were last seen', () => {
    const first = setup();
    first.observe(instanceCaller('ASIAOLDOLDOLDOLDOLDO'), '127.0.0.1');
    first.findings.close();
    assert.equal(setup({}, first.store, new Date('2027-02-25T10:00:00.000Z')).findings.list().length, 1, '89 days on');
    assert.equal(setup({}, first.store, new Date('2027-02-27T10:00:00.000Z')).findings.list().length, 0, '91 days on');
    assert.equal(first.store.loadAll('finding').length, 0);
  });
});
