/** What a page gets from the router. */
import type { LivePage } from './live.js';

export interface PageContext {
  /** the page's container (inside <main>) */
  main: HTMLElement;
  /** route segments after the page's name (#/roles/NAME/revoke: ['NAME', 'revoke']) */
  segments: string[];
  /** the route's query (#/activity?key=ASIA...) */
  params: URLSearchParams;
  /** the page's live regions, stopped when the route changes */
  live: LivePage;
  /** goes to another route (a new history entry; the page is rendered for it) */
  navigate(route: string): void;
  /** records the page's state (a filter, a tab) in the URL without rendering again */
  remember(route: string): void;
  setTitle(title: string): void;
}

export interface PageModule {
  render(context: PageContext): void;
}

/** Builds a route from segments and query parameters (empty values left out). */
export function route(segments: readonly string[], params: Readonly<Record<string, string | undefined>> = {}): string {
  const path = `/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(name, value);
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}
