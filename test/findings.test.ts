/**
 * Exfiltration findings end to end: instance credentials fetched from an instance's metadata
 * service, then used through the instance's own API address (nothing), copied to the host and used
 * through the public address 127.0.0.1 (OutsideAWS: one finding whose count grows), and used through
 * another instance's address (InsideAWS). Then iamd's API (ListFindings, GetFinding, ContainFinding,
 * authorized as iamd:*), the `iamd findings` command, auto-contain (the attacker's first call from
 * outside is its last, while the instance recovers at its next credential fetch), and findings
 * surviving a restart of `bin/iamd serve --auto-contain`. The AWS CLI plays the attacker where it is
 * installed (CI requires it).
 */
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, IAMClient, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AwsQueryClient, ServiceError } from '../src/cli/aws-client.js';
import { jsonOf, type JsonObject } from '../src/cli/findings.js';
import { IAMD_API } from '../src/cli/sessions.js';
import { child, type XmlNode } from '../src/protocol/xml-reader.js';
import { INSIDE_AWS, OUTSIDE_AWS } from '../src/findings/types.js';
import { loopbackAddress } from '../src/network/addresses.js';
import { callerEnv, iamdExec, runIamd } from './helpers/cli.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import {
  createInstanceRole, credentialsOf, EC2_TRUST, endpointsOf, fetchCredentials, putInstance, type InstanceProfile,
} from './helpers/imds.js';
import { startServerProcess } from './helpers/process.js';
import { aws, awsJson, realClient, run, AWS_CLI, cleanEnv } from './helpers/real-clients.js';
import { expectAwsError, startTestServer, type Credentials, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
const READ_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] });

async function whoAmI(endpoint: string, credentials: Credentials): Promise<string> {
  const sts = new STSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn!;
  } finally {
    sts.destroy();
  }
}

function iamdClient(endpoint: string, credentials: Credentials): AwsQueryClient {
  return new AwsQueryClient({ endpoint: new URL(endpoint), region: 'us-east-1', credentials, credentialSource: 'test' });
}

/** Calls an iamd finding operation and returns its result element as JSON. */
async function call(client: AwsQueryClient, action: string, params: Record<string, string> = {}): Promise<JsonObject> {
  const root: XmlNode = await client.call(IAMD_API, action, params);
  return jsonOf(child(root, `${action}Result`)!) as JsonObject;
}

const findingsIn = (result: JsonObject): JsonObject[] => result.Findings as JsonObject[];
const field = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((current, name) => (current as Record<string, unknown> | undefined)?.[name], value);

async function expectServiceError(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => error instanceof ServiceError && error.code === code);
}

describe('exfiltration findings', () => {
  let server: TestServer;
  let profile: InstanceProfile;

  before(async () => {
    server = await startTestServer();
    profile = await createInstanceRole(server, 'web-role', { policy: READ_POLICY });
  });
  after(async () => {
    await server.close();
  });

  const findingsOf = (accessKeyId: string) => server.app.findings.list().filter((finding) => finding.accessKeyId === accessKeyId);

  it('raise nothing while an instance uses its credentials through its own address', async () => {
    const instance = await putInstance(server, profile);
    const endpoints = endpointsOf(server, instance.instanceId);
    const credentials = credentialsOf(await fetchCredentials(endpoints.imdsUrl));
    for (let call = 0; call < 3; call++) assert.match(await whoAmI(endpoints.apiUrl, credentials), /assumed-role\/web-role\//);
    assert.deepEqual(findingsOf(credentials.accessKeyId), []);
  });

  it('raise one OutsideAWS finding for credentials copied to the host, counted, not repeated', async () => {
    const instance = await putInstance(server, profile);
    const endpoints = endpointsOf(server, instance.instanceId);
    const credentials = credentialsOf(await fetchCredentials(endpoints.imdsUrl));
    await whoAmI(server.url, credentials);
    const [finding, ...more] = findingsOf(credentials.accessKeyId);
    assert.equal(more.length, 0);
    assert.equal(finding!.type, OUTSIDE_AWS);
    assert.equal(finding!.severity, 8);
    assert.equal(finding!.count, 1);
    assert.equal(finding!.instanceId, instance.instanceId);
    assert.equal(finding!.roleName, 'web-role');
    assert.equal(finding!.source.ipAddress, '127.0.0.1');
    assert.equal(finding!.source.localAddress, '127.0.0.1');
    assert.equal(finding!.api, 'GetCallerIdentity');

    for (let call = 0; call < 4; call++) await whoAmI(server.url, credentials);
    const later = findingsOf(credentials.accessKeyId);
    assert.equal(later.length, 1, 'one finding per session, not one per request');
    assert.equal(later[0]!.id, finding!.id);
    assert.equal(later[0]!.count, 5);
    assert.ok(later[0]!.eventLastSeen >= finding!.eventFirstSeen);
    // The instance itself goes on without adding to it, and is not contained (auto-contain is off).
    await whoAmI(endpoints.apiUrl, credentials);
    assert.equal(findingsOf(credentials.accessKeyId)[0]!.count, 5);
    assert.equal(findingsOf(credentials.accessKeyId)[0]!.containment, undefined);
  });

  it('raise InsideAWS for credentials used through another instance\'s address', async () => {
    const owner = await putInstance(server, profile);
    const other = await putInstance(server, profile);
    const credentials = credentialsOf(await fetchCredentials(endpointsOf(server, owner.instanceId).imdsUrl));
    await whoAmI(endpointsOf(server, other.instanceId).apiUrl, credentials);
    const [finding, ...more] = findingsOf(credentials.accessKeyId);
    assert.equal(more.length, 0);
    assert.equal(finding!.type, INSIDE_AWS);
    assert.equal(finding!.instanceId, owner.instanceId);
    assert.equal(finding!.source.instanceId, other.instanceId);
    assert.equal(finding!.source.vpcId, other.vpcId);
    assert.equal(finding!.source.privateIp, other.privateIpAddress);
  });

  it('catch the AWS CLI as the attacker on the host', realClient('aws-cli'), async () => {
    const instance = await putInstance(server, profile);
    const credentials = credentialsOf(await fetchCredentials(endpointsOf(server, instance.instanceId).imdsUrl));
    const roles = await awsJson<{ Roles: Array<{ RoleName: string }> }>(server, credentials, ['iam', 'list-roles']);
    assert.ok(roles.Roles.some((role) => role.RoleName === 'web-role'));
    await awsJson(server, credentials, ['sts', 'get-caller-identity']);
    const [finding] = findingsOf(credentials.accessKeyId);
    assert.equal(finding!.type, OUTSIDE_AWS);
    assert.equal(finding!.count, 2);
    assert.equal(finding!.api, 'GetCallerIdentity');
    assert.match(finding!.userAgent, /^aws-cli\//);
  });
});

describe('the findings API and `iamd findings`', () => {
  let server: TestServer;
  let profile: InstanceProfile;
  let root: AwsQueryClient;
  let instanceId: string;
  let imdsUrl: string;
  let apiUrl: string;
  let copied: Credentials;
  let outsideId: string;

  before(async () => {
    server = await startTestServer();
    root = iamdClient(server.url, server.root);
    profile = await createInstanceRole(server, 'api-role', { policy: READ_POLICY });
    const instance = await putInstance(server, profile);
    instanceId = instance.instanceId;
    ({ imdsUrl, apiUrl } = endpointsOf(server, instanceId));
    copied = credentialsOf(await fetchCredentials(imdsUrl));
    await whoAmI(server.url, copied);
    await whoAmI(server.url, copied);
    // A second session (the v1 delivery) of the same instance, used through another instance: InsideAWS.
    const other = await putInstance(server, profile);
    const second = credentialsOf(await fetchCredentials(imdsUrl, true));
    await whoAmI(endpointsOf(server, other.instanceId).apiUrl, second);
    outsideId = server.app.findings.list().find((finding) => finding.accessKeyId === copied.accessKeyId)!.id;
  });
  after(async () => {
    await server.close();
  });

  it('ListFindings answers GuardDuty\'s finding format, filtered by type, instance and access key, in pages', async () => {
    const all = findingsIn(await call(root, 'ListFindings'));
    assert.equal(all.length, 2);
    const outside = all.find((finding) => finding.Id === outsideId)!;
    assert.equal(outside.Type, OUTSIDE_AWS);
    assert.equal(outside.Severity, 8);
    assert.match(String(outside.Arn), new RegExp(`^arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/[0-9a-f]{32}/finding/${outsideId}$`));
    assert.equal(outside.Title, 'Credentials for instance role api-role used from an external IP address.');
    assert.deepEqual(field(outside, 'Resource', 'AccessKeyDetails'), {
      AccessKeyId: copied.accessKeyId, PrincipalId: `${server.app.directory.get('role', 'api-role')!.roleId}:${instanceId}`, UserName: 'api-role', UserType: 'AssumedRole',
    });
    assert.equal(field(outside, 'Resource', 'InstanceDetails', 'InstanceId'), instanceId);
    assert.equal(field(outside, 'Service', 'Action', 'ActionType'), 'AWS_API_CALL');
    assert.deepEqual(field(outside, 'Service', 'Action', 'AwsApiCallAction'), {
      Api: 'GetCallerIdentity', CallerType: 'Remote IP', ServiceName: 'sts.amazonaws.com', UserAgent: field(outside, 'Service', 'Action', 'AwsApiCallAction', 'UserAgent'),
      RemoteIpDetails: { IpAddressV4: '127.0.0.1' },
    });
    assert.equal(field(outside, 'Service', 'Count'), 2);
    assert.match(String(field(outside, 'Service', 'EventFirstSeen')), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(field(outside, 'Iamd', 'InstanceArn'), `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${instanceId}`);
    assert.equal(field(outside, 'Iamd', 'RoleArn'), profile.roleArn);
    assert.equal(field(outside, 'Iamd', 'Contained'), false);
    assert.equal(field(outside, 'Iamd', 'SessionRevoked'), false);

    const inside = findingsIn(await call(root, 'ListFindings', { Type: INSIDE_AWS }));
    assert.equal(inside.length, 1);
    assert.equal(field(inside[0], 'Service', 'Action', 'AwsApiCallAction', 'CallerType'), 'Remote account');
    assert.deepEqual(field(inside[0], 'Service', 'Action', 'AwsApiCallAction', 'RemoteAccountDetails'), { AccountId: ACCOUNT, Affiliated: true });
    assert.equal(findingsIn(await call(root, 'ListFindings', { InstanceId: instanceId })).length, 2);
    assert.equal(findingsIn(await call(root, 'ListFindings', { InstanceId: 'i-0123456789abcdef0' })).length, 0);
    assert.deepEqual(findingsIn(await call(root, 'ListFindings', { AccessKeyId: copied.accessKeyId })).map((finding) => finding.Id), [outsideId]);
    await expectServiceError(call(root, 'ListFindings', { Type: 'Recon:IAMUser/TorIPCaller' }), 'ValidationError');

    const first = await call(root, 'ListFindings', { MaxItems: '1' });
    assert.equal(first.IsTruncated, true);
    const second = await call(root, 'ListFindings', { MaxItems: '1', Marker: String(first.Marker) });
    assert.equal(second.IsTruncated, false);
    assert.deepEqual([...findingsIn(first), ...findingsIn(second)].map((finding) => finding.Id).sort(), all.map((finding) => finding.Id).sort());
  });

  it('GetFinding answers one finding; an unknown id is NoSuchEntity', async () => {
    const answer = await call(root, 'GetFinding', { Id: outsideId });
    assert.equal(field(answer, 'Finding', 'Id'), outsideId);
    await expectServiceError(call(root, 'GetFinding', { Id: '0123456789abcdef0123456789abcdef' }), 'NoSuchEntity');
    await expectServiceError(call(root, 'GetFinding', { Id: 'Not-An-Id' }), 'ValidationError');
  });

  it('are authorized as iamd:ListFindings, iamd:GetFinding and iamd:ContainFinding, on the finding\'s ARN', async () => {
    const arn = String(field(await call(root, 'GetFinding', { Id: outsideId }), 'Finding', 'Arn'));
    const nobody = iamdClient(server.url, await createUserWithKey(server, 'nobody', allow('iam:ListRoles')));
    await expectServiceError(call(nobody, 'ListFindings'), 'AccessDenied');
    await expectServiceError(call(nobody, 'GetFinding', { Id: outsideId }), 'AccessDenied');
    await expectServiceError(call(nobody, 'ContainFinding', { Id: outsideId }), 'AccessDenied');
    const reader = iamdClient(server.url, await createUserWithKey(server, 'reader', allow(['iamd:GetFinding'], arn)));
    assert.equal(field(await call(reader, 'GetFinding', { Id: outsideId }), 'Finding', 'Id'), outsideId);
    await expectServiceError(call(reader, 'ListFindings'), 'AccessDenied');
    await expectServiceError(call(reader, 'ContainFinding', { Id: outsideId, DryRun: 'true' }), 'AccessDenied');
  });

  it('iamd findings prints a table, and --json the findings in GuardDuty\'s format', async () => {
    const env = callerEnv(server.url, server.root);
    const table = await runIamd(['findings'], env);
    assert.equal(table.status, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+TYPE\s+SEVERITY\s+INSTANCE\s+ROLE\s+ACCESS KEY\s+SOURCE\s+FIRST SEEN\s+LAST SEEN\s+COUNT\s+CONTAINED$/);
    const row = lines.find((line) => line.startsWith(outsideId))!;
    assert.match(row, new RegExp(`InstanceCredentialExfiltration\\.OutsideAWS\\s+High \\(8\\)\\s+${instanceId}\\s+api-role\\s+${copied.accessKeyId}\\s+127\\.0\\.0\\.1\\s.*\\s2\\s+no$`));
    assert.ok(lines.some((line) => line.includes('InstanceCredentialExfiltration.InsideAWS') && line.includes(`(vpc-`)), table.stdout);

    const json = await runIamd(['findings', '--json', '--type', 'OutsideAWS'], env);
    assert.equal(json.status, 0, json.stderr);
    const { Findings } = JSON.parse(json.stdout) as { Findings: JsonObject[] };
    assert.deepEqual(Findings.map((finding) => finding.Id), [outsideId]);
    assert.equal(field(Findings[0], 'Service', 'Count'), 2);

    const denied = await runIamd(['findings'], callerEnv(server.url, copied));
    assert.equal(denied.status, 254);
    assert.match(denied.stderr, /^iamd: AccessDenied: /);
    assert.equal((await runIamd(['findings', '--type', 'Sideways'], env)).status, 2);
  });

  it('ContainFinding revokes exactly the finding\'s session; the instance gets a fresh credential at its next fetch', async () => {
    const dry = await call(root, 'ContainFinding', { Id: outsideId, DryRun: 'true' });
    assert.equal(dry.DryRun, true);
    assert.deepEqual((dry.Sessions as JsonObject[]).map((session) => session.AccessKeyId), [copied.accessKeyId]);
    assert.equal(field(dry, 'Finding', 'Iamd', 'Contained'), false);
    await whoAmI(server.url, copied); // a dry run changes nothing

    const contain = await runIamd(['findings', 'contain', outsideId], callerEnv(server.url, server.root));
    assert.equal(contain.status, 0, contain.stderr);
    assert.match(contain.stdout, new RegExp(`^finding ${outsideId} contained: session ${copied.accessKeyId} is revoked\\n`));
    assert.match(contain.stdout, /yes \(root, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\)/);
    await expectAwsError(whoAmI(server.url, copied), 'InvalidClientTokenId');
    await expectAwsError(whoAmI(apiUrl, copied), 'InvalidClientTokenId');

    const finding = field(await call(root, 'GetFinding', { Id: outsideId }), 'Finding') as JsonObject;
    assert.equal(field(finding, 'Iamd', 'Contained'), true);
    assert.equal(field(finding, 'Iamd', 'ContainedBy'), `arn:aws:iam::${ACCOUNT}:root`);
    assert.equal(field(finding, 'Iamd', 'SessionRevoked'), true);
    const session = server.app.sessions.list({ accessKeyId: copied.accessKeyId })[0]!;
    assert.equal(session.status.revokedBy, 'containment');
    assert.equal(session.status.revokedByArn, finding.Arn);

    // Contained once: a second call leaves the first containment as it was.
    const again = await call(root, 'ContainFinding', { Id: outsideId });
    assert.equal(field(again, 'Finding', 'Iamd', 'ContainedAt'), field(finding, 'Iamd', 'ContainedAt'));

    const fresh = credentialsOf(await fetchCredentials(imdsUrl));
    assert.notEqual(fresh.accessKeyId, copied.accessKeyId);
    assert.match(await whoAmI(apiUrl, fresh), /assumed-role\/api-role\//);
    assert.equal(server.app.findings.list().filter((record) => record.accessKeyId === fresh.accessKeyId).length, 0);
  });
});

describe('auto-contain', () => {
  let server: TestServer;
  let profile: InstanceProfile;

  before(async () => {
    server = await startTestServer();
    server.app.findings.autoContain = true;
    profile = await createInstanceRole(server, 'contained-role', { policy: READ_POLICY });
  });
  after(async () => {
    await server.close();
  });

  it('refuses the attacker\'s first call from outside and every later one; the instance works on', realClient('aws-cli'), async () => {
    const instance = await putInstance(server, profile);
    const { imdsUrl, apiUrl } = endpointsOf(server, instance.instanceId);
    const stolen = credentialsOf(await fetchCredentials(imdsUrl));
    assert.match(await whoAmI(apiUrl, stolen), /assumed-role\/contained-role\//);

    const first = await aws(server, stolen, ['sts', 'get-caller-identity']);
    assert.equal(first.status, 254, first.stdout);
    assert.match(first.stderr, /\(InvalidClientTokenId\) when calling the GetCallerIdentity operation/);
    const [finding, ...more] = server.app.findings.list().filter((record) => record.accessKeyId === stolen.accessKeyId);
    assert.equal(more.length, 0);
    assert.equal(finding!.type, OUTSIDE_AWS);
    assert.equal(finding!.count, 1);
    assert.equal(finding!.containment?.containedBy, 'auto-contain');
    for (const args of [['sts', 'get-caller-identity'], ['iam', 'list-roles']]) {
      const later = await aws(server, stolen, args);
      assert.equal(later.status, 254);
      assert.match(later.stderr, /InvalidClientTokenId/);
    }
    // Refused at authentication from then on: the finding does not count them.
    assert.equal(server.app.findings.get(finding!.id)!.count, 1);

    // The instance: its next credential fetch gets a fresh session, which works through its address.
    const fresh = credentialsOf(await fetchCredentials(imdsUrl));
    assert.notEqual(fresh.accessKeyId, stolen.accessKeyId);
    assert.match(await whoAmI(apiUrl, fresh), /assumed-role\/contained-role\//);
    // ...and the AWS CLI on the instance (iamd exec), which fetches its credentials from IMDS.
    const onInstance = await iamdExec(instance.instanceId, ['aws', 'sts', 'get-caller-identity', '--output', 'json'], callerEnv(server.url, server.root));
    assert.equal(onInstance.status, 0, onInstance.stderr);
    assert.match(onInstance.stdout, new RegExp(`assumed-role/contained-role/${instance.instanceId}`));
    assert.equal(server.app.findings.list().length, 1);
  });

  it('contains through another instance\'s address too (InsideAWS)', async () => {
    const owner = await putInstance(server, profile);
    const other = await putInstance(server, profile);
    const stolen = credentialsOf(await fetchCredentials(endpointsOf(server, owner.instanceId).imdsUrl));
    await expectAwsError(whoAmI(endpointsOf(server, other.instanceId).apiUrl, stolen), 'InvalidClientTokenId');
    await expectAwsError(whoAmI(endpointsOf(server, owner.instanceId).apiUrl, stolen), 'InvalidClientTokenId');
    const [finding] = server.app.findings.list().filter((record) => record.accessKeyId === stolen.accessKeyId);
    assert.equal(finding!.type, INSIDE_AWS);
    assert.equal(finding!.containment?.containedBy, 'auto-contain');
  });
});

describe('iamd serve --auto-contain (IAMD_AUTO_CONTAIN=1)', () => {
  it('contains at the first request from outside, and its findings survive a restart', realClient('aws-cli'), async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamd-findings-'));
    const root: Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
    const env = { IAMD_ROOT_ACCESS_KEY_ID: root.accessKeyId, IAMD_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey, IAMD_AUTO_CONTAIN: '1', IAMD_LOG_LEVEL: 'silent' };
    let served = await startServerProcess(['--data-dir', dir, '--imds-port', '0'], env);
    try {
      const iam = new IAMClient({ endpoint: served.url, region: 'us-east-1', credentials: root, maxAttempts: 1 });
      await iam.send(new CreateRoleCommand({ RoleName: 'served-role', AssumeRolePolicyDocument: EC2_TRUST }));
      await iam.send(new PutRolePolicyCommand({ RoleName: 'served-role', PolicyName: 'read', PolicyDocument: READ_POLICY }));
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'served-role' }));
      await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'served-role', RoleName: 'served-role' }));
      iam.destroy();
      const ec2 = new EC2Client({ endpoint: served.url, region: 'us-east-1', credentials: root, maxAttempts: 1 });
      const launched = (await ec2.send(new RunInstancesCommand({
        ImageId: 'ami-03c951bbe993ea087', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: 'served-role' },
      }))).Instances![0]!;
      const deadline = Date.now() + 10_000;
      while ((await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched.InstanceId!] }))).Reservations![0]!.Instances![0]!.State!.Name !== 'running') {
        if (Date.now() > deadline) assert.fail('the instance did not reach running');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      ec2.destroy();
      const address = loopbackAddress(launched.PrivateIpAddress!);
      const ports = async () => (await (await fetch(`${served.url}/_iamd/health`)).json()) as { apiPort: number; imdsPort: number };
      let { apiPort, imdsPort } = await ports();
      const stolen = credentialsOf(await fetchCredentials(`http://${address}:${imdsPort}/`));
      assert.match(await whoAmI(`http://${address}:${apiPort}`, stolen), /assumed-role\/served-role\//);

      const attack = (args: readonly string[]) => run(AWS_CLI, ['--endpoint-url', served.url, '--output', 'json', ...args], cleanEnv(stolen));
      const first = await attack(['iam', 'list-roles']);
      assert.equal(first.status, 254, first.stdout);
      assert.match(first.stderr, /InvalidClientTokenId/);

      const listed = async (): Promise<JsonObject[]> => {
        const result = await runIamd(['findings', '--json'], callerEnv(served.url, root));
        assert.equal(result.status, 0, result.stderr);
        return (JSON.parse(result.stdout) as { Findings: JsonObject[] }).Findings;
      };
      const before = await listed();
      assert.equal(before.length, 1);
      assert.equal(before[0]!.Type, OUTSIDE_AWS);
      assert.equal(field(before[0], 'Resource', 'AccessKeyDetails', 'AccessKeyId'), stolen.accessKeyId);
      assert.equal(field(before[0], 'Service', 'Action', 'AwsApiCallAction', 'Api'), 'ListRoles');
      assert.equal(field(before[0], 'Iamd', 'ContainedBy'), 'auto-contain');

      // The trail has the refused call, with the stolen key and its error (written within a second).
      const refused = async (): Promise<Array<{ EventName: string; CloudTrailEvent: string }>> => {
        const lookup = await run(AWS_CLI, [
          '--endpoint-url', served.url, '--output', 'json', 'cloudtrail', 'lookup-events',
          '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${stolen.accessKeyId}`,
        ], cleanEnv(root));
        assert.equal(lookup.status, 0, lookup.stderr);
        return (JSON.parse(lookup.stdout) as { Events: Array<{ EventName: string; CloudTrailEvent: string }> }).Events;
      };
      let events = await refused();
      for (let tries = 0; !events.some((event) => event.EventName === 'ListRoles') && tries < 30; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        events = await refused();
      }
      const listRoles = events.find((event) => event.EventName === 'ListRoles');
      assert.ok(listRoles, JSON.stringify(events));
      assert.equal((JSON.parse(listRoles.CloudTrailEvent) as { errorCode?: string }).errorCode, 'InvalidClientTokenId');

      assert.equal(await served.stop(), 0);
      served = await startServerProcess(['--data-dir', dir, '--imds-port', '0'], env);
      ({ apiPort, imdsPort } = await ports());
      const after = await listed();
      assert.deepEqual(after, before);
      const again = await attack(['sts', 'get-caller-identity']);
      assert.equal(again.status, 254);
      assert.match(again.stderr, /InvalidClientTokenId/);
      const fresh = credentialsOf(await fetchCredentials(`http://${address}:${imdsPort}/`));
      assert.notEqual(fresh.accessKeyId, stolen.accessKeyId);
      assert.match(await whoAmI(`http://${address}:${apiPort}`, fresh), /assumed-role\/served-role\//);
      assert.equal((await listed()).length, 1);
    } finally {
      await served.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
