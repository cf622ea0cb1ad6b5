/**
 * UpdateStack's background half. Each resource of the new template, in dependency order, is
 * created (new), left alone (unchanged), updated in place, or replaced (a property that requires
 * replacement changed: a new physical resource is created now and the old one deleted at
 * cleanup). Then UPDATE_COMPLETE_CLEANUP_IN_PROGRESS deletes what the template no longer has and
 * the replaced physical resources, and the stack is UPDATE_COMPLETE.
 *
 * On a failure the stack rolls back (unless DisableRollback: UPDATE_FAILED): resources updated in
 * place are updated back, replaced ones get their old physical resource back, the template,
 * parameters and outputs are the previous ones again, and the cleanup deletes what the update
 * created: UPDATE_ROLLBACK_IN_PROGRESS ... UPDATE_ROLLBACK_COMPLETE.
 */
import type { StackRecord, StackResourceRecord } from '../types.js';
import { cancelWaiting } from './create-stack.js';
import { deleteInOrder } from './delete-resources.js';
import { noExport } from './evaluation.js';
import { failureReason } from './failure-reason.js';
import { missingImport } from './imports.js';
import { evaluateOutputs } from './outputs.js';
import { createResource, revertResource, updateResource, type UpdateOutcome } from './resource-actions.js';
import { runGraph } from './scheduler.js';
import type { StackRun } from './stack-run.js';

/** What the stack was before the update (its record, as the API stored it when the update began). */
export type StackBefore = Pick<StackRecord, 'templateBody' | 'parameters' | 'outputs' | 'tags' | 'description' | 'capabilities' | 'imports' | 'resources'>;

interface UpdateProgress {
  outcomes: Map<string, UpdateOutcome>;
  created: string[];
}

async function rollBack(run: StackRun, before: StackBefore, progress: UpdateProgress, reason: string): Promise<void> {
  const { op } = run;
  if (op.stack.disableRollback) {
    op.stackEvent('UPDATE_FAILED', reason);
    return;
  }
  op.stackEvent('UPDATE_ROLLBACK_IN_PROGRESS', reason);
  const replacements: StackResourceRecord[] = [];
  let failed = false;
  for (const outcome of progress.outcomes.values()) {
    if (!outcome.before) continue;
    if (outcome.replaced) {
      const now = op.resource(outcome.before.logicalId);
      if (now?.physicalId !== undefined && now.physicalId !== outcome.before.physicalId) replacements.push(now);
      op.putResource(outcome.before);
      op.resourceEvent(outcome.before.logicalId, outcome.before.type, { status: 'UPDATE_COMPLETE' });
    } else if (!(await revertResource(run, outcome.before))) failed = true;
  }
  op.save({ templateBody: before.templateBody, parameters: before.parameters, outputs: before.outputs, tags: before.tags, description: before.description, capabilities: before.capabilities, imports: before.imports });
  if (failed) {
    op.stackEvent('UPDATE_ROLLBACK_FAILED', reason);
    return;
  }
  op.stackEvent('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  const created = progress.created.map((id) => op.resource(id)).filter((record): record is StackResourceRecord => record !== undefined);
  await deleteInOrder(run, [...replacements.map((record) => ({ record, replaced: true })), ...created.map((record) => ({ record }))], { forget: true });
  op.stackEvent('UPDATE_ROLLBACK_COMPLETE');
}

export async function runUpdate(run: StackRun, before: StackBefore): Promise<void> {
  const { op } = run;
  const progress: UpdateProgress = { outcomes: new Map(), created: [] };
  const missing = missingImport(run);
  if (missing !== undefined) {
    await rollBack(run, before, progress, noExport(missing).message);
    return;
  }
  const dependencies = run.template.dependencies;
  const result = await runGraph([...dependencies.keys()], (id) => [...(dependencies.get(id) ?? [])], async (id) => {
    const existing = op.resource(id);
    let ok: boolean;
    if (existing?.physicalId !== undefined && existing.status !== 'DELETE_COMPLETE') {
      const outcome = await updateResource(run, id);
      progress.outcomes.set(id, outcome);
      ok = outcome.ok;
    } else {
      progress.created.push(id);
      ok = await createResource(run, id);
    }
    if (!ok) cancelWaiting(run);
    return ok;
  }, { stopOnFailure: true });
  if (result.failed.length > 0) {
    const verb = result.failed.every((id) => progress.created.includes(id)) ? 'create' : 'update';
    await rollBack(run, before, progress, `The following resource(s) failed to ${verb}: [${result.failed.join(', ')}]. `);
    return;
  }
  try {
    const outputs = evaluateOutputs(run, before.outputs);
    op.save({ outputs, imports: [...run.imports] });
  } catch (error) {
    await rollBack(run, before, progress, failureReason(run.app, error, run.app.ids.requestId()));
    return;
  }
  op.stackEvent('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  const replaced = [...progress.outcomes.values()].flatMap((outcome) => (outcome.replaced ? [{ record: outcome.replaced, replaced: true }] : []));
  const removed = Object.values(op.stack.resources).filter((record) => !dependencies.has(record.logicalId)).map((record) => ({ record }));
  await deleteInOrder(run, [...replaced, ...removed], { forget: true });
  op.stackEvent('UPDATE_COMPLETE');
}
