/**
 * Finding a change set as the API names it: by its ARN
 * (arn:aws:cloudformation:REGION:ACCOUNT:changeSet/NAME/UUID), or by its name with the stack's name
 * or id. What an action on one is authorized against: its stack (arn:...:stack/NAME/UUID, or
 * arn:...:stack/NAME/* for a stack that does not exist yet), with cloudformation:ChangeSetName.
 */
import type { App } from '../../../server/app.js';
import type { Authorization, OperationContext } from '../../service.js';
import { changeSetNotFound, changeSetStackNotFound, validationError } from '../errors.js';
import { findStack, stackAuthorization } from '../operations/stacks.js';
import type { StackRecord } from '../types.js';
import type { ChangeSetRecord } from './types.js';

export function changeSetArn(region: string, accountId: string, name: string, uuid: string): string {
  return `arn:aws:cloudformation:${region}:${accountId}:changeSet/${name}/${uuid}`;
}

export const isChangeSetArn = (nameOrArn: string): boolean => nameOrArn.startsWith('arn:');

/** The name in a change set ARN (or the name as given). */
export function changeSetNameOf(nameOrArn: string): string {
  return isChangeSetArn(nameOrArn) ? (nameOrArn.split('/')[1] ?? nameOrArn) : nameOrArn;
}

/** The change sets of a stack, oldest first. */
export function changeSetsOf(app: App, stackId: string): ChangeSetRecord[] {
  return app.cloudformation.changeSets.list()
    .filter((changeSet) => changeSet.stackId === stackId)
    .sort((a, b) => (a.creationTime < b.creationTime ? -1 : a.creationTime > b.creationTime ? 1 : 0));
}

/** The stack a change set request names (live stacks by name; any by id). */
export function requireChangeSetStack(app: App, stackNameOrId: string): StackRecord {
  const stack = findStack(app, stackNameOrId);
  if (!stack || stack.status === 'DELETE_COMPLETE') throw changeSetStackNotFound(stackNameOrId);
  return stack;
}

/**
 * The change set named: by ARN (a StackName given with it must be its stack), or by name within
 * the stack named. ChangeSetNotFound when there is none.
 */
export function requireChangeSet(app: App, nameOrArn: string, stackNameOrId: string | undefined): ChangeSetRecord {
  if (isChangeSetArn(nameOrArn)) {
    const found = app.cloudformation.changeSets.get(nameOrArn);
    const stack = stackNameOrId === undefined ? undefined : requireChangeSetStack(app, stackNameOrId);
    if (!found || (stack && stack.stackId !== found.stackId)) throw changeSetNotFound(nameOrArn);
    return found;
  }
  if (stackNameOrId === undefined) throw validationError('StackName must be specified if ChangeSetName is not specified as an ARN.');
  const stack = requireChangeSetStack(app, stackNameOrId);
  const found = changeSetsOf(app, stack.stackId).find((changeSet) => changeSet.changeSetName === nameOrArn);
  if (!found) throw changeSetNotFound(nameOrArn);
  return found;
}

/** cloudformation:ACTION on the change set's stack, with cloudformation:ChangeSetName. */
export function changeSetAuthorization(ctx: OperationContext, action: string, nameOrArn: string, stackNameOrId: string | undefined): Authorization {
  const keys = { 'cloudformation:ChangeSetName': changeSetNameOf(nameOrArn) };
  const known = isChangeSetArn(nameOrArn) ? ctx.app.cloudformation.changeSets.get(nameOrArn) : undefined;
  const stack = known?.stackId ?? stackNameOrId;
  if (stack === undefined) {
    return stackAuthorization(ctx, action, `arn:aws:cloudformation:${ctx.app.region}:${ctx.app.accountId}:stack/*`, keys);
  }
  return stackAuthorization(ctx, action, stack, keys);
}
