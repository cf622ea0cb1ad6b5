/**
 * CreateStack's background half: every resource in dependency order (independent ones at once),
 * then the outputs and exports; on a failure, what the stack's OnFailure says: stop
 * (CREATE_FAILED), roll back (ROLLBACK_IN_PROGRESS ... ROLLBACK_COMPLETE) or roll back and delete
 * the stack (DELETE_IN_PROGRESS ... DELETE_COMPLETE).
 */
import { failureReason } from './failure-reason.js';
import { deleteResources } from './delete-resources.js';
import { missingImport } from './imports.js';
import { evaluateOutputs, withRollback } from './outputs.js';
import { createResource } from './resource-actions.js';
import { runGraph } from './scheduler.js';
import type { StackRun } from './stack-run.js';
import { noExport } from './evaluation.js';

/** Stops resources of the stack that are still waiting (for signals): the stack is giving up. */
export function cancelWaiting(run: StackRun): void {
  run.cancelled = true;
  const { stackId, resources } = run.op.stack;
  for (const logicalId of Object.keys(resources)) run.app.cloudformation.signals.cancel(stackId, logicalId);
}

async function fail(run: StackRun, reason: string): Promise<void> {
  const { op } = run;
  const onFailure = op.stack.onFailure;
  if (onFailure === 'DO_NOTHING') {
    op.stackEvent('CREATE_FAILED', reason);
    return;
  }
  const created = Object.keys(op.stack.resources);
  if (onFailure === 'DELETE') {
    op.stackEvent('DELETE_IN_PROGRESS', reason);
    const left = await deleteResources(run, created);
    if (left.length > 0) op.stackEvent('DELETE_FAILED', `The following resource(s) failed to delete: [${left.join(', ')}]. `);
    else {
      op.save({ deletionTime: run.app.clock.now().toISOString() });
      op.stackEvent('DELETE_COMPLETE');
    }
    return;
  }
  op.stackEvent('ROLLBACK_IN_PROGRESS', withRollback(reason));
  const left = await deleteResources(run, created);
  if (left.length > 0) op.stackEvent('ROLLBACK_FAILED', `The following resource(s) failed to delete: [${left.join(', ')}]. `);
  else op.stackEvent('ROLLBACK_COMPLETE');
}

export async function runCreate(run: StackRun): Promise<void> {
  const { op } = run;
  const missing = missingImport(run);
  if (missing !== undefined) {
    await fail(run, noExport(missing).message);
    return;
  }
  const dependencies = run.template.dependencies;
  const result = await runGraph([...dependencies.keys()], (id) => [...(dependencies.get(id) ?? [])], async (id) => {
    const ok = await createResource(run, id);
    if (!ok) cancelWaiting(run);
    return ok;
  }, { stopOnFailure: true });
  if (result.failed.length > 0) {
    await fail(run, `The following resource(s) failed to create: [${result.failed.join(', ')}]. `);
    return;
  }
  try {
    const outputs = evaluateOutputs(run, []);
    op.save({ outputs, imports: [...run.imports] });
  } catch (error) {
    await fail(run, failureReason(run.app, error, run.app.ids.requestId()));
    return;
  }
  op.stackEvent('CREATE_COMPLETE');
}
