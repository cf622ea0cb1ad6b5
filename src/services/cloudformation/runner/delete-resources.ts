/**
 * Deleting a set of a stack's resources in reverse dependency order: a resource goes once
 * everything that depends on it has gone, independent ones concurrently. A failure holds back
 * only what it blocks; the rest is deleted.
 */
import type { StackResourceRecord } from '../types.js';
import { deleteResource } from './resource-actions.js';
import { runGraph } from './scheduler.js';
import type { StackRun } from './stack-run.js';

export async function deleteResources(run: StackRun, logicalIds: readonly string[], options: { retain?: ReadonlySet<string>; forget?: boolean } = {}): Promise<string[]> {
  const { op } = run;
  const records = new Map<string, StackResourceRecord>();
  for (const id of logicalIds) {
    const record = op.resource(id);
    if (record) records.set(id, record);
  }
  const dependents = new Map<string, string[]>();
  for (const record of records.values()) {
    for (const dependency of record.dependsOn) dependents.set(dependency, [...(dependents.get(dependency) ?? []), record.logicalId]);
  }
  const result = await runGraph([...records.keys()], (id) => dependents.get(id) ?? [], async (id) => {
    const record = op.resource(id);
    if (!record) return true;
    const ok = await deleteResource(run, record, { retain: options.retain?.has(id) ?? false });
    if (ok && options.forget) op.removeResource(id);
    return ok;
  }, { stopOnFailure: false });
  return [...result.failed, ...result.skipped];
}
