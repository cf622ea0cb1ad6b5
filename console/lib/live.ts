/**
 * Live regions of a page: each loads its data and renders it. While the page is shown and the
 * browser tab visible, a change probe (changes.ts: one LookupEvents for the trail's newest events)
 * runs every few seconds, and the regions load again only when it saw a change, or every
 * FULL_REFRESH_MS for what the trail does not show. A region is re-rendered only when what the API
 * answered changed, keeping the keyboard focus on the same control (`data-focus` names it), so
 * polling never moves the reader's place. A page's regions stop when the route changes.
 */
import { errorState } from '../components/states.js';
import { ChangeProbe } from './changes.js';
import { replaceChildren, type Child } from './dom.js';
import { NotSignedInError, SessionExpiredError } from './session.js';

/** how often the change probe runs */
export const POLL_MS = 3000;
/** how often the regions load again even when the probe saw nothing */
export const FULL_REFRESH_MS = 15_000;

export interface LiveView {
  /** loads again now (after an action), rendering if anything changed */
  refresh(): Promise<void>;
  /** renders the last data again (after a filter changed) */
  rerender(): void;
}

/**
 * One loader shared by several regions of a page: calls within `windowMs` of each other get the
 * same answer, so regions polled on the same tick send one request.
 */
export function shared<T>(load: () => Promise<T>, windowMs = 1000): () => Promise<T> {
  let pending: { at: number; promise: Promise<T> } | undefined;
  return () => {
    const now = performance.now();
    if (pending && now - pending.at < windowMs) return pending.promise;
    const promise = load();
    pending = { at: now, promise };
    promise.catch(() => { if (pending?.promise === promise) pending = undefined; });
    return promise;
  };
}

type Outcome<T> = { ok: true; data: T } | { ok: false; error: unknown };

export interface LiveOptions<T> {
  /** false: loaded once, not polled */
  poll?: boolean;
  /** true while the data shows work in progress: the region then loads again on every tick */
  busy?: (data: T) => boolean;
  /** told when the region shows an error instead of its data (to clear what was derived from it) */
  failed?: (error: unknown) => void;
}

export class LivePage {
  private readonly views: Array<LiveRegion<unknown>> = [];
  private readonly timer: number;
  private readonly probe = new ChangeProbe(Date.now());
  private lastFull = performance.now();
  private polling = false;
  private stopped = false;
  private readonly onVisible = (): void => {
    if (document.visibilityState === 'visible') this.poll();
  };

  constructor(private readonly onSignedOut: (error: Error) => void) {
    this.timer = window.setInterval(() => this.poll(), POLL_MS);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  get active(): boolean {
    return !this.stopped;
  }

  live<T>(region: HTMLElement, load: () => Promise<T>, render: (data: T) => Child, options: LiveOptions<T> = {}): LiveView {
    const view = new LiveRegion<T>(region, load, render, options, this);
    if (options.poll !== false) this.views.push(view as LiveRegion<unknown>);
    void view.refresh();
    return view;
  }

  signedOut(error: Error): void {
    this.stop();
    this.onSignedOut(error);
  }

  stop(): void {
    this.stopped = true;
    window.clearInterval(this.timer);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  private poll(): void {
    if (this.stopped || this.polling || document.visibilityState !== 'visible') return;
    this.polling = true;
    void this.pollOnce().finally(() => { this.polling = false; });
  }

  private async pollOnce(): Promise<void> {
    let changed = performance.now() - this.lastFull >= FULL_REFRESH_MS;
    if (!changed) {
      try {
        changed = await this.probe.check();
      } catch (error) {
        if (error instanceof SessionExpiredError || error instanceof NotSignedInError) {
          this.signedOut(error);
          return;
        }
        changed = true;
      }
    }
    if (this.stopped) return;
    if (changed) this.lastFull = performance.now();
    const due = changed ? this.views : this.views.filter((view) => view.busy);
    await Promise.all(due.map((view) => view.refresh(true)));
  }
}

class LiveRegion<T> implements LiveView {
  private lastKey: string | undefined;
  private last: Outcome<T> | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly region: HTMLElement, private readonly load: () => Promise<T>,
    private readonly render: (data: T) => Child, private readonly options: LiveOptions<T>, private readonly page: LivePage) {}

  get busy(): boolean {
    return this.last?.ok === true && this.options.busy?.(this.last.data) === true;
  }

  refresh(background = false): Promise<void> {
    if (this.inFlight) return background ? this.inFlight : this.inFlight.then(() => this.refresh());
    this.inFlight = this.fetch().finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  rerender(): void {
    if (this.last) this.show(this.last);
  }

  private async fetch(): Promise<void> {
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, data: await this.load() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    if (!this.page.active) return;
    if (!outcome.ok && (outcome.error instanceof SessionExpiredError || outcome.error instanceof NotSignedInError)) {
      this.page.signedOut(outcome.error);
      return;
    }
    const key = outcome.ok ? `ok ${JSON.stringify(outcome.data)}` : `error ${String(outcome.error)}`;
    if (key === this.lastKey) return;
    this.lastKey = key;
    this.last = outcome;
    this.show(outcome);
  }

  private show(outcome: Outcome<T>): void {
    let content: Child;
    try {
      content = outcome.ok ? this.render(outcome.data) : this.failure(outcome.error);
    } catch (error) {
      content = this.failure(error);
    }
    const active = document.activeElement;
    const focusKey = active instanceof HTMLElement && this.region.contains(active) ? active.closest<HTMLElement>('[data-focus]')?.dataset.focus : undefined;
    replaceChildren(this.region, content);
    this.region.setAttribute('aria-busy', 'false');
    if (focusKey !== undefined) this.region.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focusKey)}"]`)?.focus();
  }

  private failure(error: unknown): HTMLElement {
    this.options.failed?.(error);
    return errorState(error);
  }
}
