/** Signs raw requests with AWS's own SigV4 signer (@smithy/signature-v4), for tests that speak HTTP directly. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Credentials } from './server.js';

export interface RawRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: string;
}

function parts(url: string): { hostname: string; port: number; protocol: string; host: string } {
  const parsed = new URL(url);
  return { hostname: parsed.hostname, port: Number(parsed.port), protocol: parsed.protocol, host: parsed.host };
}

function request(url: string, raw: RawRequest): HttpRequest {
  const { hostname, port, protocol, host } = parts(url);
  return new HttpRequest({
    method: raw.method, protocol, hostname, port, path: raw.path, query: raw.query ?? {},
    headers: { host, ...raw.headers }, body: raw.body,
  });
}

export function signer(credentials: Credentials, service = 'sts', region = 'us-east-1'): SignatureV4 {
  return new SignatureV4({ credentials, service, region, sha256: Sha256 });
}

export async function signHeaders(url: string, credentials: Credentials, raw: RawRequest, options: { service?: string; signingDate?: Date } = {}): Promise<RawRequest> {
  const signed = await signer(credentials, options.service).sign(request(url, raw), options.signingDate ? { signingDate: options.signingDate } : {});
  return { ...raw, headers: signed.headers, query: signed.query as Record<string, string | string[]> };
}

export async function presign(url: string, credentials: Credentials, raw: RawRequest, expiresIn: number, options: { service?: string; signingDate?: Date } = {}): Promise<string> {
  const signed = await signer(credentials, options.service).presign(request(url, raw), { expiresIn, ...(options.signingDate ? { signingDate: options.signingDate } : {}) });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(signed.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) if (item !== null) query.append(key, item);
  }
  return `${url}${raw.path}?${query.toString().replace(/\+/g, '%20')}`;
}

/** Sends a RawRequest with fetch; returns status and body text. */
export async function send(url: string, raw: RawRequest): Promise<{ status: number; body: string; headers: Headers }> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(raw.query ?? {})) for (const item of Array.isArray(value) ? value : [value]) query.append(key, item);
  const search = query.toString();
  const headers = { ...raw.headers };
  delete headers.host;
  const init: RequestInit = { method: raw.method, headers };
  if (raw.body !== undefined) init.body = raw.body;
  const response = await fetch(`${url}${raw.path}${search ? `?${search.replace(/\+/g, '%20')}` : ''}`, init);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

export function formRequest(action: string, params: Record<string, string> = {}, version = '2011-06-15'): RawRequest {
  const body = new URLSearchParams({ Action: action, Version: version, ...params }).toString();
  return { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body };
}
