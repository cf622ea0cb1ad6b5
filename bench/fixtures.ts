/** A role session with three policies, as the benchmarks check it. */
import { TokenKeyring } from '../src/auth/token-keyring.js';
import type { SessionClaims } from '../src/auth/session-token.js';
import { fixedClock } from '../src/domain/clock.js';
import { IdGenerator } from '../src/domain/ids.js';
import { App } from '../src/server/app.js';
import { AwsManagedPolicyCatalog } from '../src/services/iam/aws-managed-policies.js';
import { SecretBox } from '../src/store/secret-box.js';
import { SqliteStore } from '../src/store/sqlite-store.js';

export const SIGNING_DATE = new Date('2026-11-28T10:00:00.000Z');

export const REVOKE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-11-28T09:00:00.000Z' } } }],
});

export const WORKLOAD_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: 'arn:aws:logs:*:*:log-group:/app/*' },
    { Sid: 'Queue', Effect: 'Allow', Action: 'sqs:*Message*', Resource: 'arn:aws:sqs:us-east-1:000000000000:jobs-?' },
    { Sid: 'Office', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::uploads/*', Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.0.0/16'] } } },
    { Sid: 'NoDelete', Effect: 'Deny', Action: ['s3:DeleteBucket', 's3:DeleteObject*'], Resource: '*' },
    { Sid: 'NoIam', Effect: 'Deny', NotAction: ['iam:Get*', 'iam:List*', 's3:*', 'sts:*', 'logs:*', 'sqs:*'], Resource: '*' },
    { Sid: 'Tagged', Effect: 'Allow', Action: 'ec2:StartInstances', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } },
  ],
});

export interface BenchSession {
  app: App;
  claims: SessionClaims;
  sessionToken: string;
}

export function benchSession(): BenchSession {
  const ids = new IdGenerator();
  const app = App.create({
    accountId: '000000000000',
    region: 'us-east-1',
    store: new SqliteStore(':memory:'),
    secrets: new SecretBox(Buffer.alloc(32, 1)),
    keyring: TokenKeyring.inMemory(),
    root: { accessKeyId: ids.accessKeyId('AKIA', '000000000000'), secretAccessKey: ids.secretAccessKey() },
    clock: fixedClock(SIGNING_DATE),
    catalog: AwsManagedPolicyCatalog.load(),
    ids,
  });
  const created = SIGNING_DATE.toISOString();
  app.directory.apply([{
    kind: 'role',
    put: {
      roleId: ids.uniqueId('AROA'), roleName: 'workload', path: '/', arn: 'arn:aws:iam::000000000000:role/workload', createDate: created,
      assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
      maxSessionDuration: 3600, tags: [{ Key: 'team', Value: 'blue' }],
      inlinePolicies: { AWSRevokeOlderSessions: REVOKE_POLICY, workload: WORKLOAD_POLICY },
      attachedPolicyArns: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'],
    },
  }]);
  const role = app.directory.get('role', 'workload')!;
  const issuedAt = SIGNING_DATE.getTime() - 60_000;
  const claims: SessionClaims = {
    accessKeyId: ids.accessKeyId('ASIA', '000000000000'),
    secretAccessKey: ids.secretAccessKey(),
    principal: { type: 'AssumedRole', accountId: '000000000000', roleId: role.roleId, roleName: 'workload', rolePath: '/', sessionName: 'i-0123456789abcdef0' },
    issuedAt,
    expiresAt: issuedAt + 6 * 3600_000,
  };
  return { app, claims, sessionToken: app.tokens.seal(claims) };
}
