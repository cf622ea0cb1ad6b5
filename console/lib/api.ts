/**
 * Every console action is one of these: an ordinary AWS API request (POST / on the page's own
 * origin), signed with SigV4 by the browser, authenticated, authorized by IAM policies and recorded
 * in the trail like a call from the AWS CLI. Query-protocol services (IAM, STS, EC2, iamd,
 * CloudFormation) send a form; JSON 1.1 services (CloudTrail) a JSON document named by X-Amz-Target.
 */
import { currentSession, type ConsoleService, signingKey } from './session.js';
import { amzDate, authorization, formBody } from './sigv4.js';
import { flag, optionalText, parseXml, text, xmlValue, type XmlValue } from './xml.js';

export interface QueryApi {
  service: ConsoleService;
  version: string;
  /** EC2's query variant has no <ActionResult> wrapper */
  ec2?: boolean;
}

export interface JsonApi {
  service: ConsoleService;
  targetPrefix: string;
}

export const IAM: QueryApi = { service: 'iam', version: '2010-05-08' };
export const STS: QueryApi = { service: 'sts', version: '2011-06-15' };
export const EC2: QueryApi = { service: 'ec2', version: '2016-11-15', ec2: true };
export const IAMD: QueryApi = { service: 'iamd', version: '2026-11-28' };
export const CLOUDFORMATION: QueryApi = { service: 'cloudformation', version: '2010-05-15' };
export const CLOUDTRAIL: JsonApi = { service: 'cloudtrail', targetPrefix: 'CloudTrail_20131101' };

/** An error answered by the service (or the failure to reach it), with the action it was for. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number, readonly action: string) {
    super(message);
    this.name = 'ApiError';
  }

  /** The credentials are fine but a policy does not allow the action. */
  get denied(): boolean {
    return /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|Client\.UnauthorizedOperation)$/.test(this.code);
  }

  /** The credentials themselves were refused (unknown key, bad secret, expired or revoked session). */
  get authentication(): boolean {
    return /^(InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|ExpiredToken|ExpiredTokenException|AuthFailure|InvalidAccessKeyId)$/.test(this.code);
  }
}

async function signedFetch(service: ConsoleService, body: string, contentType: string, extraHeaders: Record<string, string>, action: string): Promise<Response> {
  const now = new Date();
  const { session, key } = await signingKey(service, now);
  const date = amzDate(now);
  const headers: Record<string, string> = { host: location.host, 'x-amz-date': date, ...extraHeaders };
  if (session.sessionToken) headers['x-amz-security-token'] = session.sessionToken;
  const signature = await authorization({ method: 'POST', headers, body }, session.accessKeyId, { day: session.day, region: session.region, service }, key);
  const sent: Record<string, string> = { ...headers, 'content-type': contentType, authorization: signature };
  delete sent.host;
  try {
    return await fetch('/', { method: 'POST', headers: sent, body, credentials: 'omit', cache: 'no-store' });
  } catch (error) {
    throw new ApiError('NetworkError', `The server could not be reached (${error instanceof Error ? error.message : String(error)}).`, 0, action);
  }
}

function queryError(root: Element, status: number, action: string): ApiError {
  const error = xmlValue(root);
  // query: <ErrorResponse><Error><Code>; EC2: <Response><Errors><Error><Code> (a one-element list reads as a record of Error)
  const inner = text(error, 'Error', 'Code') !== '' ? (error as { Error: XmlValue }).Error : firstOf(error, 'Errors');
  return new ApiError(text(inner, 'Code') || `HTTP${status}`, text(inner, 'Message') || `The server answered ${status}.`, status, action);
}

function firstOf(value: XmlValue, name: string): XmlValue | undefined {
  const errors = typeof value === 'object' && !Array.isArray(value) ? value[name] : undefined;
  if (Array.isArray(errors)) return errors[0];
  if (typeof errors === 'object' && !Array.isArray(errors)) return errors.Error;
  return undefined;
}

/** Calls a query-protocol action; answers its result element (EC2: the response element) as a value. */
export async function callQuery(api: QueryApi, action: string, params: Readonly<Record<string, string>> = {}): Promise<XmlValue> {
  const body = formBody({ Action: action, Version: api.version, ...params });
  const response = await signedFetch(api.service, body, 'application/x-www-form-urlencoded; charset=utf-8', {}, action);
  const answer = await response.text();
  let root: Element;
  try {
    root = parseXml(answer);
  } catch {
    throw new ApiError(`HTTP${response.status}`, `The server answered ${response.status} with something that is not an AWS answer.`, response.status, action);
  }
  if (!response.ok) throw queryError(root, response.status, action);
  const value = xmlValue(root);
  if (api.ec2) return value;
  const result = Array.from(root.children).find((child) => child.localName === `${action}Result`);
  return result ? xmlValue(result) : {};
}

/** How a listing names its next page: IAM's Marker (with IsTruncated), or a NextToken (EC2 spells it nextToken). */
export type Paging = { marker: true } | { token: 'NextToken' | 'nextToken' };

/** Every page of a query-protocol listing, up to `maxPages`, its items read from each answer. */
export async function everyPage<T>(api: QueryApi, action: string, params: Readonly<Record<string, string>>, paging: Paging,
  items: (result: XmlValue) => T[], maxPages: number): Promise<T[]> {
  const all: T[] = [];
  const parameter = 'marker' in paging ? 'Marker' : 'NextToken';
  let next: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await callQuery(api, action, next === undefined ? params : { ...params, [parameter]: next });
    all.push(...items(result));
    next = 'marker' in paging ? (flag(result, 'IsTruncated') ? optionalText(result, 'Marker') : undefined) : optionalText(result, paging.token);
    if (next === undefined) break;
  }
  return all;
}

/** Calls a JSON 1.1 operation (X-Amz-Target PREFIX.Operation). */
export async function callJson(api: JsonApi, operation: string, input: object): Promise<unknown> {
  const body = JSON.stringify(input);
  const target = `${api.targetPrefix}.${operation}`;
  const response = await signedFetch(api.service, body, 'application/x-amz-json-1.1', { 'x-amz-target': target }, operation);
  const answer = await response.text();
  let parsed: unknown;
  try {
    parsed = answer === '' ? {} : JSON.parse(answer);
  } catch {
    throw new ApiError(`HTTP${response.status}`, `The server answered ${response.status} with something that is not JSON.`, response.status, operation);
  }
  if (!response.ok) {
    const fields = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { __type?: unknown; message?: unknown; Message?: unknown };
    const type = typeof fields.__type === 'string' ? fields.__type.slice(fields.__type.lastIndexOf('#') + 1) : `HTTP${response.status}`;
    const message = typeof fields.message === 'string' ? fields.message : typeof fields.Message === 'string' ? fields.Message : `The server answered ${response.status}.`;
    throw new ApiError(type, message, response.status, operation);
  }
  return parsed;
}

/** Who the signed-in credentials are (sts:GetCallerIdentity needs no permission). */
export async function getCallerIdentity(): Promise<{ arn: string; account: string; userId: string }> {
  const result = await callQuery(STS, 'GetCallerIdentity');
  return { arn: text(result, 'Arn'), account: text(result, 'Account'), userId: text(result, 'UserId') };
}

export function signedInKey(): string | undefined {
  return currentSession()?.accessKeyId;
}
