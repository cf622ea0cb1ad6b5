/**
 * AWS Signature Version 4 for the console's API calls, with WebCrypto (HMAC-SHA256, SHA-256) only,
 * so that it runs in the browser and, for the tests, in Node. The console only sends POST / with a
 * body (query protocol forms, JSON 1.1 documents), so the canonical URI is "/" and the canonical
 * query string empty; every header the signature covers is named in `headers`.
 *
 * The secret access key is used once, at sign-in, to derive the day's signing keys
 * (kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request")); a
 * request is signed with the derived key of its service, never with the secret itself.
 */

const encoder = new TextEncoder();

/** raw key bytes, or a WebCrypto HMAC key */
export type Bytes = Uint8Array<ArrayBuffer>;
export type KeyMaterial = CryptoKey | Bytes;

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const byte of view) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Bytes {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index++) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

async function hmacKey(material: KeyMaterial): Promise<CryptoKey> {
  if (!(material instanceof Uint8Array)) return material;
  return crypto.subtle.importKey('raw', material, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

export async function hmac(material: KeyMaterial, data: string): Promise<Bytes> {
  const key = await hmacKey(material);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)));
}

/** The secret as a non-extractable HMAC key ("AWS4" + secret): script cannot read it back. */
export function importSecret(secretAccessKey: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(`AWS4${secretAccessKey}`), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

/** The signing key of one day (YYYYMMDD), region and service. */
export async function deriveSigningKey(secret: CryptoKey, day: string, region: string, service: string): Promise<Bytes> {
  const dateKey = await hmac(secret, day);
  const regionKey = await hmac(dateKey, region);
  const serviceKey = await hmac(regionKey, service);
  return hmac(serviceKey, 'aws4_request');
}

/** 20240131T235959Z */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export interface RequestToSign {
  method: string;
  /** lower-case header names; `host` and `x-amz-date` included */
  headers: Readonly<Record<string, string>>;
  body: string;
}

export interface Scope {
  day: string;
  region: string;
  service: string;
}

function canonicalHeaders(headers: Readonly<Record<string, string>>): { canonical: string; signed: string } {
  const names = Object.keys(headers).map((name) => name.toLowerCase()).sort();
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const canonical = names.map((name) => `${name}:${(lower.get(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  return { canonical, signed: names.join(';') };
}

export async function canonicalRequest(request: RequestToSign): Promise<{ text: string; signedHeaders: string }> {
  const { canonical, signed } = canonicalHeaders(request.headers);
  const text = [request.method, '/', '', canonical, signed, await sha256Hex(request.body)].join('\n');
  return { text, signedHeaders: signed };
}

/** The Authorization header of `request`, signed with the derived key of `scope`. */
export async function authorization(request: RequestToSign, accessKeyId: string, scope: Scope, signingKey: KeyMaterial): Promise<string> {
  const date = request.headers['x-amz-date'];
  if (date === undefined) throw new Error('x-amz-date must be signed');
  const { text, signedHeaders } = await canonicalRequest(request);
  const credentialScope = `${scope.day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, credentialScope, await sha256Hex(text)].join('\n');
  const signature = toHex(await hmac(signingKey, stringToSign));
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** RFC 3986 escaping for form values, as AWS's SDKs send them (a space is %20). */
export function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function formBody(params: Readonly<Record<string, string>>): string {
  return Object.entries(params).map(([name, value]) => `${formEncode(name)}=${formEncode(value)}`).join('&');
}
