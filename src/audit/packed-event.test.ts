import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CloudTrailEvent, UserIdentity } from './cloudtrail-event.js';
import { packedJson, packEvent } from './packed-event.js';
import { packedEntry } from './trail-store.js';

const ROLE_SESSION = Object.freeze<UserIdentity>({
  type: 'AssumedRole', principalId: 'AROAEXAMPLE:i-0abc', arn: 'arn:aws:sts::000000000000:assumed-role/web/i-0abc', accountId: '000000000000',
  accessKeyId: 'ASIAEXAMPLE', sessionContext: {
    sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: 'arn:aws:iam::000000000000:role/web', accountId: '000000000000', userName: 'web' },
    attributes: { creationDate: '2026-11-28T09:00:00Z', mfaAuthenticated: 'false' }, ec2RoleDelivery: '2.0',
  },
});

/** A record with its members in the record builder's order, undefined ones included (as it sets them). */
function record(overrides: Partial<CloudTrailEvent> = {}): CloudTrailEvent {
  return {
    eventVersion: '1.08',
    userIdentity: ROLE_SESSION,
    eventTime: '2026-11-28T10:00:00Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'GetCallerIdentity',
    awsRegion: 'eu-west-1',
    sourceIPAddress: '10.0.1.5',
    userAgent: 'aws-cli/2.9.19 Python/3.11.2 Linux/6.1 source/x86_64',
    errorCode: undefined,
    errorMessage: undefined,
    requestParameters: null,
    responseElements: null,
    requestID: '3f1c2a4e-8d6b-4b1e-9a7c-2e5f6d8c9b0a',
    eventID: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '000000000000',
    eventCategory: 'Management',
    ...overrides,
  };
}

/** The JSON the writer thread makes of a record, handed over as the server's trail hands it (a structured clone). */
function writtenJson(event: CloudTrailEvent): string {
  return packedJson(structuredClone(packEvent(event)));
}

describe('a packed record', () => {
  it('is written as the text JSON.stringify writes, for calls that succeed, fail, carry parameters or come over TLS', () => {
    const records = [
      record(),
      record(),
      record({ userIdentity: { type: 'Unknown', accessKeyId: 'AKIANOBODY' }, errorCode: 'InvalidClientTokenId', errorMessage: 'The security token included in the request is invalid.' }),
      record({ userIdentity: { type: 'Unknown' }, errorCode: 'MissingAuthenticationToken', errorMessage: 'Request is missing Authentication Token' }),
      record({
        eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', awsRegion: 'us-east-1', readOnly: false,
        requestParameters: { userName: 'bob', tags: [{ key: 'team', value: 'blue' }], password: 'HIDDEN_DUE_TO_SECURITY_REASONS', maxItems: 5 },
        responseElements: { user: { userName: 'bob', arn: 'arn:aws:iam::000000000000:user/bob', createDate: 'Nov 28, 2026, 10:00:00 AM' } },
      }),
      record({ eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' }),
      record({ eventSource: 's3.amazonaws.com', eventName: 'GetObject', managementEvent: false, eventCategory: 'Data', tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'localhost:4566' } }),
    ];
    for (const item of records) assert.equal(writtenJson(item), JSON.stringify(item));
  });

  it('escapes what a client sends as JSON.stringify does: quotes, control characters, line separators, lone surrogates', () => {
    const awkward = ['say "hi"\\', 'tab\there\nnewline\r\u0000\u001f', 'line\u2028separator\u2029', 'lone \ud800 surrogate \udc00', 'ünïcødé ✓ 🙂'];
    for (const text of awkward) {
      const item = record({ userAgent: text, eventName: text, sourceIPAddress: text, errorCode: text, errorMessage: text, requestID: text, requestParameters: { [text]: text } });
      assert.equal(writtenJson(item), JSON.stringify(item));
    }
  });

  it('serializes an identity that is not frozen afresh each time (only frozen ones are kept)', () => {
    const identity: UserIdentity = { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::000000000000:user/alice', accountId: '000000000000', accessKeyId: 'AKIAALICE', userName: 'alice' };
    const item = record({ userIdentity: identity });
    assert.equal(writtenJson(item), JSON.stringify(item));
    identity.userName = 'renamed';
    assert.equal(writtenJson(item), JSON.stringify(item));
    assert.equal(packedEntry(packEvent(item)).username, 'renamed');
  });

  it('stays exact past its cache of escaped strings (many different user agents)', () => {
    for (let index = 0; index < 5000; index++) {
      const item = record({ userAgent: `client/${index} "${index % 7}"` });
      assert.equal(writtenJson(item), JSON.stringify(item));
    }
  });

  it('carries what lookups use: time in seconds, ids, names, access key, user name, resources', () => {
    const item = record({
      eventTime: '2026-11-28T10:00:02Z', eventName: 'AssumeRole', requestParameters: { roleArn: 'arn:aws:iam::000000000000:role/web', roleSessionName: 's' },
      responseElements: { credentials: { accessKeyId: 'ASIANEW' }, assumedRoleUser: { arn: 'arn:aws:sts::000000000000:assumed-role/web/s' } },
    });
    const { record: packed, ...entry } = packedEntry(structuredClone(packEvent(item)));
    assert.deepEqual({ ...entry, json: JSON.parse(packedJson(packed)) }, {
      time: Date.parse('2026-11-28T10:00:02Z') / 1000, eventId: item.eventID, eventName: 'AssumeRole', eventSource: 'sts.amazonaws.com', readOnly: true,
      accessKeyId: 'ASIAEXAMPLE', username: 'i-0abc', json: JSON.parse(JSON.stringify(item)),
      resources: [
        { type: 'AWS::IAM::Role', name: 'arn:aws:iam::000000000000:role/web' },
        { type: 'AWS::IAM::AccessKey', name: 'ASIANEW' },
        { type: 'AWS::STS::AssumedRole', name: 'arn:aws:sts::000000000000:assumed-role/web/s' },
      ],
    });
    const unknown = packedEntry(packEvent(record({ userIdentity: { type: 'Unknown' } })));
    assert.ok(!('accessKeyId' in unknown) && !('username' in unknown));
  });
});
