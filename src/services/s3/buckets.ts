/**
 * Buckets: ListBuckets, CreateBucket (with a LocationConstraint), HeadBucket, DeleteBucket
 * (BucketNotEmpty while objects remain), GetBucketLocation, and the versioning and ACL reads the
 * AWS CLI asks for (versioning never enabled; the owner has FULL_CONTROL).
 */
import { AwsError } from '../../protocol/aws-error.js';
import type { RestInput } from '../../protocol/rest-input.js';
import { RestResponse } from '../../protocol/rest-response.js';
import { S3Error, XML_DECLARATION } from '../../protocol/rest-xml.js';
import { escapeXml } from '../../protocol/xml.js';
import { textAt } from '../../protocol/xml-reader.js';
import type { App } from '../../server/app.js';
import { operation, type OperationMap } from '../service.js';
import { requestAuthorization } from './access.js';
import { invalidBucketName, noSuchBucket } from './errors.js';
import { readXmlBody } from './request-body.js';
import { asRest, targetOf } from './router.js';
import { emptyAnswer, ownerOf, S3_NAMESPACE, xmlAnswer } from './s3-xml.js';
import type { BucketRecord } from './storage/types.js';
import { canonicalUserId } from './owner.js';
import { lookUpBucket } from './lookups.js';

/** S3's naming rules for new buckets: 3-63 of a-z 0-9 . -, starting and ending with a letter or digit, not an IP address. */
export function validBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) && !/\.\./.test(name) && !/^\d+\.\d+\.\d+\.\d+$/.test(name) && !/\.-|-\./.test(name);
}

/** The bucket the request names; NoSuchBucket when there is none. */
export function bucketOf(app: App, input: RestInput): BucketRecord {
  const bucket = lookUpBucket(app, input);
  if (!bucket) throw noSuchBucket(targetOf(input).bucket ?? '');
  return bucket;
}

export function bucketName(input: RestInput): string {
  return targetOf(input).bucket ?? '';
}

const listBuckets = operation({
  input: (query) => query,
  authorize: () => ({ action: 's3:ListAllMyBuckets', resource: '*' }),
  handle: (_input, ctx) => {
    const buckets = ctx.app.objects.listBuckets();
    return xmlAnswer('ListAllMyBucketsResult', {
      Owner: ownerOf(ctx.app.accountId, canonicalUserId(ctx.app.accountId)),
      Buckets: { Bucket: buckets.map((bucket) => ({ Name: bucket.name, CreationDate: bucket.createdAt })) },
    });
  },
});

const createBucket = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'CreateBucket', {
    keys: { 's3:x-amz-acl': input.header('x-amz-acl'), 's3:LocationConstraint': undefined },
  }),
  handle: async (input, ctx) => {
    const name = bucketName(input);
    if (!validBucketName(name)) throw invalidBucketName(name);
    const document = await readXmlBody(input);
    const constraint = document ? textAt(document, 'LocationConstraint') : undefined;
    const signedRegion = ctx.request.region;
    const region = constraint === undefined || constraint === '' ? 'us-east-1' : constraint;
    if (constraint !== undefined && constraint !== '' && constraint !== signedRegion) {
      throw new AwsError('IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
    }
    if ((constraint === undefined || constraint === '') && signedRegion !== 'us-east-1') {
      throw new AwsError('IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.', 400);
    }
    if (constraint === 'us-east-1') {
      throw new S3Error('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
    }
    if (ctx.app.objects.getBucket(name)) {
      throw new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: name });
    }
    ctx.app.objects.createBucket({ name, region, createdAt: ctx.app.clock.now().toISOString() });
    return emptyAnswer(200, { location: `/${name}` });
  },
});

const headBucket = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'ListBucket'),
  handle: (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    return emptyAnswer(200, { 'x-amz-bucket-region': bucket.region });
  },
});

const deleteBucket = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'DeleteBucket'),
  handle: (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    if (ctx.app.objects.hasObjects(bucket.name)) {
      throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket.name });
    }
    ctx.app.objects.deleteBucket(bucket.name);
    return emptyAnswer(204);
  },
});

const getBucketLocation = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'GetBucketLocation'),
  handle: (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    // us-east-1 is spelled as an empty LocationConstraint
    const region = bucket.region === 'us-east-1' ? '' : bucket.region;
    return new RestResponse(200, { 'content-type': 'application/xml' }, `${XML_DECLARATION}<LocationConstraint xmlns="${S3_NAMESPACE}">${escapeXml(region)}</LocationConstraint>`);
  },
});

const getBucketVersioning = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'GetBucketVersioning'),
  handle: (input, ctx) => {
    bucketOf(ctx.app, input);
    return xmlAnswer('VersioningConfiguration', {});
  },
});

const getBucketAcl = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'GetBucketAcl'),
  handle: (input, ctx) => {
    bucketOf(ctx.app, input);
    const owner = ownerOf(ctx.app.accountId, canonicalUserId(ctx.app.accountId));
    return new RestResponse(200, { 'content-type': 'application/xml' },
      `${XML_DECLARATION}<AccessControlPolicy xmlns="${S3_NAMESPACE}"><Owner><ID>${owner.ID as string}</ID><DisplayName>${escapeXml(owner.DisplayName as string)}</DisplayName></Owner>` +
      '<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">' +
      `<ID>${owner.ID as string}</ID><DisplayName>${escapeXml(owner.DisplayName as string)}</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`);
  },
});

export const bucketOperations: OperationMap = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketVersioning: getBucketVersioning,
  GetBucketAcl: getBucketAcl,
};
