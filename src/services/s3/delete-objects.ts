/**
 * DeleteObjects: up to 1000 keys in one request, each authorized on its own as s3:DeleteObject (a
 * key the caller may not delete is an <Error> entry, the others go), Quiet mode listing only
 * errors. S3 requires Content-MD5 or a checksum on this request.
 */
import { AwsError, isAwsError } from '../../protocol/aws-error.js';
import { child, childrenNamed, textAt } from '../../protocol/xml-reader.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type OperationMap } from '../service.js';
import { s3Authorization } from './access.js';
import { bucketOf } from './buckets.js';
import { malformedXml } from './errors.js';
import { readXmlBody } from './request-body.js';
import { asRest } from './router.js';
import { xmlAnswer } from './s3-xml.js';

const MAX_KEYS = 1000;

const deleteObjects = operation({
  input: (query) => asRest(query),
  // each key is authorized in the handler, as S3 does
  authorize: () => 'in-handler' as const,
  handle: async (input, ctx) => {
    const bucket = bucketOf(ctx.app, input);
    const hasDigest = input.header('content-md5') !== undefined || [...input.headers.keys()].some((name) => name.startsWith('x-amz-checksum-') || name === 'x-amz-sdk-checksum-algorithm');
    if (!hasDigest) throw new AwsError('InvalidRequest', 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*', 400);
    const document = await readXmlBody(input);
    if (!document || document.name !== 'Delete') throw malformedXml();
    const objects = childrenNamed(document, 'Object');
    if (objects.length === 0 || objects.length > MAX_KEYS) throw malformedXml();
    const quiet = child(document, 'Quiet')?.text.trim() === 'true';
    const deleted: XmlObject[] = [];
    const errors: XmlObject[] = [];
    for (const object of objects) {
      const key = textAt(object, 'Key');
      if (key === undefined) throw malformedXml();
      try {
        ctx.require(s3Authorization(ctx.app, 'DeleteObject', bucket.name, { key, record: bucket }));
        ctx.app.objects.deleteObject(bucket.name, key);
        if (!quiet) deleted.push({ Key: key });
      } catch (error) {
        if (!isAwsError(error)) throw error;
        errors.push({ Key: key, Code: error.code, Message: error.message });
      }
    }
    return xmlAnswer('DeleteResult', { Deleted: deleted, Error: errors });
  },
});

export const deleteObjectsOperations: OperationMap = { DeleteObjects: deleteObjects };
