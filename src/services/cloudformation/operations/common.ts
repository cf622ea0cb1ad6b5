/** Small things the CloudFormation operations share. */
import type { OperationContext } from '../../service.js';
import type { ActingCaller } from '../providers/invoker.js';
import type { TemplateSource } from './input.js';
import { parseTemplateOnce } from './prepare-template.js';

/** The caller a stack operation acts as, from the request that started it. */
export function actingCaller(ctx: OperationContext): ActingCaller {
  return { caller: ctx.caller, request: ctx.request };
}

/** cloudformation:ResourceTypes: the template's resource types (none when it does not parse: the handler then says why). */
export function resourceTypesOf(body: string): string[] | undefined {
  try {
    return [...new Set(Object.values(parseTemplateOnce(body).resources).map((resource) => resource.type))];
  } catch {
    return undefined;
  }
}

/** The condition keys a template in the request sets (CreateStack, UpdateStack, CreateChangeSet). */
export function templateConditionKeys(source: TemplateSource): { 'cloudformation:TemplateUrl': string | undefined; 'cloudformation:ResourceTypes': string[] | undefined } {
  return {
    'cloudformation:TemplateUrl': source.url,
    'cloudformation:ResourceTypes': source.body !== undefined ? resourceTypesOf(source.body) : undefined,
  };
}
