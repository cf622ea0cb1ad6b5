/**
 * DeleteStack's background half: DELETE_IN_PROGRESS, every resource in reverse dependency order
 * (DeletionPolicy Retain and DeleteStack's RetainResources are skipped: DELETE_SKIPPED), then
 * DELETE_COMPLETE or DELETE_FAILED. A stack whose exports other stacks import is not deleted: it
 * returns to its status with the reason AWS gives ("Export X cannot be deleted as it is in use by Y").
 */
import { deleteResources } from './delete-resources.js';
import { importersOf, namesOf } from './outputs.js';
import type { StackRun } from './stack-run.js';

export async function runDelete(run: StackRun, retain: ReadonlySet<string>): Promise<void> {
  const { op } = run;
  const previous = op.stack.status;
  if (previous === 'DELETE_COMPLETE') return;
  op.stackEvent('DELETE_IN_PROGRESS', 'User Initiated');
  for (const output of op.stack.outputs) {
    if (output.exportName === undefined) continue;
    const importers = importersOf(run.app, output.exportName, op.stack.stackId);
    if (importers.length > 0) {
      op.stackEvent(previous, `Export ${output.exportName} cannot be deleted as it is in use by ${namesOf(importers)}`);
      return;
    }
  }
  const left = await deleteResources(run, Object.keys(op.stack.resources), { retain });
  if (left.length > 0) {
    op.stackEvent('DELETE_FAILED', `The following resource(s) failed to delete: [${left.join(', ')}]. `);
    return;
  }
  op.save({ deletionTime: run.app.clock.now().toISOString(), outputs: op.stack.outputs.map(({ exportName: _exportName, ...output }) => output), imports: [] });
  op.stackEvent('DELETE_COMPLETE');
}
