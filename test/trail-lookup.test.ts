/**
 * CloudTrail LookupEvents over the JSON 1.1 protocol, with the JS SDK: each lookup attribute, the
 * time range, pages, newest first, the Events shape, authorization as cloudtrail:LookupEvents, and
 * the protocol's errors (`__type`, status) for bad input and failed authentication.
 */
import { LookupEventsCommand, paginateLookupEvents, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { CreateRoleCommand, CreateUserCommand, DeleteUserCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allow, createUserWithKey } from './helpers/iam.js';
import { expectAwsError, iamClient, startTestServer, stsClient, type Credentials, type TestServer } from './helpers/server.js';
import { send, signHeaders } from './helpers/sign.js';
import { byAccessKey, cloudTrailClient, lookup } from './helpers/trail.js';

const ACCOUNT = '000000000000';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });

let server: TestServer;
let auditor: Credentials;
let worker: Credentials;
let session: Credentials;
before(async () => {
  server = await startTestServer();
  auditor = await createUserWithKey(server, 'auditor', allow('cloudtrail:LookupEvents'));
  worker = await createUserWithKey(server, 'worker', allow('sts:AssumeRole'));
  const iam = iamClient(server);
  await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: TRUST }));
  iam.destroy();
  const sts = stsClient(server, worker);
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/app`, RoleSessionName: 'job-7' }));
  for (let index = 0; index < 3; index++) await sts.send(new GetCallerIdentityCommand({}));
  sts.destroy();
  session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
  const asSession = stsClient(server, session);
  await asSession.send(new GetCallerIdentityCommand({}));
  asSession.destroy();
});
after(() => server.close());

describe('LookupEvents', () => {
  it('answers with AWS\'s Events shape, newest first, the record as CloudTrailEvent', async () => {
    const client = cloudTrailClient(server, auditor);
    const answer = await client.send(new LookupEventsCommand(byAccessKey(worker.accessKeyId)));
    client.destroy();
    const events = answer.Events!;
    assert.deepEqual(events.map((event) => event.EventName), ['GetCallerIdentity', 'GetCallerIdentity', 'GetCallerIdentity', 'AssumeRole']);
    const assume = events[3]!;
    assert.equal(assume.EventSource, 'sts.amazonaws.com');
    assert.equal(assume.ReadOnly, 'true');
    assert.equal(assume.AccessKeyId, worker.accessKeyId);
    assert.equal(assume.Username, 'worker');
    assert.ok(assume.EventTime instanceof Date && Math.abs(assume.EventTime.getTime() - Date.now()) < 60_000);
    const record = JSON.parse(assume.CloudTrailEvent!) as { eventID: string; eventName: string };
    assert.equal(record.eventID, assume.EventId);
    assert.equal(record.eventName, 'AssumeRole');
    // The role, the session and its new access key are the resources AssumeRole touched.
    assert.deepEqual(new Set(assume.Resources!.map((resource) => `${resource.ResourceType} ${resource.ResourceName}`)), new Set([
      `AWS::IAM::Role arn:aws:iam::${ACCOUNT}:role/app`,
      `AWS::IAM::AccessKey ${session.accessKeyId}`,
      `AWS::STS::AssumedRole arn:aws:sts::${ACCOUNT}:assumed-role/app/job-7`,
    ]));
    const times = events.map((event) => event.EventTime!.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.equal(answer.NextToken, undefined);
  });

  it('filters by each attribute', async () => {
    const names = async (input: LookupEventsCommandInput): Promise<string[]> => (await lookup(server, input, auditor)).map((record) => record.eventName);
    const attribute = (AttributeKey: NonNullable<LookupEventsCommandInput['LookupAttributes']>[number]['AttributeKey'], AttributeValue: string): LookupEventsCommandInput =>
      ({ LookupAttributes: [{ AttributeKey, AttributeValue }] });

    assert.deepEqual(await names(byAccessKey(session.accessKeyId)), ['GetCallerIdentity']);
    assert.deepEqual(await names(attribute('Username', 'job-7')), ['GetCallerIdentity'], 'a role session\'s user name is its session name');
    assert.deepEqual(await names(attribute('EventName', 'AssumeRole')), ['AssumeRole']);
    assert.deepEqual(new Set(await names(attribute('EventSource', 'iam.amazonaws.com'))), new Set(['CreateUser', 'PutUserPolicy', 'CreateAccessKey', 'CreateRole']));
    assert.deepEqual(new Set(await names(attribute('ResourceName', `arn:aws:iam::${ACCOUNT}:role/app`))), new Set(['AssumeRole']));
    assert.deepEqual(new Set(await names(attribute('ResourceName', 'app'))), new Set(['CreateRole']));
    assert.deepEqual(new Set(await names(attribute('ResourceType', 'AWS::IAM::User'))), new Set(['CreateUser', 'PutUserPolicy', 'CreateAccessKey']));
    assert.ok((await names(attribute('ReadOnly', 'false'))).every((name) => /^(Create|Put)/.test(name)));
    assert.ok((await names(attribute('ReadOnly', 'true'))).includes('GetCallerIdentity'));
    const one = (await lookup(server, attribute('EventName', 'AssumeRole'), auditor))[0]!;
    assert.deepEqual((await lookup(server, attribute('EventId', one.eventID), auditor)).map((record) => record.eventID), [one.eventID]);
  });

  it('takes a time range (inclusive, epoch seconds) and pages with NextToken', async () => {
    const all = await lookup(server, byAccessKey(worker.accessKeyId), auditor);
    const newest = new Date(all[0]!.eventTime);
    assert.equal((await lookup(server, { ...byAccessKey(worker.accessKeyId), StartTime: new Date(newest.getTime() + 1000) }, auditor)).length, 0);
    assert.equal((await lookup(server, { ...byAccessKey(worker.accessKeyId), EndTime: new Date(newest.getTime() - 3600_000) }, auditor)).length, 0);
    assert.equal((await lookup(server, { ...byAccessKey(worker.accessKeyId), StartTime: newest, EndTime: newest }, auditor)).length >= 1, true);

    const client = cloudTrailClient(server, auditor);
    const pages: string[][] = [];
    for await (const page of paginateLookupEvents({ client, pageSize: 3 }, byAccessKey(worker.accessKeyId))) pages.push(page.Events!.map((event) => event.EventId!));
    assert.deepEqual(pages.map((page) => page.length), [3, 1]);
    assert.deepEqual(pages.flat(), all.map((record) => record.eventID));

    const first = await client.send(new LookupEventsCommand({ ...byAccessKey(worker.accessKeyId), MaxResults: 1 }));
    await expectAwsError(client.send(new LookupEventsCommand({ ...byAccessKey(session.accessKeyId), NextToken: first.NextToken })), 'InvalidNextTokenException');
    await expectAwsError(client.send(new LookupEventsCommand({ NextToken: 'not-a-token' })), 'InvalidNextTokenException');
    client.destroy();
  });

  it('refuses bad input with CloudTrail\'s errors', async () => {
    const client = cloudTrailClient(server, auditor);
    await expectAwsError(client.send(new LookupEventsCommand({ MaxResults: 51 })), 'InvalidMaxResultsException');
    await expectAwsError(client.send(new LookupEventsCommand({ MaxResults: 0 })), 'InvalidMaxResultsException');
    await expectAwsError(client.send(new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'A' }, { AttributeKey: 'Username', AttributeValue: 'b' }],
    })), 'InvalidLookupAttributesException');
    await expectAwsError(client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'maybe' }] })), 'InvalidLookupAttributesException');
    await expectAwsError(client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Color' as 'EventName', AttributeValue: 'red' }] })), 'InvalidLookupAttributesException');
    await expectAwsError(client.send(new LookupEventsCommand({ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) })), 'InvalidTimeRangeException');
    await expectAwsError(client.send(new LookupEventsCommand({ EventCategory: 'bogus' as 'insight' })), 'InvalidEventCategoryException');
    assert.deepEqual((await client.send(new LookupEventsCommand({ EventCategory: 'insight' }))).Events, []);
    client.destroy();
  });

  it('is authorized as cloudtrail:LookupEvents on *, and a denial is recorded too', async () => {
    const client = cloudTrailClient(server, worker);
    const error = await expectAwsError(client.send(new LookupEventsCommand({})), 'AccessDeniedException');
    client.destroy();
    assert.equal(error.$metadata?.httpStatusCode, 400);
    assert.match(error.message, /user\/worker is not authorized to perform: cloudtrail:LookupEvents/);
    const denied = await lookup(server, { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'LookupEvents' }] }, auditor);
    const record = denied.find((event) => event.userIdentity.userName === 'worker')!;
    assert.equal(record.errorCode, 'AccessDeniedException');
    assert.equal(record.eventSource, 'cloudtrail.amazonaws.com');
    assert.equal(record.readOnly, true);
  });
});

describe('the JSON protocol', () => {
  const target = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CloudTrail_20131101.LookupEvents' };
  const jsonRequest = (headers: Record<string, string>, body = '{}') => ({ method: 'POST', path: '/', headers, body });
  const errorOf = (body: string): { __type: string; message: string } => JSON.parse(body) as { __type: string; message: string };

  it('answers JSON with epoch-second times and the request id', async () => {
    const signed = await signHeaders(server.url, auditor, jsonRequest(target, '{"MaxResults":1}'), { service: 'cloudtrail' });
    const answer = await send(server.url, signed);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'application/x-amz-json-1.1');
    assert.match(answer.headers.get('x-amzn-requestid')!, /^[0-9a-f-]{36}$/);
    const body = JSON.parse(answer.body) as { Events: Array<{ EventTime: number }>; NextToken: string };
    assert.equal(typeof body.Events[0]!.EventTime, 'number');
    assert.equal(typeof body.NextToken, 'string');
  });

  it('spells errors as {"__type", "message"}: unknown operation, bad JSON, wrong member types, no signature', async () => {
    const unknown = await send(server.url, await signHeaders(server.url, auditor, jsonRequest({ ...target, 'x-amz-target': 'CloudTrail_20131101.DescribeTrails' }), { service: 'cloudtrail' }));
    assert.equal(unknown.status, 400);
    assert.equal(errorOf(unknown.body).__type, 'UnknownOperationException');
    const wrongPrefix = await send(server.url, await signHeaders(server.url, auditor, jsonRequest({ ...target, 'x-amz-target': 'Logs_20140328.LookupEvents' }), { service: 'cloudtrail' }));
    assert.equal(errorOf(wrongPrefix.body).__type, 'UnknownOperationException');
    const badJson = await send(server.url, await signHeaders(server.url, auditor, jsonRequest(target, '{"MaxResults":'), { service: 'cloudtrail' }));
    assert.equal(badJson.status, 400);
    assert.equal(errorOf(badJson.body).__type, 'SerializationException');
    const wrongType = await send(server.url, await signHeaders(server.url, auditor, jsonRequest(target, '{"LookupAttributes":"AccessKeyId"}'), { service: 'cloudtrail' }));
    assert.equal(errorOf(wrongType.body).__type, 'SerializationException');
    const unsigned = await send(server.url, jsonRequest(target));
    assert.equal(unsigned.status, 400);
    assert.equal(errorOf(unsigned.body).__type, 'MissingAuthenticationTokenException');
  });

  it('refuses failed authentication with the JSON services\' codes', async () => {
    const stranger = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x'.repeat(40) };
    const unknownKey = await send(server.url, await signHeaders(server.url, stranger, jsonRequest(target), { service: 'cloudtrail' }));
    assert.equal(unknownKey.status, 400);
    assert.deepEqual(errorOf(unknownKey.body), { __type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });

    const forged = await send(server.url, await signHeaders(server.url, { ...auditor, secretAccessKey: 'y'.repeat(40) }, jsonRequest(target), { service: 'cloudtrail' }));
    assert.equal(forged.status, 400);
    assert.equal(errorOf(forged.body).__type, 'InvalidSignatureException');

    const skewed = await send(server.url, await signHeaders(server.url, auditor, jsonRequest(target), { service: 'cloudtrail', signingDate: new Date(Date.now() - 3600_000) }));
    assert.equal(errorOf(skewed.body).__type, 'InvalidSignatureException');
    assert.match(errorOf(skewed.body).message, /Signature expired/);

    const malformed = await send(server.url, jsonRequest({ ...target, authorization: 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/cloudtrail/aws4_request' }));
    assert.equal(malformed.status, 400);
    assert.equal(errorOf(malformed.body).__type, 'IncompleteSignatureException');
  });

  it('a user deleted after signing is refused and the trail keeps the attempt', async () => {
    const gone = await createUserWithKey(server, 'gone');
    const iam = iamClient(server);
    const { DeleteAccessKeyCommand } = await import('@aws-sdk/client-iam');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'gone', AccessKeyId: gone.accessKeyId }));
    await iam.send(new DeleteUserCommand({ UserName: 'gone' }));
    await iam.send(new CreateUserCommand({ UserName: 'unrelated' }));
    iam.destroy();
    const client = cloudTrailClient(server, gone);
    await expectAwsError(client.send(new LookupEventsCommand({})), 'UnrecognizedClientException');
    client.destroy();
    const tried = await lookup(server, byAccessKey(gone.accessKeyId), auditor);
    assert.equal(tried[0]!.errorCode, 'UnrecognizedClientException');
    assert.deepEqual(tried[0]!.userIdentity, { type: 'Unknown', accessKeyId: gone.accessKeyId });
  });

  it('the STS client and the CloudTrail client can share a key and a region', async () => {
    const sts = new STSClient({ endpoint: server.url, region: 'ap-southeast-2', credentials: auditor, maxAttempts: 1 });
    await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    const records = await lookup(server, byAccessKey(auditor.accessKeyId), auditor);
    assert.equal(records.find((record) => record.eventName === 'GetCallerIdentity')!.awsRegion, 'ap-southeast-2');
  });
});
