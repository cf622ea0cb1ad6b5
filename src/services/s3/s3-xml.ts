/**
 * S3's XML shapes: lists are flattened (a key whose value is an array repeats its element:
 * `{Contents: [a, b]}` → `<Contents>a</Contents><Contents>b</Contents>`; a wrapped list is an
 * object holding one: `{Buckets: {Bucket: [...]}}`). Dates are ISO 8601 with milliseconds.
 */
import { RestResponse } from '../../protocol/rest-response.js';
import { XML_DECLARATION } from '../../protocol/rest-xml.js';
import { escapeXml, type XmlObject, type XmlValue } from '../../protocol/xml.js';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

function element(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item: XmlValue) => element(name, item)).join('');
  return `<${name}>${content(value)}</${name}>`;
}

function content(value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  let out = '';
  for (const [name, child] of Object.entries(value as XmlObject)) out += element(name, child);
  return out;
}

export function s3XmlDocument(root: string, value: XmlObject): string {
  return `${XML_DECLARATION}<${root} xmlns="${S3_NAMESPACE}">${content(value)}</${root}>`;
}

/** A 200 answer with an XML document; `audit` is what the trail records as responseElements. */
export function xmlAnswer(root: string, value: XmlObject, headers: Record<string, string> = {}, audit?: XmlObject): RestResponse {
  return new RestResponse(200, { 'content-type': 'application/xml', ...headers }, s3XmlDocument(root, value), audit);
}

/** An answer without a body (204 No Content, or 200 with headers only). */
export function emptyAnswer(statusCode: 200 | 204, headers: Record<string, string> = {}, audit?: XmlObject): RestResponse {
  return new RestResponse(statusCode, { ...headers }, '', audit);
}

/** S3's owner of everything in the account: a canonical user id derived from the account id. */
export function ownerOf(accountId: string, canonicalId: string): XmlObject {
  return { ID: canonicalId, DisplayName: `account-${accountId}` };
}
