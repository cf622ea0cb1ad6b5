import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAwsError } from './aws-error.js';
import { QueryInput } from './query-input.js';

function failure(run: () => unknown): { code: string; message: string; statusCode: number } {
  try {
    run();
  } catch (error) {
    assert.ok(isAwsError(error));
    return { code: error.code, message: error.message, statusCode: error.statusCode };
  }
  assert.fail('expected a ValidationError');
}

describe('QueryInput enumerated parameters', () => {
  const input = new QueryInput(new Map([['Scope', 'AWS'], ['OnFailure', 'rollback'], ['Status', '']]));

  it('answers a listed value as written, and undefined for an absent optional one', () => {
    assert.equal(input.oneOf('Scope', ['All', 'AWS', 'Local'] as const), 'AWS');
    assert.equal(input.oneOf('PolicyUsageFilter', ['PermissionsPolicy', 'PermissionsBoundary'] as const), undefined);
    assert.equal(input.requiredOneOf('Scope', ['All', 'AWS', 'Local'] as const), 'AWS');
  });

  it("refuses a value outside the set (case counts, empty too) with AWS's enum value set message", () => {
    assert.deepEqual(failure(() => input.oneOf('OnFailure', ['DO_NOTHING', 'ROLLBACK', 'DELETE'] as const)), {
      code: 'ValidationError', statusCode: 400,
      message: "1 validation error detected: Value 'rollback' at 'onFailure' failed to satisfy constraint: Member must satisfy enum value set: [DO_NOTHING, ROLLBACK, DELETE]",
    });
    assert.match(failure(() => input.requiredOneOf('Status', ['Active', 'Inactive'] as const)).message, /^1 validation error detected: Value '' at 'status' failed to satisfy constraint: Member must satisfy enum value set: \[Active, Inactive\]$/);
  });

  it('refuses an absent required one as null', () => {
    assert.equal(failure(() => input.requiredOneOf('ChangeSetType', ['CREATE', 'UPDATE'] as const)).message,
      "1 validation error detected: Value null at 'changeSetType' failed to satisfy constraint: Member must not be null");
  });
});
