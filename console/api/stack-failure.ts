/**
 * Why a stack failed, read from its events. Once a stack has rolled back its status carries no
 * reason (ROLLBACK_COMPLETE has none, on AWS as here): the cause is in the events of its last
 * operation, which starts at the stack's own newest CREATE_, UPDATE_ or DELETE_IN_PROGRESS. The
 * resources that failed come first (a resource cancelled because another failed is no cause, and
 * is shown only when nothing else failed), then what the stack said of them.
 */
import { STACK_TYPE, type StackEvent } from './cloudformation.js';

export interface StackFailure {
  /** the failed resources' events, oldest first */
  resources: StackEvent[];
  /** the stack's own reasons in that operation, oldest first ("The following resource(s) failed to create: [Role]. …") */
  stackReasons: string[];
}

/** A status that means the stack's last operation failed (ROLLBACK_COMPLETE included: it rolled back because something failed). */
export const isFailedStatus = (status: string): boolean => /FAILED|ROLLBACK/.test(status);

const OPERATION_STARTS = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'IMPORT_IN_PROGRESS']);
const CANCELLED = /^Resource (creation|update) cancelled$/;

/** `events` newest first, as DescribeStackEvents answers them; undefined when the stack did not fail. */
export function stackFailure(stack: { stackName: string; status: string }, events: readonly StackEvent[]): StackFailure | undefined {
  if (!isFailedStatus(stack.status)) return undefined;
  const ownEvent = (event: StackEvent): boolean => event.resourceType === STACK_TYPE && event.logicalResourceId === stack.stackName;
  const start = events.findIndex((event) => ownEvent(event) && OPERATION_STARTS.has(event.status));
  const operation = (start === -1 ? [...events] : events.slice(0, start + 1)).reverse();
  const failed = operation.filter((event) => !ownEvent(event) && event.status.endsWith('_FAILED'));
  const causes = failed.filter((event) => !CANCELLED.test(event.statusReason ?? ''));
  return {
    resources: causes.length > 0 ? causes : failed,
    stackReasons: operation.filter(ownEvent).map((event) => event.statusReason ?? '').filter((reason) => reason !== '' && reason !== 'User Initiated'),
  };
}
