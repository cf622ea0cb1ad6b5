/**
 * ListObjectsV2 and ListObjects: keys in UTF-8 binary order under a prefix, rolled up into
 * CommonPrefixes by a delimiter (each common prefix counts as one entry against max-keys), paged
 * by continuation token (V2, opaque) or marker (V1), with `encoding-type=url`.
 */
import { AwsError } from '../../protocol/aws-error.js';
import type { RestInput } from '../../protocol/rest-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import type { App } from '../../server/app.js';
import { operation, type OperationMap } from '../service.js';
import { requestAuthorization } from './access.js';
import { bucketOf } from './buckets.js';
import { invalidArgument } from './errors.js';
import { canonicalUserId } from './owner.js';
import { asRest } from './router.js';
import { ownerOf, xmlAnswer } from './s3-xml.js';
import type { ObjectRecord } from './storage/types.js';
import { CHECKSUM_ALGORITHMS } from './storage/types.js';

const BATCH = 1000;
/** Sorts after every key that starts with a given prefix (but astral characters, handled by the roll-up check). */
const PAST_PREFIX = '\uFFFF';

interface Listing {
  objects: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** where the next page starts (strictly after) */
  resumeAfter?: string;
  /** the last key or common prefix listed */
  lastEntry?: string;
}

interface ListRequest {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  after: string | undefined;
}

export function listEntries(app: App, bucket: string, request: ListRequest): Listing {
  const { prefix, delimiter, maxKeys } = request;
  const listing: Listing = { objects: [], prefixes: [], truncated: false };
  let count = 0;
  let cursor = request.after;
  let lastPrefix: string | undefined;
  if (maxKeys === 0) return listing;
  // A marker that is itself a common prefix (V1's NextMarker) resumes past everything under it.
  if (cursor !== undefined && delimiter !== '' && cursor.startsWith(prefix) && cursor.endsWith(delimiter)) {
    const rest = cursor.slice(prefix.length);
    if (rest.indexOf(delimiter) === rest.length - delimiter.length) {
      lastPrefix = cursor;
      cursor += PAST_PREFIX;
    }
  }
  scan: for (;;) {
    const batch = app.objects.listObjects(bucket, { prefix, ...(cursor !== undefined ? { after: cursor } : {}), limit: BATCH });
    for (const object of batch) {
      const rest = object.key.slice(prefix.length);
      const cut = delimiter === '' ? -1 : rest.indexOf(delimiter);
      if (cut >= 0) {
        const common = prefix + rest.slice(0, cut + delimiter.length);
        cursor = object.key;
        if (common === lastPrefix) continue;
        if (count === maxKeys) {
          listing.truncated = true;
          break scan;
        }
        listing.prefixes.push(common);
        lastPrefix = common;
        listing.lastEntry = common;
        listing.resumeAfter = common + PAST_PREFIX;
        count++;
        cursor = common + PAST_PREFIX;
        continue scan;
      }
      if (count === maxKeys) {
        listing.truncated = true;
        break scan;
      }
      listing.objects.push(object);
      listing.lastEntry = object.key;
      listing.resumeAfter = object.key;
      cursor = object.key;
      count++;
    }
    if (batch.length < BATCH) break;
  }
  return listing;
}

function encoder(input: RestInput): (text: string) => string {
  const encoding = input.params.get('encoding-type');
  if (encoding === undefined) return (text) => text;
  if (encoding !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encoding);
  return (text) => encodeURIComponent(text).replace(/%2F/g, '/');
}

function maxKeysOf(input: RestInput): number {
  const text = input.params.get('max-keys');
  if (text === undefined) return 1000;
  if (!/^\d+$/.test(text)) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', text);
  return Math.min(Number(text), 1000);
}

function contentsOf(object: ObjectRecord, encode: (text: string) => string, owner?: XmlObject): XmlObject {
  const algorithms = CHECKSUM_ALGORITHMS.filter((algorithm) => object.checksums[algorithm] !== undefined);
  return {
    Key: encode(object.key),
    LastModified: object.lastModified,
    ETag: `"${object.etag}"`,
    ...(algorithms.length > 0 ? { ChecksumAlgorithm: algorithms, ChecksumType: object.checksumType ?? 'FULL_OBJECT' } : {}),
    Size: object.size,
    ...(owner ? { Owner: owner } : {}),
    StorageClass: object.storageClass,
  };
}

function listAuthorization(input: RestInput, app: App) {
  return requestAuthorization(app, input, 'ListBucket', {
    keys: { 's3:prefix': input.params.get('prefix') ?? '', 's3:delimiter': input.params.get('delimiter'), 's3:max-keys': input.params.get('max-keys') },
  });
}

function encodeToken(after: string): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64');
}

function decodeToken(token: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string') return decoded.after;
  } catch {
    // fall through
  }
  throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}

/** What both list operations read: the bucket, the encoding, prefix, delimiter and max-keys. */
function listParameters(input: RestInput, app: App) {
  return {
    bucket: bucketOf(app, input),
    encode: encoder(input),
    prefix: input.params.get('prefix') ?? '',
    delimiter: input.params.get('delimiter') ?? '',
    maxKeys: maxKeysOf(input),
  };
}

const listObjectsV2 = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => listAuthorization(input, ctx.app),
  handle: (input, ctx) => {
    const { bucket, encode, prefix, delimiter, maxKeys } = listParameters(input, ctx.app);
    const startAfter = input.params.get('start-after');
    const token = input.params.get('continuation-token');
    if (token === '') throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    const after = token !== undefined ? decodeToken(token) : startAfter;
    const listing = listEntries(ctx.app, bucket.name, { prefix, delimiter, maxKeys, after });
    const owner = input.params.get('fetch-owner') === 'true' ? ownerOf(ctx.app.accountId, canonicalUserId(ctx.app.accountId)) : undefined;
    return xmlAnswer('ListBucketResult', {
      Name: bucket.name,
      Prefix: encode(prefix),
      ...(delimiter !== '' ? { Delimiter: encode(delimiter) } : {}),
      MaxKeys: maxKeys,
      KeyCount: listing.objects.length + listing.prefixes.length,
      IsTruncated: listing.truncated,
      Contents: listing.objects.map((object) => contentsOf(object, encode, owner)),
      CommonPrefixes: listing.prefixes.map((common) => ({ Prefix: encode(common) })),
      ...(input.params.has('encoding-type') ? { EncodingType: 'url' } : {}),
      ...(token !== undefined ? { ContinuationToken: token } : {}),
      ...(listing.truncated && listing.resumeAfter !== undefined ? { NextContinuationToken: encodeToken(listing.resumeAfter) } : {}),
      ...(startAfter !== undefined ? { StartAfter: encode(startAfter) } : {}),
    });
  },
});

const listObjects = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => listAuthorization(input, ctx.app),
  handle: (input, ctx) => {
    const { bucket, encode, prefix, delimiter, maxKeys } = listParameters(input, ctx.app);
    const marker = input.params.get('marker') ?? '';
    if (marker.length > 1024) throw new AwsError('KeyTooLongError', 'Your key is too long', 400);
    const listing = listEntries(ctx.app, bucket.name, { prefix, delimiter, maxKeys, after: marker === '' ? undefined : marker });
    const owner = ownerOf(ctx.app.accountId, canonicalUserId(ctx.app.accountId));
    return xmlAnswer('ListBucketResult', {
      Name: bucket.name,
      Prefix: encode(prefix),
      Marker: encode(marker),
      ...(listing.truncated && delimiter !== '' && listing.lastEntry !== undefined ? { NextMarker: encode(listing.lastEntry) } : {}),
      MaxKeys: maxKeys,
      ...(delimiter !== '' ? { Delimiter: encode(delimiter) } : {}),
      IsTruncated: listing.truncated,
      Contents: listing.objects.map((object) => contentsOf(object, encode, owner)),
      CommonPrefixes: listing.prefixes.map((common) => ({ Prefix: encode(common) })),
      ...(input.params.has('encoding-type') ? { EncodingType: 'url' } : {}),
    });
  },
});

export const listOperations: OperationMap = {
  ListObjectsV2: listObjectsV2,
  ListObjects: listObjects,
};
