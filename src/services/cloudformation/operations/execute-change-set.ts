/**
 * ExecuteChangeSet (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ExecuteChangeSet.html):
 * creates or updates the stack with exactly what the change set was created with (its template,
 * parameter values, capabilities and tags), through the same path as CreateStack and UpdateStack
 * (stack-starts.ts), so the events and statuses are theirs. The change set is then
 * EXECUTE_IN_PROGRESS and the stack's other change sets OBSOLETE; it ends EXECUTE_COMPLETE or
 * EXECUTE_FAILED with the stack operation.
 *
 * Only a CREATE_COMPLETE change set whose execution status is AVAILABLE can be executed
 * (InvalidChangeSetStatus otherwise, with AWS's wording). DisableRollback: a failed creation
 * stops (CREATE_FAILED), a failed update is not rolled back (UPDATE_FAILED).
 */
import { operation, type OperationContext } from '../../service.js';
import { changeSetAuthorization, requireChangeSet } from '../change-sets/lookup.js';
import { markExecuted, markExecuting } from '../change-sets/lifecycle.js';
import type { ChangeSetRecord } from '../change-sets/types.js';
import { invalidChangeSetStatus } from '../errors.js';
import type { StackRecord } from '../types.js';
import { changeSetNameOrArn } from './change-set-input.js';
import { stackNameOrId } from './input.js';
import { prepareTemplate } from './prepare-template.js';
import { startCreate, startUpdate, type StartOptions } from './stack-starts.js';
import { isUpdatable } from './update-stack.js';

interface ExecuteChangeSetInput {
  changeSetName: string;
  stackName?: string;
  clientRequestToken?: string;
  disableRollback?: boolean;
}

function checkExecutable(ctx: OperationContext, changeSet: ChangeSetRecord, stack: StackRecord): void {
  const id = changeSet.changeSetId;
  if (changeSet.status !== 'CREATE_COMPLETE') throw invalidChangeSetStatus(`ChangeSet [${id}] cannot be executed in its current status of [${changeSet.status}]`);
  if (changeSet.executionStatus !== 'AVAILABLE') {
    throw invalidChangeSetStatus(`ChangeSet [${id}] cannot be executed in its current execution status of [${changeSet.executionStatus}]`);
  }
  const ready = changeSet.type === 'CREATE'
    ? stack.status === 'REVIEW_IN_PROGRESS' && !ctx.app.cloudformation.running.has(stack.stackId)
    : isUpdatable(ctx.app, stack);
  if (!ready) {
    throw invalidChangeSetStatus(`ChangeSet [${id}] cannot be executed while its stack is in ${stack.status} state`);
  }
}

function execute(ctx: OperationContext, changeSet: ChangeSetRecord, stack: StackRecord, input: ExecuteChangeSetInput): void {
  const given = changeSet.parameters.map((parameter) => ({ key: parameter.key, value: parameter.value }));
  const prepared = prepareTemplate(ctx.app, changeSet.templateBody, given, changeSet.capabilities, stack);
  markExecuting(ctx.app, changeSet);
  const options: StartOptions = {
    ...(input.clientRequestToken !== undefined ? { clientRequestToken: input.clientRequestToken } : {}),
    finished: (after) => markExecuted(ctx.app, changeSet.changeSetId, after),
  };
  if (changeSet.type === 'UPDATE') {
    const disableRollback = input.disableRollback ?? (changeSet.onStackFailure === undefined ? undefined : changeSet.onStackFailure === 'DO_NOTHING');
    startUpdate(ctx, stack, {
      prepared, tags: changeSet.tags, capabilities: changeSet.capabilities, ...(disableRollback !== undefined ? { disableRollback } : {}),
    }, options);
    return;
  }
  const onFailure = input.disableRollback ? 'DO_NOTHING' : (changeSet.onStackFailure ?? 'ROLLBACK');
  startCreate(ctx, {
    ...stack,
    templateBody: prepared.body,
    parameters: prepared.stackParameters,
    capabilities: changeSet.capabilities,
    tags: changeSet.tags,
    notificationArns: changeSet.notificationArns,
    description: prepared.template.description,
    onFailure,
    disableRollback: onFailure === 'DO_NOTHING',
  }, prepared, options);
}

export const ExecuteChangeSet = operation<ExecuteChangeSetInput>({
  input: (query) => {
    const token = query.optional('ClientRequestToken', { min: 1, max: 128 });
    const disableRollback = query.boolean('DisableRollback');
    return {
      changeSetName: changeSetNameOrArn(query),
      ...(query.has('StackName') ? { stackName: stackNameOrId(query) } : {}),
      ...(token !== undefined ? { clientRequestToken: token } : {}),
      ...(disableRollback !== undefined ? { disableRollback } : {}),
    };
  },
  authorize: (input, ctx) => changeSetAuthorization(ctx, 'ExecuteChangeSet', input.changeSetName, input.stackName),
  handle(input, ctx) {
    const changeSet = requireChangeSet(ctx.app, input.changeSetName, input.stackName);
    const stack = ctx.app.cloudformation.stacks.get(changeSet.stackId)!;
    checkExecutable(ctx, changeSet, stack);
    execute(ctx, changeSet, stack, input);
    return {};
  },
});
