import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from './evaluate.js';
import { ACCOUNT, policy, request, roleSession, root, statements, user } from './testing.js';
import type { CompiledPolicy, Decision, EvaluateOptions, PolicySet, PrincipalIdentity, RequestContext } from './types.js';

const DOCS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/';
const EVALUATION = `${DOCS}reference_policies_evaluation-logic.html`;
const BASICS = `${DOCS}reference_policies_evaluation-logic_policy-eval-basics.html`;
const BOUNDARIES = `${DOCS}access_policies_boundaries.html`;
const SESSION_POLICIES = `${DOCS}access_policies.html#policies_session`;
const NOT_ACTION = `${DOCS}reference_policies_elements_notaction.html`;
const NOT_RESOURCE = `${DOCS}reference_policies_elements_notresource.html`;
const NOT_PRINCIPAL = `${DOCS}reference_policies_elements_notprincipal.html`;
const OPERATORS = `${DOCS}reference_policies_elements_condition_operators.html`;
const MULTI_VALUE = `${DOCS}reference_policies_multi-value-conditions.html`;
const VARIABLES = `${DOCS}reference_policies_variables.html`;
const RESOURCE = `${DOCS}reference_policies_elements_resource.html`;
const ROLES_VS_RESOURCE = `${DOCS}id_roles_compare-resource-policies.html`;

interface Case {
  name: string;
  url: string;
  policies: PolicySet;
  ctx: RequestContext;
  options?: EvaluateOptions;
  effect: Decision['effect'];
  denyKind?: Decision['denyKind'];
  /** Sids of the deciding statements, in order */
  matched?: string[];
}

const identity = (...list: object[]): CompiledPolicy => policy(statements(...list), 'identity', { kind: 'inline', name: 'test' });
const resource = (...list: object[]): CompiledPolicy => policy(statements(...list), 'resource', { kind: 'bucket', name: 'test' });
const trust = (...list: object[]): CompiledPolicy => policy(statements(...list), 'trust', { kind: 'trust' });
const boundary = (...list: object[]): CompiledPolicy => policy(statements(...list), 'boundary', { kind: 'boundary' });
const session = (...list: object[]): CompiledPolicy => policy(statements(...list), 'session', { kind: 'session' });

// --- the examples of the evaluation-logic pages

const carlos = user('carlossalazar', '123456789012');
const carlosPolicy = identity(
  { Sid: 'AllowS3ListRead', Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetAccountPublicAccessBlock', 's3:ListAccessPoints', 's3:ListAllMyBuckets'], Resource: 'arn:aws:s3:::*' },
  { Sid: 'AllowS3Self', Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'] },
  { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::*log*' },
);
const carlosBucket = resource({
  Sid: 'CarlosOnly', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:user/carlossalazar' }, Action: 's3:*',
  Resource: ['arn:aws:s3:::carlossalazar/*', 'arn:aws:s3:::carlossalazar'],
});

const getList = identity(
  { Sid: 'AllowGetList', Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
  { Sid: 'DenyReports', Effect: 'Deny', Action: 'iam:*Report', Resource: '*' },
);

const bob = user('bob');
const appRole = roleSession('app', 'worker-1');
const bucketArn = 'arn:aws:s3:::shared-bucket';
const objectArn = `${bucketArn}/data.csv`;
const s3Boundary = boundary({ Sid: 'OnlyEc2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
const denyAllSession = session({ Sid: 'OnlyEc2', Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
const grantTo = (principal: unknown, sid = 'Grant'): CompiledPolicy =>
  resource({ Sid: sid, Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: `${bucketArn}/*` });

// --- permissions boundaries page

const shirley = user('ShirleyRodriguez');
const shirleyBoundary = boundary({ Sid: 'Services', Effect: 'Allow', Action: ['s3:*', 'cloudwatch:*', 'ec2:*'], Resource: '*' });
const xCompanyBoundaries = boundary(
  { Sid: 'ServiceBoundaries', Effect: 'Allow', Action: ['s3:*', 'cloudwatch:*', 'ec2:*', 'dynamodb:*'], Resource: '*' },
  { Sid: 'AllowManageOwnPasswordAndAccessKeys', Effect: 'Allow', Action: ['iam:*AccessKey*', 'iam:ChangePassword', 'iam:GetUser'], Resource: ['arn:aws:iam::*:user/${aws:username}'] },
  { Sid: 'DenyS3Logs', Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/*'] },
  { Sid: 'DenyEC2Production', Effect: 'Deny', Action: 'ec2:*', Resource: 'arn:aws:ec2:*:*:instance/i-1234567890abcdef0' },
);
const adminLike = identity({ Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' });

const cases: Case[] = [
  {
    name: 'Carlos: an explicit deny in the identity policy wins over both allows',
    url: `${BASICS}#policies_evaluation_example`,
    policies: { identity: [carlosPolicy], resource: carlosBucket },
    ctx: request('s3:PutObject', 'arn:aws:s3:::carlossalazar-logs/file.txt', carlos),
    effect: 'explicitDeny', denyKind: 'identity-based policy', matched: ['DenyS3Logs'],
  },
  {
    name: 'Carlos: his own bucket, allowed by both policies',
    url: `${BASICS}#policies_evaluation_example`,
    policies: { identity: [carlosPolicy], resource: carlosBucket },
    ctx: request('s3:PutObject', 'arn:aws:s3:::carlossalazar/file.txt', carlos),
    effect: 'allowed', matched: ['CarlosOnly'],
  },
  {
    name: 'AllowGetList: iam:GetUser is allowed',
    url: `${EVALUATION}#AccessPolicyLanguage_Interplay`,
    policies: { identity: [getList] },
    ctx: request('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/bob`, bob),
    effect: 'allowed', matched: ['AllowGetList'],
  },
  {
    name: 'AllowGetList: iam:CreatePolicy is implicitly denied',
    url: `${EVALUATION}#AccessPolicyLanguage_Interplay`,
    policies: { identity: [getList] },
    ctx: request('iam:CreatePolicy', `arn:aws:iam::${ACCOUNT}:policy/p`, bob),
    effect: 'implicitDeny', denyKind: 'identity-based policy', matched: [],
  },
  {
    name: 'DenyReports: iam:GetOrganizationsAccessReport is explicitly denied',
    url: `${EVALUATION}#AccessPolicyLanguage_Interplay`,
    policies: { identity: [getList] },
    ctx: request('iam:GetOrganizationsAccessReport', '*', bob),
    effect: 'explicitDeny', denyKind: 'identity-based policy', matched: ['DenyReports'],
  },
  {
    name: 'DenyReports: another policy allowing iam:GenerateCredentialReport does not help',
    url: `${EVALUATION}#AccessPolicyLanguage_Interplay`,
    policies: { identity: [getList, identity({ Sid: 'Reports', Effect: 'Allow', Action: 'iam:GenerateCredentialReport', Resource: '*' })] },
    ctx: request('iam:GenerateCredentialReport', '*', bob),
    effect: 'explicitDeny', denyKind: 'identity-based policy', matched: ['DenyReports'],
  },
  {
    name: 'actions match case-insensitively',
    url: `${DOCS}reference_policies_elements_action.html`,
    policies: { identity: [getList] },
    ctx: request('IAM:getuser', `arn:aws:iam::${ACCOUNT}:user/bob`, bob),
    effect: 'allowed',
  },
  {
    name: 'resources match case-sensitively',
    url: RESOURCE,
    policies: { identity: [identity({ Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${ACCOUNT}:user/Bob` })] },
    ctx: request('iam:GetUser', `arn:aws:iam::${ACCOUNT}:user/bob`, bob),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'same account, user ARN in the resource policy: allowed with no identity policy and a boundary that does not allow',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [], resource: grantTo({ AWS: bob.arn }), boundary: s3Boundary },
    ctx: request('s3:GetObject', objectArn, bob),
    effect: 'allowed', matched: ['Grant'],
  },
  {
    name: 'same account, role ARN in the resource policy: allowed without an identity policy',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [], resource: grantTo({ AWS: appRole.roleArn }) },
    ctx: request('s3:GetObject', objectArn, appRole),
    effect: 'allowed', matched: ['Grant'],
  },
  {
    name: 'role ARN in the resource policy is limited by an implicit deny in the permissions boundary',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [], resource: grantTo({ AWS: appRole.roleArn }), boundary: s3Boundary },
    ctx: request('s3:GetObject', objectArn, appRole),
    effect: 'implicitDeny', denyKind: 'permissions boundary',
  },
  {
    name: 'role ARN in the resource policy is limited by an implicit deny in a session policy',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [], resource: grantTo({ AWS: appRole.roleArn }), session: [denyAllSession] },
    ctx: request('s3:GetObject', objectArn, appRole),
    effect: 'implicitDeny', denyKind: 'session policy',
  },
  {
    name: 'role session ARN in the resource policy is not limited by boundary or session policy',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [], resource: grantTo({ AWS: appRole.arn }), boundary: s3Boundary, session: [denyAllSession] },
    ctx: request('s3:GetObject', objectArn, appRole),
    effect: 'allowed', matched: ['Grant'],
  },
  {
    name: '"*" in the resource policy grants like the role ARN: still limited by the boundary',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [], resource: grantTo('*'), boundary: s3Boundary },
    ctx: request('s3:GetObject', objectArn, appRole),
    effect: 'implicitDeny', denyKind: 'permissions boundary',
  },
  {
    name: 'an account principal delegates to identity policies: nothing granted without them',
    url: ROLES_VS_RESOURCE,
    policies: { identity: [], resource: grantTo({ AWS: ACCOUNT }) },
    ctx: request('s3:GetObject', objectArn, bob),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'an account principal with an identity-based allow: allowed',
    url: ROLES_VS_RESOURCE,
    policies: { identity: [identity({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })], resource: grantTo({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) },
    ctx: request('s3:GetObject', objectArn, bob),
    effect: 'allowed', matched: ['Read'],
  },
  {
    name: 'an explicit deny in the resource policy wins over an identity-based allow',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: {
      identity: [adminLike],
      resource: resource({ Sid: 'NoDelete', Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: `${bucketArn}/*` }),
    },
    ctx: request('s3:DeleteObject', objectArn, bob),
    effect: 'explicitDeny', denyKind: 'resource-based policy', matched: ['NoDelete'],
  },
  {
    name: 'the root user is allowed without any policy',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [] },
    ctx: request('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/x`, root()),
    effect: 'allowed',
  },
  {
    name: 'the root user is denied by an explicit deny in a resource policy',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [], resource: resource({ Sid: 'NoOne', Effect: 'Deny', Principal: { AWS: ACCOUNT }, Action: 's3:*', Resource: `${bucketArn}/*` }) },
    ctx: request('s3:GetObject', objectArn, root()),
    effect: 'explicitDeny', denyKind: 'resource-based policy', matched: ['NoOne'],
  },
  {
    name: 'a role session with no session policy: identity allow is enough',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [adminLike] },
    ctx: request('ec2:RunInstances', '*', appRole),
    effect: 'allowed', matched: ['Admin'],
  },
  {
    name: 'session policy that allows: the intersection allows',
    url: SESSION_POLICIES,
    policies: { identity: [adminLike], session: [denyAllSession] },
    ctx: request('ec2:RunInstances', '*', appRole),
    effect: 'allowed', matched: ['Admin', 'OnlyEc2'],
  },
  {
    name: 'session policy cannot grant more than the identity policy',
    url: SESSION_POLICIES,
    policies: { identity: [identity({ Effect: 'Allow', Action: 's3:*', Resource: '*' })], session: [denyAllSession] },
    ctx: request('ec2:RunInstances', '*', appRole),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'session policy that does not allow: implicit deny in the session policy',
    url: SESSION_POLICIES,
    policies: { identity: [adminLike], session: [denyAllSession] },
    ctx: request('s3:GetObject', objectArn, appRole),
    effect: 'implicitDeny', denyKind: 'session policy',
  },
  {
    name: 'a federated-user session without session policies has no permissions',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [adminLike] },
    ctx: request('s3:GetObject', objectArn, { type: 'FederatedUser', arn: `arn:aws:sts::${ACCOUNT}:federated-user/carol`, accountId: ACCOUNT }),
    effect: 'implicitDeny', denyKind: 'session policy',
  },
  // Boundaries
  {
    name: 'ShirleyRodriguez: identity allows iam:CreateUser, boundary does not',
    url: BOUNDARIES,
    policies: { identity: [identity({ Effect: 'Allow', Action: 'iam:CreateUser', Resource: '*' })], boundary: shirleyBoundary },
    ctx: request('iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/new`, shirley),
    effect: 'implicitDeny', denyKind: 'permissions boundary',
  },
  {
    name: 'ShirleyRodriguez: S3 allowed by both',
    url: BOUNDARIES,
    policies: { identity: [identity({ Sid: 'S3', Effect: 'Allow', Action: 's3:*', Resource: '*' })], boundary: shirleyBoundary },
    ctx: request('s3:ListBucket', bucketArn, shirley),
    effect: 'allowed', matched: ['S3', 'Services'],
  },
  {
    name: 'a boundary alone grants nothing',
    url: BOUNDARIES,
    policies: { identity: [], boundary: shirleyBoundary },
    ctx: request('s3:ListBucket', bucketArn, shirley),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'XCompanyBoundaries: DenyS3Logs is an explicit deny in the permissions boundary',
    url: `${BOUNDARIES}#access_policies_boundaries-delegate`,
    policies: { identity: [adminLike], boundary: xCompanyBoundaries },
    ctx: request('s3:GetObject', 'arn:aws:s3:::logs/2024.txt', user('newuser')),
    effect: 'explicitDeny', denyKind: 'permissions boundary', matched: ['DenyS3Logs'],
  },
  {
    name: 'XCompanyBoundaries: own access keys only (policy variable in the boundary)',
    url: `${BOUNDARIES}#access_policies_boundaries-delegate`,
    policies: { identity: [adminLike], boundary: xCompanyBoundaries },
    ctx: request('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/newuser`, user('newuser'), { 'aws:username': 'newuser' }),
    effect: 'allowed', matched: ['Admin', 'AllowManageOwnPasswordAndAccessKeys'],
  },
  {
    name: "XCompanyBoundaries: someone else's access keys are outside the boundary",
    url: `${BOUNDARIES}#access_policies_boundaries-delegate`,
    policies: { identity: [adminLike], boundary: xCompanyBoundaries },
    ctx: request('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/other`, user('newuser'), { 'aws:username': 'newuser' }),
    effect: 'implicitDeny', denyKind: 'permissions boundary',
  },
  {
    name: 'NotPrincipal with Deny denies any principal that has a permissions boundary, whatever it lists',
    url: BOUNDARIES,
    policies: {
      identity: [adminLike],
      boundary: shirleyBoundary,
      resource: resource({ Sid: 'AllButShirley', Effect: 'Deny', NotPrincipal: { AWS: [shirley.arn, `arn:aws:iam::${ACCOUNT}:root`] }, Action: 's3:*', Resource: `${bucketArn}/*` }),
    },
    ctx: request('s3:GetObject', objectArn, shirley),
    effect: 'explicitDeny', denyKind: 'resource-based policy', matched: ['AllButShirley'],
  },
  {
    name: 'NotPrincipal with Deny: the listed user (no boundary) is not denied',
    url: NOT_PRINCIPAL,
    policies: {
      identity: [adminLike],
      resource: resource({ Sid: 'AllButBob', Effect: 'Deny', NotPrincipal: { AWS: [bob.arn, `arn:aws:iam::${ACCOUNT}:root`] }, Action: 's3:*', Resource: `${bucketArn}/*` }),
    },
    ctx: request('s3:GetObject', objectArn, bob),
    effect: 'allowed', matched: ['Admin'],
  },
  {
    name: 'NotPrincipal with Deny: everyone else is denied',
    url: NOT_PRINCIPAL,
    policies: {
      identity: [adminLike],
      resource: resource({ Sid: 'AllButBob', Effect: 'Deny', NotPrincipal: { AWS: bob.arn }, Action: 's3:*', Resource: `${bucketArn}/*` }),
    },
    ctx: request('s3:GetObject', objectArn, user('alice')),
    effect: 'explicitDeny', denyKind: 'resource-based policy',
  },
  // NotAction / NotResource
  {
    name: 'Allow NotAction s3:DeleteBucket on arn:aws:s3:::*: other S3 actions on S3 resources allowed',
    url: NOT_ACTION,
    policies: { identity: [identity({ Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::*' })] },
    ctx: request('s3:GetObject', objectArn, bob),
    effect: 'allowed',
  },
  {
    name: 'Allow NotAction s3:DeleteBucket: DeleteBucket itself is not allowed',
    url: NOT_ACTION,
    policies: { identity: [identity({ Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::*' })] },
    ctx: request('s3:DeleteBucket', bucketArn, bob),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'Allow NotAction s3:DeleteBucket: ListAllMyBuckets needs the "*" resource, not allowed',
    url: NOT_ACTION,
    policies: { identity: [identity({ Effect: 'Allow', NotAction: 's3:DeleteBucket', Resource: 'arn:aws:s3:::*' })] },
    ctx: request('s3:ListAllMyBuckets', '*', bob),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'Allow NotAction iam:*: every other service allowed, IAM not',
    url: NOT_ACTION,
    policies: { identity: [identity({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })] },
    ctx: request('iam:CreateUser', '*', bob),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'Deny NotAction iam:* without MFA: non-IAM actions denied when MFA is absent (BoolIfExists)',
    url: NOT_ACTION,
    policies: {
      identity: [adminLike, identity({ Sid: 'DenyAllUsersNotUsingMFA', Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })],
    },
    ctx: request('ec2:RunInstances', '*', bob),
    effect: 'explicitDeny', denyKind: 'identity-based policy', matched: ['DenyAllUsersNotUsingMFA'],
  },
  {
    name: 'Deny NotAction iam:* without MFA: signed in with MFA, no deny',
    url: NOT_ACTION,
    policies: {
      identity: [adminLike, identity({ Sid: 'DenyAllUsersNotUsingMFA', Effect: 'Deny', NotAction: 'iam:*', Resource: '*', Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } } })],
    },
    ctx: request('ec2:RunInstances', '*', bob, { 'aws:MultiFactorAuthPresent': 'true' }),
    effect: 'allowed', matched: ['Admin'],
  },
  {
    name: 'Deny s3:* NotResource Payroll: another bucket is denied',
    url: NOT_RESOURCE,
    policies: { identity: [adminLike, identity({ Sid: 'HR', Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'] })] },
    ctx: request('s3:GetObject', 'arn:aws:s3:::HRBucket/Other/x', bob),
    effect: 'explicitDeny', denyKind: 'identity-based policy', matched: ['HR'],
  },
  {
    name: 'Deny s3:* NotResource Payroll: the Payroll folder is not denied',
    url: NOT_RESOURCE,
    policies: { identity: [adminLike, identity({ Sid: 'HR', Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll', 'arn:aws:s3:::HRBucket/Payroll/*'] })] },
    ctx: request('s3:GetObject', 'arn:aws:s3:::HRBucket/Payroll/2024.csv', bob),
    effect: 'allowed',
  },
  // Conditions in statements
  {
    name: 'IfExists: launching t2 allowed, other resources without the key allowed, m5 not',
    url: `${OPERATORS}#Conditions_IfExists`,
    policies: { identity: [identity({ Sid: 'RunInstance', Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } } })] },
    ctx: request('ec2:RunInstances', 'arn:aws:ec2:us-east-1::image/ami-1', bob),
    effect: 'allowed', matched: ['RunInstance'],
  },
  {
    name: 'IfExists: an m5 instance type does not match',
    url: `${OPERATORS}#Conditions_IfExists`,
    policies: { identity: [identity({ Sid: 'RunInstance', Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } } })] },
    ctx: request('ec2:RunInstances', 'arn:aws:ec2:us-east-1:111122223333:instance/*', bob, { 'ec2:InstanceType': 'm5.large' }),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'without IfExists the statement never applies to resources lacking the key',
    url: `${OPERATORS}#Conditions_IfExists`,
    policies: { identity: [identity({ Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*', Condition: { StringLike: { 'ec2:InstanceType': ['t2.*'] } } })] },
    ctx: request('ec2:RunInstances', 'arn:aws:ec2:us-east-1::image/ami-1', bob),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'Null: EC2 allowed only with long-term credentials (no aws:TokenIssueTime)',
    url: `${OPERATORS}#Conditions_Null`,
    policies: { identity: [identity({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { Null: { 'aws:TokenIssueTime': 'true' } } })] },
    ctx: request('ec2:DescribeInstances', '*', bob),
    effect: 'allowed',
  },
  {
    name: 'Null: temporary credentials do not match',
    url: `${OPERATORS}#Conditions_Null`,
    policies: { identity: [identity({ Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { Null: { 'aws:TokenIssueTime': 'true' } } })] },
    ctx: request('ec2:DescribeInstances', '*', appRole, { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'Bool aws:SecureTransport false: plain HTTP denied',
    url: `${OPERATORS}#Conditions_Boolean`,
    policies: { identity: [adminLike, identity({ Sid: 'BooleanExample', Effect: 'Deny', Action: 's3:*', Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    ctx: request('s3:GetObject', objectArn, bob, { 'aws:SecureTransport': 'false' }),
    effect: 'explicitDeny', denyKind: 'identity-based policy', matched: ['BooleanExample'],
  },
  {
    name: 'IpAddress: a request from outside the range is not allowed',
    url: `${OPERATORS}#Conditions_IPAddress`,
    policies: { identity: [identity({ Effect: 'Allow', Action: 'iam:*AccessKey*', Resource: `arn:aws:iam::${ACCOUNT}:user/*`, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })] },
    ctx: request('iam:CreateAccessKey', `arn:aws:iam::${ACCOUNT}:user/bob`, bob, { 'aws:SourceIp': '198.51.100.1' }),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'two operators in one block are ANDed, keys under one operator are ANDed',
    url: `${DOCS}reference_policies_condition-logic-multiple-context-keys-or-values.html`,
    policies: { identity: [identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/department': 'finance', 'aws:PrincipalTag/role': ['audit', 'security'] }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/*' } } })] },
    ctx: request('s3:GetObject', objectArn, bob, { 'aws:PrincipalTag/department': 'finance', 'aws:PrincipalTag/role': 'audit', 'aws:PrincipalArn': bob.arn }),
    effect: 'allowed',
  },
  {
    name: 'two keys under one operator: one missing is enough to fail',
    url: `${DOCS}reference_policies_condition-logic-multiple-context-keys-or-values.html`,
    policies: { identity: [identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/department': 'finance', 'aws:PrincipalTag/role': ['audit', 'security'] } } })] },
    ctx: request('s3:GetObject', objectArn, bob, { 'aws:PrincipalTag/department': 'finance' }),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'ForAnyValue Deny on PutItem attributes: one forbidden attribute denies',
    url: MULTI_VALUE,
    policies: {
      identity: [adminLike, identity({ Sid: 'NoIdUpdates', Effect: 'Deny', Action: 'dynamodb:PutItem', Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'dynamodb:requestedAttributes': ['ID', 'PostDateTime'] } } })],
    },
    ctx: request('dynamodb:PutItem', 'arn:aws:dynamodb:us-east-1:111122223333:table/Thread', bob, { 'dynamodb:requestedAttributes': ['UserName', 'Message', 'PostDateTime'] }),
    effect: 'explicitDeny', denyKind: 'identity-based policy', matched: ['NoIdUpdates'],
  },
  // Policy variables
  {
    name: "${aws:username} in Resource: David's own folder",
    url: VARIABLES,
    policies: { identity: [identity({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::mybucket/${aws:username}/*'] })] },
    ctx: request('s3:PutObject', 'arn:aws:s3:::mybucket/David/notes.txt', user('David'), { 'aws:username': 'David' }),
    effect: 'allowed',
  },
  {
    name: "${aws:username} in Resource: someone else's folder",
    url: VARIABLES,
    policies: { identity: [identity({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: ['arn:aws:s3:::mybucket/${aws:username}/*'] })] },
    ctx: request('s3:PutObject', 'arn:aws:s3:::mybucket/Adele/notes.txt', user('David'), { 'aws:username': 'David' }),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'without Version 2012-10-17, ${aws:username} is a literal string',
    url: VARIABLES,
    policies: { identity: [policy(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mybucket/${aws:username}/*' }] }))] },
    ctx: request('s3:GetObject', 'arn:aws:s3:::mybucket/David/x', user('David'), { 'aws:username': 'David' }),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'a variable with no value matches nothing (and is reported missing)',
    url: VARIABLES,
    policies: { identity: [identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mybucket/${aws:PrincipalTag/team}/*' })] },
    ctx: request('s3:GetObject', 'arn:aws:s3:::mybucket/blue/x', appRole),
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'Resource wildcards cross ":" (Resource is not compared part by part)',
    url: RESOURCE,
    policies: { identity: [identity({ Effect: 'Allow', Action: 'logs:*', Resource: `arn:aws:logs:*` })] },
    ctx: request('logs:PutLogEvents', `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:app:log-stream:x`, bob),
    effect: 'allowed',
  },
  // Trust policies (resourcePolicyRequired)
  {
    name: 'trust policy naming the user: AssumeRole allowed without an identity policy',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: { identity: [], resource: trust({ Sid: 'Trust', Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'sts:AssumeRole' }) },
    ctx: request('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/target`, bob),
    options: { resourcePolicyRequired: true },
    effect: 'allowed', matched: ['Trust'],
  },
  {
    name: 'trust policy naming the account: the identity policy must allow sts:AssumeRole',
    url: ROLES_VS_RESOURCE,
    policies: { identity: [], resource: trust({ Sid: 'Trust', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }) },
    ctx: request('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/target`, bob),
    options: { resourcePolicyRequired: true },
    effect: 'implicitDeny', denyKind: 'identity-based policy',
  },
  {
    name: 'trust policy naming the account, identity allows: allowed',
    url: ROLES_VS_RESOURCE,
    policies: {
      identity: [identity({ Sid: 'MayAssume', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${ACCOUNT}:role/*` })],
      resource: trust({ Sid: 'Trust', Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }),
    },
    ctx: request('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/target`, bob),
    options: { resourcePolicyRequired: true },
    effect: 'allowed', matched: ['MayAssume', 'Trust'],
  },
  {
    name: 'trust policy that does not name the caller: denied even with an identity allow',
    url: `${EVALUATION}#policy-eval-denyallow`,
    policies: {
      identity: [adminLike],
      resource: trust({ Effect: 'Allow', Principal: { AWS: user('alice').arn }, Action: 'sts:AssumeRole' }),
    },
    ctx: request('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/target`, bob),
    options: { resourcePolicyRequired: true },
    effect: 'implicitDeny', denyKind: 'resource-based policy',
  },
  {
    name: 'trust policy for a service principal (EC2 instance profile)',
    url: `${DOCS}reference_policies_elements_principal.html#principal-services`,
    policies: { identity: [], resource: trust({ Sid: 'Ec2', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) },
    ctx: request('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/target`, { type: 'Service', arn: 'ec2.amazonaws.com', accountId: '' }),
    options: { resourcePolicyRequired: true },
    effect: 'allowed', matched: ['Ec2'],
  },
  {
    name: 'trust policy with a condition on the external id',
    url: `${DOCS}id_roles_create_for-user_externalid.html`,
    policies: {
      identity: [],
      resource: trust({ Effect: 'Allow', Principal: { AWS: bob.arn }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'Unique ID Assigned by Example Corp' } } }),
    },
    ctx: request('sts:AssumeRole', `arn:aws:iam::${ACCOUNT}:role/target`, bob, { 'sts:ExternalId': 'wrong' }),
    options: { resourcePolicyRequired: true },
    effect: 'implicitDeny', denyKind: 'resource-based policy',
  },
  {
    name: 'anonymous callers are allowed only by "*"',
    url: `${DOCS}reference_policies_elements_principal.html#principal-anonymous`,
    policies: { identity: [], resource: grantTo('*', 'Public') },
    ctx: request('s3:GetObject', objectArn, { type: 'Anonymous', arn: '', accountId: '' }),
    effect: 'allowed', matched: ['Public'],
  },
];

describe('evaluation: AWS documentation examples', () => {
  for (const testCase of cases) {
    it(`${testCase.name} (${testCase.url})`, () => {
      const decision = evaluate(testCase.ctx, testCase.policies, testCase.options);
      assert.equal(decision.effect, testCase.effect);
      assert.equal(decision.denyKind, testCase.denyKind);
      if (testCase.matched) assert.deepEqual(decision.matched.map((statement) => statement.sid), testCase.matched);
    });
  }
});

describe('evaluation details', () => {
  it('reports missing context keys of statements that otherwise applied', () => {
    const policies = {
      identity: [identity(
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:PrincipalTag/team}/*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
        { Effect: 'Allow', Action: 'ec2:*', Resource: '*', Condition: { StringEquals: { 'ec2:Region': 'x' } } },
      )],
    };
    const decision = evaluate(request('s3:GetObject', 'arn:aws:s3:::b/blue/x', bob), policies);
    assert.deepEqual([...decision.missingContextValues].sort(), ['aws:PrincipalTag/team', 'aws:SourceIp']);
    const present = evaluate(request('s3:GetObject', 'arn:aws:s3:::b/blue/x', bob, { 'aws:PrincipalTag/team': 'blue', 'aws:SourceIp': '10.1.2.3' }), policies);
    assert.equal(present.effect, 'allowed');
    assert.deepEqual(present.missingContextValues, []);
  });

  it('reports every matching Deny, each with its position and source', () => {
    const first = identity({ Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' });
    const second = policy(statements({ Sid: 'B', Effect: 'Deny', Action: 's3:*', Resource: '*' }), 'identity', { kind: 'managed', arn: `arn:aws:iam::${ACCOUNT}:policy/B` });
    const decision = evaluate(request('s3:GetObject', objectArn, bob), { identity: [first, adminLike, second] });
    assert.deepEqual(decision.matched.map((statement) => [statement.sid, statement.source.kind]), [['A', 'inline'], ['B', 'managed']]);
    assert.equal(decision.matched[0].start?.line, 1);
  });

  it('gives the same decision to the same request every time (no state carried over)', () => {
    const policies: PolicySet = { identity: [carlosPolicy], resource: carlosBucket };
    const deny = request('s3:PutObject', 'arn:aws:s3:::carlossalazar-logs/file.txt', carlos);
    const allow = request('s3:PutObject', 'arn:aws:s3:::carlossalazar/file.txt', carlos);
    for (let i = 0; i < 3; i++) {
      assert.equal(evaluate(deny, policies).effect, 'explicitDeny');
      assert.equal(evaluate(allow, policies).effect, 'allowed');
    }
  });

  it('ignores identity policies of principals that cannot have any', () => {
    const anonymous: PrincipalIdentity = { type: 'Anonymous', arn: '', accountId: '' };
    assert.equal(evaluate(request('s3:GetObject', objectArn, anonymous), { identity: [adminLike] }).effect, 'implicitDeny');
  });
});
