import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openMetadataDatabase, SCHEMA_VERSION } from './metadata-schema.js';
import { LIST_SQL } from './object-table.js';
import { scratchDirectory } from './testing.js';

describe('objects.sqlite', () => {
  it('is WAL, synchronous=FULL, with foreign keys, owner-only, at the current schema version', (t) => {
    const file = join(scratchDirectory(t), 'objects.sqlite');
    const db = openMetadataDatabase(file);
    t.after(() => db.close());
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 2);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const version = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number };
    assert.equal(version.version, SCHEMA_VERSION);
  });

  it('migrates once: reopening applies nothing again', (t) => {
    const file = join(scratchDirectory(t), 'objects.sqlite');
    openMetadataDatabase(file).close();
    const db = openMetadataDatabase(file);
    t.after(() => db.close());
    const rows = db.prepare('SELECT version FROM schema_migrations').all();
    assert.equal(rows.length, SCHEMA_VERSION);
  });

  it('refuses a database from a newer iamd', (t) => {
    const file = join(scratchDirectory(t), 'objects.sqlite');
    const db = openMetadataDatabase(file);
    db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, '2030-01-01T00:00:00.000Z');
    db.close();
    assert.throws(() => openMetadataDatabase(file), /schema version/);
  });

  it('lists objects with a range scan of the primary key, with no full scan and no sort step', (t) => {
    const db = openMetadataDatabase(join(scratchDirectory(t), 'objects.sqlite'));
    t.after(() => db.close());
    const expected: Record<keyof typeof LIST_SQL, string> = {
      fromInclusive: 'SEARCH objects USING PRIMARY KEY (bucket=? AND key>?)',
      fromExclusive: 'SEARCH objects USING PRIMARY KEY (bucket=? AND key>?)',
      betweenInclusive: 'SEARCH objects USING PRIMARY KEY (bucket=? AND key>? AND key<?)',
      betweenExclusive: 'SEARCH objects USING PRIMARY KEY (bucket=? AND key>? AND key<?)',
    };
    for (const [shape, sql] of Object.entries(LIST_SQL) as Array<[keyof typeof LIST_SQL, string]>) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ bucket: 'b', lower: 'a', upper: 'b', limit: 10 }) as Array<{ detail: string }>;
      assert.deepEqual(
        plan.map((step) => step.detail),
        [expected[shape]],
        `${shape}: no sort step, no scan`,
      );
    }
  });
});
