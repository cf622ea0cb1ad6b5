/**
 * GET /_iamd/console/... on the API port: the console's static files, with no authentication (they
 * hold no data; every piece of data the console shows comes from a signed AWS API request). The
 * bare /_iamd/console redirects to /_iamd/console/ so relative module URLs resolve; other methods
 * are refused. A missing build answers 503 with how to build it.
 */
import type { WireResponse } from '../protocol/query-protocol.js';
import { consoleAssets, type ConsoleAsset } from './assets.js';
import { CONSOLE_SECURITY_HEADERS } from './security-headers.js';

export const CONSOLE_PATH = '/_iamd/console';

export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}

function text(statusCode: number, body: string, extra: Record<string, string> = {}): WireResponse {
  return { statusCode, headers: { ...CONSOLE_SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...extra }, body: `${body}\n` };
}

export function consoleRoute(method: string, path: string, header: (name: string) => string | undefined,
  assets: ReadonlyMap<string, ConsoleAsset> = consoleAssets()): WireResponse {
  if (method !== 'GET' && method !== 'HEAD') return text(405, 'Method not allowed.', { allow: 'GET, HEAD' });
  if (path === CONSOLE_PATH) return text(308, 'The console is at /_iamd/console/.', { location: `${CONSOLE_PATH}/` });
  if (assets.size === 0) return text(503, 'The console is not built: run `npm run build` (node scripts/build.mjs).');
  const name = path.slice(CONSOLE_PATH.length + 1) || 'index.html';
  const asset = assets.get(name);
  if (!asset) return text(404, 'Not found.');
  const headers = { ...CONSOLE_SECURITY_HEADERS, 'content-type': asset.contentType, etag: asset.etag };
  if (header('if-none-match') === asset.etag) return { statusCode: 304, headers, body: '' };
  return { statusCode: 200, headers, body: asset.body };
}
