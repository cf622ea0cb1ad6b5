/**
 * Routes under /_iamd/ on the API port: health and the web console's static files (src/console),
 * neither authenticated (the console's data comes from signed API requests); metrics later.
 * Bucket names cannot start with '_', so path-style S3 never collides with these.
 */
import { consoleRoute, isConsolePath } from '../console/routes.js';
import type { WireResponse } from '../protocol/query-protocol.js';
import type { App } from './app.js';

export function internalRoute(app: App, method: string, path: string, header: (name: string) => string | undefined = () => undefined): WireResponse | undefined {
  if (isConsolePath(path)) return consoleRoute(method, path, header);
  if (path === '/_iamd/health' && (method === 'GET' || method === 'HEAD')) {
    // The ports let clients (iamd exec) find an instance's API and metadata service: 127.b.c.d on these ports.
    const { api, imds } = app.network.ports;
    const body = JSON.stringify({ status: 'ok', accountId: app.accountId, region: app.region, apiPort: api ?? null, imdsPort: imds ?? null }) + '\n';
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
  }
  return { statusCode: 404, headers: { 'content-type': 'application/json' }, body: '{"error":"not found"}\n' };
}
