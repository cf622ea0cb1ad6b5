/**
 * A small XML writer for AWS's response shapes. Values map to elements: objects to nested elements
 * in key order, arrays to `<member>` children (IAM, STS and EC2 style), Dates to ISO 8601,
 * undefined and null to nothing.
 */
export type XmlValue = string | number | boolean | Date | null | undefined | XmlObject | readonly XmlValue[];
export interface XmlObject {
  readonly [key: string]: XmlValue;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

const NEEDS_ESCAPING = /[&<>"'\r]/;

export function escapeXml(text: string): string {
  return NEEDS_ESCAPING.test(text) ? text.replace(/[&<>"'\r]/g, (char) => ESCAPES[char]!) : text;
}

export function xmlElement(name: string, value: XmlValue, memberName = 'member'): string {
  if (value === undefined || value === null) return '';
  return `<${name}>${xmlContent(value, memberName)}</${name}>`;
}

export function xmlContent(value: XmlValue, memberName = 'member'): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return escapeXml(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item: XmlValue) => xmlElement(memberName, item, memberName)).join('');
  let out = '';
  const object = value as XmlObject;
  for (const key in object) out += xmlElement(key, object[key], memberName);
  return out;
}
