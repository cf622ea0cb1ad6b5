/**
 * CopyObject: the source's body streamed into a new staged file (its ETag is the MD5 of the bytes,
 * so a copy of a multipart object has a plain ETag, as on S3), with the source's metadata and tags
 * or, with the REPLACE directives, the request's. Authorized as s3:PutObject on the target and
 * s3:GetObject on the source.
 */
import { operation, type OperationMap } from '../service.js';
import { requestAuthorization } from './access.js';
import { bucketOf } from './buckets.js';
import { copySourceObject } from './copy-source.js';
import { invalidArgument, invalidRequest } from './errors.js';
import { metadataFromHeaders, requestedChecksum, tagsFromHeader } from './object-headers.js';
import { objectKey } from './objects.js';
import { asRest } from './router.js';
import { xmlAnswer } from './s3-xml.js';
import { copyBody } from './upload.js';
import type { ObjectMetadata } from './storage/types.js';

function directive(value: string | undefined, header: string): 'COPY' | 'REPLACE' {
  if (value === undefined || value === 'COPY') return 'COPY';
  if (value === 'REPLACE') return 'REPLACE';
  throw invalidArgument(`Unknown ${header}`, header, value);
}

const copyObject = operation({
  input: (query) => asRest(query),
  authorize: (input, ctx) => requestAuthorization(ctx.app, input, 'PutObject', {
    key: objectKey(input), keys: { 's3:x-amz-acl': input.header('x-amz-acl'), 's3:x-amz-metadata-directive': input.header('x-amz-metadata-directive') },
  }),
  handle: async (input, ctx) => {
    const source = copySourceObject(input, ctx);
    const target = bucketOf(ctx.app, input);
    const key = objectKey(input);
    const metadataDirective = directive(input.header('x-amz-metadata-directive'), 'x-amz-metadata-directive');
    const taggingDirective = directive(input.header('x-amz-tagging-directive'), 'x-amz-tagging-directive');
    const changesStorageClass = input.header('x-amz-storage-class') !== undefined && input.header('x-amz-storage-class') !== source.storageClass;
    if (source.bucket === target.name && source.key === key && metadataDirective === 'COPY' && !changesStorageClass) {
      throw invalidRequest(
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      );
    }
    const requested = metadataFromHeaders(input);
    const metadata: Omit<ObjectMetadata, 'etag' | 'checksums'> = metadataDirective === 'REPLACE'
      ? { ...requested, tags: source.tags }
      : { contentType: source.contentType, headers: source.headers, metadata: source.metadata, tags: source.tags, storageClass: input.header('x-amz-storage-class') ?? source.storageClass };
    if (taggingDirective === 'REPLACE') metadata.tags = tagsFromHeader(input.header('x-amz-tagging'));
    const algorithm = requestedChecksum(input) ?? (Object.keys(source.checksums)[0] as keyof typeof source.checksums | undefined);
    const copied = await copyBody(ctx.app, source, undefined, algorithm);
    let object;
    try {
      object = ctx.app.objects.putObject(target.name, key, {
        ...metadata, etag: copied.md5.toString('hex'), checksums: copied.checksums, ...(algorithm ? { checksumType: 'FULL_OBJECT' as const } : {}),
      }, copied.blob, ctx.app.clock.now().toISOString());
    } catch (error) {
      copied.blob.discard();
      throw error;
    }
    const checksum = algorithm ? { [`Checksum${algorithm}`]: object.checksums[algorithm] } : {};
    return xmlAnswer('CopyObjectResult', { ETag: `"${object.etag}"`, LastModified: object.lastModified, ...checksum }, {}, { eTag: object.etag });
  },
});

export const copyObjectOperations: OperationMap = { CopyObject: copyObject };

