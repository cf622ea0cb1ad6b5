/**
 * The AWS query protocol's envelopes (IAM, STS): a result wrapped as
 * `<ActionResponse xmlns=NS><ActionResult>...</ActionResult><ResponseMetadata><RequestId>` and
 * errors as `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
import type { AwsError } from './aws-error.js';
import { escapeXml, xmlContent, type XmlObject } from './xml.js';

export interface WireResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const XML_HEADERS = { 'content-type': 'text/xml' };

export function queryResult(action: string, namespace: string, result: XmlObject | undefined, requestId: string): WireResponse {
  const inner = result === undefined ? '' : `<${action}Result>${xmlContent(result)}</${action}Result>`;
  const body =
    `<${action}Response xmlns="${namespace}">${inner}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>\n`;
  return { statusCode: 200, headers: { ...XML_HEADERS, 'x-amzn-requestid': requestId }, body };
}

export function queryError(error: AwsError, namespace: string, requestId: string): WireResponse {
  const body =
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
  return { statusCode: error.statusCode, headers: { ...XML_HEADERS, 'x-amzn-requestid': requestId }, body };
}
