/**
 * The AWS query protocol's envelopes (IAM, STS): a result wrapped as
 * `<ActionResponse xmlns=NS><ActionResult>...</ActionResult><ResponseMetadata><RequestId>` and
 * errors as `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
import type { Readable } from 'node:stream';
import type { AwsError } from './aws-error.js';
import { escapeXml, xmlContent, type XmlObject } from './xml.js';

export interface WireResponse {
  statusCode: number;
  /** the response's own headers */
  headers: Readonly<Record<string, string>>;
  /**
   * Headers made once and shared by many responses (an S3 object's), written before `headers`:
   * read-only. Adding a response's own headers to a copy of them cost S3 a few µs per request under
   * load (a copy, then a map transition for each header added).
   */
  sharedHeaders?: Readonly<Record<string, string>>;
  /** a stream (an S3 object's body) carries its own content-length header */
  body: string | Buffer | Readable;
}

/** An XML answer's headers (a literal: no spread of a shared object per response). */
function xmlHeaders(requestId: string): Record<string, string> {
  return { 'content-type': 'text/xml', 'x-amzn-requestid': requestId };
}

export function queryResult(action: string, namespace: string, result: XmlObject | undefined, requestId: string): WireResponse {
  const inner = result === undefined ? '' : `<${action}Result>${xmlContent(result)}</${action}Result>`;
  const body =
    `<${action}Response xmlns="${namespace}">${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`;
  return { statusCode: 200, headers: xmlHeaders(requestId), body };
}

/**
 * EC2's variant of the query protocol: no Result wrapper, a lower-case requestId first, lists as
 * `<item>`, and errors as `<Response><Errors><Error>...</Error></Errors><RequestID>`.
 */
export function ec2Result(action: string, namespace: string, result: XmlObject | undefined, requestId: string): WireResponse {
  const body = `<${action}Response xmlns="${namespace}"><requestId>${requestId}</requestId>${result === undefined ? '' : xmlContent(result, 'item')}</${action}Response>\n`;
  return { statusCode: 200, headers: xmlHeaders(requestId), body };
}

export function ec2Error(error: AwsError, requestId: string): WireResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>\n`;
  return { statusCode: error.statusCode, headers: xmlHeaders(requestId), body };
}

export function queryError(error: AwsError, namespace: string, requestId: string): WireResponse {
  const body =
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
  return { statusCode: error.statusCode, headers: xmlHeaders(requestId), body };
}
