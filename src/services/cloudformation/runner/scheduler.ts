/**
 * Runs work over a dependency graph as CloudFormation does: an item starts as soon as everything
 * it waits for has succeeded, so independent items run concurrently. After a failure, either no
 * new item starts (creation: the stack rolls back) or the others go on and only the failed item's
 * waiters are held back (deletion: delete what can be deleted).
 */
export interface ScheduleResult {
  succeeded: string[];
  failed: string[];
  /** never started: a prerequisite failed, or the run stopped */
  skipped: string[];
}

export async function runGraph(
  items: readonly string[],
  waitsFor: (item: string) => readonly string[],
  work: (item: string) => Promise<boolean>,
  options: { stopOnFailure: boolean },
): Promise<ScheduleResult> {
  const all = new Set(items);
  const pending = new Set(items);
  const succeeded = new Set<string>();
  const failed = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const ready = (item: string): boolean => waitsFor(item).every((other) => succeeded.has(other) || !all.has(other));
  const finished = (item: string, ok: boolean): void => {
    (ok ? succeeded : failed).add(item);
    if (!ok && options.stopOnFailure) stopped = true;
    running.delete(item);
  };

  for (;;) {
    if (!stopped) {
      for (const item of [...pending]) {
        if (!ready(item)) continue;
        pending.delete(item);
        running.set(item, work(item).then((ok) => finished(item, ok), () => finished(item, false)));
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  return { succeeded: [...succeeded], failed: [...failed], skipped: [...pending] };
}
