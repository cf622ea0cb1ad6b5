// Build: compile TypeScript to dist/, the web console (console/, its own tsconfig for the browser)
// to dist/console/ with its static files beside it, then extract the AWS-managed policy catalog
// (if its source package is installed and the extract is missing or older than the package).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
for (const project of ['tsconfig.json', join('console', 'tsconfig.json')]) {
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: 'inherit' });
  if (compiled.status !== 0) process.exit(compiled.status ?? 1);
}
const consoleOut = join(root, 'dist', 'console');
mkdirSync(consoleOut, { recursive: true });
for (const file of ['index.html', 'console.css', 'icon.svg']) copyFileSync(join(root, 'console', file), join(consoleOut, file));

const extract = join(root, 'scripts', 'extract-managed-policies.mjs');
if (existsSync(extract)) {
  const extracted = spawnSync(process.execPath, [extract], { stdio: 'inherit' });
  if (extracted.status !== 0) process.exit(extracted.status ?? 1);
}
