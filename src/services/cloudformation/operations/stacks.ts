/**
 * Finding stacks as the API names them (a name finds the live stack of that name; a stack id, its
 * ARN, finds a stack even after deletion) and what an action on one is authorized against: the
 * stack's ARN, or arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/* for one that does not exist
 * (yet), with the stack's tags as aws:ResourceTag/*.
 */
import type { App } from '../../../server/app.js';
import type { Authorization, OperationContext } from '../../service.js';
import { stackNotFound } from '../errors.js';
import type { StackRecord } from '../types.js';

export const cfnAction = (name: string): string => `cloudformation:${name}`;

export function findStack(app: App, nameOrId: string): StackRecord | undefined {
  const stacks = app.cloudformation.stacks;
  if (nameOrId.startsWith('arn:')) return stacks.get(nameOrId);
  const live = stacks.list().filter((stack) => stack.stackName === nameOrId && stack.status !== 'DELETE_COMPLETE');
  return live.sort((a, b) => (a.creationTime < b.creationTime ? 1 : -1))[0];
}

export function requireStack(app: App, nameOrId: string): StackRecord {
  const stack = findStack(app, nameOrId);
  if (!stack) throw stackNotFound(nameOrId);
  return stack;
}

export function stackAuthorization(ctx: OperationContext, action: string, nameOrId: string, extraKeys: Authorization['conditionKeys'] = {}): Authorization {
  const stack = findStack(ctx.app, nameOrId);
  const name = nameOrId.startsWith('arn:') ? nameOrId.split('/')[1] ?? nameOrId : nameOrId;
  const resource = stack?.stackId ?? (nameOrId.startsWith('arn:') ? nameOrId : `arn:aws:cloudformation:${ctx.app.region}:${ctx.app.accountId}:stack/${name}/*`);
  const tagKeys: Record<string, string> = {};
  for (const tag of stack?.tags ?? []) tagKeys[`aws:ResourceTag/${tag.Key}`] = tag.Value;
  return { action: cfnAction(action), resource, conditionKeys: { ...tagKeys, ...extraKeys } };
}

/** Offset paging with an opaque NextToken, as the list operations page. */
export function page<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; nextToken?: string } {
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  const offset = Number.isInteger(start) && start >= 0 ? start : 0;
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(String(offset + size), 'utf8').toString('base64url') : undefined;
  return { items: slice, ...(next !== undefined ? { nextToken: next } : {}) };
}
