/**
 * The CanonicalURI line. AWS says each path segment is URI-encoded twice for every service but S3,
 * once for S3. What arrives on the wire has already been encoded once by the client, so:
 *
 * - non-S3 (normalizePath = true): remove '.' and '..' segments, collapse empty segments (repeated
 *   slashes), then encode each wire segment again, so `%20` becomes `%2520`. Decoding first would
 *   be wrong: the SDK signers (@smithy/signature-v4, botocore) encode the already-encoded path.
 * - S3 (normalizePath = false): the path as sent, untouched apart from characters that cannot legally
 *   appear unencoded (see encodePathSegmentAsSent).
 *
 * The trailing-slash rule follows the SDK signer: kept when the path ended with '/' and at least one
 * segment survives, so `/example/..` becomes `/` and `//example//` becomes `/example/`.
 */
import { encodePathSegmentAsSent, uriEncode } from './uri-encode.js';

/**
 * An S3 path that encodePathSegmentAsSent would leave as it is (only unreserved characters, the
 * delimiters a path may carry unencoded, and well-formed escapes): most requests', checked in one pass.
 */
const SENT_AS_CANONICAL = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/;

function normalizedSegments(path: string): string[] {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments;
}

export function canonicalUri(rawPath: string, normalizePath: boolean): string {
  // The root path, every query-protocol request's, is its own canonical form in both modes.
  if (rawPath === '' || rawPath === '/') return '/';
  if (!normalizePath) return SENT_AS_CANONICAL.test(rawPath) ? rawPath : rawPath.split('/').map(encodePathSegmentAsSent).join('/');

  const segments = normalizedSegments(rawPath);
  const leading = rawPath.startsWith('/') ? '/' : '';
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return leading + segments.map(uriEncode).join('/') + trailing;
}
