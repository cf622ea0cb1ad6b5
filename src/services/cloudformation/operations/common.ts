/** Small things the CloudFormation operations share. */
import type { OperationContext } from '../../service.js';
import type { ActingCaller } from '../providers/invoker.js';
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
