/**
 * What every IAM operation shares: AWS's errors, name and path rules, pagination (Marker /
 * MaxItems), tags, the URL-encoded policy documents IAM returns, and ARNs of this account.
 */
import type { Tag } from '../../directory/types.js';
import { isoSeconds } from '../../domain/clock.js';
import { iamArn, type IamResourceType } from '../../domain/arn.js';
import { AwsError } from '../../protocol/aws-error.js';
import type { QueryInput, StringRule } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import type { OperationContext } from '../service.js';
import { PolicyDocumentError } from '../../policy/index.js';

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

/** Tags.member.N.Key/Value, validated as IAM does (at most 50, keys 1-128, values 0-256, no duplicates). */
export function tagsOf(input: QueryInput, name = 'Tags'): Tag[] {
  const tags = input.structures(name).map((item) => ({
    Key: item.required('Key', { min: 1, max: 128, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' }),
    Value: item.optional('Value', { min: 0, max: 256, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' }) ?? '',
  }));
  if (tags.length > 50) throw limitExceeded('The number of tags has reached the maximum limit.');
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key.toLowerCase();
    if (seen.has(key)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key);
  }
  return tags;
}

/** Applies TagX: new keys added, existing keys (case-insensitive) replaced; at most 50. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((tag) => [tag.Key.toLowerCase(), tag]));
  for (const tag of added) merged.set(tag.Key.toLowerCase(), tag);
  if (merged.size > 50) throw limitExceeded('The number of tags has reached the maximum limit.');
  return [...merged.values()];
}

export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys.map((key) => key.toLowerCase()));
  return existing.filter((tag) => !removed.has(tag.Key.toLowerCase()));
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

export function tagsXml(tags: readonly Tag[]): XmlObject[] | undefined {
  return tags.length === 0 ? undefined : tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }));
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

/** The paging fields of a List response: IsTruncated, and Marker when truncated. */
export function pageFields(page: Page<unknown>): XmlObject {
  return page.isTruncated ? { IsTruncated: true, Marker: page.marker } : { IsTruncated: false };
}

export function byName<T>(name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = name(a).toLowerCase();
    const y = name(b).toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  };
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

export function now(ctx: OperationContext): string {
  return ctx.app.clock.now().toISOString();
}

export const IAM_ACTION = (name: string): string => `iam:${name}`;

// --- policy documents

/**
 * Validates a policy document as IAM does when it is written: grammar (MalformedPolicyDocument,
 * with the engine's AWS wording) then size without whitespace against the entity's quota.
 */
export function checkPolicyDocument(ctx: OperationContext, text: string, kind: 'identity' | 'trust' | 'boundary'): number {
  try {
    return ctx.app.library.compile(text, kind === 'trust' ? 'trust' : 'identity', { kind: 'custom' }).sizeWithoutWhitespace;
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
