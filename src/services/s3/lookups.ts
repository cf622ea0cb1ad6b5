/**
 * The bucket and object a request names, looked up once per request: authorization (the bucket's
 * policy, the object's tags) and the operation read the same records.
 */
import type { RestInput } from '../../protocol/rest-input.js';
import type { App } from '../../server/app.js';
import { targetOf } from './router.js';
import type { BucketRecord, ObjectRecord } from './storage/types.js';

interface Found {
  bucket?: BucketRecord | null;
  object?: ObjectRecord | null;
}

const found = new WeakMap<RestInput, Found>();

function entry(input: RestInput): Found {
  let cached = found.get(input);
  if (cached === undefined) {
    cached = {};
    found.set(input, cached);
  }
  return cached;
}

export function lookUpBucket(app: App, input: RestInput): BucketRecord | undefined {
  const cached = entry(input);
  if (cached.bucket === undefined) cached.bucket = app.objects.getBucket(targetOf(input).bucket ?? '') ?? null;
  return cached.bucket ?? undefined;
}

export function lookUpObject(app: App, input: RestInput): ObjectRecord | undefined {
  const cached = entry(input);
  if (cached.object === undefined) {
    const bucket = lookUpBucket(app, input);
    const key = targetOf(input).key;
    cached.object = (bucket && key !== undefined ? app.objects.getObject(bucket.name, key) : undefined) ?? null;
  }
  return cached.object ?? undefined;
}
