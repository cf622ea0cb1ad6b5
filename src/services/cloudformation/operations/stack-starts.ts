/**
 * Starting a stack's creation or update once the request has been checked: the stack's record
 * and first event now, the resources in the background (runner/) as the caller. CreateStack and
 * UpdateStack start here, and so does ExecuteChangeSet, so a change set's stack operation has the
 * events and statuses theirs have. `finished` hears the stack as the operation left it.
 */
import type { Tag } from '../../../directory/types.js';
import type { OperationContext } from '../../service.js';
import { runCreate } from '../runner/create-stack.js';
import { StackOperation } from '../runner/stack-operation.js';
import { StackRun } from '../runner/stack-run.js';
import { runUpdate, type StackBefore } from '../runner/update-stack.js';
import type { StackRecord } from '../types.js';
import { actingCaller } from './common.js';
import type { PreparedTemplate } from './prepare-template.js';

export interface StartOptions {
  clientRequestToken?: string;
  finished?: (stack: StackRecord) => void;
}

function inBackground(ctx: OperationContext, run: StackRun, work: () => Promise<void>, finished: StartOptions['finished']): void {
  void ctx.app.cloudformation.enqueue(run.op.stack.stackId, async () => {
    try {
      await work();
    } finally {
      finished?.(run.op.stack);
    }
  });
}

/** CREATE_IN_PROGRESS "User Initiated", then the resources. `stack` is the record as it should be saved. */
export function startCreate(ctx: OperationContext, stack: StackRecord, prepared: PreparedTemplate, options: StartOptions = {}): void {
  const op = new StackOperation(ctx.app, stack, options.clientRequestToken);
  op.save({});
  op.stackEvent('CREATE_IN_PROGRESS', 'User Initiated');
  const run = new StackRun(ctx.app, op, actingCaller(ctx), prepared);
  inBackground(ctx, run, () => runCreate(run), options.finished);
}

export interface StackUpdate {
  prepared: PreparedTemplate;
  tags: Tag[];
  capabilities: string[];
  disableRollback?: boolean;
}

/** UPDATE_IN_PROGRESS "User Initiated", then the resources (the stack as it was is kept to roll back to). */
export function startUpdate(ctx: OperationContext, stack: StackRecord, update: StackUpdate, options: StartOptions = {}): void {
  const before: StackBefore = {
    templateBody: stack.templateBody, parameters: stack.parameters, outputs: stack.outputs, tags: stack.tags,
    description: stack.description, capabilities: stack.capabilities, imports: stack.imports, resources: stack.resources,
  };
  const op = new StackOperation(ctx.app, stack, options.clientRequestToken);
  op.save({
    templateBody: update.prepared.body,
    parameters: update.prepared.stackParameters,
    tags: update.tags,
    capabilities: update.capabilities,
    description: update.prepared.template.description,
    lastUpdatedTime: ctx.app.clock.now().toISOString(),
    ...(update.disableRollback !== undefined ? { disableRollback: update.disableRollback } : {}),
  });
  op.stackEvent('UPDATE_IN_PROGRESS', 'User Initiated');
  const run = new StackRun(ctx.app, op, actingCaller(ctx), update.prepared);
  inBackground(ctx, run, () => runUpdate(run, before), options.finished);
}
