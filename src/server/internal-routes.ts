/**
 * Routes under /_iamd/ on the API port: health (no authentication) now; the console and metrics
 * later. Bucket names cannot start with '_', so path-style S3 never collides with these.
 */
import type { WireResponse } from '../protocol/query-protocol.js';
import type { App } from './app.js';

export function internalRoute(app: App, method: string, path: string): WireResponse | undefined {
  if (path === '/_iamd/health' && (method === 'GET' || method === 'HEAD')) {
    // The ports let clients (iamd exec) find an instance's API and metadata service: 127.b.c.d on these ports.
    const { api, imds } = app.network.ports;
    const body = JSON.stringify({ status: 'ok', accountId: app.accountId, region: app.region, apiPort: api ?? null, imdsPort: imds ?? null }) + '\n';
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
  }
  return { statusCode: 404, headers: { 'content-type': 'application/json' }, body: '{"error":"not found"}\n' };
}
