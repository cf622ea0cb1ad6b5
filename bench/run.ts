/**
 * `npm run bench`: every benchmark, printed as one table. Ratios compare figures measured in the
 * same run, since the machine is shared and noisy.
 */
import type { Bench, BenchLine } from './types.js';

const benches: Array<[string, () => Promise<{ run: Bench }>]> = [
  ['request check (in process)', () => import('./request-check.js')],
  ['policy engine', () => import('./policy.js')],
  ['HTTP GetCallerIdentity vs bare node:http', () => import('./http.js')],
  ['audit trail cost (HTTP GetCallerIdentity, on vs off)', () => import('./audit.js')],
  ['IMDS credential fetch', () => import('./imds.js')],
  ['revocation', () => import('./revocation.js')],
  ['S3 GetObject, PUT/GET throughput, audit cost', () => import('./s3.js')],
];

const only = process.argv[2];
const lines: BenchLine[] = [];
for (const [title, load] of benches) {
  if (only && !title.includes(only)) continue;
  process.stdout.write(`# ${title}\n`);
  for (const line of await (await load()).run()) {
    lines.push(line);
    const value = line.value >= 100 ? Math.round(line.value).toLocaleString('en-US') : line.value.toFixed(3);
    process.stdout.write(`  ${line.name.padEnd(58)} ${value.padStart(14)} ${line.unit}${line.note ? `  (${line.note})` : ''}\n`);
  }
}
