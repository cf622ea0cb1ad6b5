/**
 * "What did the leaked key do?" with the real clients: an instance's role credentials are copied
 * out of its metadata service and used from the host (allowed, denied and failed calls); then
 * `aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=ASIA...`,
 * boto3's lookup_events paginator and `iamd trail --access-key-id ASIA...` each find all of it,
 * with the refused calls' error codes, and tell the instance's own calls (its private IP) from the
 * attacker's (the host's address).
 *
 * The AWS CLI and boto3 parts skip locally when those clients are missing (CI requires them).
 */
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CloudTrailEvent } from '../src/audit/cloudtrail-event.js';
import { callerEnv, runIamd } from './helpers/cli.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import { createInstanceRole, credentialsOf, endpointsOf, fetchCredentials, putInstance } from './helpers/imds.js';
import { aws, awsJson, boto3, realClient } from './helpers/real-clients.js';
import { iamClient, startTestServer, type Credentials, type TestServer } from './helpers/server.js';

let server: TestServer;
let leaked: Credentials;
let privateIp: string;
let auditor: Credentials;

before(async () => {
  server = await startTestServer();
  const profile = await createInstanceRole(server, 'web-trail', { policy: allow(['sts:GetCallerIdentity', 'ec2:DescribeInstances']) });
  const iam = iamClient(server);
  await iam.send(new PutRolePolicyCommand({ RoleName: 'web-trail', PolicyName: 'read', PolicyDocument: allow('ec2:DescribeInstances') }));
  iam.destroy();
  const instance = await putInstance(server, profile);
  privateIp = instance.privateIpAddress!;
  const { imdsUrl, apiUrl } = endpointsOf(server, instance.instanceId);
  leaked = credentialsOf(await fetchCredentials(imdsUrl));
  // The instance's own call, through its address.
  const own = new STSClient({ endpoint: apiUrl, region: 'us-east-1', credentials: leaked, maxAttempts: 1 });
  await own.send(new GetCallerIdentityCommand({}));
  own.destroy();
  // The attacker's calls from the host: one allowed, one denied, one with a tampered secret.
  const attacker = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: leaked, maxAttempts: 1 });
  await attacker.send(new GetCallerIdentityCommand({}));
  attacker.destroy();
  const denied = iamClient(server, leaked);
  await denied.send(new (await import('@aws-sdk/client-iam')).ListUsersCommand({})).catch(() => undefined);
  denied.destroy();
  const tampered = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: { ...leaked, secretAccessKey: `${leaked.secretAccessKey.slice(0, -4)}AAAA` }, maxAttempts: 1 });
  await tampered.send(new GetCallerIdentityCommand({})).catch(() => undefined);
  tampered.destroy();
  auditor = await createUserWithKey(server, 'responder', allow('cloudtrail:LookupEvents'));
});
after(() => server.close());

/** What every client must find for the leaked key, newest first (its lookups, refused in other tests, aside). */
function checkLeakedActivity(all: readonly CloudTrailEvent[]): void {
  const records = all.filter((record) => record.eventSource !== 'cloudtrail.amazonaws.com');
  const summary = records.map((record) => `${record.eventName} ${record.sourceIPAddress} ${record.errorCode ?? 'ok'}`);
  assert.deepEqual(summary, [
    'GetCallerIdentity 127.0.0.1 SignatureDoesNotMatch',
    'ListUsers 127.0.0.1 AccessDenied',
    'GetCallerIdentity 127.0.0.1 ok',
    `GetCallerIdentity ${privateIp} ok`,
  ]);
  for (const record of records) {
    assert.equal(record.userIdentity.type, 'AssumedRole');
    assert.equal(record.userIdentity.accessKeyId, leaked.accessKeyId);
    assert.equal(record.userIdentity.sessionContext?.sessionIssuer?.userName, 'web-trail');
  }
}

describe('finding a leaked session\'s calls', () => {
  it('aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=ASIA...', realClient('aws-cli'), async () => {
    const answer = await awsJson<{ Events: Array<{ EventName: string; AccessKeyId: string; Username: string; CloudTrailEvent: string }> }>(server, auditor, [
      'cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${leaked.accessKeyId}`,
    ]);
    checkLeakedActivity(answer.Events.map((event) => JSON.parse(event.CloudTrailEvent) as CloudTrailEvent));
    assert.ok(answer.Events.every((event) => event.AccessKeyId === leaked.accessKeyId && /^i-/.test(event.Username)));
  });

  it('aws cloudtrail lookup-events pages with --max-items / --starting-token, and filters by time', realClient('aws-cli'), async () => {
    const first = await awsJson<{ Events: unknown[]; NextToken: string }>(server, auditor, [
      'cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${leaked.accessKeyId}`, '--max-items', '3', '--page-size', '2',
    ]);
    assert.equal(first.Events.length, 3);
    const rest = await awsJson<{ Events: unknown[] }>(server, auditor, [
      'cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${leaked.accessKeyId}`, '--starting-token', first.NextToken,
    ]);
    assert.equal(rest.Events.length, 1);
    const future = await awsJson<{ Events: unknown[] }>(server, auditor, [
      'cloudtrail', 'lookup-events', '--start-time', new Date(Date.now() + 3600_000).toISOString(),
    ]);
    assert.equal(future.Events.length, 0);
    const denied = await aws(server, leaked, ['cloudtrail', 'lookup-events']);
    assert.equal(denied.status, 254);
    assert.match(denied.stderr, /AccessDeniedException/);
  });

  it('boto3 lookup_events (paginated)', realClient('boto3'), async () => {
    const result = await boto3(server, auditor, `
client = boto3.client("cloudtrail", endpoint_url=ENDPOINT, region_name="us-east-1")
pages = client.get_paginator("lookup_events").paginate(
    LookupAttributes=[{"AttributeKey": "AccessKeyId", "AttributeValue": os.environ["LEAKED"]}], PaginationConfig={"PageSize": 2})
events = [event for page in pages for event in page["Events"]]
print(json.dumps({"records": [json.loads(event["CloudTrailEvent"]) for event in events], "times": [event["EventTime"].isoformat() for event in events]}))
try:
    client.lookup_events(MaxResults=99)
except botocore.exceptions.ClientError as error:
    print(json.dumps({"error": error.response["Error"]["Code"]}))
`.replace('os.environ["LEAKED"]', JSON.stringify(leaked.accessKeyId)));
    assert.equal(result.status, 0, result.stderr);
    const [first, second] = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    checkLeakedActivity((first as { records: CloudTrailEvent[] }).records);
    assert.ok((first as { times: string[] }).times.every((time) => time.endsWith('+00:00')));
    assert.equal(second!.error, 'InvalidMaxResultsException');
  });

  it('iamd trail --access-key-id ASIA... prints a table, and --json the records', async () => {
    const env = callerEnv(server.url, auditor);
    const table = await runIamd(['trail', '--access-key-id', leaked.accessKeyId], env);
    assert.equal(table.status, 0, table.stderr);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    assert.match(header!, /^TIME\s+SOURCE\s+EVENT\s+PRINCIPAL\s+ACCESS KEY\s+SOURCE IP\s+ERROR$/);
    const lines = [header, ...rows.filter((line) => !/\scloudtrail\s/.test(line))];
    assert.equal(lines.length, 5);
    assert.match(lines[1]!, new RegExp(`sts\\s+GetCallerIdentity\\s+arn:aws:sts::000000000000:assumed-role/web-trail/i-\\w+\\s+${leaked.accessKeyId}\\s+127\\.0\\.0\\.1\\s+SignatureDoesNotMatch$`));
    assert.match(lines[2]!, /iam\s+ListUsers\s+.*\s+AccessDenied$/);
    assert.match(lines[4]!, new RegExp(`${privateIp.replace(/\./g, '\\.')}\\s+-$`));

    const json = await runIamd(['trail', '--access-key-id', leaked.accessKeyId, '--json'], env);
    assert.equal(json.status, 0, json.stderr);
    checkLeakedActivity((JSON.parse(json.stdout) as { Records: CloudTrailEvent[] }).Records);

    const recent = await runIamd(['trail', '--event-name', 'ListUsers', '--start-time', '10m', '--max-items', '1', '--json'], env);
    assert.equal((JSON.parse(recent.stdout) as { Records: CloudTrailEvent[] }).Records.length, 1);
  });

  it('iamd trail refuses two filters, and says so when the caller may not look', async () => {
    const two = await runIamd(['trail', '--access-key-id', leaked.accessKeyId, '--username', 'x'], callerEnv(server.url, auditor));
    assert.equal(two.status, 2);
    assert.match(two.stderr, /one filter at a time/);
    const denied = await runIamd(['trail'], callerEnv(server.url, leaked));
    assert.equal(denied.status, 254);
    assert.match(denied.stderr, /^iamd: AccessDeniedException: .*cloudtrail:LookupEvents/);
  });
});
