/**
 * Resource signals (CreationPolicy ResourceSignal): a resource waits for `count` SUCCESS signals
 * within its timeout; SignalResource (or iamd's own signal when an instance is running) delivers
 * them. Signals with the same UniqueId count once; one FAILURE signal fails the resource at once.
 * Waits live in memory: they belong to a stack operation running in this process.
 */
export type SignalStatus = 'SUCCESS' | 'FAILURE';

export type SignalOutcome =
  | { kind: 'received' }
  | { kind: 'failure'; uniqueId: string }
  | { kind: 'timeout'; missing: number }
  | { kind: 'cancelled' };

interface Waiter {
  count: number;
  successes: Set<string>;
  onSignal: (status: SignalStatus, uniqueId: string) => void;
  finish: (outcome: SignalOutcome) => void;
}

const key = (stackId: string, logicalId: string): string => `${stackId}\u0000${logicalId}`;

export class SignalBoard {
  private readonly waiters = new Map<string, Waiter>();

  /** Waits for the resource's signals; `onSignal` hears each one as it arrives (for its event). */
  expect(stackId: string, logicalId: string, count: number, timeoutSeconds: number, onSignal: Waiter['onSignal']): Promise<SignalOutcome> {
    return new Promise<SignalOutcome>((resolve) => {
      const id = key(stackId, logicalId);
      const timer = setTimeout(() => finish({ kind: 'timeout', missing: count - waiter.successes.size }), timeoutSeconds * 1000);
      timer.unref();
      const finish = (outcome: SignalOutcome): void => {
        clearTimeout(timer);
        if (this.waiters.get(id) === waiter) this.waiters.delete(id);
        resolve(outcome);
      };
      const waiter: Waiter = { count, successes: new Set(), onSignal, finish };
      this.waiters.set(id, waiter);
    });
  }

  /** Whether the resource is waiting for signals now. */
  waiting(stackId: string, logicalId: string): boolean {
    return this.waiters.has(key(stackId, logicalId));
  }

  /** Delivers a signal; false when the resource is not waiting for one. */
  signal(stackId: string, logicalId: string, uniqueId: string, status: SignalStatus): boolean {
    const waiter = this.waiters.get(key(stackId, logicalId));
    if (!waiter) return false;
    waiter.onSignal(status, uniqueId);
    if (status === 'FAILURE') waiter.finish({ kind: 'failure', uniqueId });
    else {
      waiter.successes.add(uniqueId);
      if (waiter.successes.size >= waiter.count) waiter.finish({ kind: 'received' });
    }
    return true;
  }

  cancelAll(): void {
    for (const waiter of [...this.waiters.values()]) waiter.finish({ kind: 'cancelled' });
  }

  /** Stops waiting (the stack operation was cancelled). */
  cancel(stackId: string, logicalId: string): void {
    this.waiters.get(key(stackId, logicalId))?.finish({ kind: 'cancelled' });
  }
}
