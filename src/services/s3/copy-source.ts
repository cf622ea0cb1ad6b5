/**
 * The source of CopyObject and UploadPartCopy: x-amz-copy-source (`bucket/key` or `/bucket/key`,
 * URL-encoded, `?versionId=` ignored as versioning is off), authorized as s3:GetObject on the source
 * with its bucket's policy, and the x-amz-copy-source-if-* conditions.
 */
import type { RestInput } from '../../protocol/rest-input.js';
import { S3Error } from '../../protocol/rest-xml.js';
import type { OperationContext } from '../service.js';
import { existingTagKeys, s3Authorization } from './access.js';
import { invalidArgument, noSuchBucket, noSuchKey } from './errors.js';
import { checkPreconditions } from './object-headers.js';
import type { ObjectRecord } from './storage/types.js';

export function parseCopySource(value: string): { bucket: string; key: string } {
  const withoutVersion = value.split('?versionId=')[0]!;
  let decoded: string;
  try {
    decoded = decodeURIComponent(withoutVersion);
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', value);
  }
  const path = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/** The source object, once the caller may read it and the copy-source conditions hold. */
export function copySourceObject(input: RestInput, ctx: OperationContext): ObjectRecord {
  const { bucket, key } = parseCopySource(input.header('x-amz-copy-source') ?? '');
  const record = ctx.app.objects.getBucket(bucket);
  const object = record ? ctx.app.objects.getObject(bucket, key) : undefined;
  ctx.require(s3Authorization(ctx.app, 'GetObject', bucket, { key, ...(record ? { record } : {}), keys: existingTagKeys(object?.tags) }));
  if (!record) throw noSuchBucket(bucket);
  if (!object) throw noSuchKey(key);
  const conditions = new Map<string, string>();
  for (const name of ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since']) {
    const value = input.header(`x-amz-copy-source-${name}`);
    if (value !== undefined) conditions.set(name, value);
  }
  if (conditions.size > 0) {
    if (checkPreconditions(object, (name) => conditions.get(name)) === 'not-modified') {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: 'x-amz-copy-source-If-None-Match' });
    }
  }
  return object;
}
