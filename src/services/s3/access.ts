/**
 * What an S3 request is authorized for: the action (s3:GetObject ...) on the bucket's or object's
 * ARN, with S3's condition keys, and the bucket policy evaluated as a resource-based policy beside
 * the caller's identity policies. Bucket policies are compiled once per text and cached.
 */
import type { CompiledPolicy, ContextValue } from '../../policy/index.js';
import type { App } from '../../server/app.js';
import type { RestInput } from '../../protocol/rest-input.js';
import type { Authorization } from '../service.js';
import { lookUpBucket } from './lookups.js';
import { targetOf } from './router.js';
import type { BucketRecord, S3Tag } from './storage/types.js';

export function bucketArn(bucket: string): string {
  return `arn:aws:s3:::${bucket}`;
}

export function objectArn(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

const compiled = new Map<string, CompiledPolicy>();

/** The bucket's policy, compiled (cached by text). */
export function bucketPolicy(app: App, bucket: BucketRecord | undefined): CompiledPolicy | undefined {
  const text = bucket?.policy;
  if (text === undefined) return undefined;
  let policy = compiled.get(text);
  if (policy === undefined) {
    policy = app.library.compile(text, 'resource', { kind: 'bucket', name: `bucket policy of ${bucket!.name}` });
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(text, policy);
  }
  return policy;
}

/** s3Authorization for the bucket (and key, when given) the request names, with the bucket looked up once per request. */
export function requestAuthorization(
  app: App, input: RestInput, action: string, options: { key?: string; keys?: Record<string, ContextValue | undefined> } = {},
): Authorization {
  const record = lookUpBucket(app, input);
  return s3Authorization(app, action, targetOf(input).bucket ?? '', { ...options, ...(record ? { record } : {}) });
}

export function s3Authorization(
  app: App, action: string, bucket: string, options: { key?: string; record?: BucketRecord; keys?: Record<string, ContextValue | undefined> } = {},
): Authorization {
  const record = 'record' in options ? options.record : app.objects.getBucket(bucket);
  const authorization: Authorization = {
    action: `s3:${action}`,
    resource: options.key === undefined ? bucketArn(bucket) : objectArn(bucket, options.key),
    ...(options.keys ? { conditionKeys: options.keys } : {}),
  };
  const policy = bucketPolicy(app, record);
  return policy ? { ...authorization, resourcePolicy: policy } : authorization;
}

/** s3:ExistingObjectTag/<key> for each tag of an existing object. */
export function existingTagKeys(tags: readonly S3Tag[] | undefined): Record<string, ContextValue> {
  const keys: Record<string, ContextValue> = {};
  for (const tag of tags ?? []) keys[`s3:ExistingObjectTag/${tag.Key}`] = tag.Value;
  return keys;
}
