/**
 * Objects: PutObject (the body streamed through the payload checks into a staged file, committed
 * only once every check passed), GetObject (ranges, conditional headers, response overrides),
 * HeadObject and DeleteObject.
 */
import { RestResponse } from '../../protocol/rest-response.js';
import type { RestInput } from '../../protocol/rest-input.js';
import type { App } from '../../server/app.js';
import { operation, type OperationMap } from '../service.js';
import { existingTagKeys, requestAuthorization } from './access.js';
import { bucketOf } from './buckets.js';
import { noSuchKey } from './errors.js';
import {
  applyResponseOverrides, checksumHeaders, checksumModeEnabled, checkPreconditions, hasResponseOverrides, metadataFromHeaders, objectHeaders,
  requestedChecksum, requestedRange,
} from './object-headers.js';
import { asRest, targetOf } from './router.js';
import { emptyAnswer } from './s3-xml.js';
import type { Readable } from 'node:stream';
import { lookUpBucket, lookUpObject } from './lookups.js';
import { SMALL_BODY_BYTES, type ObjectRecord } from './storage/types.js';
import { storeBody } from './upload.js';

export function objectKey(input: RestInput): string {
  return targetOf(input).key ?? '';
}

/** The object the request names; NoSuchKey when there is none (NoSuchBucket first). */
export function objectOf(app: App, input: RestInput): ObjectRecord {
  bucketOf(app, input);
  const object = lookUpObject(app, input);
  if (!object) throw noSuchKey(objectKey(input));
  return object;
}

/** What an object read is authorized for: s3:GetObject, with the existing object's tags as condition keys. */
function readAuthorization(input: RestInput, app: App) {
  const record = lookUpBucket(app, input);
  const object = lookUpObject(app, input);
  return requestAuthorization(app, input, 'GetObject', { key: objectKey(input), ...(record ? { record } : {}), keys: existingTagKeys(object?.tags) });
}

/** The body to answer with: small ones read at once, larger ones streamed. */
function bodyOf(app: App, object: ObjectRecord, range?: { start: number; end: number }): Buffer | Readable {
  const length = range ? range.end - range.start + 1 : object.size;
  return length <= SMALL_BODY_BYTES ? app.objects.readBody(object, range) : app.objects.openBody(object, range);
}

const putObject = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'PutObject', {
    key: objectKey(input),
    keys: { 's3:x-amz-acl': input.header('x-amz-acl'), 's3:x-amz-storage-class': input.header('x-amz-storage-class') },
  }),
  handle: async (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    const key = objectKey(input);
    const metadata = metadataFromHeaders(input);
    const algorithm = requestedChecksum(input);
    const stored = await storeBody(ctx.app, input, algorithm);
    const object = ctx.app.objects.putObject(bucket.name, key, {
      ...metadata, etag: stored.md5.toString('hex'), checksums: stored.checksums, ...(algorithm ? { checksumType: 'FULL_OBJECT' as const } : {}),
    }, stored.blob, ctx.app.clock.now().toISOString());
    const headers = { etag: `"${object.etag}"`, ...checksumHeaders(algorithm ? { [algorithm]: object.checksums[algorithm] } : {}, object.checksumType) };
    return emptyAnswer(200, headers, { eTag: object.etag });
  },
});

const getObject = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => readAuthorization(input, ctx.app),
  handle: (input, ctx) => {
    const { object, notModified } = readObject(ctx.app, input);
    if (notModified) return notModified;
    const whole = objectHeaders(object, checksumModeEnabled(input));
    const range = requestedRange(input.header('range'), object.size);
    if (!range && !hasResponseOverrides(input)) return new RestResponse(200, whole, object.size === 0 ? '' : bodyOf(ctx.app, object));
    const headers = { ...whole };
    applyResponseOverrides(headers, input);
    if (range) {
      // the whole object's checksums do not describe a part of it
      for (const name of Object.keys(headers)) if (name.startsWith('x-amz-checksum-')) delete headers[name];
      headers['content-range'] = `bytes ${range.start}-${range.end}/${object.size}`;
      headers['content-length'] = String(range.end - range.start + 1);
      return new RestResponse(206, headers, bodyOf(ctx.app, object, range));
    }
    return new RestResponse(200, headers, object.size === 0 ? '' : bodyOf(ctx.app, object));
  },
});

const headObject = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => readAuthorization(input, ctx.app),
  handle: (input, ctx) => {
    const { object, notModified } = readObject(ctx.app, input);
    return notModified ?? new RestResponse(200, objectHeaders(object, checksumModeEnabled(input)), '');
  },
});

/** GetObject's and HeadObject's object, and the 304 answer (the validators, no body) when a condition says so. */
function readObject(app: App, input: RestInput): { object: ObjectRecord; notModified?: RestResponse } {
  const object = objectOf(app, input);
  if (checkPreconditions(object, (name) => input.header(name)) !== 'not-modified') return { object };
  const { etag, 'last-modified': lastModified } = objectHeaders(object, false);
  return { object, notModified: new RestResponse(304, { etag: etag!, 'last-modified': lastModified! }, '') };
}

const deleteObject = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'DeleteObject', { key: objectKey(input) }),
  handle: (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    // S3 answers 204 whether or not the key existed
    ctx.app.objects.deleteObject(bucket.name, objectKey(input));
    return emptyAnswer(204);
  },
});

export const objectOperations: OperationMap = {
  PutObject: putObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
};
