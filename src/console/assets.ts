/**
 * The console's static files (HTML, CSS, the compiled browser modules and an icon), built from
 * console/ into dist/console/ by scripts/build.mjs and read into memory once, at the first console
 * request. Only files found there are served: a request path is looked up in that table, never
 * joined to a file system path. Nothing in them is secret or per-user: the console fetches its data
 * through the signed AWS APIs.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** dist/console/, beside dist/src/ where this module runs from. */
export const DEFAULT_ASSET_DIR = fileURLToPath(new URL('../../console/', import.meta.url));

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...walk(path));
    else files.push(path);
  }
  return files;
}

/** The served files by path relative to the console's root ('index.html', 'pages/roles.js'). */
export function loadAssets(dir: string = DEFAULT_ASSET_DIR): ReadonlyMap<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  if (!existsSync(dir)) return assets;
  for (const path of walk(dir)) {
    const contentType = CONTENT_TYPES[extname(path)];
    if (contentType === undefined) continue;
    const body = readFileSync(path);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(relative(dir, path).split(sep).join('/'), { body, contentType, etag });
  }
  return assets;
}

let cached: ReadonlyMap<string, ConsoleAsset> | undefined;

/** Loaded once; a missing build (no files yet) is looked for again on the next request. */
export function consoleAssets(): ReadonlyMap<string, ConsoleAsset> {
  if (!cached?.size) cached = loadAssets();
  return cached;
}
