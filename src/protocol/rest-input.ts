/**
 * The input of a REST-protocol operation (S3): the method, the decoded path, the query parameters,
 * the headers and the body as a stream. It extends QueryInput so that an operation reads query
 * parameters (`?prefix=...&max-keys=...`) with the same typed accessors as the query protocol's.
 * What the body's bytes mean (a signed hash, aws-chunked framing, checksums) is the operation's to
 * check as it reads them (src/services/s3/payload).
 */
import type { Readable } from 'node:stream';
import { AwsError } from './aws-error.js';
import type { ChunkSigningContext } from '../sigv4/index.js';
import { QueryInput } from './query-input.js';

export interface RestRequestParts {
  method: string;
  /** the path percent-decoded, e.g. '/bucket/a key' */
  path: string;
  query: ReadonlyMap<string, string>;
  /** lower-case names; repeated headers joined with ',' */
  headers: ReadonlyMap<string, string>;
  body: Readable;
}

export class RestInput extends QueryInput {
  readonly method: string;
  readonly path: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Readable;
  private signing: ChunkSigningContext | undefined;

  constructor(parts: RestRequestParts) {
    super(parts.query);
    this.method = parts.method;
    this.path = parts.path;
    this.headers = parts.headers;
    this.body = parts.body;
  }

  /** what a signed streaming payload's chunk signatures chain from; set once the request is authenticated */
  get chunkSigning(): ChunkSigningContext | undefined {
    return this.signing;
  }

  signChunks(signing: ChunkSigningContext): void {
    this.signing = signing;
  }

  header(name: string): string | undefined {
    return this.headers.get(name);
  }
}

/** Percent-decodes a request path (UTF-8); S3 answers a malformed one with InvalidURI. */
export function decodePath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    throw new AwsError('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
}

/** Header pairs as a map of lower-case names; repeated headers are joined as HTTP allows. */
export function headerMap(headers: ReadonlyArray<readonly [string, string]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    const previous = map.get(key);
    map.set(key, previous === undefined ? value : `${previous},${value}`);
  }
  return map;
}
