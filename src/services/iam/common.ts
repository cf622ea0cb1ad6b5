/**
 * What every IAM operation shares: AWS's errors, name and path rules, pagination (Marker /
 * MaxItems), the URL-encoded policy documents IAM returns, ARNs of this account, renaming, and
 * permissions boundaries. Tags and the condition keys built from them are in tags.ts.
 */
import { isoSeconds } from '../../domain/clock.js';
import { iamArn, type IamResourceType } from '../../domain/arn.js';
import { AwsError } from '../../protocol/aws-error.js';
import type { QueryInput, StringRule } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import type { OperationContext } from '../service.js';
import { PolicyDocumentError, requireCurrentVersion } from '../../policy/index.js';

// --- errors (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html and each action's page)

export function noSuchEntity(message: string): AwsError {
  return new AwsError('NoSuchEntity', message, 404);
}
export function entityAlreadyExists(message: string): AwsError {
  return new AwsError('EntityAlreadyExists', message, 409);
}
export function deleteConflict(message: string): AwsError {
  return new AwsError('DeleteConflict', message, 409);
}
export function limitExceeded(message: string): AwsError {
  return new AwsError('LimitExceeded', message, 409);
}
export function malformedPolicyDocument(message: string): AwsError {
  return new AwsError('MalformedPolicyDocument', message, 400);
}
export function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInput', message, 400);
}
export function validation(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

// --- parameters

const NAME_CHARS = '[\\w+=,.@-]';
export const USER_NAME: StringRule = { min: 1, max: 64, pattern: new RegExp(`^${NAME_CHARS}+$`), patternText: '[\\w+=,.@-]+' };
export const GROUP_NAME: StringRule = { min: 1, max: 128, pattern: new RegExp(`^${NAME_CHARS}+$`), patternText: '[\\w+=,.@-]+' };
export const ROLE_NAME: StringRule = { min: 1, max: 64, pattern: new RegExp(`^${NAME_CHARS}+$`), patternText: '[\\w+=,.@-]+' };
export const POLICY_NAME: StringRule = { min: 1, max: 128, pattern: new RegExp(`^${NAME_CHARS}+$`), patternText: '[\\w+=,.@-]+' };
export const INSTANCE_PROFILE_NAME: StringRule = { min: 1, max: 128, pattern: new RegExp(`^${NAME_CHARS}+$`), patternText: '[\\w+=,.@-]+' };
export const PATH: StringRule = { min: 1, max: 512, pattern: /^(\u002F)|(\u002F[\u0021-\u007E]+\u002F)$/, patternText: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' };
export const PATH_PREFIX: StringRule = { min: 1, max: 512, pattern: /^\u002F[\u0021-\u007F]*$/, patternText: '\\u002F[\\u0021-\\u007F]*' };
export const POLICY_DOCUMENT: StringRule = { min: 1, max: 131072, pattern: /^[\u0009\u000A\u000D\u0020-\u00FF]+$/, patternText: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' };
export const ARN: StringRule = { min: 20, max: 2048 };
export const DESCRIPTION: StringRule = { min: 0, max: 1000 };

export function pathOf(input: QueryInput): string {
  return input.optional('Path', PATH) ?? '/';
}

/** The shape every policy ARN parameter (PolicyArn, PermissionsBoundary) is checked against while the input is read. */
const POLICY_ARN_SHAPE = /^arn:[\w-]+:iam::[^:]*:policy\/./;

/** A policy ARN parameter: length as the API model says, then the shape of an IAM policy ARN. */
export function policyArnParam(input: QueryInput, name = 'PolicyArn'): string {
  const arn = input.required(name, ARN);
  if (!POLICY_ARN_SHAPE.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  return arn;
}

// --- responses

/** IAM returns policy documents URL-encoded (RFC 3986); the AWS CLI decodes them, the SDKs do not. */
export function encodeDocument(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** IAM's timestamps: ISO 8601 with whole seconds and Z. */
export function iamTime(iso: string): string {
  return isoSeconds(new Date(iso));
}

// --- pagination

export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  marker?: string;
}

/**
 * Marker/MaxItems over a list in a stable order. The marker is opaque to clients; here it is the
 * base64 of the position, validated on the way back in.
 */
export function paginate<T>(items: readonly T[], input: QueryInput): Page<T> {
  const maxItems = input.integer('MaxItems', { min: 1, max: 1000 }) ?? 100;
  const marker = input.optional('Marker', { min: 1, max: 320 });
  let start = 0;
  if (marker !== undefined) {
    const decoded = Buffer.from(marker, 'base64').toString('utf8');
    if (!/^\d+$/.test(decoded)) throw validation('Invalid Marker.');
    start = Number(decoded);
  }
  const page = items.slice(start, start + maxItems);
  const next = start + page.length;
  return next < items.length
    ? { items: page, isTruncated: true, marker: Buffer.from(String(next)).toString('base64') }
    : { items: page, isTruncated: false };
}

/**
 * Checks MaxItems and Marker (and PathPrefix, when asked) while the input is read, before
 * authorization as AWS validates, and hands the query on to paginate() / withPathPrefix().
 */
export function pagingInput(query: QueryInput, options: { pathPrefix?: boolean } = {}): QueryInput {
  if (options.pathPrefix) query.optional('PathPrefix', PATH_PREFIX);
  query.integer('MaxItems', { min: 1, max: 1000 });
  query.optional('Marker', { min: 1, max: 320 });
  return query;
}

/** The paging fields of a List response: IsTruncated, and Marker when truncated. */
export function pageFields(page: Page<unknown>): XmlObject {
  return page.isTruncated ? { IsTruncated: true, Marker: page.marker } : { IsTruncated: false };
}

/** Orders names as IAM lists them: without regard to case. */
export function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function byName<T>(name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => compareNames(name(a), name(b));
}

/** Items whose path starts with PathPrefix (default '/'). */
export function withPathPrefix<T extends { path: string }>(items: readonly T[], input: QueryInput): T[] {
  const prefix = input.optional('PathPrefix', PATH_PREFIX) ?? '/';
  return items.filter((item) => item.path.startsWith(prefix));
}

// --- ARNs and time

export function arnOf(ctx: OperationContext, type: IamResourceType, path: string, name: string): string {
  return iamArn(ctx.app.accountId, type, path, name);
}

/**
 * The ARN a request on the user, group, role or instance profile `name` is authorized against:
 * its own (with its path), or the path-less one when there is no such entity (the handler then
 * answers NoSuchEntity if the caller was allowed).
 */
export function entityArnFor(ctx: OperationContext, kind: 'user' | 'group' | 'role' | 'instance-profile', name: string): string {
  return ctx.app.directory.get(kind, name)?.arn ?? arnOf(ctx, kind, '/', name);
}

export function now(ctx: OperationContext): string {
  return ctx.app.clock.now().toISOString();
}

export const IAM_ACTION = (name: string): string => `iam:${name}`;

/**
 * Where UpdateUser or UpdateGroup moves an entity: its new name and path (each defaulting to the
 * current one) and the ARN they make. Renaming or moving needs the permission on the target too
 * ("on both the source object and the target object"), so `action` is required on the new ARN.
 */
export function moveTarget(
  ctx: OperationContext, kind: 'user' | 'group', action: string, current: { name: string; path: string; arn: string },
  newName: string | undefined, newPath: string | undefined,
): { name: string; path: string; arn: string } {
  const name = newName ?? current.name;
  const path = newPath ?? current.path;
  const arn = arnOf(ctx, kind, path, name);
  if (arn !== current.arn) ctx.require({ action, resource: arn });
  return { name, path, arn };
}

// --- permissions boundaries

/** A managed policy's ARN: AWS's (account "aws") or an account's, with an optional path. */
const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy\/(.+\/)?[\w+=,.@-]+$/;

/**
 * A permissions boundary (CreateUser, CreateRole, Put{User,Role}PermissionsBoundary) must be a
 * policy ARN naming a managed policy that exists, customer or AWS managed; AWS words the
 * missing policy as a "Scope ARN".
 */
export function checkBoundary(ctx: OperationContext, arn: string): void {
  if (!POLICY_ARN.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  if (!ctx.app.library.isManagedPolicy(arn)) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
}

// --- policy documents

/**
 * Validates a policy document as IAM does when it is written (MalformedPolicyDocument, with the
 * engine's AWS wording) and returns its size without whitespace, for the caller's quota. A
 * 'managed' document (CreatePolicy, CreatePolicyVersion) has identity-policy grammar and must
 * also be of policy language version 2012-10-17.
 */
export function checkPolicyDocument(ctx: OperationContext, text: string, kind: 'identity' | 'trust' | 'boundary' | 'managed'): number {
  try {
    const policy = ctx.app.library.compile(text, kind === 'trust' ? 'trust' : 'identity', { kind: 'custom' });
    if (kind === 'managed') requireCurrentVersion(policy);
    return policy.sizeWithoutWhitespace;
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw malformedPolicyDocument(error.message);
    throw error;
  }
}

/** Inline policies count together against the entity's quota (user 2,048, group 5,120, role 10,240 characters without whitespace). */
export function checkInlinePolicyQuota(ctx: OperationContext, entity: 'user' | 'group' | 'role', entityName: string, policies: Readonly<Record<string, string>>): void {
  const quota = entity === 'user' ? 2048 : entity === 'group' ? 5120 : 10240;
  let total = 0;
  for (const text of Object.values(policies)) total += checkPolicyDocument(ctx, text, 'identity');
  if (total > quota) throw limitExceeded(`Maximum policy size of ${quota} bytes exceeded for ${entity} ${entityName}`);
}
