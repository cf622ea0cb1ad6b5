/**
 * "Has anything changed?", asked of the trail: every API call anyone makes is in it, so one small
 * LookupEvents for the events newer than the last ones seen tells a page whether to load its data
 * again. This console's own read calls (its polling) do not count. Changes that are no API call
 * (an instance's metadata service issuing a credential, an instance finishing its start) are caught
 * by a slower full refresh (live.ts). Without cloudtrail:LookupEvents the probe says "maybe" every
 * time, and the page simply polls its data.
 */
import { isConsoleRead, lookupEvents } from '../api/cloudtrail.js';
import { ApiError } from './api.js';

export class ChangeProbe {
  /** epoch seconds: the probe asks for events from then on (StartTime is inclusive) */
  private since: number;
  private seen = new Set<string>();
  private unavailable = false;
  private readonly baseline: Promise<boolean>;

  /** Starts with what the trail holds now (sent with the page's own first loads), so that none of it counts as a change. */
  constructor(now: number) {
    this.since = Math.floor(now / 1000) - 1;
    // A failure here (signed out, say) is met again, and handled, at the first check.
    this.baseline = this.read().catch(() => true);
  }

  /** true when something may have changed since the last check */
  async check(): Promise<boolean> {
    await this.baseline;
    return this.read();
  }

  private async read(): Promise<boolean> {
    if (this.unavailable) return true;
    let answer;
    try {
      answer = await lookupEvents({ startTime: this.since, maxResults: 50 });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.unavailable = error.denied;
      return true;
    }
    const fresh = answer.events.filter((event) => !this.seen.has(event.eventId));
    const newest = Math.max(this.since, ...answer.events.map((event) => Math.floor(Date.parse(event.eventTime) / 1000)));
    if (newest > this.since) this.seen = new Set();
    for (const event of answer.events) if (Math.floor(Date.parse(event.eventTime) / 1000) === newest) this.seen.add(event.eventId);
    this.since = newest;
    // A full page of events may hide more: count that as a change.
    return answer.nextToken !== undefined || fresh.some((event) => !isConsoleRead(event));
  }
}
