/**
 * Bucket policies: Put/Get/DeleteBucketPolicy. A policy is checked as a resource-based policy
 * (principals required) when it is put, and its resources must be the bucket or its objects, as S3
 * requires; it is then evaluated beside the caller's identity policies on every request to the
 * bucket (access.ts).
 */
import { AwsError } from '../../protocol/aws-error.js';
import { RestResponse } from '../../protocol/rest-response.js';
import { S3Error } from '../../protocol/rest-xml.js';
import { PolicyDocumentError } from '../../policy/index.js';
import { operation, type OperationMap } from '../service.js';
import { bucketPolicy, requestAuthorization } from './access.js';
import { bucketOf } from './buckets.js';
import { readSmallBody } from './request-body.js';
import { asRest } from './router.js';
import { emptyAnswer } from './s3-xml.js';

const MAX_POLICY_BYTES = 20 * 1024;

function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicy', message, 400);
}

/** Every Resource of every statement must name this bucket or objects in it. */
function checkResources(text: string, bucket: string): void {
  const document = JSON.parse(text) as { Statement?: unknown };
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const own = `arn:aws:s3:::${bucket}`;
  for (const statement of statements) {
    const resource = (statement as { Resource?: unknown; NotResource?: unknown } | null)?.Resource ?? (statement as { NotResource?: unknown } | null)?.NotResource;
    const resources = Array.isArray(resource) ? resource : [resource];
    for (const item of resources) {
      if (typeof item !== 'string') continue;
      const ok = item === own || item.startsWith(`${own}/`) || (item.endsWith('*') && own.startsWith(item.slice(0, -1)));
      if (!ok) throw malformedPolicy('Policy has invalid resource');
    }
  }
}

const putBucketPolicy = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'PutBucketPolicy'),
  handle: async (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    const body = await readSmallBody(input);
    if (body.length > MAX_POLICY_BYTES) throw new S3Error('PolicyTooLarge', 'Policy exceeds the maximum allowed document size.', 400);
    const text = body.toString('utf8');
    if (text.trim() === '') throw malformedPolicy('Policies must be valid JSON and the first byte must be \'{\'');
    try {
      bucketPolicy(ctx.app, { ...bucket, policy: text });
    } catch (error) {
      if (error instanceof PolicyDocumentError) throw malformedPolicy(error.message);
      throw error;
    }
    checkResources(text, bucket.name);
    ctx.app.objects.updateBucket(bucket.name, { policy: text });
    return emptyAnswer(204);
  },
});

const getBucketPolicy = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'GetBucketPolicy'),
  handle: (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    if (bucket.policy === undefined) throw new S3Error('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket.name });
    return new RestResponse(200, { 'content-type': 'application/json' }, bucket.policy);
  },
});

const deleteBucketPolicy = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'DeleteBucketPolicy'),
  handle: (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    ctx.app.objects.updateBucket(bucket.name, { policy: null });
    return emptyAnswer(204);
  },
});

export const bucketPolicyOperations: OperationMap = {
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
};
