import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compilePolicy } from './compile.js';

// Every AWS-managed policy must compile: IAM accepted them, so the grammar must too. The build
// extracts their default versions to dist/data (scripts/extract-managed-policies.mjs).
const extract = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'aws-managed-policies.documents.jsonl');

describe('AWS-managed policies', () => {
  it('all compile', { skip: existsSync(extract) ? false : 'the managed-policy extract is not built' }, () => {
    const lines = readFileSync(extract, 'utf8').split('\n').filter((line) => line !== '');
    assert.ok(lines.length > 1000);
    const failures: string[] = [];
    for (const line of lines) {
      try {
        compilePolicy(line, 'identity', { kind: 'aws-managed' });
      } catch (error) {
        failures.push(`${error instanceof Error ? error.message : String(error)}: ${line.slice(0, 200)}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
