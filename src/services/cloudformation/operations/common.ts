/** Small things the CloudFormation operations share. */
import type { Tag } from '../../../directory/types.js';
import type { Authorization, OperationContext } from '../../service.js';
import type { ActingCaller } from '../providers/invoker.js';
import { parseTemplateOnce } from './prepare-template.js';

/** The caller a stack operation acts as, from the request that started it. */
export function actingCaller(ctx: OperationContext): ActingCaller {
  return { caller: ctx.caller, request: ctx.request };
}

/** aws:RequestTag/K and aws:TagKeys of a request that sets tags. */
export function requestTagKeys(tags: readonly Tag[]): NonNullable<Authorization['conditionKeys']> {
  if (tags.length === 0) return {};
  const keys: Record<string, string | string[]> = { 'aws:TagKeys': tags.map((tag) => tag.Key) };
  for (const tag of tags) keys[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return keys;
}

/** cloudformation:ResourceTypes: the template's resource types (none when it does not parse: the handler then says why). */
export function resourceTypesOf(body: string): string[] | undefined {
  try {
    return [...new Set(Object.values(parseTemplateOnce(body).resources).map((resource) => resource.type))];
  } catch {
    return undefined;
  }
}
