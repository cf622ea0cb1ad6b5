/**
 * Tags of IAM resources (users, roles, instance profiles, customer-managed policies) and the
 * condition keys built from them: reading Tags and TagKeys as IAM validates them, applying TagX
 * and UntagX, the response shapes, and aws:RequestTag / aws:TagKeys / aws:ResourceTag /
 * iam:ResourceTag for authorization.
 */
import type { Tag } from '../../directory/types.js';
import type { QueryInput, StringRule } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import type { Authorization } from '../service.js';
import { invalidInput, limitExceeded, pageFields, paginate, validation } from './common.js';

/** The service condition keys of an authorization (aws:RequestTag/..., iam:PermissionsBoundary, ...). */
export type ConditionKeys = NonNullable<Authorization['conditionKeys']>;

// --- request parameters

const MAX_TAGS = 50;
export const TAG_KEY: StringRule = { min: 1, max: 128, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' };
export const TAG_VALUE: StringRule = { min: 0, max: 256, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' };

/** Tags.member.N.Key/Value, validated as IAM does (at most 50, keys 1-128, values 0-256, no duplicates). */
export function tagsOf(input: QueryInput, name = 'Tags'): Tag[] {
  const tags = input.structures(name).map((item) => ({
    Key: item.required('Key', TAG_KEY),
    Value: item.optional('Value', TAG_VALUE) ?? '',
  }));
  if (tags.length > MAX_TAGS) throw limitExceeded('The number of tags has reached the maximum limit.');
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key.toLowerCase();
    if (seen.has(key)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key);
  }
  return tags;
}

/** Tags of a TagX request: the list is required and must not be empty. */
export function requiredTags(query: QueryInput): Tag[] {
  const tags = tagsOf(query);
  if (tags.length === 0) throw validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  return tags;
}

function isTagKey(key: string): boolean {
  return key.length >= TAG_KEY.min! && key.length <= TAG_KEY.max! && TAG_KEY.pattern!.test(key);
}

/**
 * How an UntagX action words a bad TagKeys list. The resources were written apart and still
 * answer differently; each keeps its wording until AWS's own is confirmed:
 * - 'list' (roles, instance profiles): a bad key names the whole list with the member
 *   constraints; more than 50 keys is "Value at 'tagKeys'" without the value.
 * - 'member' (managed policies): a bad key is named alone, as tagKeys.N.member, before the
 *   count is checked; more than 50 keys names the list.
 * - 'count' (users): only the count is checked (keys are not validated); more than 50 keys
 *   names the list.
 */
export type TagKeysWording = 'list' | 'member' | 'count';

/** TagKeys.member.N of an UntagX request: required, at most 50 keys. */
export function tagKeysOf(query: QueryInput, wording: TagKeysWording): string[] {
  const keys = query.list('TagKeys');
  if (keys.length === 0) throw validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
  if (wording === 'member') {
    keys.forEach((key, index) => {
      if (!isTagKey(key)) {
        throw validation(`1 validation error detected: Value '${key}' at 'tagKeys.${index + 1}.member' failed to satisfy constraint: Member must satisfy regular expression pattern: ${TAG_KEY.patternText}`);
      }
    });
  }
  if (keys.length > MAX_TAGS) {
    const value = wording === 'list' ? 'Value' : `Value '[${keys.join(', ')}]'`;
    throw validation(`1 validation error detected: ${value} at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TAGS}`);
  }
  if (wording === 'list' && !keys.every(isTagKey)) {
    // AWS names the whole list, then the member constraints.
    throw validation(`1 validation error detected: Value '[${keys.join(', ')}]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${TAG_KEY.patternText}]`);
  }
  return keys;
}

// --- applying TagX and UntagX

/** Applies TagX: new keys added, existing keys (case-insensitive) replaced; at most 50. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(existing.map((tag) => [tag.Key.toLowerCase(), tag]));
  for (const tag of added) merged.set(tag.Key.toLowerCase(), tag);
  if (merged.size > MAX_TAGS) throw limitExceeded('The number of tags has reached the maximum limit.');
  return [...merged.values()];
}

export function removeTags(existing: readonly Tag[], keys: readonly string[]): Tag[] {
  const removed = new Set(keys.map((key) => key.toLowerCase()));
  return existing.filter((tag) => !removed.has(tag.Key.toLowerCase()));
}

// --- responses

/** The Tags member of a resource shape: absent when there are none. */
export function tagsXml(tags: readonly Tag[]): XmlObject[] | undefined {
  return tags.length === 0 ? undefined : tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }));
}

/** Tags sorted by key, as ListRoleTags and ListInstanceProfileTags return them. */
export function sortedTags(tags: readonly Tag[]): Tag[] {
  return [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
}

/** The response of a ListXTags action: one page of `tags` (in the order given) and the paging fields. */
export function tagsPage(tags: readonly Tag[], query: QueryInput): XmlObject {
  const page = paginate(tags, query);
  return { Tags: page.items.map((tag) => ({ Key: tag.Key, Value: tag.Value })), ...pageFields(page) };
}

// --- condition keys

/**
 * aws:TagKeys and aws:RequestTag/K of a request that sets tags; none at all when it sets none
 * (aws:TagKeys is then absent, not an empty list).
 */
export function requestTagKeys(tags: readonly Tag[]): ConditionKeys {
  if (tags.length === 0) return {};
  const keys: Record<string, string | string[]> = { 'aws:TagKeys': tags.map((tag) => tag.Key) };
  for (const tag of tags) keys[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return keys;
}

/**
 * aws:ResourceTag/K of an existing resource, and iam:ResourceTag/K as well unless `iamKeys` is
 * false (the Service Authorization Reference documents iam:ResourceTag for users and roles; iamd
 * also sets it for instance profiles, but not for managed policies).
 */
export function resourceTagKeys(tags: readonly Tag[], options: { iamKeys?: boolean } = {}): ConditionKeys {
  const iamKeys = options.iamKeys ?? true;
  const keys: Record<string, string> = {};
  for (const tag of tags) {
    keys[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    if (iamKeys) keys[`iam:ResourceTag/${tag.Key}`] = tag.Value;
  }
  return keys;
}
