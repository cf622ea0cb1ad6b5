/**
 * How CloudFormation calls the other services: through their own operations (input -> authorize
 * -> handle), as the stack's caller. Without a service role, CloudFormation acts with the
 * permissions of whoever started the stack operation, so every call is authorized against that
 * caller's policies, with the keys AWS sets for calls a service makes on a principal's behalf:
 * aws:ViaAWSService=true and aws:CalledVia / aws:CalledViaFirst / aws:CalledViaLast naming
 * cloudformation.amazonaws.com. The source address is CloudFormation's, not the caller's, so
 * aws:SourceIp and aws:SourceVpc conditions do not see the caller's network (as on AWS).
 *
 * An operation's AwsError comes back unchanged; the runner turns it into the resource's
 * CREATE_FAILED reason.
 */
import type { Caller } from '../../../auth/caller.js';
import type { RequestInfo } from '../../../auth/request-context.js';
import { isAwsError } from '../../../protocol/aws-error.js';
import { QueryInput } from '../../../protocol/query-input.js';
import type { XmlObject } from '../../../protocol/xml.js';
import type { App } from '../../../server/app.js';
import type { Authorization, OperationContext } from '../../service.js';
import type { QueryParams } from './query-params.js';

export const CLOUDFORMATION_PRINCIPAL = 'cloudformation.amazonaws.com';

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

  /** Runs `action` of `serviceName` with these parameters; the operation's result (an empty object for none). */
  async call(serviceName: string, action: string, params: QueryParams): Promise<XmlObject> {
    const service = this.app.services.get(serviceName);
    const operation = service?.operations[action];
    if (!service || !operation) throw new Error(`iamd has no operation ${serviceName}:${action}`);
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
      const input = operation.input(new QueryInput(params.entries(), service.protocol.listStyle), context);
      const authorization = operation.authorize(input, context);
      if (typeof authorization === 'object') context.require(authorization);
      return (await operation.handle(input, context)) ?? {};
    } catch (error) {
      if (!isAwsError(error)) throw error;
      const spelled = service.protocol.spell?.(error) ?? error;
      throw new ServiceCallError(serviceName, spelled.code, spelled.statusCode, spelled.message, requestId);
    }
  }
}
