/**
 * AWS's JSON 1.1 protocol (CloudTrail and the other `X-Amz-Target` services): `POST /` with
 * `X-Amz-Target: <Prefix>.<Operation>` and `Content-Type: application/x-amz-json-1.1`, the input a
 * JSON object, the output a JSON object (timestamps as epoch seconds), errors as
 * `{"__type": "<Code>", "message": "..."}` with the error's HTTP status.
 *
 * Operations read their input through the same QueryInput methods as the query protocol
 * (JsonInput reads them from the document), so a service does not know which protocol it is on.
 *
 * The shared error codes are spelled as JSON services spell them: AccessDeniedException,
 * UnrecognizedClientException (unknown key: "The security token included in the request is
 * invalid.", as CloudTrail's DescribeTrails answers, prowler-cloud/prowler#1808),
 * ExpiredTokenException, UnknownOperationException, ValidationException, all 400; signature
 * failures come from sigv4/auth-errors.ts (family 'json': InvalidSignatureException ...).
 */
import { AwsError } from './aws-error.js';
import type { WireProtocol } from './protocols.js';
import { constraintError, QueryInput, type StringRule } from './query-input.js';
import type { WireResponse } from './query-protocol.js';
import type { XmlObject, XmlValue } from './xml.js';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

export function serializationError(message: string): AwsError {
  return new AwsError('SerializationException', message, 400);
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'structure' : typeof value;
}

function wrongType(name: string, expected: string, value: unknown): AwsError {
  return serializationError(`Member '${name}' must be a ${expected}, not a ${typeName(value)}.`);
}

/** A JSON-protocol input object read through QueryInput's methods. */
export class JsonInput extends QueryInput {
  constructor(readonly document: Readonly<Record<string, unknown>>) {
    super(new Map());
  }

  override has(name: string): boolean {
    return this.document[name] !== undefined && this.document[name] !== null;
  }

  override required(name: string, rule: StringRule = {}): string {
    const value = this.optional(name, rule);
    if (value === undefined) throw constraintError(name, null, 'Member must not be null');
    return value;
  }

  override optional(name: string, rule: StringRule = {}): string | undefined {
    const value = this.document[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw wrongType(name, 'string', value);
    return this.check(name, value, rule);
  }

  override integer(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    const value = this.document[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(name, 'whole number', value);
    if (range.min !== undefined && value < range.min) throw constraintError(name, String(value), `Member must have value greater than or equal to ${range.min}`);
    if (range.max !== undefined && value > range.max) throw constraintError(name, String(value), `Member must have value less than or equal to ${range.max}`);
    return value;
  }

  override boolean(name: string): boolean | undefined {
    const value = this.document[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw wrongType(name, 'boolean', value);
    return value;
  }

  /** A timestamp member as epoch seconds: clients send a number (epoch seconds), some an ISO 8601 string. */
  timestamp(name: string): number | undefined {
    const value = this.document[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string') {
      const parsed = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : Date.parse(value) / 1000;
      if (Number.isFinite(parsed)) return parsed;
    }
    throw wrongType(name, 'timestamp', value);
  }

  override list(name: string): string[] {
    const value = this.document[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw wrongType(name, 'list', value);
    return value.map((item) => {
      if (typeof item !== 'string') throw wrongType(name, 'list of strings', value);
      return item;
    });
  }

  override structures(name: string): JsonInput[] {
    const value = this.document[name];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw wrongType(name, 'list', value);
    return value.map((item) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw wrongType(name, 'list of structures', value);
      return new JsonInput(item as Record<string, unknown>);
    });
  }

  override structure(name: string): JsonInput {
    const value = this.document[name];
    if (value === undefined || value === null) return new JsonInput({});
    if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(name, 'structure', value);
    return new JsonInput(value as Record<string, unknown>);
  }
}

/**
 * Whether an X-Amz-Target's prefix (before the operation) names the service. Service models have
 * spelled it two ways: the JS SDK sends `CloudTrail_20131101.LookupEvents`, botocore 1.26 (AWS CLI
 * 2.9, boto3) `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents`.
 */
export function targetHasPrefix(target: string, targetPrefix: string): boolean {
  const prefix = target.slice(0, Math.max(0, target.lastIndexOf('.')));
  return prefix === targetPrefix || prefix.endsWith(`.${targetPrefix}`);
}

/** The operation named by X-Amz-Target and the JSON input of a request to a JSON service. */
export function readJsonRequest(target: string | undefined, targetPrefix: string, body: Buffer): { action: string; input: JsonInput } {
  const dot = target === undefined ? -1 : target.lastIndexOf('.');
  if (target === undefined || dot < 0 || !targetHasPrefix(target, targetPrefix)) {
    throw new AwsError('UnknownOperationException', target === undefined ? 'Missing X-Amz-Target header.' : `Unknown operation ${target}.`, 400);
  }
  const action = target.slice(dot + 1);
  if (body.length === 0) return { action, input: new JsonInput({}) };
  let document: unknown;
  try {
    document = JSON.parse(body.toString('utf8'));
  } catch {
    throw serializationError('The request body is not valid JSON.');
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw serializationError('The request body must be a JSON object.');
  return { action, input: new JsonInput(document as Record<string, unknown>) };
}

/** An operation's result as JSON: Dates as epoch seconds, absent members left out. */
function jsonValue(value: XmlValue): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map((item: XmlValue) => jsonValue(item));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as XmlObject)) if (child !== undefined && child !== null) out[key] = jsonValue(child);
    return out;
  }
  return value;
}

export function jsonResult(result: XmlObject | undefined, requestId: string): WireResponse {
  return { statusCode: 200, headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body: JSON.stringify(jsonValue(result ?? {})) };
}

/** The shared codes as JSON services spell them; service-specific codes pass through. */
export function jsonSpelling(error: AwsError): AwsError {
  switch (error.code) {
    case 'AccessDenied':
      return new AwsError('AccessDeniedException', error.message, 400);
    case 'InvalidClientTokenId':
      return new AwsError('UnrecognizedClientException', error.message, 400);
    case 'ExpiredToken':
      return new AwsError('ExpiredTokenException', error.message, 400);
    case 'MissingAuthenticationToken':
      return new AwsError('MissingAuthenticationTokenException', error.message, 400);
    case 'InvalidAction':
      return new AwsError('UnknownOperationException', error.message, 400);
    case 'IncompleteSignature':
      return new AwsError('IncompleteSignatureException', error.message, 400);
    case 'SignatureDoesNotMatch':
      return new AwsError('InvalidSignatureException', error.message, 400);
    case 'ValidationError':
      return new AwsError('ValidationException', error.message, 400);
    case 'InternalError':
      return new AwsError('InternalFailure', error.message, 500);
    default:
      return error;
  }
}

export function jsonError(error: AwsError, requestId: string): WireResponse {
  const spelled = jsonSpelling(error);
  return {
    statusCode: spelled.statusCode,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ __type: spelled.code, message: spelled.message }),
  };
}

/** The JSON 1.1 protocol of a service whose X-Amz-Target operations start with `targetPrefix`. */
export function jsonProtocol(targetPrefix: string): WireProtocol {
  return {
    family: 'json',
    listStyle: 'member',
    targetPrefix,
    result: (_action, _namespace, result, requestId) => jsonResult(result, requestId),
    error: (error, _namespace, requestId) => jsonError(error, requestId),
    spell: jsonSpelling,
  };
}
