/**
 * Multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload
 * (parts in ascending order, each but the last at least 5 MiB, ETags matching; the object's ETag is
 * the MD5 of the parts' MD5s with `-N`, its checksum COMPOSITE or FULL_OBJECT as the upload was
 * created), AbortMultipartUpload, ListParts and ListMultipartUploads.
 */
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../protocol/aws-error.js';
import type { RestInput } from '../../protocol/rest-input.js';
import { S3Error } from '../../protocol/rest-xml.js';
import { childrenNamed, textAt } from '../../protocol/xml-reader.js';
import type { XmlObject } from '../../protocol/xml.js';
import type { App } from '../../server/app.js';
import { operation, type OperationMap } from '../service.js';
import { requestAuthorization } from './access.js';
import { bucketOf } from './buckets.js';
import { copySourceObject } from './copy-source.js';
import { invalidArgument, malformedXml, noSuchUpload } from './errors.js';
import { checksumHeaders, metadataFromHeaders, requestedChecksum, requestedRange } from './object-headers.js';
import { objectKey } from './objects.js';
import { canonicalUserId } from './owner.js';
import { completedChecksum, completedEtag } from './part-checksums.js';
import { readXmlBody } from './request-body.js';
import { asRest } from './router.js';
import { emptyAnswer, ownerOf, xmlAnswer } from './s3-xml.js';
import type { ChecksumAlgorithm, ChecksumType, PartRecord, UploadRecord } from './storage/types.js';
import { copyBody, storeBody } from './upload.js';

const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10_000;

/** The upload the request names, in the bucket and under the key it names. */
function uploadOf(app: App, input: RestInput): UploadRecord {
  const bucket = bucketOf(app, input);
  const uploadId = input.params.get('uploadId') ?? '';
  const upload = app.objects.getUpload(uploadId);
  if (!upload || upload.bucket !== bucket.name || upload.key !== objectKey(input)) throw noSuchUpload(uploadId);
  return upload;
}

function partNumberOf(input: RestInput): number {
  const text = input.params.get('partNumber') ?? '';
  const number = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(number >= 1 && number <= MAX_PART_NUMBER)) {
    throw invalidArgument(`Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, 'partNumber', text);
  }
  return number;
}

function checksumTypeOf(input: RestInput, algorithm: ChecksumAlgorithm | undefined): ChecksumType | undefined {
  const value = input.header('x-amz-checksum-type');
  if (value === undefined) return algorithm === undefined ? undefined : algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
  if (value !== 'FULL_OBJECT' && value !== 'COMPOSITE') throw invalidArgument('Value for x-amz-checksum-type header is invalid.', 'x-amz-checksum-type', value);
  if (algorithm === undefined) throw new AwsError('InvalidRequest', 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.', 400);
  if (value === 'FULL_OBJECT' && (algorithm === 'SHA1' || algorithm === 'SHA256')) {
    throw new AwsError('InvalidRequest', `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`, 400);
  }
  if (value === 'COMPOSITE' && algorithm === 'CRC64NVME') {
    throw new AwsError('InvalidRequest', 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.', 400);
  }
  return value;
}

function putAuthorization(input: RestInput, app: App) {
  return requestAuthorization(app, input, 'PutObject', { key: objectKey(input), keys: { 's3:x-amz-acl': input.header('x-amz-acl') } });
}

function initiatorOf(arn: string, id: string): XmlObject {
  return { ID: id, DisplayName: arn };
}

const createMultipartUpload = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => putAuthorization(input, ctx.app),
  handle: (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    const key = objectKey(input);
    const algorithm = requestedChecksum(input);
    const checksumType = checksumTypeOf(input, algorithm);
    const uploadId = randomBytes(48).toString('base64url');
    ctx.app.objects.createUpload({
      uploadId, bucket: bucket.name, key, initiated: ctx.app.clock.now().toISOString(), metadata: { ...metadataFromHeaders(input), checksums: {} },
      ...(algorithm ? { checksumAlgorithm: algorithm } : {}), ...(checksumType ? { checksumType } : {}),
      initiator: { arn: ctx.caller.arn, id: ctx.caller.userId },
    });
    const headers: Record<string, string> = {};
    if (algorithm) headers['x-amz-checksum-algorithm'] = algorithm;
    if (checksumType) headers['x-amz-checksum-type'] = checksumType;
    return xmlAnswer('InitiateMultipartUploadResult', { Bucket: bucket.name, Key: key, UploadId: uploadId }, headers, { uploadId });
  },
});

const uploadPart = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => putAuthorization(input, ctx.app),
  handle: async (input, ctx) => {
    const upload = uploadOf(ctx.app, input);
    const partNumber = partNumberOf(input);
    const algorithm = requestedChecksum(input) ?? upload.checksumAlgorithm;
    if (upload.checksumAlgorithm !== undefined && algorithm !== upload.checksumAlgorithm) {
      throw new AwsError('InvalidRequest', `Checksum Type mismatch occurred, expected checksum Type: ${upload.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${algorithm?.toLowerCase() ?? 'null'}`, 400);
    }
    const stored = await storeBody(ctx.app, input, algorithm);
    const part = storePart(ctx.app, upload, partNumber, stored);
    return emptyAnswer(200, { etag: `"${part.etag}"`, ...checksumHeaders(algorithm ? { [algorithm]: part.checksums[algorithm] } : {}) });
  },
});

function storePart(app: App, upload: UploadRecord, partNumber: number, stored: Awaited<ReturnType<typeof storeBody>>): PartRecord {
  try {
    return app.objects.putPart(upload.uploadId, { partNumber, etag: stored.md5.toString('hex'), checksums: stored.checksums, lastModified: app.clock.now().toISOString() }, stored.blob);
  } catch (error) {
    stored.blob.discard();
    throw error;
  }
}

const uploadPartCopy = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => putAuthorization(input, ctx.app),
  handle: async (input, ctx) => {
    const upload = uploadOf(ctx.app, input);
    const partNumber = partNumberOf(input);
    const source = copySourceObject(input, ctx);
    const rangeHeader = input.header('x-amz-copy-source-range');
    const range = rangeHeader === undefined ? undefined : requestedRange(rangeHeader, source.size);
    if (rangeHeader !== undefined && range === undefined) {
      throw invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', rangeHeader);
    }
    const copied = await copyBody(ctx.app, source, range, upload.checksumAlgorithm);
    const part = storePart(ctx.app, upload, partNumber, copied);
    const checksum = upload.checksumAlgorithm ? { [`Checksum${upload.checksumAlgorithm}`]: part.checksums[upload.checksumAlgorithm] } : {};
    return xmlAnswer('CopyPartResult', { ETag: `"${part.etag}"`, LastModified: part.lastModified, ...checksum });
  },
});

interface RequestedPart {
  partNumber: number;
  etag: string;
}

async function requestedParts(input: RestInput): Promise<RequestedPart[]> {
  const document = await readXmlBody(input);
  if (!document || document.name !== 'CompleteMultipartUpload') throw malformedXml();
  const parts = childrenNamed(document, 'Part').map((part) => {
    const number = Number(textAt(part, 'PartNumber'));
    const etag = textAt(part, 'ETag');
    if (!Number.isInteger(number) || etag === undefined) throw malformedXml();
    return { partNumber: number, etag: etag.trim().replace(/^"|"$/g, '') };
  });
  if (parts.length === 0) throw malformedXml();
  return parts;
}

function invalidPart(part: RequestedPart): S3Error {
  return new S3Error(
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    400, { PartNumber: String(part.partNumber), ETag: part.etag },
  );
}

const completeMultipartUpload = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => putAuthorization(input, ctx.app),
  handle: async (input, ctx) => {
    const upload = uploadOf(ctx.app, input);
    const requested = await requestedParts(input);
    const stored = new Map(ctx.app.objects.listParts(upload.uploadId).map((part) => [part.partNumber, part]));
    const parts: PartRecord[] = [];
    requested.forEach((wanted, index) => {
      if (index > 0 && wanted.partNumber <= requested[index - 1]!.partNumber) {
        throw new AwsError('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400);
      }
      const part = stored.get(wanted.partNumber);
      if (!part || part.etag !== wanted.etag) throw invalidPart(wanted);
      parts.push(part);
    });
    parts.forEach((part, index) => {
      if (index < parts.length - 1 && part.size < MIN_PART_SIZE) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400, {
          ProposedSize: String(part.size), MinSizeAllowed: String(MIN_PART_SIZE), PartNumber: String(part.partNumber), ETag: part.etag,
        });
      }
    });
    const checksums = completedChecksum(upload, parts);
    const object = await ctx.app.objects.completeUpload(upload.uploadId, parts.map((part) => part.partNumber), {
      ...upload.metadata, etag: completedEtag(parts), checksums, ...(upload.checksumType ? { checksumType: upload.checksumType } : {}), partsCount: parts.length,
    }, ctx.app.clock.now().toISOString());
    const algorithm = upload.checksumAlgorithm;
    const host = input.header('host') ?? 'localhost';
    return xmlAnswer('CompleteMultipartUploadResult', {
      Location: `http://${host}/${encodeURIComponent(object.bucket)}/${object.key.split('/').map(encodeURIComponent).join('/')}`,
      Bucket: object.bucket,
      Key: object.key,
      ETag: `"${object.etag}"`,
      ...(algorithm ? { [`Checksum${algorithm}`]: object.checksums[algorithm], ChecksumType: object.checksumType } : {}),
    }, {}, { eTag: object.etag });
  },
});

const abortMultipartUpload = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'AbortMultipartUpload', { key: objectKey(input) }),
  handle: (input, ctx) => {
    const upload = uploadOf(ctx.app, input);
    ctx.app.objects.abortUpload(upload.uploadId);
    return emptyAnswer(204);
  },
});

const listParts = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'ListMultipartUploadParts', { key: objectKey(input) }),
  handle: (input, ctx) => {
    const upload = uploadOf(ctx.app, input);
    const maxParts = Math.min(Number(input.params.get('max-parts') ?? '1000') || 1000, 1000);
    const marker = Number(input.params.get('part-number-marker') ?? '0') || 0;
    const all = ctx.app.objects.listParts(upload.uploadId).filter((part) => part.partNumber > marker);
    const page = all.slice(0, maxParts);
    const algorithm = upload.checksumAlgorithm;
    const owner = ownerOf(ctx.app.accountId, canonicalUserId(ctx.app.accountId));
    return xmlAnswer('ListPartsResult', {
      Bucket: upload.bucket,
      Key: upload.key,
      UploadId: upload.uploadId,
      PartNumberMarker: marker,
      ...(page.length > 0 ? { NextPartNumberMarker: page[page.length - 1]!.partNumber } : {}),
      MaxParts: maxParts,
      IsTruncated: all.length > page.length,
      Part: page.map((part) => ({
        PartNumber: part.partNumber, LastModified: part.lastModified, ETag: `"${part.etag}"`, Size: part.size,
        ...(algorithm && part.checksums[algorithm] !== undefined ? { [`Checksum${algorithm}`]: part.checksums[algorithm] } : {}),
      })),
      Initiator: initiatorOf(upload.initiator.arn, upload.initiator.id),
      Owner: owner,
      StorageClass: upload.metadata.storageClass,
      ...(algorithm ? { ChecksumAlgorithm: algorithm, ChecksumType: upload.checksumType } : {}),
    });
  },
});

const listMultipartUploads = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'ListBucketMultipartUploads'),
  handle: (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    const prefix = input.params.get('prefix') ?? '';
    const maxUploads = Math.min(Number(input.params.get('max-uploads') ?? '1000') || 1000, 1000);
    const keyMarker = input.params.get('key-marker') ?? '';
    const uploads = ctx.app.objects.listUploads(bucket.name).filter((upload) => upload.key.startsWith(prefix) && upload.key > keyMarker);
    const page = uploads.slice(0, maxUploads);
    const owner = ownerOf(ctx.app.accountId, canonicalUserId(ctx.app.accountId));
    const truncated = uploads.length > page.length;
    return xmlAnswer('ListMultipartUploadsResult', {
      Bucket: bucket.name,
      KeyMarker: keyMarker,
      UploadIdMarker: input.params.get('upload-id-marker') ?? '',
      ...(truncated ? { NextKeyMarker: page[page.length - 1]!.key, NextUploadIdMarker: page[page.length - 1]!.uploadId } : {}),
      Prefix: prefix,
      MaxUploads: maxUploads,
      IsTruncated: truncated,
      Upload: page.map((upload) => ({
        Key: upload.key, UploadId: upload.uploadId, Initiator: initiatorOf(upload.initiator.arn, upload.initiator.id), Owner: owner,
        StorageClass: upload.metadata.storageClass, Initiated: upload.initiated,
        ...(upload.checksumAlgorithm ? { ChecksumAlgorithm: upload.checksumAlgorithm, ChecksumType: upload.checksumType } : {}),
      })),
    });
  },
});

export const multipartOperations: OperationMap = {
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  ListParts: listParts,
  ListMultipartUploads: listMultipartUploads,
};
