/**
 * The instance metadata service (IMDS) of every instance: one handler, told which instance a
 * request is for by the address it arrived on (src/network). The rules, in order
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html and
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-v2-how-it-works.html):
 *   - HttpEndpoint disabled: 403 to everything;
 *   - PUT /latest/api/token: a session token for X-aws-ec2-metadata-token-ttl-seconds (1-21600),
 *     else 400; refused with 403 when it carries X-Forwarded-For (IMDSv2 issues no token through
 *     a proxy: AWS security blog, "Add defense in depth against open firewalls, reverse proxies,
 *     and SSRF vulnerabilities", 2019);
 *   - GET/HEAD: a token that is invalid, expired or another instance's is 401; no token is 401 when
 *     HttpTokens is required, else an IMDSv1 request (whose role credential differs from v2's);
 *   - an unknown path is 404; other methods 405.
 * Bodies are text/plain; error bodies are the small XHTML page EC2's service sends (observed).
 * Known gap: the PUT response hop limit cannot be enforced on loopback (no IP TTL to count).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { App } from '../server/app.js';
import { DEFAULT_CREDENTIAL_TIMING, type CredentialTiming, type RoleDelivery } from './credentials.js';
import { listing, versionRoot, VERSIONS, walk, type MetadataNode } from './metadata.js';
import { MetadataTokens, TOKEN_TTL_MAX, TOKEN_TTL_MIN } from './tokens.js';

export interface ImdsRequest {
  method: string;
  /** path and query as sent */
  url: string;
  /** lower-cased names, as node:http gives them */
  headers: IncomingHttpHeaders;
}

export interface ImdsResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface ImdsEvent {
  instanceId: string;
  method: string;
  path: string;
  statusCode: number;
}

const TOKEN_PATH = '/latest/api/token';
const TTL_HEADER = 'x-aws-ec2-metadata-token-ttl-seconds';
const TOKEN_HEADER = 'x-aws-ec2-metadata-token';
const KNOWN_VERSIONS = new Set(VERSIONS);

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed' };

/** EC2's error page (text/html), as its metadata service answers every failure. */
function failure(statusCode: number, extraHeaders: Record<string, string> = {}): ImdsResponse {
  const title = `${statusCode} - ${STATUS_TEXT[statusCode] ?? 'Error'}`;
  const body = '<?xml version="1.0" encoding="iso-8859-1"?>\n'
    + '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
    + '\t"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
    + '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n'
    + ` <head>\n  <title>${title}</title>\n </head>\n <body>\n  <h1>${title}</h1>\n </body>\n</html>\n`;
  return { statusCode, headers: { 'content-type': 'text/html', server: 'EC2ws', ...extraHeaders }, body };
}

function ok(body: string | Buffer, extraHeaders: Record<string, string> = {}): ImdsResponse {
  return { statusCode: 200, headers: { 'content-type': 'text/plain', server: 'EC2ws', ...extraHeaders }, body };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export class InstanceMetadataService {
  readonly tokens: MetadataTokens;
  private readonly observers: Array<(event: ImdsEvent) => void> = [];

  constructor(private readonly app: App, readonly timing: CredentialTiming = DEFAULT_CREDENTIAL_TIMING, tokens?: MetadataTokens) {
    this.tokens = tokens ?? new MetadataTokens();
  }

  /** Hears every request answered (tests check the clients' fetch sequence with it). */
  observe(listener: (event: ImdsEvent) => void): () => void {
    this.observers.push(listener);
    return () => {
      const index = this.observers.indexOf(listener);
      if (index >= 0) this.observers.splice(index, 1);
    };
  }

  handle(instanceId: string, request: ImdsRequest): ImdsResponse {
    const queryStart = request.url.indexOf('?');
    const path = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
    const response = this.answer(instanceId, path, request);
    if (this.observers.length > 0) {
      const event = { instanceId, method: request.method, path, statusCode: response.statusCode };
      for (const observer of this.observers) observer(event);
    }
    return response;
  }

  private answer(instanceId: string, path: string, request: ImdsRequest): ImdsResponse {
    const instance = this.app.ec2.instances.get(instanceId);
    // Its listeners close when it stops; a request that slipped in meanwhile finds nothing.
    if (!instance || instance.state !== 'running') return failure(404);
    if (instance.metadataOptions.httpEndpoint === 'disabled') return failure(403);
    const now = this.app.clock.now().getTime();

    if (path === TOKEN_PATH) {
      if (request.method !== 'PUT') return failure(405, { allow: 'PUT' });
      if (request.headers['x-forwarded-for'] !== undefined) return failure(403);
      const ttl = single(request.headers[TTL_HEADER]);
      const seconds = ttl !== undefined && /^\d{1,5}$/.test(ttl) ? Number(ttl) : NaN;
      if (!(seconds >= TOKEN_TTL_MIN && seconds <= TOKEN_TTL_MAX)) return failure(400);
      return ok(this.tokens.issue(instanceId, seconds, now), { [TTL_HEADER]: String(seconds) });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return failure(405, { allow: 'GET, HEAD' });

    const token = single(request.headers[TOKEN_HEADER]);
    let delivery: RoleDelivery;
    if (token !== undefined) {
      if (!this.tokens.valid(token, instanceId, now)) return failure(401);
      delivery = '2.0';
    } else {
      if (instance.metadataOptions.httpTokens === 'required') return failure(401);
      delivery = '1.0';
    }

    if (path === '/') return ok(VERSIONS.join('\n'));
    const segments = path.split('/');
    // ['', version, ...rest]
    if (!KNOWN_VERSIONS.has(segments[1]!)) return failure(404);
    const root = versionRoot({ app: this.app, instance, delivery, timing: this.timing });
    const node: MetadataNode | undefined = segments.length === 2 ? root : walk(root, segments.slice(2));
    if (!node) return failure(404);
    if (node.kind === 'file') return ok(node.body());
    // The version level lists its entries without trailing slashes, as EC2's does.
    return ok(listing(node, node !== root));
  }
}
