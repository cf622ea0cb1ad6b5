/**
 * One CloudTrail record per request, built from what the pipeline knows: the fields and their
 * shapes for users, root, role sessions, GetSessionToken and federated sessions, instance
 * credentials through an instance's address, denied calls and failed authentications.
 */
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { EC2Client, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CloudTrailEvent } from '../src/audit/cloudtrail-event.js';
import { claimedIdentity, identityOfCaller } from '../src/audit/user-identity.js';
import type { ParsedSignature } from '../src/sigv4/index.js';
import { fixedClock } from '../src/domain/clock.js';
import { createUserWithKey, allow } from './helpers/iam.js';
import { createInstanceRole, endpointsOf, fetchCredentials, credentialsOf, putInstance } from './helpers/imds.js';
import { expectAwsError, iamClient, startTestServer, stsClient, type Credentials, type TestServer } from './helpers/server.js';
import { formRequest, send, signHeaders } from './helpers/sign.js';
import { lastRecord, recordOf } from './helpers/trail.js';

const ACCOUNT = '000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRUST_ACCOUNT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'] }] });

let server: TestServer;
let alice: Credentials;
before(async () => {
  server = await startTestServer();
  alice = await createUserWithKey(server, 'alice', allow(['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:GetFederationToken']));
  const iam = iamClient(server);
  await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST_ACCOUNT }));
  iam.destroy();
});
after(() => server.close());

/** The request id of a failed SDK call (the SDK keeps x-amzn-requestid in $metadata). */
function requestIdOf(error: unknown): string {
  return (error as { $metadata: { requestId: string } }).$metadata.requestId;
}

async function callerIdentity(credentials: Credentials, region = 'us-east-1'): Promise<string> {
  const client = new STSClient({ endpoint: server.url, region, credentials, maxAttempts: 1 });
  const answer = await client.send(new GetCallerIdentityCommand({}));
  client.destroy();
  return answer.$metadata.requestId!;
}

describe('a record', () => {
  it('has every CloudTrail field of an API call, for an IAM user', async () => {
    const before = Math.floor(Date.now() / 1000);
    const requestId = await callerIdentity(alice, 'eu-west-1');
    const record = recordOf(server, requestId);
    assert.equal(record.eventVersion, '1.08');
    assert.match(record.eventTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.ok(Date.parse(record.eventTime) / 1000 >= before && Date.parse(record.eventTime) <= Date.now());
    assert.equal(record.eventSource, 'sts.amazonaws.com');
    assert.equal(record.eventName, 'GetCallerIdentity');
    assert.equal(record.awsRegion, 'eu-west-1');
    assert.equal(record.sourceIPAddress, '127.0.0.1');
    assert.match(record.userAgent, /^aws-sdk-js\//);
    const user = server.app.directory.get('user', 'alice')!;
    assert.deepEqual(record.userIdentity, {
      type: 'IAMUser', principalId: user.userId, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: alice.accessKeyId, userName: 'alice',
    });
    assert.equal(record.requestParameters, null);
    assert.equal(record.responseElements, null);
    assert.equal(record.requestID, requestId);
    assert.match(record.eventID, UUID);
    assert.notEqual(record.eventID, record.requestID);
    assert.equal(record.readOnly, true);
    assert.equal(record.eventType, 'AwsApiCall');
    assert.equal(record.managementEvent, true);
    assert.equal(record.eventCategory, 'Management');
    assert.equal(record.recipientAccountId, ACCOUNT);
    assert.equal(record.errorCode, undefined);
    assert.equal(record.tlsDetails, undefined, 'plain HTTP has no tlsDetails');
    assert.ok(!('vpcEndpointId' in record));
  });

  it('of the root user says Root, and IAM events are in us-east-1 whatever the client signed for', async () => {
    const iam = iamClient(server);
    const answer = await iam.send(new ListUsersCommand({}));
    iam.destroy();
    const record = recordOf(server, answer.$metadata.requestId!);
    assert.deepEqual(record.userIdentity, { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: server.root.accessKeyId });
    assert.equal(record.eventSource, 'iam.amazonaws.com');
    assert.equal(record.awsRegion, 'us-east-1');
    assert.equal(record.readOnly, true);
  });

  it('of a write keeps its parameters and response, without the secret', async () => {
    const iam = iamClient(server);
    await iam.send(new CreateUserCommand({ UserName: 'bob', Tags: [{ Key: 'team', Value: 'blue' }] }));
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    iam.destroy();
    const createUser = lastRecord(server, 'CreateUser');
    assert.deepEqual(createUser.requestParameters, { userName: 'bob', tags: [{ key: 'team', value: 'blue' }] });
    assert.equal(createUser.readOnly, false);
    assert.equal((createUser.responseElements as { user: { userName: string } }).user.userName, 'bob');

    const record = recordOf(server, created.$metadata.requestId!);
    assert.deepEqual(record.requestParameters, { userName: 'bob' });
    const accessKey = (record.responseElements as { accessKey: Record<string, unknown> }).accessKey;
    assert.equal(accessKey.accessKeyId, created.AccessKey!.AccessKeyId);
    assert.equal(accessKey.status, 'Active');
    assert.ok(!('secretAccessKey' in accessKey));
    assert.ok(!JSON.stringify(record).includes(created.AccessKey!.SecretAccessKey!));
  });
});

describe('temporary credentials', () => {
  it('AssumeRole is read-only and records the new key and its expiry, not the secret or the token', async () => {
    const sts = stsClient(server, alice);
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'ci-42', DurationSeconds: 1800, SourceIdentity: 'alice-laptop' }));
    sts.destroy();
    const record = recordOf(server, out.$metadata.requestId!);
    assert.equal(record.readOnly, true);
    assert.deepEqual(record.requestParameters, { roleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, roleSessionName: 'ci-42', durationSeconds: 1800, sourceIdentity: 'alice-laptop' });
    const response = record.responseElements as { credentials: Record<string, unknown>; assumedRoleUser: Record<string, unknown>; sourceIdentity: string };
    assert.deepEqual(Object.keys(response.credentials).sort(), ['accessKeyId', 'expiration']);
    assert.equal(response.credentials.accessKeyId, out.Credentials!.AccessKeyId);
    assert.match(String(response.credentials.expiration), /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}:\d{2} [AP]M$/);
    assert.equal(response.assumedRoleUser.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-42`);
    const text = JSON.stringify(record);
    assert.ok(!text.includes(out.Credentials!.SecretAccessKey!) && !text.includes(out.Credentials!.SessionToken!));
  });

  it('a role session is an AssumedRole with its issuer, creation date (the token issue time) and source identity', async () => {
    const sts = stsClient(server, alice);
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'ci-43', SourceIdentity: 'alice-laptop' }));
    sts.destroy();
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    const record = recordOf(server, await callerIdentity(session));
    const role = server.app.directory.get('role', 'deployer')!;
    const claims = server.app.tokens.open(session.sessionToken)!;
    assert.deepEqual(record.userIdentity, {
      type: 'AssumedRole',
      principalId: `${role.roleId}:ci-43`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/ci-43`,
      accountId: ACCOUNT,
      accessKeyId: session.accessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: role.roleId, arn: role.arn, accountId: ACCOUNT, userName: 'deployer' },
        attributes: { creationDate: new Date(claims.issuedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), mfaAuthenticated: 'false' },
        sourceIdentity: 'alice-laptop',
      },
    });
  });

  it('GetSessionToken and GetFederationToken sessions name the user behind them', async () => {
    const sts = stsClient(server, alice);
    const user = await sts.send(new GetSessionTokenCommand({}));
    const federated = await sts.send(new GetFederationTokenCommand({ Name: 'contractor', Policy: allow('s3:*') }));
    sts.destroy();
    const asUser = recordOf(server, await callerIdentity({ accessKeyId: user.Credentials!.AccessKeyId!, secretAccessKey: user.Credentials!.SecretAccessKey!, sessionToken: user.Credentials!.SessionToken! }));
    assert.equal(asUser.userIdentity.type, 'IAMUser');
    assert.equal(asUser.userIdentity.userName, 'alice');
    assert.equal(asUser.userIdentity.accessKeyId, user.Credentials!.AccessKeyId);
    assert.equal(asUser.userIdentity.sessionContext?.attributes.mfaAuthenticated, 'false');

    const asFederated = recordOf(server, await callerIdentity({ accessKeyId: federated.Credentials!.AccessKeyId!, secretAccessKey: federated.Credentials!.SecretAccessKey!, sessionToken: federated.Credentials!.SessionToken! }));
    assert.equal(asFederated.userIdentity.type, 'FederatedUser');
    assert.equal(asFederated.userIdentity.principalId, `${ACCOUNT}:contractor`);
    assert.equal(asFederated.userIdentity.arn, `arn:aws:sts::${ACCOUNT}:federated-user/contractor`);
    assert.deepEqual(asFederated.userIdentity.sessionContext?.sessionIssuer, {
      type: 'IAMUser', principalId: server.app.directory.get('user', 'alice')!.userId, arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userName: 'alice',
    });
  });

  it('instance credentials used through the instance\'s address record its private IP and ec2RoleDelivery; from outside, the socket\'s address', async () => {
    const profile = await createInstanceRole(server, 'web-audit');
    const instance = await putInstance(server, profile);
    const { imdsUrl, apiUrl } = endpointsOf(server, instance.instanceId);
    const credentials = credentialsOf(await fetchCredentials(imdsUrl));
    const inside = new STSClient({ endpoint: apiUrl, region: 'us-east-1', credentials, maxAttempts: 1 });
    const insideId = (await inside.send(new GetCallerIdentityCommand({}))).$metadata.requestId!;
    inside.destroy();
    const record = recordOf(server, insideId);
    assert.equal(record.sourceIPAddress, instance.privateIpAddress);
    assert.equal(record.userIdentity.type, 'AssumedRole');
    assert.equal(record.userIdentity.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/web-audit/${instance.instanceId}`);
    assert.equal(record.userIdentity.sessionContext?.ec2RoleDelivery, '2.0');
    assert.ok(!('vpcEndpointId' in record));

    const outside = recordOf(server, await callerIdentity(credentials));
    assert.equal(outside.sourceIPAddress, '127.0.0.1');
  });
});

describe('failures', () => {
  it('a denied call is recorded with AccessDenied, its message and the caller', async () => {
    const mallory = await createUserWithKey(server, 'mallory');
    const iam = iamClient(server, mallory);
    const error = await expectAwsError(iam.send(new ListUsersCommand({})), 'AccessDenied');
    iam.destroy();
    const record = recordOf(server, requestIdOf(error));
    assert.equal(record.errorCode, 'AccessDenied');
    assert.match(record.errorMessage!, /user\/mallory is not authorized to perform: iam:ListUsers/);
    assert.equal(record.userIdentity.userName, 'mallory');
    assert.equal(record.responseElements, null);
  });

  it('EC2 errors are recorded as Client.<Code>, as AWS does', async () => {
    const ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: alice, maxAttempts: 1 });
    const error = await expectAwsError(ec2.send(new DescribeInstancesCommand({})), 'UnauthorizedOperation');
    ec2.destroy();
    const record = recordOf(server, requestIdOf(error));
    assert.equal(record.eventSource, 'ec2.amazonaws.com');
    assert.equal(record.errorCode, 'Client.UnauthorizedOperation');
  });

  it('an unknown access key is recorded with the key id and an Unknown identity', async () => {
    const stranger = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x'.repeat(40) };
    const sts = stsClient(server, stranger);
    const error = await expectAwsError(sts.send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
    sts.destroy();
    const record = recordOf(server, requestIdOf(error));
    assert.deepEqual(record.userIdentity, { type: 'Unknown', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    assert.equal(record.errorCode, 'InvalidClientTokenId');
    assert.equal(record.eventName, 'GetCallerIdentity');
  });

  it('a bad signature with a real key names the key\'s owner', async () => {
    const forged = { ...alice, secretAccessKey: 'wrong'.repeat(8) };
    const sts = stsClient(server, forged);
    const error = await expectAwsError(sts.send(new GetCallerIdentityCommand({})), 'SignatureDoesNotMatch');
    sts.destroy();
    const record = recordOf(server, requestIdOf(error));
    assert.equal(record.errorCode, 'SignatureDoesNotMatch');
    assert.equal(record.userIdentity.type, 'IAMUser');
    assert.equal(record.userIdentity.userName, 'alice');
    assert.equal(record.userIdentity.accessKeyId, alice.accessKeyId);
  });

  it("a failed request's identity is its key's own frozen object, made once (as its successful calls' are): its JSON is made once too", async () => {
    const signatureOf = (accessKeyId: string, securityToken?: string): ParsedSignature => ({
      form: 'header', accessKeyId, scopeDate: '20261128', region: 'us-east-1', service: 'sts', credentialScope: '20261128/us-east-1/sts/aws4_request',
      signedHeaders: ['host'], signature: '0'.repeat(64), amzDate: '20261128T000000Z', requestTime: new Date(), ...(securityToken !== undefined ? { securityToken } : {}),
    });
    const sts = stsClient(server, alice);
    const session = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/deployer`, RoleSessionName: 'claimed' }))).Credentials!;
    sts.destroy();
    for (const signature of [signatureOf(alice.accessKeyId), signatureOf(server.root.accessKeyId), signatureOf(session.AccessKeyId!, session.SessionToken!)]) {
      const first = claimedIdentity(server.app, signature);
      assert.ok(Object.isFrozen(first), first.type);
      assert.equal(claimedIdentity(server.app, signature), first, first.type);
    }
    const user = server.app.directory.get('user', 'alice')!;
    assert.equal(claimedIdentity(server.app, signatureOf(alice.accessKeyId)), identityOfCaller(server.app, {
      kind: 'user', accountId: ACCOUNT, arn: user.arn, userId: user.userId, userName: 'alice', accessKeyId: alice.accessKeyId,
    }));
  });

  it('an unsigned request is recorded as MissingAuthenticationToken with no identity', async () => {
    const answer = await send(server.url, formRequest('GetCallerIdentity'));
    assert.equal(answer.status, 403);
    const record = recordOf(server, answer.headers.get('x-amzn-requestid')!);
    assert.deepEqual(record.userIdentity, { type: 'Unknown' });
    assert.equal(record.errorCode, 'MissingAuthenticationToken');
  });
});

describe('an expired session token', () => {
  let clocked: TestServer;
  before(async () => { clocked = await startTestServer({ clock: fixedClock(new Date()) }); });
  after(() => clocked.close());

  it('is recorded as ExpiredToken with the session it belonged to', async () => {
    const iam = iamClient(clocked);
    await iam.send(new CreateRoleCommand({ RoleName: 'short', AssumeRolePolicyDocument: TRUST_ACCOUNT }));
    iam.destroy();
    const user = await createUserWithKey(clocked, 'eve', allow('sts:AssumeRole'));
    const sts = stsClient(clocked, user);
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/short`, RoleSessionName: 'brief', DurationSeconds: 900 }));
    sts.destroy();
    (clocked.app.clock as ReturnType<typeof fixedClock>).advance(901_000);
    const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
    // signed at the server's (advanced) time, so that only the token's expiry is wrong
    const signed = await signHeaders(clocked.url, session, formRequest('GetCallerIdentity'), { signingDate: clocked.app.clock.now() });
    const answer = await send(clocked.url, signed);
    assert.equal(answer.status, 403);
    const record = recordOf(clocked, answer.headers.get('x-amzn-requestid')!);
    assert.equal(record.errorCode, 'ExpiredToken');
    assert.equal(record.userIdentity.type, 'AssumedRole');
    assert.equal(record.userIdentity.accessKeyId, session.accessKeyId);
    assert.equal(record.userIdentity.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/short/brief`);
  });
});

describe('TLS', () => {
  it('a request over TLS carries tlsDetails with the host the client asked for', async () => {
    const { buildAuditEvent } = await import('../src/audit/record-builder.js');
    const event: CloudTrailEvent = buildAuditEvent(server.app, {
      requestId: 'r', time: new Date(), service: 'sts', action: 'GetCallerIdentity', caller: undefined, signature: null,
      remoteAddress: '192.0.2.1', localAddress: '127.0.0.1', userAgent: 'ua', error: undefined,
      tls: { version: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', host: 'sts.example.test:4566' },
    });
    assert.deepEqual(event.tlsDetails, { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'sts.example.test:4566' });
  });
});
