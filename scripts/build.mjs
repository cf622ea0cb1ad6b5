// Build: compile TypeScript to dist/, then extract the AWS-managed policy catalog (if its source
// package is installed and the extract is missing or older than the package).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const extract = join(root, 'scripts', 'extract-managed-policies.mjs');
if (existsSync(extract)) {
  const extracted = spawnSync(process.execPath, [extract], { stdio: 'inherit' });
  if (extracted.status !== 0) process.exit(extracted.status ?? 1);
}
