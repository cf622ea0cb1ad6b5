/**
 * A service is a map from AWS operation name to a typed operation. An operation reads its typed
 * input from the wire-neutral QueryInput, says what it must be authorized for, and returns a plain
 * object (or throws an AwsError). It never touches HTTP or XML.
 */
import type { CompiledPolicy, ContextValue } from '../policy/index.js';
import type { WireProtocol } from '../protocol/protocols.js';
import type { QueryInput } from '../protocol/query-input.js';
import type { RestInput } from '../protocol/rest-input.js';
import type { RestResponse } from '../protocol/rest-response.js';
import type { XmlObject } from '../protocol/xml.js';
import type { App } from '../server/app.js';
import type { Caller } from '../auth/caller.js';
import type { RequestInfo } from '../auth/request-context.js';

export interface Authorization {
  action: string;
  resource: string;
  /** service condition keys of this request, e.g. sts:ExternalId */
  conditionKeys?: Readonly<Record<string, ContextValue | undefined>>;
  /** the resource's own policy (an S3 bucket policy), evaluated with the caller's */
  resourcePolicy?: CompiledPolicy;
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
  handle(input: Input, ctx: OperationContext): OperationResult | Promise<OperationResult>;
}

/** The operation a REST request names, and its parameters as the trail records them (names as CloudTrail spells them). */
export interface RestRoute {
  action: string;
  requestParameters: Readonly<Record<string, string>>;
}

/** A result the protocol serializes, or (REST protocols) the response itself. */
export type OperationResult = XmlObject | RestResponse | undefined;

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
  /**
   * REST protocols (S3): the operation a request names by its method, path, query and headers.
   * Its input is then a RestInput.
   */
  route?(request: RestInput): RestRoute;
}

/** Declares an operation with its input type inferred once. */
export function operation<Input>(definition: Operation<Input>): Operation<Input> {
  return definition;
}
