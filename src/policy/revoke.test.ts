import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePolicy } from './compile.js';
import { evaluate } from './evaluate.js';
import { accessDeniedMessage } from './messages.js';
import { ACCOUNT, policy, request, roleSession, statements, user } from './testing.js';

// "Revoking IAM role temporary security credentials": the console puts an inline role policy named
// AWSRevokeOlderSessions that denies everything to tokens issued before the click.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
// AWS's docs show the single-object Statement with whole seconds; console captures show an array
// with milliseconds. All four combinations must behave the same.

const statement = (time: string): object => ({
  Effect: 'Deny',
  Action: ['*'],
  Resource: ['*'],
  Condition: { DateLessThan: { 'aws:TokenIssueTime': time } },
});

const FORMS: Array<[string, string, string]> = [
  ['object, seconds', JSON.stringify({ Version: '2012-10-17', Statement: statement('2024-10-10T09:43:48Z') }), '2024-10-10T09:43:48Z'],
  ['object, milliseconds', JSON.stringify({ Version: '2012-10-17', Statement: statement('2024-10-10T09:43:48.085Z') }), '2024-10-10T09:43:48.085Z'],
  ['array, seconds', JSON.stringify({ Version: '2012-10-17', Statement: [statement('2024-10-10T09:43:48Z')] }), '2024-10-10T09:43:48Z'],
  ['array, milliseconds', JSON.stringify({ Version: '2012-10-17', Statement: [statement('2024-10-10T09:43:48.085Z')] }), '2024-10-10T09:43:48.085Z'],
];

const permissions = policy(statements({ Effect: 'Allow', Action: '*', Resource: '*' }));
const role = roleSession('web', 'i-0123456789abcdef0');
const resource = `arn:aws:iam::${ACCOUNT}:user/x`;

describe('AWSRevokeOlderSessions', () => {
  for (const [form, text, cutoff] of FORMS) {
    describe(form, () => {
      const revoke = compilePolicy(text, 'identity', { kind: 'inline', name: 'AWSRevokeOlderSessions' });
      const cut = Date.parse(cutoff);
      const iso = (ms: number): string => new Date(ms).toISOString();

      it('denies a token issued before the cut-off (1 ms and 1 s before)', () => {
        for (const issued of [iso(cut - 1), iso(cut - 1000).replace('.000Z', 'Z')]) {
          const ctx = request('iam:CreateUser', resource, role, { 'aws:TokenIssueTime': issued });
          const decision = evaluate(ctx, { identity: [permissions, revoke] });
          assert.equal(decision.effect, 'explicitDeny', issued);
          assert.equal(decision.matched[0].source.name, 'AWSRevokeOlderSessions');
          assert.equal(
            accessDeniedMessage(ctx, decision),
            `User: ${role.arn} is not authorized to perform: iam:CreateUser on resource: ${resource} with an explicit deny in an identity-based policy`,
          );
        }
      });

      it('allows a token issued at or after the cut-off', () => {
        for (const issued of [cutoff, iso(cut + 1), iso(cut + 3_600_000)]) {
          const decision = evaluate(request('iam:CreateUser', resource, role, { 'aws:TokenIssueTime': issued }), { identity: [permissions, revoke] });
          assert.equal(decision.effect, 'allowed', issued);
        }
      });

      it('leaves long-term keys alone (no aws:TokenIssueTime in the context)', () => {
        const decision = evaluate(request('iam:CreateUser', resource, user('bob')), { identity: [permissions, revoke] });
        assert.equal(decision.effect, 'allowed');
        assert.deepEqual(decision.missingContextValues, ['aws:TokenIssueTime']);
      });
    });
  }

  it('moving the cut-off forward denies tokens that were allowed before', () => {
    const issued = '2024-10-10T10:00:00Z';
    const before = compilePolicy(FORMS[3][1], 'identity');
    const after = compilePolicy(FORMS[3][1].replace('2024-10-10T09:43:48.085Z', '2024-10-10T10:30:00.000Z'), 'identity');
    const ctx = request('s3:GetObject', 'arn:aws:s3:::b/k', role, { 'aws:TokenIssueTime': issued });
    assert.equal(evaluate(ctx, { identity: [permissions, before] }).effect, 'allowed');
    assert.equal(evaluate(ctx, { identity: [permissions, after] }).effect, 'explicitDeny');
  });
});
