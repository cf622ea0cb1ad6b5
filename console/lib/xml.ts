/**
 * AWS's XML answers as plain values: an element with no child elements is its text; one whose
 * children are all `member` (query protocol) or `item` (EC2) is a list; any other is a record of
 * its children by name. An empty list therefore reads as '' and `list()` turns that into [].
 */

export type XmlValue = string | XmlValue[] | XmlRecord;
export interface XmlRecord {
  [name: string]: XmlValue;
}

export function xmlValue(element: Element): XmlValue {
  const children = Array.from(element.children);
  if (children.length === 0) return element.textContent ?? '';
  if (children.every((child) => child.localName === 'member' || child.localName === 'item')) return children.map(xmlValue);
  const record: XmlRecord = {};
  for (const child of children) record[child.localName] = xmlValue(child);
  return record;
}

export function parseXml(text: string): Element {
  const document = new DOMParser().parseFromString(text, 'application/xml');
  const root = document.documentElement;
  if (!root || root.localName === 'parsererror' || document.getElementsByTagName('parsererror').length > 0) {
    throw new Error('The server answered with XML that could not be read.');
  }
  return root;
}

const isRecord = (value: XmlValue | undefined): value is XmlRecord => typeof value === 'object' && value !== null && !Array.isArray(value);

export function field(value: XmlValue | undefined, name: string): XmlValue | undefined {
  return isRecord(value) ? value[name] : undefined;
}

/** The text of a child, '' when missing. */
export function text(value: XmlValue | undefined, ...path: string[]): string {
  let current = value;
  for (const name of path) current = field(current, name);
  return typeof current === 'string' ? current : '';
}

export function optionalText(value: XmlValue | undefined, ...path: string[]): string | undefined {
  let current = value;
  for (const name of path) current = field(current, name);
  return typeof current === 'string' && current !== '' ? current : undefined;
}

export function list(value: XmlValue | undefined, ...path: string[]): XmlValue[] {
  let current = value;
  for (const name of path) current = field(current, name);
  return Array.isArray(current) ? current : [];
}

export function flag(value: XmlValue | undefined, ...path: string[]): boolean {
  return text(value, ...path) === 'true';
}

export function number(value: XmlValue | undefined, ...path: string[]): number | undefined {
  const raw = text(value, ...path);
  if (raw === '') return undefined;
  const parsed = Number(raw);
  return Number.isFinite(parsed) ? parsed : undefined;
}
