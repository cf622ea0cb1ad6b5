/**
 * S3 (REST-XML, API version 2006-03-01, SigV4 signing name `s3`), path-style addressing: buckets,
 * objects, listing, multipart uploads, copies, tags and bucket policies evaluated as resource-based
 * policies. The operation a request names comes from its method, path and query (router.ts);
 * bodies stream through the payload checks (payload/) into the object storage (storage/).
 */
import { restXmlProtocol } from '../../protocol/rest-xml.js';
import type { ServiceDefinition } from '../service.js';
import { bucketPolicyOperations } from './bucket-policy.js';
import { bucketOperations } from './buckets.js';
import { copyObjectOperations } from './copy-object.js';
import { deleteObjectsOperations } from './delete-objects.js';
import { listOperations } from './list-objects.js';
import { multipartOperations } from './multipart.js';
import { objectOperations } from './objects.js';
import { routeS3 } from './router.js';
import { S3_NAMESPACE } from './s3-xml.js';
import { taggingOperations } from './tagging.js';

export const s3Service: ServiceDefinition = {
  name: 's3',
  protocol: restXmlProtocol,
  version: '2006-03-01',
  xmlNamespace: S3_NAMESPACE,
  operations: {
    ...bucketOperations,
    ...listOperations,
    ...objectOperations,
    ...deleteObjectsOperations,
    ...copyObjectOperations,
    ...multipartOperations,
    ...bucketPolicyOperations,
    ...taggingOperations,
  },
  route: routeS3,
};
