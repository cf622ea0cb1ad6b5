/**
 * The bucket and object a request names, read from the store's caches: authorization (the
 * bucket's policy, the object's tags) and the operation read the same shared, frozen records, so
 * no memo of its own is kept per request (a WeakMap entry per request is work for the garbage
 * collector, and a second cache to keep true).
 */
import type { RestInput } from '../../protocol/rest-input.js';
import type { App } from '../../server/app.js';
import { targetOf } from './router.js';
import type { BucketRecord, ObjectRecord } from './storage/types.js';

export function lookUpBucket(app: App, input: RestInput): BucketRecord | undefined {
  return app.objects.getBucket(targetOf(input).bucket ?? '');
}

export function lookUpObject(app: App, input: RestInput): ObjectRecord | undefined {
  const { bucket, key } = targetOf(input);
  if (bucket === undefined || key === undefined) return undefined;
  return app.objects.getBucket(bucket) ? app.objects.getObject(bucket, key) : undefined;
}
