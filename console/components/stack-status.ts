/** A CloudFormation status (a stack's, a resource's, an event's) as a badge, and whether work is under way. */
import { badge } from './table.js';

export function stackStatusBadge(status: string): HTMLElement {
  const tone = /FAILED|ROLLBACK/.test(status) ? 'bad' : /IN_PROGRESS/.test(status) ? 'warn' : /COMPLETE/.test(status) ? 'ok' : 'neutral';
  return badge(status, tone);
}

/** A stack in this status is still changing (its page then loads again on every tick). */
export const inProgress = (status: string): boolean => status.endsWith('_IN_PROGRESS');
