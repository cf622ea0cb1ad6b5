import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TokenKeyring } from '../auth/token-keyring.js';
import type { SessionClaims } from '../auth/session-token.js';
import { fixedClock } from '../domain/clock.js';
import { IdGenerator } from '../domain/ids.js';
import { App } from '../server/app.js';
import { issueCredentials } from '../services/sts/credentials.js';
import type { InstanceRecord } from '../services/ec2/types.js';
import { SecretBox } from '../store/secret-box.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { DEFAULT_EXPIRED_RETENTION_MS } from './sessions.js';
import { REVOKE_POLICY_NAME, revokeCutoff, revokePolicyDocument } from './role-cutoff.js';

const ACCOUNT = '000000000000';
const START = new Date('2026-11-28T10:00:00.000Z');
const dirs: string[] = [];
after(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

const keyring = TokenKeyring.inMemory();
const root = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

function open(file: string, clock = fixedClock(START)): App {
  return App.create({
    accountId: ACCOUNT, region: 'us-east-1', store: new SqliteStore(file), secrets: new SecretBox(Buffer.alloc(32, 3)), keyring, root, clock, ids: new IdGenerator(),
  });
}

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'iamd-sessions-'));
  dirs.push(dir);
  const file = join(dir, 'iamd.sqlite');
  const clock = fixedClock(START);
  const app = open(file, clock);
  app.directory.apply([{
    kind: 'role',
    put: {
      roleId: 'AROAEXAMPLEROLEID0001', roleName: 'web', path: '/', arn: `arn:aws:iam::${ACCOUNT}:role/web`, createDate: START.toISOString(),
      assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
      maxSessionDuration: 3600, tags: [], inlinePolicies: {}, attachedPolicyArns: [],
    },
  }]);
  const assume = (sessionName: string, seconds = 3600): SessionClaims => issueCredentials(app, clock.now(), {
    principal: { type: 'AssumedRole', accountId: ACCOUNT, roleId: 'AROAEXAMPLEROLEID0001', roleName: 'web', rolePath: '/', sessionName },
    issuedTo: `arn:aws:iam::${ACCOUNT}:user/alice`,
  }, seconds).claims;
  const instance = (instanceId: string, seconds = 6 * 3600): SessionClaims => issueCredentials(app, clock.now(), {
    principal: { type: 'AssumedRole', accountId: ACCOUNT, roleId: 'AROAEXAMPLEROLEID0001', roleName: 'web', rolePath: '/', sessionName: instanceId },
    issuedTo: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${instanceId}`,
    ec2: { instanceId, instanceArn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${instanceId}`, vpcId: 'vpc-1', privateIp: '172.31.0.5', roleDelivery: '2.0' },
  }, seconds).claims;
  return { app, clock, file, assume, instance };
}

describe('session inventory', () => {
  it('records every issued session with its origin, principal and source, and never its secret', () => {
    const { app, assume, instance } = fixture();
    const role = assume('build-42');
    const onInstance = instance('i-0123456789abcdef0');
    const user = issueCredentials(app, START, { principal: { type: 'User', accountId: ACCOUNT, userId: 'AIDAEXAMPLE', userName: 'alice', userPath: '/' }, issuedTo: `arn:aws:iam::${ACCOUNT}:user/alice` }, 900).claims;
    const federated = issueCredentials(app, START, { principal: { type: 'FederatedUser', accountId: ACCOUNT, name: 'bob' }, issuedTo: `arn:aws:iam::${ACCOUNT}:user/alice` }, 900).claims;

    const views = new Map(app.sessions.list().map((view) => [view.record.accessKeyId, view]));
    assert.equal(views.size, 4);
    assert.equal(views.get(role.accessKeyId)!.record.origin, 'AssumeRole');
    assert.equal(views.get(role.accessKeyId)!.principalArn, `arn:aws:sts::${ACCOUNT}:assumed-role/web/build-42`);
    assert.equal(views.get(onInstance.accessKeyId)!.record.origin, 'InstanceMetadata');
    assert.equal(views.get(onInstance.accessKeyId)!.record.instanceId, 'i-0123456789abcdef0');
    assert.equal(views.get(user.accessKeyId)!.record.origin, 'GetSessionToken');
    assert.equal(views.get(user.accessKeyId)!.principalArn, `arn:aws:iam::${ACCOUNT}:user/alice`);
    assert.equal(views.get(federated.accessKeyId)!.record.origin, 'GetFederationToken');
    assert.equal(views.get(federated.accessKeyId)!.principalArn, `arn:aws:sts::${ACCOUNT}:federated-user/bob`);
    assert.equal(views.get(role.accessKeyId)!.record.issuedAt, START.getTime());
    assert.equal(views.get(role.accessKeyId)!.record.expiresAt, START.getTime() + 3600_000);

    const stored = JSON.stringify(app.store.loadAll('session'));
    for (const claims of [role, onInstance, user, federated]) assert.ok(!stored.includes(claims.secretAccessKey), 'a secret reached the store');
    assert.deepEqual(app.sessions.list({ instanceId: 'i-0123456789abcdef0' }).map((view) => view.record.accessKeyId), [onInstance.accessKeyId]);
    assert.equal(app.sessions.list({ roleName: 'WEB' }).length, 2);
    app.close();
  });

  it('tracks last use in memory and writes it only on flush', () => {
    const { app, assume } = fixture();
    const claims = assume('worker');
    app.sessions.usage.touch(claims.accessKeyId, START.getTime() + 5, '203.0.113.9', undefined);
    app.sessions.usage.touch(claims.accessKeyId, START.getTime() + 9, '127.31.0.5', 'i-0123456789abcdef0');
    assert.equal(app.store.loadAll('session-usage').length, 0);
    const usage = app.sessions.view(app.sessions.inventory.get(claims.accessKeyId)!).usage!;
    assert.deepEqual({ ...usage }, { lastUsedAt: START.getTime() + 9, sourceIp: '127.31.0.5', viaInstanceId: 'i-0123456789abcdef0', requests: 2 });
    app.sessions.flush();
    assert.equal(app.store.loadAll('session-usage').length, 1);
    app.close();
  });
});

describe('targeted revoke', () => {
  it('revokes exactly one session, durably, and a reopened store still has it', () => {
    const { app, file, assume } = fixture();
    const leaked = assume('leaked');
    const other = assume('other');
    const outcome = app.sessions.revokeSession(leaked.accessKeyId, { revokedBy: `arn:aws:iam::${ACCOUNT}:root` });
    assert.deepEqual(outcome.sessions.map((view) => view.record.accessKeyId), [leaked.accessKeyId]);
    assert.equal(app.sessions.isRevoked(leaked.accessKeyId), true);
    assert.equal(app.sessions.isRevoked(other.accessKeyId), false);
    // the store has it before revokeSession returned: read it through a second connection
    const second = new SqliteStore(file);
    assert.deepEqual(second.loadAll('session-revocation').map((record) => record.key), [leaked.accessKeyId]);
    second.close();
    // a second revoke changes nothing
    assert.deepEqual(app.sessions.revokeSession(leaked.accessKeyId, { revokedBy: 'x' }).sessions, []);
    app.close();

    const reopened = open(file);
    assert.equal(reopened.sessions.isRevoked(leaked.accessKeyId), true);
    assert.equal(reopened.sessions.isRevoked(other.accessKeyId), false);
    const status = reopened.sessions.status(reopened.sessions.inventory.get(leaked.accessKeyId)!);
    assert.deepEqual(status, { revoked: true, revokedBy: 'session', revokedAt: START.getTime(), revokedByArn: `arn:aws:iam::${ACCOUNT}:root` });
    reopened.close();
  });

  it('a dry run lists what it would cut and changes nothing', () => {
    const { app, assume, instance } = fixture();
    const leaked = assume('leaked');
    const a = instance('i-0aaaaaaaaaaaaaaaa');
    const b = instance('i-0aaaaaaaaaaaaaaaa');
    const writes = app.store.loadAll('session-revocation').length;
    assert.equal(app.sessions.revokeSession(leaked.accessKeyId, { revokedBy: 'x', dryRun: true }).sessions.length, 1);
    assert.deepEqual(app.sessions.revokeInstance('i-0aaaaaaaaaaaaaaaa', { revokedBy: 'x', dryRun: true }).sessions.map((view) => view.record.accessKeyId).sort(), [a.accessKeyId, b.accessKeyId].sort());
    const role = app.sessions.revokeRole('web', new Date(START.getTime() + 1), { revokedBy: 'x', dryRun: true, reissue: true });
    assert.equal(role.sessions.length, 3);
    assert.equal(app.store.loadAll('session-revocation').length, writes);
    assert.equal(app.sessions.revoked.size, 0);
    assert.deepEqual(app.directory.get('role', 'web')!.inlinePolicies, {});
    app.close();
  });

  it('an unknown or expired key is NoSuchEntity, unless the caller knows when it expires', () => {
    const { app, clock, assume } = fixture();
    const short = assume('short', 900);
    clock.advance(900_000);
    assert.throws(() => app.sessions.revokeSession(short.accessKeyId, { revokedBy: 'x' }), { code: 'NoSuchEntity' });
    assert.throws(() => app.sessions.revokeSession('ASIAUNKNOWNUNKNOWN00', { revokedBy: 'x' }), { code: 'NoSuchEntity' });
    app.sessions.revokeSession('ASIAUNKNOWNUNKNOWN00', { revokedBy: 'x', scope: 'containment', expiresAt: clock.now().getTime() + 60_000 });
    assert.equal(app.sessions.isRevoked('ASIAUNKNOWNUNKNOWN00'), true);
    app.close();
  });
});

describe('expiry', () => {
  it('drops expired sessions, their use and their revocations after the retention, from memory and the store', () => {
    const { app, clock, assume } = fixture();
    const soon = assume('soon', 900);
    const later = assume('later', 3600);
    app.sessions.revokeSession(soon.accessKeyId, { revokedBy: 'x' });
    app.sessions.usage.touch(soon.accessKeyId, START.getTime(), '127.0.0.1', undefined);
    app.sessions.flush();

    clock.advance(900_000);
    app.sessions.sweep();
    // expired, but listable with IncludeExpired for the retention
    assert.deepEqual(app.sessions.list().map((view) => view.record.accessKeyId), [later.accessKeyId]);
    // both were issued at the same instant, so their order is not part of the contract
    const listed = app.sessions.list({ includeExpired: true }).map((view) => [view.record.accessKeyId, view.expired] as const);
    assert.deepEqual([...listed].sort(([a], [b]) => a.localeCompare(b)), [[soon.accessKeyId, true], [later.accessKeyId, false]].sort(([a], [b]) => String(a).localeCompare(String(b))));

    clock.advance(DEFAULT_EXPIRED_RETENTION_MS + 60_000);
    app.sessions.sweep();
    assert.equal(app.sessions.inventory.get(soon.accessKeyId), undefined);
    assert.equal(app.sessions.isRevoked(soon.accessKeyId), false);
    assert.deepEqual(app.store.loadAll('session').map((record) => record.key), [later.accessKeyId]);
    assert.deepEqual(app.store.loadAll('session-revocation'), []);
    assert.deepEqual(app.store.loadAll('session-usage'), []);
    app.close();
  });
});

describe('role-wide revoke', () => {
  it('puts AWSRevokeOlderSessions (array form, milliseconds) and shows the sessions it cuts as revoked by the role', () => {
    const { app, clock, assume } = fixture();
    const older = assume('older');
    clock.advance(5);
    const cutoff = clock.now();
    const outcome = app.sessions.revokeRole('web', cutoff, { revokedBy: 'x' });
    assert.deepEqual(outcome.sessions.map((view) => view.record.accessKeyId), [older.accessKeyId]);
    const text = app.directory.get('role', 'web')!.inlinePolicies[REVOKE_POLICY_NAME]!;
    assert.equal(text, revokePolicyDocument(cutoff));
    assert.match(text, /"Statement":\[\{"Effect":"Deny","Action":\["\*"\],"Resource":\["\*"\],"Condition":\{"DateLessThan":\{"aws:TokenIssueTime":"2026-11-28T10:00:00\.005Z"\}\}\}\]/);
    const newer = assume('newer');
    assert.equal(app.sessions.status(app.sessions.inventory.get(older.accessKeyId)!).revokedBy, 'role');
    assert.equal(app.sessions.status(app.sessions.inventory.get(newer.accessKeyId)!).revoked, false);
    // clicking again moves the cut-off forward
    clock.advance(1000);
    app.sessions.revokeRole('web', clock.now(), { revokedBy: 'x' });
    assert.equal(app.sessions.status(app.sessions.inventory.get(newer.accessKeyId)!).revokedBy, 'role');
    assert.equal(Object.keys(app.directory.get('role', 'web')!.inlinePolicies).length, 1);
    app.close();
  });

  it('with reissue, clears the held credentials of the role\'s instances (not terminated ones)', () => {
    const { app, instance } = fixture();
    app.directory.apply([{ kind: 'instance-profile', put: { instanceProfileId: 'AIPAEXAMPLE', instanceProfileName: 'web', path: '/', arn: `arn:aws:iam::${ACCOUNT}:instance-profile/web`, createDate: START.toISOString(), roleName: 'web', tags: [] } }]);
    const put = (instanceId: string, state: InstanceRecord['state']): void => {
      const claims = instance(instanceId);
      app.ec2.instances.put({
        instanceId, imageId: 'ami-1', instanceType: 't3.micro', state, stateTransitionReason: '', launchTime: START.toISOString(), pendingTime: START.toISOString(),
        availabilityZone: 'us-east-1a', vpcId: 'vpc-1', subnetId: 'subnet-1', privateIpAddress: '172.31.0.5', privateDnsName: 'x', macAddress: '0e:00:00:00:00:01',
        networkInterfaceId: 'eni-1', securityGroupIds: [], architecture: 'x86_64', amiLaunchIndex: 0, reservationId: 'r-1', ownerId: ACCOUNT, tags: [],
        metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', instanceMetadataTags: 'disabled' },
        profileAssociation: { associationId: 'iip-assoc-1', instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/web`, instanceProfileId: 'AIPAEXAMPLE', state: 'associated', generation: 1 },
        credential: { roleName: 'web', accessKeyId: claims.accessKeyId, sessionToken: 't', lastUpdated: 'x', expiration: 'y', associationGeneration: 1, bootCount: 1, associationId: 'iip-assoc-1' },
        bootCount: 1,
      });
    };
    put('i-0aaaaaaaaaaaaaaaa', 'running');
    put('i-0bbbbbbbbbbbbbbbb', 'terminated');
    assert.equal(app.sessions.list({ instanceId: 'i-0aaaaaaaaaaaaaaaa' })[0]!.served, true);
    const outcome = app.sessions.revokeRole('web', new Date(START.getTime() + 1), { revokedBy: 'x', reissue: true });
    assert.deepEqual(outcome.reissued.map((record) => record.instanceId), ['i-0aaaaaaaaaaaaaaaa']);
    assert.equal(app.ec2.instances.get('i-0aaaaaaaaaaaaaaaa')!.credential, undefined);
    assert.ok(app.ec2.instances.get('i-0bbbbbbbbbbbbbbbb')!.credential);
    app.close();
  });

  it('reads the cut-off of both document forms AWS shows', () => {
    const statement = (time: string) => ({ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': time } } });
    const single = JSON.stringify({ Version: '2012-10-17', Statement: statement('2024-10-10T09:43:48Z') });
    const array = JSON.stringify({ Version: '2012-10-17', Statement: [statement('2024-10-10T09:43:48.085Z')] });
    assert.equal(revokeCutoff({ awsrevokeoldersessions: single }), Date.parse('2024-10-10T09:43:48Z'));
    assert.equal(revokeCutoff({ AWSRevokeOlderSessions: array, other: '{}' }), Date.parse('2024-10-10T09:43:48.085Z'));
    assert.equal(revokeCutoff({ other: array }), undefined);
    assert.equal(revokeCutoff({ AWSRevokeOlderSessions: 'not json' }), undefined);
  });
});
