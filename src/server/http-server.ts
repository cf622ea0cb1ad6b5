/**
 * The transport: node:http (or https) in front of the pipeline. It reads the body up to the size
 * limit, hands the raw request to App.handle and writes the answer. Malformed HTTP is answered by
 * Node itself (400, 431 for oversized headers); a client that goes away mid-body is dropped.
 * The same transport serves the API on each running instance's own address (src/network);
 * `listenWith` starts a server for another handler (the instance metadata service).
 */
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { App } from './app.js';
import { streamsBody, type IncomingRequest } from './pipeline.js';
import type { WireResponse } from '../protocol/query-protocol.js';

export interface ListenOptions {
  host: string;
  port: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * The local address to report to the pipeline instead of the socket's: an instance served on a
   * port of its own on 127.0.0.1 (where extra loopback addresses cannot be bound) is still 127.b.c.d.
   */
  reportLocalAddress?: string;
}

export interface RunningServer {
  server: Server;
  host: string;
  port: number;
  url: string;
  /** stops accepting, lets requests in flight finish (up to 5 s) */
  close(): Promise<void>;
  /** stops accepting and drops every connection at once, idle or not (an instance that stops) */
  closeNow(): Promise<void>;
}

export async function listen(app: App, options: ListenOptions): Promise<RunningServer> {
  const secure = options.tls !== undefined;
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    serve(app, req, res, secure, options.reportLocalAddress).catch((error: unknown) => {
      app.logger.log('error', 'transport error', { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  return listenWith(handler, options);
}

/** Listens with any request handler, on the terms of `listen` (keep-alive, graceful close). */
export async function listenWith(handler: RequestListener, options: Pick<ListenOptions, 'host' | 'port' | 'tls'>): Promise<RunningServer> {
  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    host: address.address,
    port: address.port,
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    close: () => closeGracefully(server),
    closeNow: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return closed;
    },
  };
}

async function serve(app: App, req: IncomingMessage, res: ServerResponse, secure: boolean, reportLocalAddress: string | undefined): Promise<void> {
  const headers: Array<readonly [string, string]> = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  // S3 bodies are streamed to the operation (objects up to gigabytes); every other body is read
  // whole, up to the size limit.
  const streamed = streamsBody(url, headers);
  const body = streamed ? Buffer.alloc(0) : await readBody(req, app.maxBodyBytes);
  if (body === 'aborted') return;
  const request: IncomingRequest = {
    method,
    url,
    headers,
    body: body === 'too-large' ? Buffer.alloc(0) : body,
    bodyTooLarge: body === 'too-large',
    remoteAddress: stripIpv4Mapped(req.socket.remoteAddress ?? ''),
    localAddress: reportLocalAddress ?? stripIpv4Mapped(req.socket.localAddress ?? ''),
    secure,
    ...(streamed ? { bodyStream: req } : {}),
  };
  const response = await app.handle(request);
  // A streamed body the operation did not read (a refused request) is drained, so that the
  // connection can carry the next request.
  if (streamed && !req.complete) req.resume();
  if (response.body instanceof Readable) {
    await sendStream(req, res, response.statusCode, wireHeaders(response, undefined, false), response.body);
    return;
  }
  // A text body is handed to Node as it is: Node writes it in one piece with the header block,
  // without a Buffer of its own. Node adds the Date header itself (cached per second).
  const payload = response.body;
  const payloadLength = typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length;
  // A HEAD answer (S3's HeadObject) states the length of the body it does not send.
  const length = method === 'HEAD' ? (response.headers['content-length'] ?? response.sharedHeaders?.['content-length'] ?? payloadLength) : payloadLength;
  res.writeHead(response.statusCode, wireHeaders(response, String(length), body === 'too-large'));
  res.end(method === 'HEAD' ? undefined : payload);
}

/**
 * The answer's headers as Node writes them: a flat list of names and values (shared headers first),
 * which Node takes as it is, so that no object is made or changed per response. `length`, when
 * given, is the content-length, in place of any the headers carry.
 */
function wireHeaders(response: WireResponse, length: string | undefined, close: boolean): string[] {
  const list: string[] = [];
  if (response.sharedHeaders) appendHeaders(list, response.sharedHeaders, length !== undefined);
  appendHeaders(list, response.headers, length !== undefined);
  if (length !== undefined) list.push('content-length', length);
  if (close) list.push('connection', 'close');
  return list;
}

function appendHeaders(list: string[], headers: Readonly<Record<string, string>>, withoutLength: boolean): void {
  for (const name in headers) if (!withoutLength || name !== 'content-length') list.push(name, headers[name]!);
}

/** Writes a streamed body (the response's headers carry its content-length); a client that goes away stops the read. */
async function sendStream(req: IncomingMessage, res: ServerResponse, status: number, headers: string[], body: Readable): Promise<void> {
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    body.destroy();
    res.end();
    return;
  }
  try {
    await pipeline(body, res);
  } catch {
    // the client went away, or the file could not be read: the connection is closed mid-body,
    // which the client sees as a short read (the content-length was already sent)
    res.destroy();
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    req.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: Buffer | 'too-large' | 'aborted'): void => {
      if (!settled) {
        settled = true;
        resolve(value);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.resume();
        settle('too-large');
        return;
      }
      if (!settled) chunks.push(chunk);
    });
    // A small body arrives in one chunk, used as it is (Buffer.concat would copy it).
    req.on('end', () => settle(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('aborted', () => settle('aborted'));
    req.on('error', () => settle('aborted'));
  });
}

function stripIpv4Mapped(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

async function closeGracefully(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 5000);
  await closed;
  clearTimeout(timer);
}
