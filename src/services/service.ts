/**
 * A service is a map from AWS operation name to a typed operation. An operation reads its typed
 * input from the wire-neutral QueryInput, says what it must be authorized for, and returns a plain
 * object (or throws an AwsError). It never touches HTTP or XML.
 */
import type { ContextValue } from '../policy/index.js';
import type { WireProtocol } from '../protocol/protocols.js';
import type { QueryInput } from '../protocol/query-input.js';
import type { XmlObject } from '../protocol/xml.js';
import type { App } from '../server/app.js';
import type { Caller } from '../auth/caller.js';
import type { RequestInfo } from '../auth/request-context.js';

export interface Authorization {
  action: string;
  resource: string;
  /** service condition keys of this request, e.g. sts:ExternalId */
  conditionKeys?: Readonly<Record<string, ContextValue | undefined>>;
}

export interface OperationContext {
  readonly app: App;
  readonly caller: Caller;
  readonly request: RequestInfo;
  readonly requestId: string;
  /** Checks one more permission inside the operation (iam:PassRole and the like); throws AccessDenied. */
  require(authorization: Authorization): void;
}

export interface Operation<Input> {
  input(query: QueryInput, ctx: OperationContext): Input;
  /**
   * What the caller needs. 'authenticated': any authenticated caller (sts:GetCallerIdentity);
   * 'in-handler': the handler decides (sts:AssumeRole evaluates the trust policy itself).
   */
  authorize(input: Input, ctx: OperationContext): Authorization | 'authenticated' | 'in-handler';
  handle(input: Input, ctx: OperationContext): XmlObject | undefined | Promise<XmlObject | undefined>;
}

/** Methods are bivariant in their parameters, so any Operation<X> is an Operation<unknown> here. */
export type AnyOperation = Operation<unknown>;

export type OperationMap = Readonly<Record<string, AnyOperation>>;

export interface ServiceDefinition {
  /** SigV4 signing name and IAM action prefix */
  name: string;
  protocol: WireProtocol;
  version: string;
  xmlNamespace: string;
  operations: OperationMap;
}

/** Declares an operation with its input type inferred once. */
export function operation<Input>(definition: Operation<Input>): Operation<Input> {
  return definition;
}
