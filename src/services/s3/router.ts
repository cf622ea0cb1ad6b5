/**
 * S3's routing: which operation a path-style request names, from its method, whether it names a
 * bucket and a key, its sub-resource query parameters (?uploads, ?policy, ?tagging ...) and, for
 * CopyObject/UploadPartCopy, the x-amz-copy-source header. The parameters the trail records are
 * CloudTrail's for S3: bucketName, key, Host, and the query's own.
 */
import { AwsError } from '../../protocol/aws-error.js';
import type { QueryInput } from '../../protocol/query-input.js';
import { RestInput } from '../../protocol/rest-input.js';
import type { RestRoute } from '../service.js';

export interface S3Target {
  bucket?: string;
  key?: string;
}

/** The input of an S3 operation: the pipeline hands REST services a RestInput. */
export function asRest(query: QueryInput): RestInput {
  if (!(query instanceof RestInput)) throw new Error('an S3 operation was called without a REST request');
  return query;
}

/** '/bucket/some/key' → bucket 'bucket', key 'some/key' (path-style addressing). */
export function targetOf(input: RestInput): S3Target {
  const path = input.path.startsWith('/') ? input.path.slice(1) : input.path;
  if (path === '') return {};
  const slash = path.indexOf('/');
  if (slash < 0) return { bucket: path };
  const key = path.slice(slash + 1);
  return key === '' ? { bucket: path.slice(0, slash) } : { bucket: path.slice(0, slash), key };
}

function bucketOperation(method: string, input: RestInput): string | undefined {
  const has = (name: string): boolean => input.has(name);
  switch (method) {
    case 'GET':
      if (has('location')) return 'GetBucketLocation';
      if (has('policy')) return 'GetBucketPolicy';
      if (has('tagging')) return 'GetBucketTagging';
      if (has('uploads')) return 'ListMultipartUploads';
      if (has('versioning')) return 'GetBucketVersioning';
      if (has('acl')) return 'GetBucketAcl';
      if (input.params.get('list-type') === '2') return 'ListObjectsV2';
      return 'ListObjects';
    case 'HEAD':
      return 'HeadBucket';
    case 'PUT':
      if (has('policy')) return 'PutBucketPolicy';
      if (has('tagging')) return 'PutBucketTagging';
      return 'CreateBucket';
    case 'DELETE':
      if (has('policy')) return 'DeleteBucketPolicy';
      if (has('tagging')) return 'DeleteBucketTagging';
      return 'DeleteBucket';
    case 'POST':
      if (has('delete')) return 'DeleteObjects';
      return undefined;
    default:
      return undefined;
  }
}

function objectOperation(method: string, input: RestInput): string | undefined {
  const has = (name: string): boolean => input.has(name);
  switch (method) {
    case 'GET':
      if (has('uploadId')) return 'ListParts';
      if (has('tagging')) return 'GetObjectTagging';
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'PUT':
      if (has('tagging')) return 'PutObjectTagging';
      if (has('partNumber') && has('uploadId')) return input.header('x-amz-copy-source') !== undefined ? 'UploadPartCopy' : 'UploadPart';
      return input.header('x-amz-copy-source') !== undefined ? 'CopyObject' : 'PutObject';
    case 'DELETE':
      if (has('uploadId')) return 'AbortMultipartUpload';
      if (has('tagging')) return 'DeleteObjectTagging';
      return 'DeleteObject';
    case 'POST':
      if (has('uploads')) return 'CreateMultipartUpload';
      if (has('uploadId')) return 'CompleteMultipartUpload';
      return undefined;
    default:
      return undefined;
  }
}

/** Query parameters that carry authentication, not request parameters. */
const SIGNING_PARAMETERS = /^X-Amz-(?:Algorithm|Credential|Date|Expires|SignedHeaders|Signature|Security-Token)$/i;

export function routeS3(input: RestInput): RestRoute {
  const { bucket, key } = targetOf(input);
  const method = input.method;
  let action: string | undefined;
  if (bucket === undefined) action = method === 'GET' ? 'ListBuckets' : undefined;
  else action = key === undefined ? bucketOperation(method, input) : objectOperation(method, input);
  if (action === undefined) throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405);
  const requestParameters: Record<string, string> = {};
  if (bucket !== undefined) requestParameters.bucketName = bucket;
  const host = input.header('host');
  if (host !== undefined) requestParameters.Host = host;
  if (key !== undefined) requestParameters.key = key;
  for (const [name, value] of input.params) {
    if (!SIGNING_PARAMETERS.test(name) && name !== 'x-id') requestParameters[name] = value;
  }
  return { action, requestParameters };
}
