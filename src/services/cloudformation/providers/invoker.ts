/**
 * How CloudFormation calls the other services: through their own operations (input -> authorize
 * -> handle), as the stack's caller. Without a service role, CloudFormation acts with the
 * permissions of whoever started the stack operation, so every call is authorized against that
 * caller's policies, with the keys AWS sets for calls a service makes on a principal's behalf:
 * aws:ViaAWSService=true and aws:CalledVia / aws:CalledViaFirst / aws:CalledViaLast naming
 * cloudformation.amazonaws.com. The source address is CloudFormation's, not the caller's, so
 * aws:SourceIp and aws:SourceVpc conditions do not see the caller's network (as on AWS).
 *
 * Each call is an audit record, as CloudTrail records calls a service makes on a principal's
 * behalf: the caller's identity with invokedBy, sourceIPAddress and userAgent
 * cloudformation.amazonaws.com.
 *
 * An operation's AwsError comes back as a ServiceCallError (with the call's request id); the runner
 * turns it into the resource's CREATE_FAILED reason. REST services (S3) are called with a request
 * built as a client would send it.
 *
 * A few calls have no operation in iamd to run (SSM's PutParameter: iamd has no SSM API; EC2's
 * launch templates, kept by CloudFormation itself): `perform` authorizes, records and fails them
 * the same way, with the provider's callback as the handler.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Caller } from '../../../auth/caller.js';
import { buildAuditEvent, type AuditFacts } from '../../../audit/record-builder.js';
import type { CloudTrailEvent, UserIdentity } from '../../../audit/cloudtrail-event.js';
import type { RequestInfo } from '../../../auth/request-context.js';
import { isAwsError, type AwsError } from '../../../protocol/aws-error.js';
import { jsonSpelling } from '../../../protocol/json-protocol.js';
import { QueryInput } from '../../../protocol/query-input.js';
import { RestInput } from '../../../protocol/rest-input.js';
import { RestResponse } from '../../../protocol/rest-response.js';
import type { XmlObject } from '../../../protocol/xml.js';
import type { App } from '../../../server/app.js';
import type { AnyOperation, Authorization, OperationContext, OperationResult, ServiceDefinition } from '../../service.js';
import type { QueryParams } from './query-params.js';

export const CLOUDFORMATION_PRINCIPAL = 'cloudformation.amazonaws.com';

/** How the services CloudFormation calls that iamd does not serve as APIs (SSM: JSON 1.1) spell the shared error codes. */
const UNSERVED_SPELLING: Readonly<Record<string, (error: AwsError) => AwsError>> = { ssm: jsonSpelling };

const VIA_CLOUDFORMATION = {
  'aws:ViaAWSService': 'true',
  'aws:CalledVia': [CLOUDFORMATION_PRINCIPAL],
  'aws:CalledViaFirst': CLOUDFORMATION_PRINCIPAL,
  'aws:CalledViaLast': CLOUDFORMATION_PRINCIPAL,
} as const;

/** Who a stack operation acts as: the caller of CreateStack / UpdateStack / DeleteStack, and that request. */
export interface ActingCaller {
  caller: Caller;
  request: RequestInfo;
}

/** An error a service answered, with the request id of the call (for the resource's status reason). */
export class ServiceCallError extends Error {
  constructor(readonly service: string, readonly code: string, readonly statusCode: number, message: string, readonly requestId: string) {
    super(message);
    this.name = 'ServiceCallError';
  }
}

export class ServiceInvoker {
  constructor(private readonly app: App, private readonly acting: ActingCaller) {}

  /** Runs `action` of a query-protocol service with these parameters; the operation's result (an empty object for none). */
  async call(serviceName: string, action: string, params: QueryParams): Promise<XmlObject> {
    const { service, operation } = this.operation(serviceName, action);
    const result = await this.run(service, action, operation, new QueryInput(params.entries(), service.protocol.listStyle));
    if (result instanceof RestResponse) throw new Error(`${serviceName}:${action} answered a REST response`);
    return result ?? {};
  }

  /**
   * Runs `action` of a REST service (S3) with a request as a client would send it (path-style,
   * the body's SHA-256 as its signed payload hash); the operation's response.
   */
  async callRest(serviceName: string, action: string, request: RestCall): Promise<RestResponse | XmlObject | undefined> {
    const { service, operation } = this.operation(serviceName, action);
    const body = Buffer.from(request.body ?? '');
    const payloadHash = createHash('sha256').update(body).digest('hex');
    const input = new RestInput({
      method: request.method,
      path: request.path,
      query: new Map(Object.entries(request.query ?? {})),
      headers: new Map(Object.entries({ ...request.headers, 'x-amz-content-sha256': payloadHash, 'content-length': String(body.length) })),
      body: Readable.from(body.length > 0 ? [body] : []),
    });
    return this.run(service, action, operation, input);
  }

  private operation(serviceName: string, action: string): { service: ServiceDefinition; operation: AnyOperation } {
    const service = this.app.services.get(serviceName);
    const operation = service?.operations[action];
    if (!service || !operation) throw new Error(`iamd has no operation ${serviceName}:${action}`);
    return { service, operation };
  }

  /**
   * A call iamd answers without an operation of its own: authorized as `request.authorization`
   * (with the keys of a call made through CloudFormation), then `handle` does its work; recorded
   * with `request.requestParameters` as the call's JSON input (secrets are hidden where the record
   * is built: audit/parameters.ts). `handle`'s answer is the response the trail records.
   */
  async perform(serviceName: string, action: string, request: PerformedCall, handle: () => XmlObject | undefined): Promise<XmlObject> {
    const result = await this.invoke(serviceName, action, { document: request.requestParameters }, (context) => {
      context.require(request.authorization);
      return handle();
    });
    return result ?? {};
  }

  private run(service: ServiceDefinition, action: string, operation: AnyOperation, query: QueryInput): Promise<OperationResult> {
    return this.invoke(service.name, action, query instanceof RestInput ? {} : { params: query.params }, (context) => {
      const input = operation.input(query, context);
      const authorization = operation.authorize(input, context);
      if (typeof authorization === 'object') context.require(authorization);
      return operation.handle(input, context);
    });
  }

  /** Runs `handler` as a call of the stack's caller through CloudFormation: its authorization keys, its audit record, its errors. */
  private async invoke<Result extends OperationResult>(
    serviceName: string, action: string, recorded: RecordedInput, handler: (context: OperationContext) => Result | Promise<Result>,
  ): Promise<Result> {
    const requestId = this.app.ids.requestId();
    const request: RequestInfo = { ...this.acting.request, sourceIp: CLOUDFORMATION_PRINCIPAL, localAddress: '', time: this.app.clock.now() };
    const { app } = this;
    const caller = this.acting.caller;
    const context: OperationContext = {
      app, caller, request, requestId,
      require: (authorization: Authorization) => {
        app.authorizer.require(caller, request, { ...authorization, conditionKeys: { ...authorization.conditionKeys, ...VIA_CLOUDFORMATION } });
      },
    };
    try {
      const result = await handler(context);
      this.audit(serviceName, action, requestId, recorded, undefined, result instanceof RestResponse ? result.audit : result);
      return result;
    } catch (error) {
      if (!isAwsError(error)) throw error;
      // As the service answers it on the wire (EC2's UnauthorizedOperation, SSM's AccessDeniedException).
      const spell = app.services.get(serviceName)?.protocol.spell ?? UNSERVED_SPELLING[serviceName];
      const spelled = spell?.(error) ?? error;
      this.audit(serviceName, action, requestId, recorded, spelled, undefined);
      throw new ServiceCallError(serviceName, spelled.code, spelled.statusCode, spelled.message, requestId);
    }
  }

  private audit(service: string, action: string, requestId: string, recorded: RecordedInput, error: AwsError | undefined, result: XmlObject | undefined): void {
    const { app } = this;
    if (!app.audit.enabled) return;
    const event = buildAuditEvent(app, {
      requestId, time: app.clock.now(), service, action, caller: this.acting.caller, signature: null,
      remoteAddress: CLOUDFORMATION_PRINCIPAL, localAddress: '', userAgent: CLOUDFORMATION_PRINCIPAL, error, ...recorded,
      ...(result !== undefined ? { result } : {}),
    });
    const userIdentity: InvokedIdentity = { ...event.userIdentity, invokedBy: CLOUDFORMATION_PRINCIPAL };
    const record: CloudTrailEvent = { ...event, userIdentity };
    app.audit.record(record);
  }
}

/** What a call's trail record shows as its input: query parameters, a JSON document, or nothing (REST). */
type RecordedInput = Pick<AuditFacts, 'params' | 'document'>;

/** A call `perform` answers: what it is authorized as, and its input as the client would send it (JSON member names). */
export interface PerformedCall {
  authorization: Authorization;
  requestParameters: Readonly<Record<string, unknown>>;
}

/** CloudTrail's userIdentity of a call an AWS service made on the principal's behalf. */
interface InvokedIdentity extends UserIdentity {
  invokedBy: string;
}

/** A REST request as a client sends it: method, path (/bucket/key), query, headers and body. */
export interface RestCall {
  method: string;
  path: string;
  query?: Readonly<Record<string, string>>;
  headers?: Readonly<Record<string, string>>;
  body?: string | Buffer;
}

/** The bytes of a REST response's body. */
export async function responseBody(response: RestResponse): Promise<Buffer> {
  const { body } = response;
  if (typeof body === 'string') return Buffer.from(body);
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}
