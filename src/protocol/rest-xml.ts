/**
 * S3's REST-XML protocol: operations answer RestResponses of their own (status, headers, an XML
 * document or a stream); errors are `<Error><Code/><Message/>...<RequestId/><HostId/></Error>` with
 * the extra elements some errors carry (RequestTime and ServerTime for a skewed clock,
 * StringToSign for a bad signature, BucketName, Key, ...).
 */
import { AwsError } from './aws-error.js';
import type { WireProtocol } from './protocols.js';
import { restRequestIdHeaders } from './rest-response.js';
import { escapeXml, xmlContent, type XmlObject } from './xml.js';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** An AwsError with extra elements in S3's error document. */
export class S3Error extends AwsError {
  constructor(code: string, message: string, statusCode: number, extraFields: Readonly<Record<string, string>> = {}) {
    super(code, message, statusCode, undefined, extraFields);
  }
}

export function restXmlError(error: AwsError, requestId: string): { statusCode: number; headers: Record<string, string>; body: string } {
  let extra = '';
  for (const [name, value] of Object.entries(error.extraFields)) extra += `<${name}>${escapeXml(value)}</${name}>`;
  const body =
    `${XML_DECLARATION}<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}` +
    `<RequestId>${requestId}</RequestId><HostId>${restRequestIdHeaders(requestId)['x-amz-id-2']}</HostId></Error>`;
  return { statusCode: error.statusCode, headers: { 'content-type': 'application/xml', ...restRequestIdHeaders(requestId) }, body };
}

/** An XML document `<root xmlns=namespace>...</root>`. */
export function xmlDocument(root: string, namespace: string | undefined, value: XmlObject): string {
  const xmlns = namespace === undefined ? '' : ` xmlns="${namespace}"`;
  return `${XML_DECLARATION}<${root}${xmlns}>${xmlContent(value)}</${root}>`;
}

export const restXmlProtocol: WireProtocol = {
  family: 's3',
  listStyle: 'flat',
  // S3's operations answer RestResponses; a plain result is written as `<ActionResult>`.
  result: (action, namespace, result, requestId) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/xml', ...restRequestIdHeaders(requestId) },
    body: xmlDocument(`${action}Result`, namespace, result ?? {}),
  }),
  error: (error, _namespace, requestId) => restXmlError(s3Spelling(error), requestId),
  spell: s3Spelling,
};

/** S3 quotes the resource in its AccessDenied message: `... on resource: "arn:aws:s3:::bucket/key" because ...`. */
function s3Spelling(error: AwsError): AwsError {
  if (error.code !== 'AccessDenied') return error;
  const quoted = error.message.replace(/ on resource: (arn:\S+)( because|$)/, ' on resource: "$1"$2');
  return quoted === error.message ? error : new AwsError(error.code, quoted, error.statusCode, error.fault, error.extraFields);
}
