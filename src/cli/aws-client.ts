/**
 * The HTTP side of iamd's client commands: query-protocol calls (EC2, IAM, STS) and JSON 1.1
 * protocol calls (CloudTrail) signed with our own SigV4 signer, their XML answers read with our
 * small reader, and iamd's health endpoint.
 *
 * Failures are typed so that the command line can exit as the AWS CLI does: a service's error
 * answer is a ServiceError (exit 254, printed `iamd: <Code>: <Message>`), a server that cannot be
 * reached or answers something unreadable is a ConnectionError (exit 255).
 */
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import { signRequest } from '../sigv4/sign.js';
import { ConfigurationError, type ClientSettings } from './client-config.js';
import { findFirst, parseXml, textAt, type XmlNode } from '../protocol/xml-reader.js';

export interface QueryApi {
  /** the SigV4 service name, also the credential scope's */
  service: string;
  version: string;
}

export const EC2_API: QueryApi = { service: 'ec2', version: '2016-11-15' };
export const IAM_API: QueryApi = { service: 'iam', version: '2010-05-08' };
export const STS_API: QueryApi = { service: 'sts', version: '2011-06-15' };

/** A JSON 1.1 protocol service: its SigV4 name and the X-Amz-Target prefix of its operations. */
export interface JsonApi {
  service: string;
  targetPrefix: string;
}

export const CLOUDTRAIL_API: JsonApi = { service: 'cloudtrail', targetPrefix: 'CloudTrail_20131101' };

/** The service answered with an error (exit 254). */
export class ServiceError extends Error {
  constructor(readonly code: string, message: string, readonly statusCode: number) {
    super(message);
  }
}

/** The server could not be reached, or what it answered is not an AWS answer (exit 255). */
export class ConnectionError extends Error {}

/** What `GET /_iamd/health` says; the ports fall back to the endpoint's port and IMDS's default. */
export interface ServerInfo {
  accountId: string;
  region: string;
  apiPort: number;
  imdsPort: number;
}

export const DEFAULT_IMDS_PORT = 1338;
const TIMEOUT_MS = 30_000;

/** RFC 3986 escaping for form values (a space is %20, as AWS's SDKs send it). */
function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => '%' + character.charCodeAt(0).toString(16).toUpperCase());
}

function portOf(url: URL): number {
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

interface HttpAnswer {
  status: number;
  body: string;
}

export class AwsQueryClient {
  private readonly now: () => Date;
  /** AWS_CA_BUNDLE, as the CLI honours it: lets the commands trust `iamd serve --tls`'s certificate (read for https only) */
  private readonly caBundle: string | undefined;
  private ca: Buffer | undefined;

  constructor(readonly settings: ClientSettings, options: { env?: Readonly<Record<string, string | undefined>>; now?: () => Date } = {}) {
    this.now = options.now ?? (() => new Date());
    this.caBundle = (options.env ?? process.env).AWS_CA_BUNDLE || undefined;
  }

  /** Calls `action` with `params` (already flattened: `InstanceId.1`, `Filter.1.Name` ...) and returns the answer's root element. */
  async call(api: QueryApi, action: string, params: Readonly<Record<string, string>> = {}): Promise<XmlNode> {
    const body = Object.entries({ Action: action, Version: api.version, ...params }).map(([name, value]) => `${formEncode(name)}=${formEncode(value)}`).join('&');
    const url = new URL(this.settings.endpoint.href);
    const headers = signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body },
      this.settings.credentials,
      { region: this.settings.region, service: api.service, date: this.now() },
    );
    const answer = await this.send('POST', url, headers, body);
    let root: XmlNode;
    try {
      root = parseXml(answer.body);
    } catch {
      throw new ConnectionError(`${url.origin} answered ${action} with HTTP ${answer.status} and no AWS XML: ${answer.body.slice(0, 200)}`);
    }
    if (answer.status >= 300 || root.name === 'ErrorResponse' || (root.name === 'Response' && findFirst(root, 'Errors'))) {
      const error = findFirst(root, 'Error');
      throw new ServiceError(textAt(error, 'Code') ?? `HTTP${answer.status}`, textAt(error, 'Message') ?? '', answer.status);
    }
    return root;
  }

  /** Calls a JSON 1.1 protocol operation with `input` and returns the answer's object. */
  async callJson(api: JsonApi, operation: string, input: Readonly<Record<string, unknown>> = {}): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input);
    const url = new URL(this.settings.endpoint.href);
    const headers = signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${api.targetPrefix}.${operation}` }, body },
      this.settings.credentials,
      { region: this.settings.region, service: api.service, date: this.now() },
    );
    const answer = await this.send('POST', url, headers, body);
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConnectionError(`${url.origin} answered ${operation} with HTTP ${answer.status} and no AWS JSON: ${answer.body.slice(0, 200)}`);
    }
    const document = parsed as Record<string, unknown>;
    if (answer.status >= 300) {
      // `__type` may carry a namespace (com.amazonaws.cloudtrail#Code) and the message either case.
      const type = typeof document.__type === 'string' ? document.__type : `HTTP${answer.status}`;
      const message = document.message ?? document.Message;
      throw new ServiceError(type.slice(type.lastIndexOf('#') + 1), typeof message === 'string' ? message : '', answer.status);
    }
    return document;
  }

  /** iamd's own `GET /_iamd/health` (no authentication). */
  async serverInfo(): Promise<ServerInfo> {
    const url = new URL('/_iamd/health', this.settings.endpoint);
    const answer = await this.send('GET', url, { host: url.host }, '');
    let health: Record<string, unknown>;
    try {
      health = JSON.parse(answer.body) as Record<string, unknown>;
    } catch {
      health = {};
    }
    if (answer.status !== 200 || health.status !== 'ok') {
      throw new ConnectionError(`${this.settings.endpoint.origin} is not an iamd server (GET /_iamd/health answered HTTP ${answer.status})`);
    }
    const number = (value: unknown, fallback: number): number => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback);
    return {
      accountId: typeof health.accountId === 'string' ? health.accountId : '',
      region: typeof health.region === 'string' ? health.region : this.settings.region,
      apiPort: number(health.apiPort, portOf(this.settings.endpoint)),
      imdsPort: number(health.imdsPort, DEFAULT_IMDS_PORT),
    };
  }

  private send(method: string, url: URL, headers: Record<string, string>, body: string): Promise<HttpAnswer> {
    const options: RequestOptions = {
      method,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: portOf(url),
      path: `${url.pathname}${url.search}`,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      timeout: TIMEOUT_MS,
    };
    return new Promise<HttpAnswer>((resolve, reject) => {
      const onResponse = (response: IncomingMessage): void => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(new ConnectionError(`reading the answer from ${url.origin}: ${error.message}`)));
      };
      if (url.protocol === 'https:' && this.caBundle && !this.ca) {
        try {
          this.ca = readFileSync(this.caBundle);
        } catch (error) {
          reject(new ConfigurationError(`cannot read AWS_CA_BUNDLE ${this.caBundle}: ${(error as Error).message}`));
          return;
        }
      }
      const req = url.protocol === 'https:'
        ? httpsRequest({ ...options, ...(this.ca ? { ca: this.ca } : {}) }, onResponse)
        : httpRequest(options, onResponse);
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', (error) => reject(new ConnectionError(`Could not connect to the endpoint URL: "${url.origin}/" (${error.message})`)));
      req.end(body);
    });
  }
}
