/**
 * Tags: Put/Get/DeleteBucketTagging (up to 50 tags) and Put/Get/DeleteObjectTagging (up to 10),
 * as `<Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>`.
 */
import { AwsError } from '../../protocol/aws-error.js';
import type { RestInput } from '../../protocol/rest-input.js';
import { S3Error } from '../../protocol/rest-xml.js';
import { child, childrenNamed, textAt } from '../../protocol/xml-reader.js';
import type { App } from '../../server/app.js';
import { operation, type OperationMap } from '../service.js';
import { existingTagKeys, requestAuthorization, s3Authorization } from './access.js';
import { bucketName, bucketOf } from './buckets.js';
import { malformedXml } from './errors.js';
import { validTags } from './object-headers.js';
import { objectKey, objectOf } from './objects.js';
import { readXmlBody } from './request-body.js';
import { asRest } from './router.js';
import { emptyAnswer, xmlAnswer } from './s3-xml.js';
import type { S3Tag } from './storage/types.js';

async function readTagSet(input: RestInput): Promise<S3Tag[]> {
  const document = await readXmlBody(input);
  const tagSet = child(document, 'TagSet');
  if (!document || document.name !== 'Tagging' || !tagSet) throw malformedXml();
  return childrenNamed(tagSet, 'Tag').map((tag) => {
    const key = textAt(tag, 'Key');
    if (key === undefined) throw malformedXml();
    return { Key: key, Value: textAt(tag, 'Value') ?? '' };
  });
}

function tagSetAnswer(tags: readonly S3Tag[]) {
  return xmlAnswer('Tagging', { TagSet: { Tag: tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })) } });
}

const putBucketTagging = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'PutBucketTagging'),
  handle: async (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    const tags = await readTagSet(input);
    if (tags.length > 50) throw new AwsError('InvalidTag', 'Bucket tag count cannot be greater than 50', 400);
    const keys = new Set<string>();
    for (const tag of tags) {
      if (keys.has(tag.Key)) throw new AwsError('InvalidTag', 'Cannot provide multiple Tags with the same key', 400);
      if (tag.Key.startsWith('aws:')) throw new AwsError('InvalidTag', 'System tags cannot be added/updated by requester', 400);
      keys.add(tag.Key);
    }
    ctx.app.objects.updateBucket(bucket.name, { tags });
    return emptyAnswer(204);
  },
});

const getBucketTagging = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'GetBucketTagging'),
  handle: (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    if (!bucket.tags || bucket.tags.length === 0) throw new S3Error('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket.name });
    return tagSetAnswer(bucket.tags);
  },
});

const deleteBucketTagging = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'PutBucketTagging'),
  handle: (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    ctx.app.objects.updateBucket(bucket.name, { tags: null });
    return emptyAnswer(204);
  },
});

function objectTagAuthorization(action: string, input: RestInput, ctx: { app: App }) {
  const bucket = bucketName(input);
  const key = objectKey(input);
  const existing = ctx.app.objects.getBucket(bucket) ? ctx.app.objects.getObject(bucket, key) : undefined;
  return s3Authorization(ctx.app, action, bucket, { key, keys: existingTagKeys(existing?.tags) });
}

const putObjectTagging = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => objectTagAuthorization('PutObjectTagging', input, ctx),
  handle: async (input, ctx) => {
    const object = objectOf(ctx.app, input);
    const tags = validTags(await readTagSet(input));
    ctx.app.objects.updateObject(object.bucket, object.key, { tags });
    return emptyAnswer(200);
  },
});

const getObjectTagging = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => objectTagAuthorization('GetObjectTagging', input, ctx),
  handle: (input, ctx) => tagSetAnswer(objectOf(ctx.app, input).tags),
});

const deleteObjectTagging = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => objectTagAuthorization('DeleteObjectTagging', input, ctx),
  handle: (input, ctx) => {
    const object = objectOf(ctx.app, input);
    ctx.app.objects.updateObject(object.bucket, object.key, { tags: [] });
    return emptyAnswer(204);
  },
});

export const taggingOperations: OperationMap = {
  PutBucketTagging: putBucketTagging,
  GetBucketTagging: getBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
};
