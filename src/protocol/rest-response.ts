/**
 * What a REST-protocol operation (S3) answers: a status, headers and a body (an XML document, an
 * object's bytes as a stream, or nothing), written to the wire as they are. `audit` is what the
 * trail records as responseElements for it.
 *
 * The headers may be shared by many answers (GetObject's are made once per object): they are
 * never changed, and the request's own (its ids) are handed to the transport beside them.
 */
import type { Readable } from 'node:stream';
import type { WireResponse } from './query-protocol.js';
import type { XmlObject } from './xml.js';

export class RestResponse {
  constructor(
    readonly statusCode: number,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string | Buffer | Readable,
    readonly audit?: XmlObject,
  ) {}

  toWire(requestId: string): WireResponse {
    return { statusCode: this.statusCode, headers: restRequestIdHeaders(requestId), sharedHeaders: this.headers, body: this.body };
  }
}

/** The opaque host id S3 answers beside a request id: here the id's base64. */
function hostId(requestId: string): string {
  return Buffer.from(requestId, 'latin1').toString('base64');
}

/** S3 names a request by x-amz-request-id, and an opaque host id (x-amz-id-2) beside it. */
export function restRequestIdHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId) };
}
