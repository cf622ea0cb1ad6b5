/**
 * Deleting a set of a stack's resources in reverse dependency order: a resource goes once
 * everything that depends on it has gone, independent ones concurrently. A failure holds back
 * only what it blocks; the rest is deleted. The set may hold the old physical resources of
 * replaced resources (update cleanup), which are deleted without touching the resource's record.
 */
import type { StackResourceRecord } from '../types.js';
import { deleteResource } from './resource-actions.js';
import { runGraph } from './scheduler.js';
import type { StackRun } from './stack-run.js';

export interface Deletion {
  record: StackResourceRecord;
  /** the old physical resource of a replaced resource */
  replaced?: boolean;
}

/** Deletes these resources; the logical ids that could not be deleted. */
export async function deleteInOrder(run: StackRun, deletions: readonly Deletion[], options: { retain?: ReadonlySet<string>; forget?: boolean } = {}): Promise<string[]> {
  const byId = new Map(deletions.map((deletion) => [deletion.record.logicalId, deletion]));
  const dependents = new Map<string, string[]>();
  for (const { record } of deletions) {
    for (const dependency of record.dependsOn) dependents.set(dependency, [...(dependents.get(dependency) ?? []), record.logicalId]);
  }
  const result = await runGraph([...byId.keys()], (id) => dependents.get(id) ?? [], async (id) => {
    const deletion = byId.get(id)!;
    const record = deletion.replaced ? deletion.record : run.op.resource(id);
    if (!record) return true;
    const ok = await deleteResource(run, record, { retain: options.retain?.has(id) ?? false, replaced: deletion.replaced ?? false });
    if (ok && options.forget && !deletion.replaced) run.op.removeResource(id);
    return ok;
  }, { stopOnFailure: false });
  return [...result.failed, ...result.skipped];
}

/** Deletes these resources of the stack (as they are recorded now). */
export function deleteResources(run: StackRun, logicalIds: readonly string[], options: { retain?: ReadonlySet<string>; forget?: boolean } = {}): Promise<string[]> {
  const deletions = logicalIds.map((id) => run.op.resource(id)).filter((record): record is StackResourceRecord => record !== undefined).map((record) => ({ record }));
  return deleteInOrder(run, deletions, options);
}
