import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HIDDEN, jsonRequestParameters, queryRequestParameters, recordDate, responseElements } from './parameters.js';

const params = (entries: Record<string, string>): Map<string, string> => new Map(Object.entries(entries));

describe('requestParameters from the query protocol', () => {
  it('nests member lists and structures with lowerCamelCase names, without Action and Version', () => {
    assert.deepEqual(queryRequestParameters(params({
      Action: 'CreateRole', Version: '2010-05-08', RoleName: 'web', MaxSessionDuration: '7200',
      'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'blue', 'Tags.member.2.Key': 'env', 'Tags.member.2.Value': 'prod',
    })), { roleName: 'web', maxSessionDuration: 7200, tags: [{ key: 'team', value: 'blue' }, { key: 'env', value: 'prod' }] });
  });

  it('reads EC2\'s flat lists, keeps list order by index, and closes gaps', () => {
    assert.deepEqual(queryRequestParameters(params({
      Action: 'DescribeInstances', 'InstanceId.2': 'i-2', 'InstanceId.1': 'i-1', 'Filter.1.Name': 'vpc-id', 'Filter.1.Value.1': 'vpc-1', 'Filter.1.Value.3': 'vpc-3',
    })), { instanceId: ['i-1', 'i-2'], filter: [{ name: 'vpc-id', value: ['vpc-1', 'vpc-3'] }] });
  });

  it('is null without parameters; drops presigned URL fields; hides secrets wherever they are nested', () => {
    assert.equal(queryRequestParameters(params({ Action: 'GetCallerIdentity', Version: '2011-06-15' })), null);
    assert.equal(queryRequestParameters(params({
      Action: 'GetCallerIdentity', 'X-Amz-Signature': 'abc', 'X-Amz-Security-Token': 'token', 'X-Amz-Credential': 'AKIA/x', 'X-Amz-Date': '20260101T000000Z',
    })), null);
    assert.deepEqual(queryRequestParameters(params({ UserName: 'bob', Password: 'hunter2', 'Profile.NewPassword': 'x', 'SerialNumber': 'arn:mfa', TokenCode: '123456' })), {
      userName: 'bob', password: HIDDEN, profile: { newPassword: HIDDEN }, serialNumber: 'arn:mfa', tokenCode: HIDDEN,
    });
    assert.deepEqual(queryRequestParameters(params({ 'UserData': 'IyEvYmluL3No' })), { userData: HIDDEN });
  });

  it('cuts very long values', () => {
    const long = queryRequestParameters(params({ PolicyDocument: 'x'.repeat(20_000) }))!;
    assert.ok(String(long.policyDocument).length < 17_000 && String(long.policyDocument).endsWith('(truncated)'));
  });
});

describe('requestParameters from a JSON document', () => {
  it('lower-cases member names, writes ...Time epoch seconds as AWS\'s record dates, hides secrets', () => {
    assert.deepEqual(jsonRequestParameters({
      LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: 'ASIA1' }], StartTime: 1761523317, MaxResults: 5, Nested: { SecretString: 'x' },
    }), {
      lookupAttributes: [{ attributeKey: 'AccessKeyId', attributeValue: 'ASIA1' }], startTime: 'Oct 27, 2025, 12:01:57 AM', maxResults: 5, nested: { secretString: HIDDEN },
    });
    assert.equal(jsonRequestParameters({}), null);
  });

  it('hides a member that is a secret of its operation only: SSM PutParameter\'s Value, not a tag\'s', () => {
    const put = { Name: '/app/password', Value: 'hunter2', Type: 'String', Overwrite: false, Tags: [{ Key: 'team', Value: 'blue' }] };
    assert.deepEqual(jsonRequestParameters(put, 'ssm:PutParameter'), {
      name: '/app/password', value: HIDDEN, type: 'String', overwrite: false, tags: [{ key: 'team', value: 'blue' }],
    });
    assert.equal(jsonRequestParameters(put, 'ssm:AddTagsToResource')!.value, 'hunter2');
  });
});

describe('responseElements', () => {
  it('leave secrets out and write the credentials\' expiration as AWS does', () => {
    assert.deepEqual(responseElements({
      Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: '2025-10-27T00:16:57Z' },
      AssumedRoleUser: { AssumedRoleId: 'AROA1:s', Arn: 'arn:aws:sts::1:assumed-role/r/s' },
      PackedPolicySize: 64,
      SourceIdentity: undefined,
    }), {
      credentials: { accessKeyId: 'ASIA1', expiration: 'Oct 27, 2025, 12:16:57 AM' },
      assumedRoleUser: { assumedRoleId: 'AROA1:s', arn: 'arn:aws:sts::1:assumed-role/r/s' },
      packedPolicySize: 64,
    });
    assert.deepEqual(responseElements({ AccessKey: { UserName: 'bob', AccessKeyId: 'AKIA1', SecretAccessKey: 's', Status: 'Active' } }), {
      accessKey: { userName: 'bob', accessKeyId: 'AKIA1', status: 'Active' },
    });
    assert.deepEqual(responseElements({ Users: [{ UserName: 'a', CreateDate: new Date('2026-01-01T12:00:00Z') }] }), {
      users: [{ userName: 'a', createDate: 'Jan 1, 2026, 12:00:00 PM' }],
    });
    assert.equal(responseElements(undefined), null);
    assert.equal(responseElements({}), null);
  });
});

describe('record dates', () => {
  it('use a 12-hour clock in UTC', () => {
    assert.equal(recordDate(new Date('2025-10-27T00:16:57Z')), 'Oct 27, 2025, 12:16:57 AM');
    assert.equal(recordDate(new Date('2025-10-26T23:51:57Z')), 'Oct 26, 2025, 11:51:57 PM');
    assert.equal(recordDate(new Date('2026-07-04T12:05:09Z')), 'Jul 4, 2026, 12:05:09 PM');
  });
});
