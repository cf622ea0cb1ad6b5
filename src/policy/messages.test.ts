import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accessDeniedMessage } from './messages.js';
import { ACCOUNT, request, roleSession, user } from './testing.js';
import type { Decision } from './types.js';

// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
const decision = (effect: Decision['effect'], denyKind?: Decision['denyKind']): Decision => ({ effect, matched: [], missingContextValues: [], ...(denyKind ? { denyKind } : {}) });

describe('AccessDenied wording', () => {
  const bob = user('bob', '123456789012');
  const target = 'arn:aws:iam::123456789012:user/x';

  it('implicit denies name the policy type that did not allow', () => {
    const ctx = request('iam:CreateUser', target, bob);
    assert.equal(accessDeniedMessage(ctx, decision('implicitDeny', 'identity-based policy')),
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because no identity-based policy allows the iam:CreateUser action');
    assert.equal(accessDeniedMessage(ctx, decision('implicitDeny', 'permissions boundary')),
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because no permissions boundary allows the iam:CreateUser action');
    assert.equal(accessDeniedMessage(ctx, decision('implicitDeny', 'session policy')),
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because no session policy allows the iam:CreateUser action');
    assert.equal(accessDeniedMessage(ctx, decision('implicitDeny', 'resource-based policy')),
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x because no resource-based policy allows the iam:CreateUser action');
  });

  it('explicit denies name where the Deny is', () => {
    const ctx = request('iam:CreateUser', target, bob);
    assert.equal(accessDeniedMessage(ctx, decision('explicitDeny', 'identity-based policy')),
      'User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/x with an explicit deny in an identity-based policy');
    assert.equal(accessDeniedMessage(ctx, decision('explicitDeny', 'resource-based policy')).endsWith('with an explicit deny in a resource-based policy'), true);
    assert.equal(accessDeniedMessage(ctx, decision('explicitDeny', 'permissions boundary')).endsWith('with an explicit deny in a permissions boundary'), true);
    assert.equal(accessDeniedMessage(ctx, decision('explicitDeny', 'session policy')).endsWith('with an explicit deny in a session policy'), true);
  });

  it('omits "on resource" for actions without a resource, and names role sessions by session ARN', () => {
    const role = roleSession('HR', 'session', ACCOUNT);
    assert.equal(accessDeniedMessage(request('codecommit:ListRepositories', '*', role), decision('implicitDeny', 'identity-based policy')),
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/HR/session is not authorized to perform: codecommit:ListRepositories because no identity-based policy allows the codecommit:ListRepositories action`);
  });

  it('is empty for an allowed decision', () => {
    assert.equal(accessDeniedMessage(request('s3:GetObject', '*', bob), decision('allowed')), '');
  });
});
