/**
 * The AWS SigV4 test suite (/work/shared/vectors/sigv4, one folder per case): for both the header and
 * the presigned form, with the case's clock, our canonical request and string to sign equal AWS's
 * files byte for byte, the signed request verifies, and changing any single signed byte (a signed
 * header value, the method, the path, a query parameter, the signature) makes it fail.
 *
 * The vectors are read at test time. Their directory is IAMD_SHARED_DIR/vectors/sigv4, or found by
 * walking up from this file to a directory holding shared/vectors/sigv4 (the repo's sibling /work/shared).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { canonicalRequest, parseSignature, stringToSign, verifySignature, type SignedHttpRequest } from './index.js';

function vectorsDirectory(): string {
  if (process.env.IAMD_SHARED_DIR) return join(process.env.IAMD_SHARED_DIR, 'vectors', 'sigv4');
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'shared', 'vectors', 'sigv4');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(directory);
    if (parent === directory) throw new Error('shared/vectors/sigv4 not found above the test file; set IAMD_SHARED_DIR');
    directory = parent;
  }
}

interface VectorContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  normalize: boolean;
  region: string;
  service: string;
  timestamp: string;
  omit_session_token?: boolean;
}

interface RawHttp {
  req: SignedHttpRequest;
  body: string;
}

/** A raw HTTP/1.1 message as the suite writes it: request line, headers (obs-fold allowed), blank line, body. */
function parseRawHttp(text: string): RawHttp {
  const message = text.replace(/\r\n/g, '\n');
  const blankLine = message.indexOf('\n\n');
  const head = blankLine < 0 ? message.replace(/\n$/, '') : message.slice(0, blankLine);
  const body = blankLine < 0 ? '' : message.slice(blankLine + 2);
  const [requestLine = '', ...headerLines] = head.split('\n');
  // The target may hold raw spaces (get-space-*), so split on the first and the last space only.
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  const target = requestLine.slice(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' '));
  const question = target.indexOf('?');
  const headers: Array<[string, string]> = [];
  for (const line of headerLines) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last[1] += '\n' + line; // obs-fold continuation, kept as received
    } else {
      const colon = line.indexOf(':');
      headers.push([line.slice(0, colon), line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')]);
    }
  }
  return {
    req: { method, rawPath: question < 0 ? target : target.slice(0, question), rawQuery: question < 0 ? '' : target.slice(question + 1), headers },
    body,
  };
}

/** Next digit or letter (wrapping), so a mutation never becomes a no-op. */
function bump(character: string): string {
  if (/[0-8a-yA-Y]/.test(character)) return String.fromCharCode(character.charCodeAt(0) + 1);
  return ({ '9': '0', z: 'a', Z: 'A' } as Record<string, string>)[character] ?? character;
}

function mutateAt(text: string, index: number): string {
  return text.slice(0, index) + bump(text[index]!) + text.slice(index + 1);
}

/** Text with its first and its last letter/digit changed (one mutation each). */
function alnumMutations(text: string): string[] {
  const first = text.search(/[0-9A-Za-z]/);
  if (first < 0) return [];
  let last = text.length - 1;
  while (!/[0-9A-Za-z]/.test(text[last]!)) last--;
  return first === last ? [mutateAt(text, first)] : [mutateAt(text, first), mutateAt(text, last)];
}

interface Mutation {
  label: string;
  req: SignedHttpRequest;
}

function mutations(req: SignedHttpRequest, signedHeaders: readonly string[], unsignedQueryNames: ReadonlySet<string>): Mutation[] {
  const found: Mutation[] = [];
  for (const method of alnumMutations(req.method)) found.push({ label: `method ${method}`, req: { ...req, method } });

  // Appending always changes the canonical path; changing a letter does only where no '..' discards it.
  found.push({ label: 'path + x', req: { ...req, rawPath: req.rawPath + 'x' } });
  if (!req.rawPath.split('/').includes('..')) {
    for (const rawPath of alnumMutations(req.rawPath)) found.push({ label: `path ${rawPath}`, req: { ...req, rawPath } });
  }

  req.headers.forEach(([name, value], index) => {
    if (!signedHeaders.includes(name.toLowerCase())) return;
    for (const changed of alnumMutations(value)) {
      const headers = req.headers.map((pair, at) => (at === index ? ([name, changed] as const) : pair));
      found.push({ label: `header ${name}: ${JSON.stringify(changed)}`, req: { ...req, headers } });
    }
  });

  const pieces = req.rawQuery === '' ? [] : req.rawQuery.split('&');
  pieces.forEach((piece, index) => {
    if (unsignedQueryNames.has(piece.split('=')[0]!)) return;
    for (const changed of alnumMutations(piece)) {
      const rawQuery = pieces.map((other, at) => (at === index ? changed : other)).join('&');
      found.push({ label: `query ${changed.slice(0, 60)}`, req: { ...req, rawQuery } });
    }
  });

  const authorizationIndex = req.headers.findIndex(([name]) => name.toLowerCase() === 'authorization');
  if (authorizationIndex >= 0) {
    const [name, value] = req.headers[authorizationIndex]!;
    const changed = mutateAt(value, value.length - 1);
    const headers = req.headers.map((pair, at) => (at === authorizationIndex ? ([name, changed] as const) : pair));
    found.push({ label: 'Authorization signature', req: { ...req, headers } });
  }
  return found;
}

const directory = vectorsDirectory();
const cases = readdirSync(directory, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();

describe('AWS SigV4 test suite', () => {
  it('has the cases', () => assert.ok(cases.length >= 30, `only ${cases.length} cases in ${directory}`));

  for (const name of cases) {
    const file = (suffix: string) => readFileSync(join(directory, name, suffix), 'utf8');
    const context = JSON.parse(file('context.json')) as VectorContext;
    const now = new Date(context.timestamp);

    for (const form of ['header', 'query'] as const) {
      describe(`${name} (${form})`, () => {
        const { req, body } = parseRawHttp(file(`${form}-signed-request.txt`));
        const payloadHash = createHash('sha256').update(body, 'utf8').digest('hex');
        const options = { payloadHash, normalizePath: context.normalize, now };
        const omitSessionToken = form === 'query' && context.omit_session_token === true;
        const accepts = (candidate: SignedHttpRequest): boolean => {
          try {
            const sig = parseSignature(candidate);
            return sig !== null && verifySignature(candidate, sig, context.credentials.secret_access_key, options).ok;
          } catch {
            return false;
          }
        };

        it('builds the canonical request and string to sign exactly', () => {
          const sig = parseSignature(req);
          assert.ok(sig);
          assert.equal(sig.form, form);
          assert.equal(sig.accessKeyId, context.credentials.access_key_id);
          const canonical = canonicalRequest(req, sig, payloadHash, { normalizePath: context.normalize, omitSessionToken });
          assert.equal(canonical, file(`${form}-canonical-request.txt`));
          assert.equal(stringToSign(sig, canonical), file(`${form}-string-to-sign.txt`));
          assert.equal(sig.signature, file(`${form}-signature.txt`).trim());
        });

        it('verifies the signed request', () => {
          const sig = parseSignature(req);
          assert.ok(sig);
          assert.deepEqual(verifySignature(req, sig, context.credentials.secret_access_key, options), { ok: true });
          if (context.credentials.token !== undefined && !(form === 'header' && context.omit_session_token)) {
            assert.equal(sig.securityToken, context.credentials.token);
          }
        });

        it('rejects the request when any single signed byte changes', () => {
          const sig = parseSignature(req)!;
          const unsigned = new Set(omitSessionToken ? ['X-Amz-Security-Token'] : []);
          const all = mutations(req, sig.signedHeaders, unsigned);
          assert.ok(all.length >= 5, 'too few mutations');
          for (const mutation of all) assert.equal(accepts(mutation.req), false, `accepted after changing ${mutation.label}`);
        });

        if (omitSessionToken) {
          it('accepts a session token appended after signing (AWS: "for some services")', () => {
            const rawQuery = req.rawQuery.replace(/X-Amz-Security-Token=[^&]*/, 'X-Amz-Security-Token=other');
            assert.equal(accepts({ ...req, rawQuery }), true);
          });
        }
      });
    }
  }
});
