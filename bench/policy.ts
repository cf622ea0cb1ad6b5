/**
 * The policy engine on one core: decisions per second for a role with three policies of about
 * twenty statements (wildcards, the AWSRevokeOlderSessions Deny on aws:TokenIssueTime, an
 * IpAddress condition), and the memory a compiled policy holds.
 */
import { compilePolicy, contextKeys, evaluate, type CompiledPolicy, type PolicySet, type RequestContext } from '../src/policy/index.js';
import type { BenchLine } from './types.js';

const ACCOUNT = '123456789012';

const PERMISSIONS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'ReadIam', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
    { Sid: 'OwnKeys', Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: `arn:aws:iam::${ACCOUNT}:user/\${aws:username}` },
    { Sid: 'Buckets', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::app-data/*', 'arn:aws:s3:::app-logs/*'] },
    { Sid: 'ListBuckets', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::app-*' },
    { Sid: 'Queues', Effect: 'Allow', Action: 'sqs:*', Resource: `arn:aws:sqs:*:${ACCOUNT}:app-*` },
    { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:*:${ACCOUNT}:log-group:/app/*` },
    { Sid: 'Tables', Effect: 'Allow', Action: 'dynamodb:*Item', Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/app-?` },
    { Sid: 'NoUsers', Effect: 'Deny', Action: ['iam:CreateUser', 'iam:DeleteUser'], Resource: '*' },
    { Sid: 'Ec2Read', Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
    { Sid: 'StsSelf', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
  ],
});

const NETWORK = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'OfficeOnly', Effect: 'Deny', Action: '*', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } } },
    { Sid: 'SecretsFromOffice', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
    { Sid: 'KmsTagged', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } } },
    { Sid: 'TlsOnly', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    { Sid: 'Business', Effect: 'Allow', Action: 'ssm:GetParameter*', Resource: `arn:aws:ssm:*:${ACCOUNT}:parameter/app/*`, Condition: { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } },
    { Sid: 'NoRegionOutside', Effect: 'Deny', NotAction: ['iam:*', 'sts:*'], Resource: '*', Condition: { StringNotEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } },
    { Sid: 'Tagging', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*', Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['app-*', 'team'] } } },
    { Sid: 'EventsRule', Effect: 'Allow', Action: 'events:PutEvents', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:events:*:${ACCOUNT}:rule/*` } } },
  ],
});

const REVOKE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': '2024-10-10T09:43:48.085Z' } } }],
});

/** The role's policies (exported for profiling scripts). */
export function policySet(): PolicySet {
  return {
    identity: [
      compilePolicy(PERMISSIONS, 'identity', { kind: 'managed', name: 'AppPermissions' }),
      compilePolicy(NETWORK, 'identity', { kind: 'inline', name: 'Network' }),
      compilePolicy(REVOKE, 'identity', { kind: 'inline', name: 'AWSRevokeOlderSessions' }),
    ],
  };
}

/** The requests of the mix, each with the decision it must get. */
export function requests(): Array<RequestContext & { expected: 'allowed' | 'explicitDeny' | 'implicitDeny' }> {
  const principal = {
    type: 'AssumedRole' as const,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/i-0abc`,
    accountId: ACCOUNT,
    roleArn: `arn:aws:iam::${ACCOUNT}:role/app`,
  };
  const keys = contextKeys({
    'aws:CurrentTime': '2024-11-01T12:00:00Z',
    'aws:EpochTime': '1730462400',
    'aws:TokenIssueTime': '2024-11-01T11:00:00Z',
    'aws:SourceIp': '203.0.113.10',
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': 'us-east-1',
    'aws:username': 'app',
    'aws:PrincipalTag/team': 'blue',
    'aws:ResourceTag/team': 'blue',
    'aws:TagKeys': ['app-owner', 'team'],
  });
  return [
    { action: 's3:GetObject', resource: 'arn:aws:s3:::app-data/reports/2024/11/01.csv', principal, keys, expected: 'allowed' },
    { action: 'iam:GetRole', resource: `arn:aws:iam::${ACCOUNT}:role/app`, principal, keys, expected: 'allowed' },
    { action: 'sqs:SendMessage', resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:app-jobs`, principal, keys, expected: 'allowed' },
    { action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/mallory`, principal, keys, expected: 'explicitDeny' },
    { action: 'kms:Decrypt', resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`, principal, keys, expected: 'allowed' },
    { action: 'ec2:CreateTags', resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-1`, principal, keys, expected: 'allowed' },
    { action: 'dynamodb:GetItem', resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/app-1`, principal, keys, expected: 'allowed' },
    { action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:x`, principal, keys, expected: 'implicitDeny' },
  ];
}

/**
 * Decisions per second of CPU time used by this process (user + system), which on a shared,
 * busy machine says more about one core than wall-clock time does; wall-clock is reported too.
 */
function decisionsPerSecond(policies: PolicySet, contexts: readonly RequestContext[], seconds: number): { rate: number; wallRate: number; allowedShare: number } {
  let allowed = 0;
  let done = 0;
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  let cpuSeconds = 0;
  while (cpuSeconds < seconds) {
    for (let round = 0; round < 1000; round++) {
      for (let i = 0; i < contexts.length; i++) if (evaluate(contexts[i], policies).effect === 'allowed') allowed++;
    }
    done += 1000 * contexts.length;
    const cpu = process.cpuUsage(cpuStart);
    cpuSeconds = (cpu.user + cpu.system) / 1e6;
  }
  const wallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;
  return { rate: done / cpuSeconds, wallRate: done / wallSeconds, allowedShare: allowed / done };
}

function gc(): boolean {
  if (typeof globalThis.gc !== 'function') return false;
  globalThis.gc();
  globalThis.gc();
  return true;
}

function bytesPerPolicy(copies: number): { bytes: number; exact: boolean } {
  const exact = gc();
  const before = process.memoryUsage().heapUsed;
  const kept: CompiledPolicy[] = [];
  // Distinct texts, so nothing is shared between copies but the code.
  for (let i = 0; i < copies; i++) kept.push(compilePolicy(PERMISSIONS.replace('app-data', `app-data-${i}`), 'identity', { kind: 'managed', name: `P${i}` }));
  gc();
  const after = process.memoryUsage().heapUsed;
  const bytes = (after - before) / copies;
  if (kept.length !== copies) throw new Error('unreachable');
  return { bytes, exact };
}

export async function run(): Promise<BenchLine[]> {
  const policies = policySet();
  const contexts = requests();
  // A fast wrong answer is worth nothing: check the mix first.
  for (const ctx of contexts) {
    const effect = evaluate(ctx, policies).effect;
    if (effect !== ctx.expected) throw new Error(`bench scenario: ${ctx.action} gave ${effect}, expected ${ctx.expected}`);
  }
  decisionsPerSecond(policies, contexts, 0.5); // warm-up: let the JIT settle
  const { rate, wallRate, allowedShare } = decisionsPerSecond(policies, contexts, 1.5);
  const statements = policies.identity.reduce((total, policy) => total + policy.statements.length, 0);
  const memory = bytesPerPolicy(2000);
  return [
    {
      name: 'evaluate(): decisions per CPU-second, one core',
      value: rate,
      unit: 'decisions/s',
      note: `${policies.identity.length} policies, ${statements} statements, ${contexts.length} request shapes, ${Math.round(allowedShare * 100)}% allowed; wall clock ${Math.round(wallRate).toLocaleString('en-US')}/s`,
    },
    {
      name: 'compiled policy, approximate heap per copy (text included)',
      value: memory.bytes,
      unit: 'bytes',
      note: `${policies.identity[0].statements.length} statements, ${PERMISSIONS.length} characters${memory.exact ? '' : '; run node with --expose-gc for a steadier figure'}`,
    },
  ];
}
