/**
 * What a REST-protocol operation (S3) answers: a status, headers and a body (an XML document, an
 * object's bytes as a stream, or nothing), written to the wire as they are. `audit` is what the
 * trail records as responseElements for it.
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
    return { statusCode: this.statusCode, headers: { ...this.headers, ...restRequestIdHeaders(requestId) }, body: this.body };
  }
}

/** S3 names a request by x-amz-request-id, and an opaque host id (x-amz-id-2) beside it. */
export function restRequestIdHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64') };
}
