/**
 * The request path, in order. Every request that is not an /_iamd/ route goes through:
 *
 *   request id -> resolve service -> parse -> authenticate (SigV4) -> request context ->
 *   authorize (policy engine) -> invoke -> serialize, and audit + log on every exit path.
 *
 * Nothing here knows a service's operations; nothing in a service knows HTTP or XML.
 */
import { createHash } from 'node:crypto';
import { authenticate } from '../auth/authenticate.js';
import type { Caller } from '../auth/caller.js';
import type { RequestInfo } from '../auth/request-context.js';
import { AwsError, internalError, isAwsError } from '../protocol/aws-error.js';
import { parseFormEncoded, QueryInput } from '../protocol/query-input.js';
import type { WireResponse } from '../protocol/query-protocol.js';
import type { OperationContext, ServiceDefinition } from '../services/service.js';
import { parseSignature, type ParsedSignature, type SignedHttpRequest } from '../sigv4/index.js';
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
  /** set when the body went over the size limit (it is then not read) */
  bodyTooLarge?: boolean;
  remoteAddress: string;
  localAddress: string;
  secure: boolean;
}

export async function handleRequest(app: App, request: IncomingRequest): Promise<WireResponse> {
  const requestId = app.ids.requestId();
  const started = performance.now();
  const time = app.clock.now();
  const queryStart = request.url.indexOf('?');
  const rawPath = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const rawQuery = queryStart < 0 ? '' : request.url.slice(queryStart + 1);

  const internal = rawPath.startsWith('/_iamd/') ? internalRoute(app, request.method, rawPath) : undefined;
  if (internal) return internal;

  const signed: SignedHttpRequest = { method: request.method, rawPath, rawQuery, headers: request.headers };
  let service: ServiceDefinition = app.services.get('sts')!;
  let action = '';
  let caller: Caller | undefined;
  let signature: ParsedSignature | null = null;
  let failure: AwsError | undefined;
  let response: WireResponse;
  const userAgent = header(request, 'user-agent') ?? '';
  try {
    signature = parseSignature(signed);
    const params = readParams(request, rawQuery);
    action = params.get('Action') ?? '';
    service = resolveService(app, signature, action);
    if (!signature) throw new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    const payloadHash = createHash('sha256').update(request.body).digest('hex');
    caller = authenticate(app, { request: signed, signature, payloadHash, normalizePath: true, protocol: service.protocol.family });
    app.usage.recordCall(caller, { time: time.toISOString(), service: service.name, region: signature.region });
    const operation = service.operations[action];
    if (!operation) throw invalidAction(action, service);
    const info: RequestInfo = {
      sourceIp: request.remoteAddress, secure: request.secure, userAgent,
      region: signature.region, localAddress: request.localAddress, time,
    };
    const authenticated = caller;
    for (const observe of app.requestObservers) observe({ caller: authenticated, request: info, service: service.name, action, requestId });
    const context: OperationContext = {
      app, caller: authenticated, request: info, requestId,
      require: (authorization) => { app.authorizer.require(authenticated, info, authorization); },
    };
    const input = operation.input(new QueryInput(params, service.protocol.listStyle), context);
    const authorization = operation.authorize(input, context);
    if (typeof authorization === 'object') context.require(authorization);
    response = service.protocol.result(action, service.xmlNamespace, await operation.handle(input, context), requestId);
  } catch (error) {
    failure = asAwsError(app, error, requestId);
    response = service.protocol.error(failure, service.xmlNamespace, requestId);
  }
  finish(app, request, { requestId, time, started, service, action, caller, signature, userAgent, failure, response });
  return response;
}

function readParams(request: IncomingRequest, rawQuery: string): Map<string, string> {
  if (request.bodyTooLarge) throw new AwsError('RequestEntityTooLarge', 'Request body is larger than the maximum allowed size.', 413);
  const params = parseFormEncoded(rawQuery);
  if (request.body.length > 0) {
    const contentType = header(request, 'content-type') ?? 'application/x-www-form-urlencoded';
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      throw new AwsError('UnsupportedMediaType', `Content-Type ${contentType} is not supported; send application/x-www-form-urlencoded.`, 415);
    }
    const text = request.body.toString('utf8');
    if (text.includes('\uFFFD')) throw new AwsError('MalformedQueryString', 'The request body is not valid UTF-8.', 400);
    for (const [name, value] of parseFormEncoded(text)) params.set(name, value);
  }
  return params;
}

/** The service a request is for: the credential scope names it; an unsigned request is guessed from its Action. */
function resolveService(app: App, signature: ParsedSignature | null, action: string): ServiceDefinition {
  if (signature) {
    const service = app.services.get(signature.service);
    if (!service) throw new AwsError('InvalidAction', `iamd does not serve the service '${signature.service}'.`, 400);
    return service;
  }
  for (const service of app.services.values()) if (action in service.operations) return service;
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

export function header(request: IncomingRequest, name: string): string | undefined {
  for (const [key, value] of request.headers) if (key.toLowerCase() === name) return value;
  return undefined;
}

interface Outcome {
  requestId: string;
  time: Date;
  started: number;
  userAgent: string;
  failure: AwsError | undefined;
  service: ServiceDefinition;
  action: string;
  caller: Caller | undefined;
  signature: ParsedSignature | null;
  response: WireResponse;
}

/** The finalizer: one audit record and one log line for every request, failures included. */
function finish(app: App, request: IncomingRequest, outcome: Outcome): void {
  const { response, caller, failure: error } = outcome;
  const accessKeyId = caller?.accessKeyId ?? outcome.signature?.accessKeyId;
  app.audit.record({
    requestId: outcome.requestId,
    eventTime: outcome.time.toISOString(),
    eventSource: `${outcome.service.name}.amazonaws.com`,
    eventName: outcome.action,
    awsRegion: outcome.signature?.region ?? app.region,
    sourceIPAddress: request.remoteAddress,
    userAgent: outcome.userAgent,
    accessKeyId,
    principalArn: caller?.arn,
    userIdentityType: caller?.kind,
    errorCode: error?.code,
    errorMessage: error?.message,
    statusCode: response.statusCode,
  });
  app.logger.log('info', 'request', {
    requestId: outcome.requestId,
    method: request.method,
    service: outcome.service.name,
    action: outcome.action || undefined,
    status: response.statusCode,
    error: error?.code,
    accessKeyId,
    principal: caller?.arn,
    sourceIp: request.remoteAddress,
    ms: Math.round((performance.now() - outcome.started) * 1000) / 1000,
  });
}
