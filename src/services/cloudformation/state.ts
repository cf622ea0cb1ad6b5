/**
 * CloudFormation's state: stacks and their event streams, change sets (in memory, written through
 * to the store), the SSM parameter store, the launch templates CloudFormation keeps, the signals
 * resources are waiting for, and the stack operations running in the background.
 *
 * A stack operation interrupted by a restart cannot resume (the work it was doing is gone with the
 * process): at load, a stack found in an *_IN_PROGRESS status is marked failed with a reason that
 * says so; so is a change set that was being computed or executed.
 */
import { RecordTable } from '../../store/record-table.js';
import type { Store } from '../../store/store.js';
import type { Logger } from '../../server/logger.js';
import type { ChangeSetRecord } from './change-sets/types.js';
import type { LaunchTemplateRecord } from './providers/launch-templates.js';
import { ParameterStore } from './parameter-store.js';
import { SignalBoard } from './runner/signals.js';
import type { StackEventRecord, StackRecord, StackStatus } from './types.js';

export interface CloudFormationSettings {
  /**
   * Send a SUCCESS signal for an AWS::EC2::Instance with a CreationPolicy as soon as it is running
   * (no operating system runs cfn-signal in iamd). On by default; the server's environment variable
   * IAMD_CFN_SIGNAL_INSTANCES=0 turns it off, and then SignalResource must be called.
   */
  signalInstancesWhenRunning: boolean;
}

const INTERRUPTED: Partial<Record<StackStatus, StackStatus>> = {
  CREATE_IN_PROGRESS: 'CREATE_FAILED',
  ROLLBACK_IN_PROGRESS: 'ROLLBACK_FAILED',
  DELETE_IN_PROGRESS: 'DELETE_FAILED',
  UPDATE_IN_PROGRESS: 'UPDATE_FAILED',
  UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_COMPLETE',
  UPDATE_ROLLBACK_IN_PROGRESS: 'UPDATE_ROLLBACK_FAILED',
  UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'UPDATE_ROLLBACK_COMPLETE',
};

export class CloudFormationState {
  readonly stacks: RecordTable<StackRecord>;
  readonly events: RecordTable<StackEventRecord>;
  readonly changeSets: RecordTable<ChangeSetRecord>;
  readonly parameters: ParameterStore;
  readonly launchTemplates: RecordTable<LaunchTemplateRecord>;
  readonly signals = new SignalBoard();
  readonly settings: CloudFormationSettings;
  /** the stack operation running for a stack id (the next one waits for it) */
  readonly running = new Map<string, Promise<void>>();
  private sequence: number;
  /** each stack's events in the order they happened, kept with the events table (DescribeStackEvents and waiters poll it) */
  private readonly eventsByStack = new Map<string, StackEventRecord[]>();

  constructor(store: Store, private readonly logger: Logger, settings: Partial<CloudFormationSettings> = {}) {
    this.stacks = new RecordTable(store, 'cfn-stack', (row) => row.stackId);
    this.events = new RecordTable(store, 'cfn-stack-event', (row) => row.eventId);
    this.changeSets = new RecordTable(store, 'cfn-change-set', (row) => row.changeSetId);
    this.parameters = new ParameterStore(store);
    this.launchTemplates = new RecordTable(store, 'cfn-launch-template', (row) => row.launchTemplateId);
    this.settings = { signalInstancesWhenRunning: settings.signalInstancesWhenRunning ?? signalSettingFromEnv() };
    this.sequence = this.events.list().reduce((max, event) => Math.max(max, event.sequence), 0);
    // Events are only ever added (each with a new id and the next sequence number): appending keeps each list in order.
    for (const event of this.events.list().sort((a, b) => a.sequence - b.sequence)) this.indexEvent(event);
    this.events.onChange((_eventId, event) => {
      if (event) this.indexEvent(event);
    });
    for (const stack of this.stacks.list()) {
      const failed = INTERRUPTED[stack.status];
      if (failed) this.stacks.put({ ...stack, status: failed, statusReason: `iamd restarted while the stack was ${stack.status}` });
    }
    for (const changeSet of this.changeSets.list()) {
      if (changeSet.status === 'CREATE_PENDING' || changeSet.status === 'CREATE_IN_PROGRESS') {
        this.changeSets.put({ ...changeSet, status: 'FAILED', statusReason: `iamd restarted while the change set was ${changeSet.status}`, executionStatus: 'UNAVAILABLE' });
      } else if (changeSet.executionStatus === 'EXECUTE_IN_PROGRESS') {
        this.changeSets.put({ ...changeSet, executionStatus: 'EXECUTE_FAILED' });
      }
    }
  }

  /** The stack's events, newest first. */
  stackEvents(stackId: string): StackEventRecord[] {
    return [...(this.eventsByStack.get(stackId) ?? [])].reverse();
  }

  private indexEvent(event: StackEventRecord): void {
    const list = this.eventsByStack.get(event.stackId);
    if (list) list.push(event);
    else this.eventsByStack.set(event.stackId, [event]);
  }

  nextSequence(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /** Runs `operation` after any operation already running on the stack; its failure is logged, never thrown. */
  enqueue(stackId: string, operation: () => Promise<void>): Promise<void> {
    const previous = this.running.get(stackId) ?? Promise.resolve();
    const guarded = (): Promise<void> => operation().catch((error: unknown) => {
      this.logger.log('error', 'cloudformation stack operation failed', { stackId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    });
    const next = previous.then(guarded).finally(() => {
      if (this.running.get(stackId) === next) this.running.delete(stackId);
    });
    this.running.set(stackId, next);
    return next;
  }

  /** Stops every wait for signals (shutdown): the operations waiting end at once. */
  close(): void {
    this.signals.cancelAll();
  }

  /** Resolves when every stack operation has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }
}

function signalSettingFromEnv(): boolean {
  const value = process.env.IAMD_CFN_SIGNAL_INSTANCES;
  return value === undefined || !['0', 'false', 'off', 'no'].includes(value.toLowerCase());
}
