/**
 * The request path, in order. Every request that is not an /_iamd/ route goes through:
 *
 *   request id -> resolve service -> parse -> authenticate (SigV4) -> request context ->
 *   authorize (policy engine) -> invoke -> serialize, and audit + log on every exit path.
 *
 * The service is named by the credential scope; before the signature is read (or without one) an
 * `X-Amz-Target` header names a JSON-protocol service and an `Action` parameter a query one, so
 * that even a malformed request is answered in its protocol's spelling. Query and EC2 requests
 * carry form parameters; JSON-protocol requests (CloudTrail) a JSON object and the operation in
 * X-Amz-Target. Nothing here knows a service's operations; nothing in a service knows HTTP, XML
 * or JSON.
 */
import { Readable } from 'node:stream';
import { authenticateRequest } from '../auth/authenticate.js';
import type { Caller } from '../auth/caller.js';
import type { RequestInfo } from '../auth/request-context.js';
import { buildAuditEvent } from '../audit/record-builder.js';
import { AwsError, internalError, isAwsError } from '../protocol/aws-error.js';
import { JsonInput, readJsonRequest, targetHasPrefix } from '../protocol/json-protocol.js';
import { parseFormEncoded, QueryInput } from '../protocol/query-input.js';
import type { WireResponse } from '../protocol/query-protocol.js';
import { decodePath, headerMap, RestInput } from '../protocol/rest-input.js';
import { RestResponse } from '../protocol/rest-response.js';
import type { XmlObject } from '../protocol/xml.js';
import type { OperationContext, ServiceDefinition } from '../services/service.js';
import { chunkSigningContext, malformedAuthFor, parseSignature, sha256Hex, type ParsedSignature, type SignedHttpRequest } from '../sigv4/index.js';
import type { App } from './app.js';
import { internalRoute } from './internal-routes.js';

/** A request as the transport received it. */
export interface IncomingRequest {
  method: string;
  /** the raw request target: path and query as sent */
  url: string;
  /** raw header pairs in arrival order */
  headers: ReadonlyArray<readonly [string, string]>;
  body: Buffer;
  /** S3's requests: the body as it arrives, not read in advance (`body` is then empty) */
  bodyStream?: Readable;
  /** set when the body went over the size limit (it is then not read) */
  bodyTooLarge?: boolean;
  remoteAddress: string;
  localAddress: string;
  secure: boolean;
  /** the TLS session of a secure request (protocol version and cipher suite), for the audit record */
  tls?: { version?: string; cipherSuite?: string };
}

export async function handleRequest(app: App, request: IncomingRequest): Promise<WireResponse> {
  const requestId = app.ids.requestId();
  const started = performance.now();
  const time = app.clock.now();
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : request.url.slice(queryStart + 1);

  const internal = rawPath.startsWith('/_iamd/') ? internalRoute(app, request.method, rawPath, (name) => header(request, name)) : undefined;
  if (internal) return internal;

  const signed: SignedHttpRequest = { method: request.method, rawPath, rawQuery, headers: request.headers };
  const target = header(request, 'x-amz-target');
  const outcome: Outcome = {
    requestId, started, userAgent: header(request, 'user-agent') ?? '',
    service: (target !== undefined ? serviceForTarget(app, target) : undefined) ?? app.services.get('sts')!,
    action: '', caller: undefined, signature: null, failure: undefined,
  };
  let response: WireResponse;
  try {
    const signature = readSignature(signed, outcome.service, target !== undefined);
    outcome.signature = signature;
    const named = namedService(app, signature, target);
    if (named) outcome.service = named; // so that an unreadable body is answered in the named service's protocol
    const { service, action, input, recorded } = readOperation(app, request, rawPath, rawQuery, named, target);
    outcome.service = service;
    outcome.action = action;
    outcome.input = input;
    outcome.recorded = recorded;
    if (!signature) throw missingAuthentication(service);
    const rest = input instanceof RestInput;
    // S3 signs the payload hash its x-amz-content-sha256 names (a presigned URL signs none); every other service the body's.
    const payloadHash = rest
      ? (input.header('x-amz-content-sha256') ?? (signature.form === 'query' ? 'UNSIGNED-PAYLOAD' : ''))
      : sha256Hex(request.body);
    const { caller, secretAccessKey } = authenticateRequest(app, { request: signed, signature, payloadHash, normalizePath: !rest, protocol: service.protocol.family });
    outcome.caller = caller;
    if (rest && payloadHash.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')) input.signChunks(chunkSigningContext(signature, secretAccessKey));
    app.usage.recordCall(caller, time, service.name, signature.region);
    const operation = service.operations[action];
    if (!operation) throw invalidAction(action, service);
    const info: RequestInfo = {
      sourceIp: request.remoteAddress, secure: request.secure, userAgent: outcome.userAgent,
      region: signature.region, localAddress: request.localAddress, time,
    };
    const authenticated = caller;
    for (const observe of app.requestObservers) observe({ caller: authenticated, request: info, service: service.name, action, requestId });
    const context: OperationContext = {
      app, caller: authenticated, request: info, requestId,
      require: (authorization) => { app.authorizer.require(authenticated, info, authorization); },
    };
    const operationInput = operation.input(input, context);
    const authorization = operation.authorize(operationInput, context);
    if (typeof authorization === 'object') context.require(authorization);
    const result = await operation.handle(operationInput, context);
    if (result instanceof RestResponse) {
      outcome.result = result.audit;
      response = result.toWire(requestId);
    } else {
      outcome.result = result;
      response = service.protocol.result(action, service.xmlNamespace, result, requestId);
    }
  } catch (error) {
    outcome.failure = asAwsError(app, error, requestId);
    response = outcome.service.protocol.error(outcome.failure, outcome.service.xmlNamespace, requestId);
  }
  finish(app, request, outcome, response);
  return response;
}

/**
 * The request's SigV4 authentication, or null for none. A malformed one is refused in the spelling
 * of the protocol the request named (JSON: IncompleteSignatureException ...).
 */
function readSignature(signed: SignedHttpRequest, named: ServiceDefinition, byTarget: boolean): ParsedSignature | null {
  try {
    return parseSignature(signed);
  } catch (error) {
    if (!byTarget || !isAwsError(error)) throw error;
    const form = signed.headers.some(([name]) => name.toLowerCase() === 'authorization') ? 'header' : 'query';
    throw malformedAuthFor(error, named.protocol.family, form);
  }
}

/** The service the credential scope names, else the JSON service X-Amz-Target names; undefined for an unsigned query request. */
function namedService(app: App, signature: ParsedSignature | null, target: string | undefined): ServiceDefinition | undefined {
  if (signature) {
    const service = app.services.get(signature.service);
    if (!service) throw new AwsError('InvalidAction', `iamd does not serve the service '${signature.service}'.`, 400);
    return service;
  }
  return target === undefined ? undefined : serviceForTarget(app, target);
}

/** The operation's name and its input; the service of an unsigned query request is guessed from its Action. */
function readOperation(app: App, request: IncomingRequest, rawPath: string, rawQuery: string, named: ServiceDefinition | undefined, target: string | undefined):
  { service: ServiceDefinition; action: string; input: QueryInput; recorded?: Readonly<Record<string, string>> } {
  if (request.bodyTooLarge) throw new AwsError('RequestEntityTooLarge', 'Request body is larger than the maximum allowed size.', 413);
  let service = named;
  // An unsigned request with a body stream is S3's (the transport streams only those).
  if (service === undefined && request.bodyStream !== undefined) service = app.services.get('s3');
  if (service?.route !== undefined) {
    const input = readRestRequest(request, rawPath, rawQuery);
    const route = service.route(input);
    return { service, action: route.action, input, recorded: route.requestParameters };
  }
  if (service?.protocol.targetPrefix !== undefined) {
    const { action, input } = readJsonRequest(target, service.protocol.targetPrefix, request.body);
    return { service, action, input };
  }
  const params = readParams(request, rawQuery);
  const action = params.get('Action') ?? '';
  service ??= serviceForAction(app, action);
  return { service, action, input: new QueryInput(params, service.protocol.listStyle) };
}

/** A REST request (S3): the decoded path, the query and headers, the body as a stream. */
function readRestRequest(request: IncomingRequest, rawPath: string, rawQuery: string): RestInput {
  return new RestInput({
    method: request.method,
    path: decodePath(rawPath),
    query: parseFormEncoded(rawQuery),
    headers: headerMap(request.headers),
    body: request.bodyStream ?? Readable.from(request.body.length > 0 ? [request.body] : []),
  });
}

function missingAuthentication(service: ServiceDefinition): AwsError {
  // S3 lets anonymous requests through to the bucket policy; iamd requires a signature and says so as S3 does.
  if (service.protocol.family === 's3') return new AwsError('AccessDenied', 'Access Denied', 403);
  return new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
}

/**
 * Whether the transport should hand the body over as a stream instead of reading it first: S3's
 * requests, signed for s3 (header or presigned form) or unsigned requests to a bucket path.
 */
export function streamsBody(url: string, headers: ReadonlyArray<readonly [string, string]>): boolean {
  let authorization: string | undefined;
  let target = false;
  for (const [name, value] of headers) {
    if (name.length === 13 && name.toLowerCase() === 'authorization') authorization = value;
    else if (name.length === 12 && name.toLowerCase() === 'x-amz-target') target = true;
  }
  if (authorization !== undefined) return authorization.includes('/s3/aws4_request');
  const queryStart = url.indexOf('?');
  const query = queryStart < 0 ? '' : url.slice(queryStart + 1);
  if (/(?:^|&)X-Amz-Credential=/i.test(query)) return /(?:%2F|\/)s3(?:%2F|\/)aws4_request/i.test(query);
  const path = queryStart < 0 ? url : url.slice(0, queryStart);
  return !target && path !== '/' && path !== '' && !path.startsWith('/_iamd/') && !/(?:^|&)Action=/.test(query);
}

function readParams(request: IncomingRequest, rawQuery: string): Map<string, string> {
  const params = parseFormEncoded(rawQuery);
  if (request.body.length > 0) {
    const contentType = header(request, 'content-type') ?? 'application/x-www-form-urlencoded';
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new AwsError('UnsupportedMediaType', `Content-Type ${contentType} is not supported; send application/x-www-form-urlencoded.`, 415);
    }
    const text = request.body.toString('utf8');
    if (text.includes('\uFFFD')) throw new AwsError('MalformedQueryString', 'The request body is not valid UTF-8.', 400);
    parseFormEncoded(text, params);
  }
  return params;
}

/** The JSON-protocol service whose operations carry this X-Amz-Target prefix. */
function serviceForTarget(app: App, target: string): ServiceDefinition | undefined {
  for (const service of app.services.values()) {
    const prefix = service.protocol.targetPrefix;
    if (prefix !== undefined && targetHasPrefix(target, prefix)) return service;
  }
  return undefined;
}

/** An unsigned query request's service, guessed from its Action. */
function serviceForAction(app: App, action: string): ServiceDefinition {
  for (const service of app.services.values()) if (service.protocol.targetPrefix === undefined && action in service.operations) return service;
  return app.services.get('sts')!;
}

function invalidAction(action: string, service: ServiceDefinition): AwsError {
  if (action === '') return new AwsError('InvalidAction', 'The request must contain the parameter Action.', 400);
  return new AwsError('InvalidAction', `Could not find operation ${action} for version ${service.version}`, 400);
}

function asAwsError(app: App, error: unknown, requestId: string): AwsError {
  if (isAwsError(error)) return error;
  app.logger.log('error', 'unexpected error', { requestId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return internalError();
}

/** A header's first value; `name` must be lower-case (a name of another length is not lower-cased to compare). */
export function header(request: IncomingRequest, name: string): string | undefined {
  for (const [key, value] of request.headers) if (key.length === name.length && key.toLowerCase() === name) return value;
  return undefined;
}

/** What the finalizer needs to know of a request, filled in as the request goes along. */
interface Outcome {
  requestId: string;
  started: number;
  userAgent: string;
  service: ServiceDefinition;
  action: string;
  input?: QueryInput;
  /** a REST request's parameters as the trail records them */
  recorded?: Readonly<Record<string, string>>;
  caller: Caller | undefined;
  signature: ParsedSignature | null;
  failure: AwsError | undefined;
  result?: XmlObject;
}

/** The finalizer: one audit record and one log line for every request, failures included. */
function finish(app: App, request: IncomingRequest, outcome: Outcome, response: WireResponse): void {
  const { caller, failure: error, service } = outcome;
  const accessKeyId = caller?.accessKeyId ?? outcome.signature?.accessKeyId;
  if (app.audit.enabled) {
    const input = outcome.input;
    const json = input instanceof JsonInput;
    app.audit.record(buildAuditEvent(app, {
      requestId: outcome.requestId,
      time: app.clock.now(),
      service: outcome.signature?.service ?? service.name,
      action: outcome.action,
      caller,
      signature: outcome.signature,
      remoteAddress: request.remoteAddress,
      localAddress: request.localAddress,
      userAgent: outcome.userAgent,
      tls: request.secure ? { ...request.tls, host: header(request, 'host') } : undefined,
      error: error === undefined ? undefined : (service.protocol.spell?.(error) ?? error),
      params: json || outcome.recorded !== undefined ? undefined : input?.params,
      document: json ? input.document : undefined,
      recorded: outcome.recorded,
      result: outcome.result,
    }));
  }
  app.logger.log('info', 'request', {
    requestId: outcome.requestId,
    method: request.method,
    service: service.name,
    action: outcome.action || undefined,
    status: response.statusCode,
    error: error?.code,
    accessKeyId,
    principal: caller?.arn,
    sourceIp: request.remoteAddress,
    ms: Math.round((performance.now() - outcome.started) * 1000) / 1000,
  });
}
