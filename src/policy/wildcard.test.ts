import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArnPattern, compileTextPattern } from './patterns.js';
import { pick, randomString, seededRandom } from './testing.js';
import { Glob } from './wildcard.js';

/** The obvious definition: `*` any run, `?` one character, everything else itself. */
function referenceMatch(pattern: string, input: string): boolean {
  if (pattern === '') return input === '';
  const head = pattern[0];
  if (head === '*') return referenceMatch(pattern.slice(1), input) || (input !== '' && referenceMatch(pattern, input.slice(1)));
  if (input === '') return false;
  return (head === '?' || head === input[0]) && referenceMatch(pattern.slice(1), input.slice(1));
}

/** ArnLike by definition: six colon-delimited parts, the last one being the rest, each matched alone. */
function referenceArnMatch(pattern: string, input: string): boolean | undefined {
  const split = (text: string): string[] | undefined => {
    const parts = text.split(':');
    return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const patternParts = split(pattern);
  const inputParts = split(input);
  if (!patternParts) return referenceMatch(pattern, input);
  if (!inputParts) return undefined;
  return patternParts.every((part, index) => referenceMatch(part, inputParts[index]));
}

describe('wildcard matching', () => {
  it('handles the shapes policies use', () => {
    const cases: Array<[string, string, boolean]> = [
      ['*', '', true],
      ['*', 'anything:at/all', true],
      ['iam:get*', 'iam:getuser', true],
      ['iam:get*', 'iam:listusers', false],
      ['iam:*accesskey*', 'iam:createaccesskey', true],
      ['iam:*accesskey*', 'iam:getrole', false],
      ['*report', 'iam:getcredentialreport', true],
      ['arn:aws:s3:::*log*', 'arn:aws:s3:::carlossalazar-logs', true],
      ['arn:aws:s3:::*log*', 'arn:aws:s3:::carlossalazar', false],
      ['table/app-?', 'table/app-1', true],
      ['table/app-?', 'table/app-12', false],
      ['a?c', 'a\u{1F600}c', true],
      ['arn:aws:sqs:*:123:app-*', 'arn:aws:sqs:us-east-1:123:app-jobs', true],
      ['arn:aws:sqs:*:123:app-*', 'arn:aws:sqs:us-east-1:456:app-jobs', false],
      ['a*b*c', 'abc', true],
      ['a*b*c', 'acb', false],
      ['a*b*c', 'aXbYbZc', true],
      ['ab*ba', 'aba', false],
      ['', '', true],
      ['', 'x', false],
    ];
    for (const [pattern, input, expected] of cases) assert.equal(Glob.fromText(pattern).matches(input), expected, `${pattern} ~ ${input}`);
  });

  it('treats * and ? literally when wildcards are off (StringEquals)', () => {
    assert.equal(Glob.fromText('a*', false).matches('a*'), true);
    assert.equal(Glob.fromText('a*', false).matches('abc'), false);
  });

  it('agrees with the reference on random patterns and inputs (seeded)', () => {
    const random = seededRandom(20241010);
    for (let i = 0; i < 20_000; i++) {
      const pattern = randomString(random, 'ab:*?', 7);
      const input = randomString(random, 'ab:', 9);
      const expected = referenceMatch(pattern, input);
      assert.equal(Glob.fromText(pattern).matches(input), expected, `${JSON.stringify(pattern)} ~ ${JSON.stringify(input)}`);
      // The same, as a range inside a longer string.
      const padded = `xx${input}yy`;
      assert.equal(Glob.fromText(pattern).matchesRange(padded, 2, 2 + input.length), expected, `range ${pattern} ~ ${input}`);
    }
  });

  it('ArnLike compares the six ARN parts separately, unlike Resource and StringLike (seeded)', () => {
    const random = seededRandom(7);
    const keys = new Map<string, string>();
    for (let i = 0; i < 5_000; i++) {
      const piece = (): string => randomString(random, 'ab*?', 3);
      const pattern = Array.from({ length: 6 }, piece).join(':') + (random() < 0.3 ? `:${piece()}` : '');
      const input = Array.from({ length: 5 + Math.floor(random() * 3) }, () => randomString(random, 'ab', 3)).join(':');
      const expected = referenceArnMatch(pattern, input);
      const actual = new ArnPattern(pattern, false).match(input, keys);
      assert.equal(actual, expected === undefined ? -1 : expected ? 1 : 0, `${pattern} ~ ${input}`);
      const whole = compileTextPattern(pattern, { wildcards: true, variables: false, ignoreCase: false }).match(input, keys);
      assert.equal(whole, referenceMatch(pattern, input) ? 1 : 0);
    }
  });

  it('documents the ArnLike / StringLike difference with AWS example', () => {
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
    const pattern = 'arn:aws:someservice:*:111122223333:finance/*';
    const value = 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt';
    const keys = new Map<string, string>();
    assert.equal(compileTextPattern(pattern, { wildcards: true, variables: false, ignoreCase: false }).match(value, keys), 1);
    assert.equal(new ArnPattern(pattern, false).match(value, keys), 0);
  });

  it('never needs more than linear backtracking on adversarial patterns', () => {
    const pattern = '*a*a*a*a*a*a*a*a*b';
    const input = 'a'.repeat(5000);
    const started = process.hrtime.bigint();
    assert.equal(Glob.fromText(pattern).matches(input), false);
    assert.ok(process.hrtime.bigint() - started < 500_000_000n);
    const random = seededRandom(3);
    const withQuestion = `${'*a?'.repeat(6)}b`;
    assert.equal(Glob.fromText(withQuestion).matches(pick(random, [input])), false);
  });
});
