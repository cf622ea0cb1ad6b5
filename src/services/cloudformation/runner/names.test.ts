import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { physicalName, stackArn, uniqueSuffix } from './names.js';

describe('physical names', () => {
  it('are STACK-LOGICALID-SUFFIX with a 12-character suffix of capitals and digits', () => {
    assert.match(physicalName('lab', 'InstanceRole', 64), /^lab-InstanceRole-[A-Z0-9]{12}$/);
    assert.match(uniqueSuffix(), /^[A-Z0-9]{12}$/);
  });

  it('shorten the longer of the stack name and logical id first to fit the limit', () => {
    const name = physicalName('a-very-long-stack-name-for-a-course-lab-environment', 'TheInstanceRoleOfTheLab', 64, 'ABCDEFGHIJKL');
    assert.equal(name.length, 64);
    assert.ok(name.endsWith('-ABCDEFGHIJKL'));
    assert.ok(name.startsWith('a-very-long-stack-name-for-'));
    assert.ok(name.includes('-TheInstanceRole'));
  });

  it('stack ids are ARNs with the name and a UUID', () => {
    assert.equal(stackArn('us-east-1', '000000000000', 'lab', 'u-u-i-d'), 'arn:aws:cloudformation:us-east-1:000000000000:stack/lab/u-u-i-d');
  });
});
