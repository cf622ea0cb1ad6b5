/**
 * S3 authorization: identity policies and bucket policies (resource-based: an Allow in either
 * grants, an explicit Deny in either refuses), S3's condition keys (s3:prefix,
 * s3:ExistingObjectTag/<key>), bucket policy validation; and the trail: a leaked session's S3 data
 * events, allowed and refused, found with `aws cloudtrail lookup-events` by its access key id, with
 * no signature or token in any record.
 */
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateBucketCommand, DeleteBucketPolicyCommand, DeleteObjectCommand, GetBucketPolicyCommand, GetObjectCommand, ListObjectsV2Command,
  PutBucketPolicyCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CloudTrailEvent } from '../src/audit/cloudtrail-event.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import { awsJson, realClient } from './helpers/real-clients.js';
import { expectAwsError, iamClient, s3Client, startTestServer, stsClient, type Credentials, type TestServer } from './helpers/server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
  const s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: 'shared' }));
  for (const key of ['public/readme.txt', 'private/secret.txt', 'home/alice/a.txt', 'home/bob/b.txt']) {
    await s3.send(new PutObjectCommand({ Bucket: 'shared', Key: key, Body: key }));
  }
  await s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'tagged/open.txt', Body: 'open', Tagging: 'classification=public' }));
  await s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'tagged/closed.txt', Body: 'closed', Tagging: 'classification=internal' }));
  s3.destroy();
});
after(() => server.close());

const bucketPolicy = (statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('bucket policies', () => {
  it('grant a user with no identity policy for S3, only where they say', async () => {
    const alice = await createUserWithKey(server, 'alice-s3', allow('sts:GetCallerIdentity'));
    const s3 = s3Client(server, alice);
    const denied = await expectAwsError(s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'public/readme.txt' })), 'AccessDenied');
    assert.match(denied.message, /alice-s3 is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::shared\/public\/readme.txt"/);
    const root = s3Client(server);
    await root.send(new PutBucketPolicyCommand({
      Bucket: 'shared',
      Policy: bucketPolicy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::000000000000:user/alice-s3` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/public/*' }]),
    }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'public/readme.txt' }));
    assert.equal(await got.Body!.transformToString(), 'public/readme.txt');
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'private/secret.txt' })), 'AccessDenied');
    const stored = await root.send(new GetBucketPolicyCommand({ Bucket: 'shared' }));
    assert.match(stored.Policy!, /alice-s3/);
    await root.send(new DeleteBucketPolicyCommand({ Bucket: 'shared' }));
    await expectAwsError(root.send(new GetBucketPolicyCommand({ Bucket: 'shared' })), 'NoSuchBucketPolicy');
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'public/readme.txt' })), 'AccessDenied');
    s3.destroy();
    root.destroy();
  });

  it('deny explicitly over an identity Allow', async () => {
    const bob = await createUserWithKey(server, 'bob-s3', allow('s3:*'));
    const s3 = s3Client(server, bob);
    const root = s3Client(server);
    await root.send(new PutBucketPolicyCommand({
      Bucket: 'shared',
      Policy: bucketPolicy([{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::shared/*' }]),
    }));
    await s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'bob/new.txt', Body: 'new' }));
    const denied = await expectAwsError(s3.send(new DeleteObjectCommand({ Bucket: 'shared', Key: 'bob/new.txt' })), 'AccessDenied');
    assert.match(denied.message, /explicit deny in a resource-based policy/);
    await root.send(new DeleteBucketPolicyCommand({ Bucket: 'shared' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'shared', Key: 'bob/new.txt' }));
    s3.destroy();
    root.destroy();
  });

  it('are validated when put', async () => {
    const root = s3Client(server);
    await expectAwsError(root.send(new PutBucketPolicyCommand({
      Bucket: 'shared', Policy: bucketPolicy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-bucket/*' }]),
    })), 'MalformedPolicy');
    await expectAwsError(root.send(new PutBucketPolicyCommand({ Bucket: 'shared', Policy: '{"Version":"2012-10-17","Statement":[' })), 'MalformedPolicy');
    await expectAwsError(root.send(new PutBucketPolicyCommand({
      Bucket: 'shared', Policy: bucketPolicy([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }]),
    })), 'MalformedPolicy');
    root.destroy();
  });
});

describe('condition keys', () => {
  it('s3:prefix limits what a user may list', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::shared', Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } } }],
    });
    const alice = await createUserWithKey(server, 'alice', policy);
    const s3 = s3Client(server, alice);
    const own = await s3.send(new ListObjectsV2Command({ Bucket: 'shared', Prefix: 'home/alice/' }));
    assert.deepEqual(own.Contents!.map((entry) => entry.Key), ['home/alice/a.txt']);
    await expectAwsError(s3.send(new ListObjectsV2Command({ Bucket: 'shared', Prefix: 'home/bob/' })), 'AccessDenied');
    await expectAwsError(s3.send(new ListObjectsV2Command({ Bucket: 'shared' })), 'AccessDenied');
    s3.destroy();
  });

  it('s3:ExistingObjectTag/<key> limits what a user may read', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*', Condition: { StringEquals: { 's3:ExistingObjectTag/classification': 'public' } } }],
    });
    const reader = await createUserWithKey(server, 'tag-reader', policy);
    const s3 = s3Client(server, reader);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'tagged/open.txt' }))).Body!.transformToString(), 'open');
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'tagged/closed.txt' })), 'AccessDenied');
    s3.destroy();
  });
});

describe('the trail of a leaked session', () => {
  let leaked: Credentials;
  let auditor: Credentials;

  before(async () => {
    const iam = iamClient(server);
    await iam.send(new CreateRoleCommand({
      RoleName: 'reader-role',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] }),
    }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'reader-role', PolicyName: 'read', PolicyDocument: allow(['s3:GetObject', 's3:ListBucket'], ['arn:aws:s3:::shared', 'arn:aws:s3:::shared/*']) }));
    iam.destroy();
    const user = await createUserWithKey(server, 'assumer', allow('sts:AssumeRole'));
    const sts = stsClient(server, user);
    const session = (await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/reader-role', RoleSessionName: 'leaked' }))).Credentials!;
    sts.destroy();
    leaked = { accessKeyId: session.AccessKeyId!, secretAccessKey: session.SecretAccessKey!, sessionToken: session.SessionToken! };
    auditor = await createUserWithKey(server, 'auditor', allow('cloudtrail:LookupEvents'));
    const s3 = s3Client(server, leaked);
    await (await s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'private/secret.txt' }))).Body!.transformToString();
    await s3.send(new ListObjectsV2Command({ Bucket: 'shared', Prefix: 'home/' }));
    await expectAwsError(s3.send(new PutObjectCommand({ Bucket: 'shared', Key: 'private/planted.txt', Body: 'x' })), 'AccessDenied');
    s3.destroy();
  });

  it('records every S3 call of the key as data events, refused ones included', () => {
    const records = server.audit.records.filter((record) => record.userIdentity.accessKeyId === leaked.accessKeyId);
    assert.deepEqual(records.map((record) => `${record.eventName} ${record.errorCode ?? 'ok'}`), ['GetObject ok', 'ListObjects ok', 'PutObject AccessDenied']);
    const get = records[0]!;
    assert.equal(get.eventSource, 's3.amazonaws.com');
    assert.equal(get.eventCategory, 'Data');
    assert.equal(get.managementEvent, false);
    assert.equal(get.readOnly, true);
    // As CloudTrail writes S3's parameters: bucketName, Host (capitalized) and key.
    assert.deepEqual(get.requestParameters, { bucketName: 'shared', Host: new URL(server.url).host, key: 'private/secret.txt' });
    assert.deepEqual(records[1]!.requestParameters, { bucketName: 'shared', Host: new URL(server.url).host, 'list-type': '2', prefix: 'home/' });
    assert.equal(get.userIdentity.type, 'AssumedRole');
    const text = JSON.stringify(server.audit.records);
    assert.ok(!text.includes(leaked.secretAccessKey) && !text.includes(leaked.sessionToken!), 'no secret or token in the trail');
  });

  it('is found by `aws cloudtrail lookup-events` with the access key id', realClient('aws-cli'), async () => {
    const answer = await awsJson<{ Events: Array<{ EventName: string; CloudTrailEvent: string }> }>(server, auditor, [
      'cloudtrail', 'lookup-events', '--lookup-attributes', `AttributeKey=AccessKeyId,AttributeValue=${leaked.accessKeyId}`,
    ]);
    const events = answer.Events.map((event) => JSON.parse(event.CloudTrailEvent) as CloudTrailEvent);
    assert.deepEqual(events.map((event) => `${event.eventName} ${event.errorCode ?? 'ok'}`), ['PutObject AccessDenied', 'ListObjects ok', 'GetObject ok']);
    assert.ok(events.every((event) => event.eventSource === 's3.amazonaws.com'));
  });
});
