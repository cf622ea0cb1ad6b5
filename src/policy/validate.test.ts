import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePolicy, requireCurrentVersion } from './compile.js';
import { PolicyDocumentError } from './errors.js';
import type { PolicyKind } from './types.js';

// Messages as IAM returns them (MalformedPolicyDocument). Sources: issues quoting the real API
// (hashicorp/terraform#13449 "Policy document should not specify a principal.",
// kubernetes-sigs/external-dns#3085 "Has prohibited field Resource", garnaat/kappa#111 "Actions/Condition
// can contain only one colon.", humanmade/S3-Uploads#191 "Missing required field Principal",
// awslabs/ec2-spot-labs#25 "Syntax errors in policy.", aws-samples/torchserve-eks#3 "The policy failed
// legacy parsing") and moto's recorded cases (tests/test_iam/test_iam_policies.py).

const bucket = 'arn:aws:s3:::example_bucket';

function document(statement: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statement, ...extra });
}

function rejects(text: string, message: string, kind: PolicyKind = 'identity'): void {
  assert.throws(() => compilePolicy(text, kind), (error: unknown) => {
    assert.ok(error instanceof PolicyDocumentError, String(error));
    assert.equal(error.message, message, text);
    return true;
  });
}

describe('MalformedPolicyDocument: identity policies', () => {
  const cases: Array<[string, string]> = [
    ['This is not a json document', 'Syntax errors in policy.'],
    ['{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*",}}', 'Syntax errors in policy.'],
    [JSON.stringify({ Version: '2013-10-17', Statement: { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket } }), 'Syntax errors in policy.'],
    [JSON.stringify({ Version: '2012-10-17' }), 'Syntax errors in policy.'],
    [document([]), 'Syntax errors in policy.'],
    [document(['afd']), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket }, { 'Extra field': 'value' }), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, 'Extra field': 'value' }), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket }, { Id: ['x'] }), 'Syntax errors in policy.'],
    [document({ Effect: 'invalid', Action: 's3:ListBucket', Resource: bucket }), 'Syntax errors in policy.'],
    [document({ Action: 's3:ListBucket', Resource: bucket }), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', NotAction: 's3:ListBucket', Action: 'iam:dsf', Resource: bucket }), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, NotResource: '*' }), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', Action: {}, Resource: bucket }), 'Syntax errors in policy.'],
    [document({ Effect: 'Deny', Action: [[]], Resource: bucket }), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: [] }), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { DateGreaterThan: 'b' } }), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { x: { a: '1' } } }), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { 'ForAnyValue::StringEqualsIfExists': { a: 'asf' } } }), 'Syntax errors in policy.'],
    [document({ Sid: {}, Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket }), 'Syntax errors in policy.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Principal: { AWS: '*' } }), 'Policy document should not specify a principal.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, NotPrincipal: '*' }), 'Policy document should not specify a principal.'],
    [document({ Effect: 'denY', Action: 's3:ListBucket', Resource: bucket }), 'The policy failed legacy parsing'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { DateGreaterThan: { a: 'sdfdsf' } } }), 'The policy failed legacy parsing'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3::example_bucket' }), 'The policy failed legacy parsing'],
    [document({ Effect: 'Allow', NotAction: 's3:ListBucket', Resource: 'arn:aws::::example_bucket' }), 'The policy failed legacy parsing'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws::fdsasf' }), 'The policy failed legacy parsing'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { NumericLessThan: { 's3:max-keys': 'ten' } } }), 'The policy failed legacy parsing'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/40' } } }), 'The policy failed legacy parsing'],
    [document([{ Sid: 'sdf', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket }, { Sid: 'sdf', Effect: 'Allow' }]), 'Statement IDs (SID) in a single policy must be unique.'],
    [document({ Effect: 'Allow', Resource: bucket }), 'Policy statement must contain actions.'],
    [document({ Effect: 'Allow', Action: [], Resource: bucket }), 'Policy statement must contain actions.'],
    [document([{ Effect: 'Deny' }, { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket }]), 'Policy statement must contain actions.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket' }), 'Policy statement must contain resources.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: [] }), 'Policy statement must contain resources.'],
    [document({ Effect: 'Allow', Action: 'invalid' }), 'Policy statement must contain resources.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'invalid resource' }), 'Resource invalid resource must be in ARN format or "*".'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: '' }), 'Resource  must be in ARN format or "*".'],
    [document({ Effect: 'Allow', NotAction: 's3s:ListBucket', Resource: 'a:bsdfdsafsad' }), 'Partition "bsdfdsafsad" is not valid for resource "arn:bsdfdsafsad:*:*:*:*".'],
    [document({ Effect: 'Allow', NotAction: 's3s:ListBucket', Resource: 'a:b:c:d:e:f:g:h' }), 'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'aws:s3:::example_bucket' }), 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws' }), 'Resource vendor must be fully qualified and cannot contain regexes.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:iam:us-east-1::example_bucket' }), 'IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:us-east-1::example_bucket' }), 'Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.'],
    [document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:iam:::example_bucket' }),
      'IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.'],
    [document({ Effect: 'Allow', Action: 'invalid', Resource: bucket }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    [document({ Effect: 'Allow', NotAction: '', Resource: bucket }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    [document({ Effect: 'Allow', Action: 'a a:ListBucket', Resource: bucket }), 'Vendor a a is not valid'],
    [document({ Effect: 'Allow', Action: 's3:List:Bucket', Resource: bucket }), 'Actions/Condition can contain only one colon.'],
    [document({ Effect: 'Allow', Action: '*:Untag*', Resource: bucket }), 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards'],
  ];
  for (const [text, message] of cases) {
    it(`${message} <- ${text.slice(0, 110)}`, () => rejects(text, message));
  }

  it('accepts what IAM accepts', () => {
    for (const statement of [
      { Effect: 'Allow', Action: 'iam: asdf safdsf af ', Resource: bucket },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: [bucket, '*'] },
      { Effect: 'Allow', Action: '*', Resource: bucket },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:iam:::user/example_bucket' },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:fdsasf' },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:ec2:us-east-1::example_bucket' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:*:*:access-grants/default/*' },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: {} },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Department' } } },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { DateGreaterThan: { 'aws:CurrentTime': '2017-07-01T00:00:00Z' } } },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, Condition: { NumericLessThanEquals: { 's3:max-keys': 10 }, Bool: { 'aws:SecureTransport': true } } },
      { Sid: '', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket },
    ]) {
      compilePolicy(document(statement), 'identity');
    }
    compilePolicy(document([{ Sid: '', Effect: 'Allow', Action: 'a:b', Resource: '*' }, { Sid: '', Effect: 'Allow', Action: 'a:b', Resource: '*' }]), 'identity');
    compilePolicy(JSON.stringify({ Statement: { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket } }), 'identity');
    compilePolicy(JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket }] }), 'identity');
  });

  it('requireCurrentVersion: managed policies need 2012-10-17', () => {
    const old = compilePolicy(JSON.stringify({ Statement: { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket } }), 'identity');
    assert.equal(old.version, '2008-10-17');
    assert.throws(() => requireCurrentVersion(old), { message: 'Policy document must be version 2012-10-17 or greater.' });
    requireCurrentVersion(compilePolicy(document({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket }), 'identity'));
  });
});

describe('MalformedPolicyDocument: resource and trust policies', () => {
  const trust = (statement: Record<string, unknown>): string => document({ Effect: 'Allow', Action: 'sts:AssumeRole', ...statement });

  it('requires a principal', () => {
    rejects(trust({}), 'Missing required field Principal', 'trust');
    rejects(document({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket}/*` }), 'Missing required field Principal', 'resource');
  });

  it('prohibits Resource in a role trust policy', () => {
    rejects(trust({ Principal: { Service: 'ec2.amazonaws.com' }, Resource: '*' }), 'Has prohibited field Resource', 'trust');
  });

  it('allows only STS actions in a role trust policy', () => {
    rejects(document({ Effect: 'Allow', Action: 's3:GetObject', Principal: { Service: 'ec2.amazonaws.com' } }),
      'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity', 'trust');
  });

  it('rejects principals that are not principals', () => {
    for (const value of ['arn:aws:iam::111122223333:user/*', 'bob', 'arn:aws:iam::111122223333:group/admins', 'arn:aws:s3:::bucket']) {
      rejects(trust({ Principal: { AWS: value } }), `Invalid principal in policy: "AWS":"${value}"`, 'trust');
    }
    rejects(trust({ Principal: 'arn:aws:iam::111122223333:root' }), 'Syntax errors in policy.', 'trust');
    rejects(trust({ Principal: { Users: 'x' } }), 'Syntax errors in policy.', 'trust');
  });

  it('accepts the principal forms AWS documents', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
    for (const principal of [
      '*', { AWS: '*' }, { AWS: '111122223333' }, { AWS: 'arn:aws:iam::111122223333:root' },
      { AWS: ['arn:aws:iam::111122223333:user/bob', 'arn:aws:iam::111122223333:role/path/to/role'] },
      { AWS: 'arn:aws:sts::111122223333:assumed-role/role/session' }, { AWS: 'arn:aws:sts::111122223333:federated-user/carol' },
      { AWS: 'AROAEXAMPLEID1234567' }, { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'] },
      { Federated: 'arn:aws:iam::111122223333:saml-provider/okta' }, { Federated: 'cognito-identity.amazonaws.com' },
      { CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
    ]) {
      compilePolicy(trust({ Principal: principal }), 'trust');
    }
    compilePolicy(trust({ NotPrincipal: { AWS: 'arn:aws:iam::111122223333:user/bob' } }), 'trust');
    compilePolicy(JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }), 'trust');
  });
});

describe('compiled policy', () => {
  it('records each statement position, version, size without whitespace and source', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Sid": "One", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n    {\n      "Effect": "Deny",\n      "Action": "iam:*",\n      "Resource": "*"\n    }\n  ]\n}';
    const compiled = compilePolicy(text, 'identity', { kind: 'inline', name: 'p' });
    assert.equal(compiled.version, '2012-10-17');
    assert.equal(compiled.sizeWithoutWhitespace, text.replace(/\s/g, '').length);
    assert.deepEqual(compiled.statements.map((statement) => [statement.matched.start, statement.matched.end]), [
      [{ line: 4, column: 5 }, { line: 4, column: 73 }],
      [{ line: 5, column: 5 }, { line: 9, column: 6 }],
    ]);
    assert.equal(compiled.statements[0].matched.sid, 'One');
    assert.equal(compiled.statements[1].matched.sid, undefined);
    assert.deepEqual(compiled.statements[1].matched.source, { kind: 'inline', name: 'p' });
    assert.equal(compiled.text, text);
  });
});
