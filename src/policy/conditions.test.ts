import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompiledCondition, parseOperator } from './conditions.js';
import { contextKeys } from './context.js';
import { PolicyDocumentError } from './errors.js';
import { pick, randomString, seededRandom } from './testing.js';
import type { ContextValue } from './types.js';

const OPERATORS_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';
const MULTI_VALUE_PAGE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html';
const MULTI_VALUE_EXAMPLES = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html';

function condition(operator: string, key: string, values: string | string[], variables = true): CompiledCondition {
  const parsed = parseOperator(operator);
  assert.ok(parsed, `operator ${operator}`);
  return new CompiledCondition(parsed, key, typeof values === 'string' ? [values] : values, variables);
}

function holds(operator: string, key: string, values: string | string[], keys: Record<string, ContextValue | undefined>): boolean {
  return condition(operator, key, values).evaluate(contextKeys(keys));
}

describe('condition operators', () => {
  it('recognises every operator, the qualifiers and IfExists, and nothing else', () => {
    for (const name of ['StringEquals', 'StringNotEqualsIgnoreCase', 'StringLike', 'NumericGreaterThanEquals', 'DateLessThan', 'Bool', 'BinaryEquals',
      'IpAddress', 'NotIpAddress', 'ArnLike', 'ArnNotEquals', 'Null', 'StringLikeIfExists', 'ForAllValues:StringLike', 'ForAnyValue:StringEqualsIfExists']) {
      assert.ok(parseOperator(name), name);
    }
    for (const name of ['StringEqual', 'stringequals', 'NullIfExists', 'ForAnyValue::StringEquals', 'ForAllValues:Null', 'IfExists', 'BinaryNotEquals', 'Foo']) {
      assert.equal(parseOperator(name), undefined, name);
    }
  });

  it('absent keys: positive false, negated true, IfExists true, Null true', () => {
    // OPERATORS_PAGE: "If the key that you specify in a policy condition is not present in the request context, the values do not match..."
    assert.equal(holds('StringEquals', 'aws:PrincipalTag/job-category', 'iamuser-admin', {}), false, OPERATORS_PAGE);
    assert.equal(holds('StringNotLike', 'aws:PrincipalTag/job-category', 'x*', {}), true);
    assert.equal(holds('ArnNotLike', 'aws:SourceArn', 'arn:aws:sns:*:*:*', {}), true);
    assert.equal(holds('StringLikeIfExists', 'ec2:InstanceType', 't2.*', {}), true);
    assert.equal(holds('StringNotEqualsIfExists', 'ec2:InstanceType', 't2.micro', {}), true);
    assert.equal(holds('Null', 'aws:TokenIssueTime', 'true', {}), true);
    assert.equal(holds('Null', 'aws:TokenIssueTime', 'false', {}), false);
    assert.equal(holds('Null', 'aws:TokenIssueTime', 'true', { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' }), false);
    assert.equal(holds('DateLessThan', 'aws:TokenIssueTime', '2024-10-10T09:43:48Z', {}), false);
  });

  it('string operators: case, wildcards, IgnoreCase, multiple values OR, negated NOR', () => {
    assert.equal(holds('StringEquals', 'aws:PrincipalTag/job-category', 'iamuser-admin', { 'aws:PrincipalTag/job-category': 'iamuser-admin' }), true);
    assert.equal(holds('StringEquals', 'k:k', 'Admin', { 'k:k': 'admin' }), false);
    assert.equal(holds('StringEqualsIgnoreCase', 'k:k', 'Admin', { 'k:k': 'ADMIN' }), true);
    assert.equal(holds('StringNotEqualsIgnoreCase', 'k:k', 'Admin', { 'k:k': 'ADMIN' }), false);
    assert.equal(holds('StringEquals', 'k:k', 'a*', { 'k:k': 'abc' }), false);
    assert.equal(holds('StringLike', 's3:prefix', ['', 'home/', 'home/${aws:username}/'], { 's3:prefix': 'home/', 'aws:username': 'bob' }), true);
    assert.equal(holds('StringLike', 's3:prefix', 'home/${aws:username}/*', { 's3:prefix': 'home/bob/docs', 'aws:username': 'bob' }), true);
    assert.equal(holds('StringLike', 's3:prefix', 'home/${aws:username}/*', { 's3:prefix': 'home/alice/docs', 'aws:username': 'bob' }), false);
    // MULTI_VALUE_PAGE: "If a single negated matching condition operator includes multiple values for a context key, those values are evaluated using a logical NOR."
    assert.equal(holds('StringNotEquals', 'aws:PrincipalTag/role', ['audit', 'security'], { 'aws:PrincipalTag/role': 'audit' }), false, MULTI_VALUE_PAGE);
    assert.equal(holds('StringNotEquals', 'aws:PrincipalTag/role', ['audit', 'security'], { 'aws:PrincipalTag/role': 'dev' }), true);
  });

  it('condition key names are case-insensitive', () => {
    assert.equal(holds('StringEquals', 'AWS:SourceVpc', 'vpc-1', { 'aws:sourcevpc': 'vpc-1' }), true);
  });

  it('numeric operators, and no wildcards or variables in them', () => {
    // OPERATORS_PAGE: NumericLessThanEquals s3:max-keys 10
    assert.equal(holds('NumericLessThanEquals', 's3:max-keys', '10', { 's3:max-keys': '10' }), true, OPERATORS_PAGE);
    assert.equal(holds('NumericLessThanEquals', 's3:max-keys', '10', { 's3:max-keys': '11' }), false);
    assert.equal(holds('NumericEquals', 'k:n', '1.50', { 'k:n': '1.5' }), true);
    assert.equal(holds('NumericGreaterThan', 'k:n', '-3', { 'k:n': '-2' }), true);
    assert.equal(holds('NumericNotEquals', 'k:n', '5', { 'k:n': 'five' }), false, 'an unparsable request value never satisfies a negated operator');
    for (const bad of ['ten', '1e3', '${aws:username}', '*', '']) {
      assert.throws(() => condition('NumericEquals', 'k:n', bad), PolicyDocumentError, bad);
    }
  });

  it('date operators take ISO 8601 (seconds, milliseconds, offsets) and epoch seconds', () => {
    // OPERATORS_PAGE: DateGreaterThan aws:TokenIssueTime 2020-01-01T00:00:01Z
    assert.equal(holds('DateGreaterThan', 'aws:TokenIssueTime', '2020-01-01T00:00:01Z', { 'aws:TokenIssueTime': '2020-06-01T00:00:00Z' }), true, OPERATORS_PAGE);
    assert.equal(holds('DateGreaterThan', 'aws:TokenIssueTime', '2020-01-01T00:00:01Z', { 'aws:TokenIssueTime': '2019-12-31T23:59:59Z' }), false);
    assert.equal(holds('DateEquals', 'aws:CurrentTime', '2020-01-01T01:00:00+01:00', { 'aws:CurrentTime': '2020-01-01T00:00:00Z' }), true);
    assert.equal(holds('DateLessThan', 'aws:EpochTime', '1700000000', { 'aws:EpochTime': '1699999999' }), true);
    assert.equal(holds('DateLessThan', 'aws:CurrentTime', '1700000000', { 'aws:CurrentTime': '2023-11-14T22:13:19Z' }), true);
    assert.equal(holds('DateLessThan', 'aws:CurrentTime', '1700000000', { 'aws:CurrentTime': '2023-11-14T22:13:20Z' }), false);
    assert.equal(holds('DateNotEquals', 'aws:CurrentTime', '2020-01-01', { 'aws:CurrentTime': 'yesterday' }), false);
    for (const bad of ['sdfdsf', '234-13', '2016-12-13t2:00:00.593194+1', '2016-12-13T02:00:00.1999999999+10:59', '2020-02-30', '2020-01-01T24:00:00Z', '${aws:CurrentTime}', '2020-*']) {
      assert.throws(() => condition('DateLessThan', 'aws:CurrentTime', bad), PolicyDocumentError, bad);
    }
  });

  it('Bool compares true/false in any case', () => {
    assert.equal(holds('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'FALSE' }), true);
    assert.equal(holds('Bool', 'aws:SecureTransport', 'True', { 'aws:SecureTransport': 'true' }), true);
    assert.equal(holds('Bool', 'aws:SecureTransport', 'false', { 'aws:SecureTransport': 'true' }), false);
    assert.equal(holds('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', {}), true);
    assert.throws(() => condition('Bool', 'aws:SecureTransport', 'yes'), PolicyDocumentError);
  });

  it('BinaryEquals compares the decoded bytes', () => {
    assert.equal(holds('BinaryEquals', 'k:b', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', { 'k:b': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' }), true);
    assert.equal(holds('BinaryEquals', 'k:b', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', { 'k:b': 'QmluYXJ5' }), false);
    assert.throws(() => condition('BinaryEquals', 'k:b', 'not base64!'), PolicyDocumentError);
  });

  it('IpAddress: IPv4 and IPv6 CIDRs, bare addresses, and malformed ones rejected', () => {
    // OPERATORS_PAGE: "203.0.113.0/24" and "2001:DB8:1234:5678::/64"
    const ranges = ['203.0.113.0/24', '2001:DB8:1234:5678::/64'];
    assert.equal(holds('IpAddress', 'aws:SourceIp', ranges, { 'aws:SourceIp': '203.0.113.255' }), true, OPERATORS_PAGE);
    assert.equal(holds('IpAddress', 'aws:SourceIp', ranges, { 'aws:SourceIp': '203.0.114.0' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', ranges, { 'aws:SourceIp': '2001:db8:1234:5678:ffff::1' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', ranges, { 'aws:SourceIp': '2001:db8:1234:5679::1' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '198.51.100.7', { 'aws:SourceIp': '198.51.100.7' }), true, 'no prefix means /32');
    assert.equal(holds('NotIpAddress', 'aws:SourceIp', ranges, { 'aws:SourceIp': '198.51.100.7' }), true);
    assert.equal(holds('NotIpAddress', 'aws:SourceIp', ranges, { 'aws:SourceIp': 'not-an-ip' }), false);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '::/0', { 'aws:SourceIp': '::1' }), true);
    assert.equal(holds('IpAddress', 'aws:SourceIp', '0.0.0.0/0', { 'aws:SourceIp': '::1' }), false);
    for (const bad of ['203.0.113.0/33', '256.1.1.1', '1.2.3', '2001:db8::1::2/64', 'abc', '10.0.0.0/x']) {
      assert.throws(() => condition('IpAddress', 'aws:SourceIp', bad), PolicyDocumentError, bad);
    }
  });

  it('policy variables: defaults, escapes, unresolved values match nothing, 2008-10-17 literal', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
    assert.equal(holds('StringEquals', 'k:k', "${aws:userid, 'anonymous'}", { 'k:k': 'anonymous' }), true);
    assert.equal(holds('StringEquals', 'k:k', "${aws:userid, 'anonymous'}", { 'k:k': 'anonymous', 'aws:userid': 'AIDA1' }), false);
    assert.equal(holds('StringLike', 'k:k', 'a${*}', { 'k:k': 'a*' }), true);
    assert.equal(holds('StringLike', 'k:k', 'a${*}', { 'k:k': 'ab' }), false, '${*} is a literal asterisk');
    assert.equal(holds('StringEquals', 'k:k', '${$}x${?}', { 'k:k': '$x?' }), true);
    assert.equal(holds('StringEquals', 'k:k', '${aws:username}', { 'k:k': '' }), false, 'absent variable');
    assert.equal(holds('StringNotEquals', 'k:k', '${aws:username}', { 'k:k': 'x' }), false, 'absent variable never makes a negated operator true');
    assert.equal(condition('StringEquals', 'k:k', '${aws:username}', false).evaluate(contextKeys({ 'k:k': '${aws:username}', 'aws:username': 'bob' })), true);
    assert.equal(holds('ArnLike', 'aws:SourceArn', 'arn:aws:iam::111122223333:user/${aws:username}', { 'aws:SourceArn': 'arn:aws:iam::111122223333:user/bob', 'aws:username': 'bob' }), true);
  });

  it('ForAllValues / ForAnyValue on AWS examples', () => {
    // MULTI_VALUE_EXAMPLES, "Deny a single policy condition value for a multivalued context key"
    const deny = condition('ForAllValues:StringNotLike', 'aws:TagKeys', 'key1*');
    assert.equal(deny.evaluate(contextKeys({ 'aws:TagKeys': ['key1:legal'] })), false, MULTI_VALUE_EXAMPLES);
    assert.equal(deny.evaluate(contextKeys({ 'aws:TagKeys': ['key1:hr', 'key1:personnel'] })), false);
    assert.equal(deny.evaluate(contextKeys({ 'aws:TagKeys': ['key2:audit'] })), true);
    assert.equal(deny.evaluate(contextKeys({})), true);
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html (DynamoDB attributes)
    const allowed = condition('ForAllValues:StringLike', 'dynamodb:requestedAttributes', ['PostDateTime', 'Message', 'Tags']);
    assert.equal(allowed.evaluate(contextKeys({ 'dynamodb:requestedAttributes': ['PostDateTime', 'Message'] })), true);
    assert.equal(allowed.evaluate(contextKeys({ 'dynamodb:requestedAttributes': ['PostDateTime', 'UserName'] })), false);
    assert.equal(allowed.evaluate(contextKeys({ 'dynamodb:requestedAttributes': [] })), true, 'empty set: ForAllValues true');
    const any = condition('ForAnyValue:StringLike', 'dynamodb:requestedAttributes', ['ID', 'PostDateTime']);
    assert.equal(any.evaluate(contextKeys({ 'dynamodb:requestedAttributes': ['UserName', 'Message', 'PostDateTime'] })), true);
    assert.equal(any.evaluate(contextKeys({ 'dynamodb:requestedAttributes': ['UserName'] })), false);
    assert.equal(any.evaluate(contextKeys({ 'dynamodb:requestedAttributes': [] })), false, 'empty set: ForAnyValue false');
    assert.equal(any.evaluate(contextKeys({})), false);
  });

  it('an empty list of policy values is never true', () => {
    assert.equal(holds('StringNotEquals', 'k:k', [], { 'k:k': 'x' }), false);
    assert.equal(holds('ForAllValues:StringEquals', 'k:k', [], {}), false);
  });
});

type Qualifier = '' | 'ForAnyValue:' | 'ForAllValues:';

/** The set-operator rules, written as plainly as possible, for the property test. */
function referenceCondition(
  qualifier: Qualifier, negated: boolean, ifExists: boolean, like: boolean,
  policyValues: readonly string[], request: readonly string[] | undefined,
): boolean {
  if (policyValues.length === 0) return false;
  const absent = request === undefined || request.length === 0;
  if (absent) {
    if (ifExists) return true;
    if (qualifier === 'ForAllValues:') return true;
    if (qualifier === 'ForAnyValue:') return false;
    return negated;
  }
  const globMatch = (pattern: string, input: string): boolean =>
    new RegExp(`^${[...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 's').test(input);
  const matchesAny = (value: string): boolean => policyValues.some((policyValue) => (like ? globMatch(policyValue, value) : policyValue === value));
  const satisfies = (value: string): boolean => (negated ? !matchesAny(value) : matchesAny(value));
  if (qualifier === 'ForAllValues:') return request.every(satisfies);
  if (qualifier === 'ForAnyValue:') return request.some(satisfies);
  return negated ? request.every(satisfies) : request.some(satisfies);
}

describe('set operators against a reference (seeded property test)', () => {
  it('agrees on random request sets and policy values', () => {
    const random = seededRandom(42);
    const words = ['a', 'b', 'ab', 'ba', 'a*', '*b', '?', 'x', ''];
    for (let i = 0; i < 20_000; i++) {
      const qualifier = pick<Qualifier>(random, ['', 'ForAnyValue:', 'ForAllValues:']);
      const base = pick(random, ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike']);
      const ifExists = random() < 0.25;
      const policyValues = Array.from({ length: Math.floor(random() * 4) }, () => pick(random, words));
      const shape = random();
      const request = shape < 0.15 ? undefined : Array.from({ length: Math.floor(random() * 4) }, () => randomString(random, 'abx', 3));
      const operator = `${qualifier}${base}${ifExists ? 'IfExists' : ''}`;
      const compiled = condition(operator, 'k:values', policyValues);
      const keys = new Map<string, ContextValue>();
      if (request !== undefined) keys.set('k:values', request.length === 1 && random() < 0.5 ? request[0] : request);
      const expected = referenceCondition(qualifier, base.includes('Not'), ifExists, base.includes('Like'), policyValues, request);
      assert.equal(compiled.evaluate(keys), expected, `${operator} ${JSON.stringify(policyValues)} vs ${JSON.stringify(request)}`);
    }
  });
});
