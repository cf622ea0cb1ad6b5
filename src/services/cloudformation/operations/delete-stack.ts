/**
 * DeleteStack (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStack.html):
 * answers at once; the stack is deleted in the background (runner/delete-stack.ts) as the caller.
 * Deleting a stack that does not exist succeeds, as on AWS. A stack still being created or updated
 * is deleted once that operation ends (resources waiting for signals stop waiting, so it ends
 * soon). RetainResources keeps the named resources of a DELETE_FAILED stack. The stack's change
 * sets are deleted with it (a REVIEW_IN_PROGRESS stack, which has no resources, goes at once).
 */
import { operation } from '../../service.js';
import { deleteChangeSetsOf } from '../change-sets/lifecycle.js';
import { validationError } from '../errors.js';
import { runDelete } from '../runner/delete-stack.js';
import { StackOperation } from '../runner/stack-operation.js';
import { StackRun } from '../runner/stack-run.js';
import { actingCaller } from './common.js';
import { stackNameOrId } from './input.js';
import { findStack, stackAuthorization } from './stacks.js';

export const DeleteStack = operation<{ stackName: string; retain: string[]; token?: string }>({
  input: (query) => ({
    stackName: stackNameOrId(query),
    retain: query.list('RetainResources'),
    ...(query.optional('ClientRequestToken') !== undefined ? { token: query.optional('ClientRequestToken')! } : {}),
  }),
  authorize: (input, ctx) => stackAuthorization(ctx, 'DeleteStack', input.stackName),
  handle(input, ctx) {
    const stack = findStack(ctx.app, input.stackName);
    if (!stack || stack.status === 'DELETE_COMPLETE') return undefined;
    if (stack.enableTerminationProtection) {
      throw validationError(`Stack [${stack.stackName}] cannot be deleted while TerminationProtection is enabled`);
    }
    if (input.retain.length > 0 && stack.status !== 'DELETE_FAILED') {
      throw validationError(`Invalid operation on stack [${stack.stackId}]: RetainResources can only be specified when the stack is in the DELETE_FAILED state`);
    }
    const state = ctx.app.cloudformation;
    deleteChangeSetsOf(ctx.app, stack.stackId);
    const acting = actingCaller(ctx);
    if (state.running.has(stack.stackId)) {
      for (const logicalId of Object.keys(stack.resources)) state.signals.cancel(stack.stackId, logicalId);
    }
    void state.enqueue(stack.stackId, async () => {
      const current = state.stacks.get(stack.stackId)!;
      const run = new StackRun(ctx.app, new StackOperation(ctx.app, current, input.token), acting);
      await runDelete(run, new Set(input.retain));
    });
    return undefined;
  },
});
