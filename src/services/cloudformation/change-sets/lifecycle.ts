/**
 * A change set's two statuses over its life, as DescribeChangeSet shows them:
 *
 *   Status           CREATE_PENDING → CREATE_IN_PROGRESS → CREATE_COMPLETE | FAILED
 *   ExecutionStatus  UNAVAILABLE → AVAILABLE → EXECUTE_IN_PROGRESS → EXECUTE_COMPLETE | EXECUTE_FAILED
 *
 * A change set that can no longer be executed because its stack changed (another change set ran,
 * or UpdateStack) is OBSOLETE. A change set that would change nothing FAILS with the reason AWS
 * gives, which `aws cloudformation deploy` recognises ("No changes to deploy").
 */
import type { App } from '../../../server/app.js';
import { isAwsError } from '../../../protocol/aws-error.js';
import type { PreparedTemplate } from '../operations/prepare-template.js';
import { recordsPlaceholders } from '../providers/registry.js';
import { evaluationContext } from '../runner/evaluation.js';
import { parseTemplate, TemplateError } from '../template/index.js';
import type { StackRecord } from '../types.js';
import { changeSetsOf } from './lookup.js';
import { resourceChanges } from './resource-changes.js';
import type { ChangeSetRecord, ExecutionStatus } from './types.js';

export const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";

function update(app: App, changeSetId: string, change: Partial<ChangeSetRecord>): ChangeSetRecord | undefined {
  const current = app.cloudformation.changeSets.get(changeSetId);
  if (!current) return undefined;
  const next = { ...current, ...change };
  app.cloudformation.changeSets.put(next);
  return next;
}

/** Nothing submitted differs from what the stack has: its template, parameter values and tags. */
function unchanged(changeSet: ChangeSetRecord, stack: StackRecord): boolean {
  const values = (parameters: StackRecord['parameters']): string => JSON.stringify(parameters.map((parameter) => [parameter.key, parameter.value, parameter.resolvedValue]));
  return changeSet.templateBody === stack.templateBody
    && values(changeSet.parameters) === values(stack.parameters)
    && JSON.stringify(changeSet.tags) === JSON.stringify(stack.tags);
}

function failureMessage(app: App, error: unknown): string {
  if (error instanceof TemplateError || isAwsError(error)) return error.message;
  app.logger.log('error', 'cloudformation change set failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return 'Internal Failure';
}

/** Computes the change set's resource changes (in the background: CreateChangeSet has answered). */
export function computeChangeSet(app: App, changeSetId: string, prepared: PreparedTemplate): void {
  const changeSet = update(app, changeSetId, { status: 'CREATE_IN_PROGRESS' });
  const stack = changeSet && app.cloudformation.stacks.get(changeSet.stackId);
  if (!changeSet || !stack) return;
  const creating = changeSet.type === 'CREATE';
  try {
    if (!creating && unchanged(changeSet, stack)) {
      update(app, changeSetId, { status: 'FAILED', statusReason: NO_CHANGES, executionStatus: 'UNAVAILABLE' });
      return;
    }
    const changes = resourceChanges({
      resources: creating ? {} : stack.resources,
      ...(creating ? {} : { previousTemplate: parseTemplate(stack.templateBody) }),
      previousParameters: creating ? [] : stack.parameters,
      next: prepared,
      nextParameters: prepared.stackParameters,
      context: evaluationContext(app, () => stack, prepared),
      placeholders: recordsPlaceholders(changeSet.tags),
    });
    const obsolete = app.cloudformation.changeSets.get(changeSetId)?.executionStatus === 'OBSOLETE';
    update(app, changeSetId, { status: 'CREATE_COMPLETE', changes, executionStatus: obsolete ? 'OBSOLETE' : 'AVAILABLE' });
  } catch (error) {
    update(app, changeSetId, { status: 'FAILED', statusReason: failureMessage(app, error), executionStatus: 'UNAVAILABLE' });
  }
}

/** The stack changed: every change set of it not executed (except `keep`) can no longer be. */
export function obsoleteChangeSets(app: App, stackId: string, keep?: string): void {
  for (const changeSet of changeSetsOf(app, stackId)) {
    if (changeSet.changeSetId === keep) continue;
    if (changeSet.executionStatus === 'AVAILABLE' || changeSet.executionStatus === 'UNAVAILABLE') update(app, changeSet.changeSetId, { executionStatus: 'OBSOLETE' });
  }
}

export function markExecuting(app: App, changeSet: ChangeSetRecord): void {
  update(app, changeSet.changeSetId, { executionStatus: 'EXECUTE_IN_PROGRESS' });
  obsoleteChangeSets(app, changeSet.stackId, changeSet.changeSetId);
}

/** The stack operation a change set started has ended: its execution status follows the stack's. */
export function markExecuted(app: App, changeSetId: string, stack: StackRecord): void {
  const executionStatus: ExecutionStatus = stack.status === 'CREATE_COMPLETE' || stack.status === 'UPDATE_COMPLETE' ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
  update(app, changeSetId, { executionStatus });
}

/** A stack's change sets go with it. */
export function deleteChangeSetsOf(app: App, stackId: string): void {
  for (const changeSet of changeSetsOf(app, stackId)) app.cloudformation.changeSets.delete(changeSet.changeSetId);
}
