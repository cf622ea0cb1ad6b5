/**
 * Activity: the audit trail (CloudTrail LookupEvents over iamd's trail), filtered by access key,
 * principal, event and result, denied calls marked at a glance; clicking an access key shows its
 * trail. New events are fetched as they happen (StartTime = the newest event shown), older ones on
 * request. The console's own read calls (this tab's polling) are hidden unless asked for.
 */
import { isConsoleRead, lookupEvents, resultOf, type EventResult, type LookupQuery, type TrailEvent } from '../api/cloudtrail.js';
import { emptyState, loading } from '../components/states.js';
import { badge, dataTable } from '../components/table.js';
import { h, link, type Child } from '../lib/dom.js';
import { prettyJson, timeElement } from '../lib/format.js';
import { route, type PageContext } from '../lib/page.js';

type ResultFilter = EventResult | 'all';

interface Filters {
  key: string;
  principal: string;
  event: string;
  result: ResultFilter;
  showConsole: boolean;
}

const RESULTS: ReadonlyArray<[ResultFilter, string]> = [['all', 'All results'], ['succeeded', 'Succeeded'], ['denied', 'Denied'], ['failed', 'Failed']];
const MAX_PAGES_PER_LOAD = 5;

function readFilters(params: URLSearchParams): Filters {
  const result = params.get('result');
  return {
    key: params.get('key') ?? '', principal: params.get('principal') ?? '', event: params.get('event') ?? '',
    result: RESULTS.some(([value]) => value === result) ? (result as ResultFilter) : 'all',
    showConsole: params.get('console') === 'show',
  };
}

function filtersRoute(filters: Filters): string {
  return route(['activity'], {
    key: filters.key.trim(), principal: filters.principal.trim(), event: filters.event.trim(),
    result: filters.result === 'all' ? undefined : filters.result, console: filters.showConsole ? 'show' : undefined,
  });
}

/** The one lookup attribute sent to the server: the access key, else the event name. */
function attributeOf(filters: Filters): LookupQuery['attribute'] {
  if (filters.key.trim() !== '') return { key: 'AccessKeyId', value: filters.key.trim() };
  if (filters.event.trim() !== '') return { key: 'EventName', value: filters.event.trim() };
  return undefined;
}

function shown(event: TrailEvent, filters: Filters): boolean {
  if (!filters.showConsole && isConsoleRead(event)) return false;
  if (filters.result !== 'all' && resultOf(event) !== filters.result) return false;
  if (filters.event.trim() !== '' && event.eventName !== filters.event.trim()) return false;
  const principal = filters.principal.trim().toLowerCase();
  return principal === '' || (event.principalArn ?? '').toLowerCase().includes(principal);
}

const byTimeDescending = (left: TrailEvent, right: TrailEvent): number => Date.parse(right.eventTime) - Date.parse(left.eventTime);

/** The trail as far as it was read: events newest first, and where to read older ones. */
class TrailView {
  events: TrailEvent[] = [];
  nextToken: string | undefined;
  version = 0;
  private readonly ids = new Set<string>();
  private loaded = false;

  constructor(private readonly filters: Filters) {}

  /**
   * Adds events in the server's order (newest first), `newer` than those held or `older`: times are
   * whole seconds, so the (stable) sort keeps events of the same second in the order they came.
   */
  private add(events: readonly TrailEvent[], where: 'newer' | 'older'): boolean {
    const fresh = events.filter((event) => !this.ids.has(event.eventId));
    for (const event of fresh) this.ids.add(event.eventId);
    if (fresh.length === 0) return false;
    this.events = (where === 'newer' ? [...fresh, ...this.events] : [...this.events, ...fresh]).sort(byTimeDescending);
    return true;
  }

  private matching(): number {
    return this.events.filter((event) => shown(event, this.filters)).length;
  }

  /** First load: pages until a screenful matches; then only what is newer than the newest event. */
  async update(): Promise<{ version: number; more: boolean }> {
    const attribute = attributeOf(this.filters);
    if (!this.loaded) {
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES_PER_LOAD; page++) {
        const answer = await lookupEvents({ ...(attribute ? { attribute } : {}), ...(token !== undefined ? { nextToken: token } : {}) });
        this.add(answer.events, 'older');
        token = answer.nextToken;
        if (token === undefined || this.matching() >= 50) break;
      }
      this.nextToken = token;
      this.loaded = true;
      this.version++;
    } else {
      const newest = this.events[0];
      const startTime = newest ? Math.floor(Date.parse(newest.eventTime) / 1000) : undefined;
      let token: string | undefined;
      const newer: TrailEvent[] = [];
      for (let page = 0; page < MAX_PAGES_PER_LOAD; page++) {
        const answer = await lookupEvents({ ...(attribute ? { attribute } : {}), ...(startTime !== undefined ? { startTime } : {}), ...(token !== undefined ? { nextToken: token } : {}) });
        newer.push(...answer.events);
        token = answer.nextToken;
        if (token === undefined) break;
      }
      if (this.add(newer, 'newer')) this.version++;
    }
    return { version: this.version, more: this.nextToken !== undefined };
  }

  async older(): Promise<void> {
    if (this.nextToken === undefined) return;
    const attribute = attributeOf(this.filters);
    const answer = await lookupEvents({ ...(attribute ? { attribute } : {}), nextToken: this.nextToken });
    this.add(answer.events, 'older');
    this.nextToken = answer.nextToken;
    this.version++;
  }
}

function resultCell(event: TrailEvent): Child {
  const result = resultOf(event);
  if (result === 'succeeded') return badge('Succeeded', 'ok');
  return [badge(result === 'denied' ? 'Denied' : 'Failed', 'bad'), h('br'), h('span', { class: 'mono' }, event.errorCode ?? '')];
}

export function render(context: PageContext): void {
  const filters = readFilters(context.params);
  context.setTitle(filters.key ? `Activity of ${filters.key}` : 'Activity');
  const trail = new TrailView(filters);
  const region = h('div', { 'aria-busy': 'true' }, loading('the trail'));
  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  const view = context.live.live(region, () => trail.update(), () => {
    const rows = trail.events.filter((event) => shown(event, filters));
    const denied = rows.filter((event) => resultOf(event) === 'denied').length;
    summary.textContent = `${rows.length} event${rows.length === 1 ? '' : 's'} shown${denied > 0 ? `, ${denied} denied` : ''}.`;
    const older = trail.nextToken === undefined ? null : h('button', {
      type: 'button', class: 'button', 'data-focus': 'older',
      onclick: () => { void trail.older().then(() => view.rerender()); },
    }, 'Load older events');
    return [
      dataTable({
        caption: 'Trail events', rows, key: (event) => event.eventId,
        rowClass: (event) => (resultOf(event) === 'denied' ? 'row-denied' : resultOf(event) === 'failed' ? 'row-failed' : undefined),
        empty: trail.events.length === 0
          ? emptyState('No events.', filters.key ? `Access key ${filters.key} made no call in the trail's retention.` : 'Every API call iamd answers is recorded here.')
          : emptyState('No event matches these filters.', filters.showConsole ? '' : 'This console\'s own read calls are hidden.'),
        columns: [
          { header: 'Time', cell: (event) => timeElement(event.eventTime), className: 'nowrap' },
          { header: 'Event', cell: (event) => [h('strong', {}, event.eventName), h('br'), h('span', { class: 'muted' }, event.eventSource.replace('.amazonaws.com', ''))] },
          { header: 'Result', cell: resultCell },
          { header: 'Principal', cell: (event) => h('span', { class: 'mono break' }, event.principalArn ?? event.identityType ?? 'unknown') },
          {
            header: 'Access key',
            cell: (event) => (event.accessKeyId ? link(route(['activity'], { key: event.accessKeyId }), h('span', { class: 'mono id' }, event.accessKeyId)) : '—'),
          },
          { header: 'Source IP', cell: (event) => event.sourceIp ?? '—', className: 'mono' },
          {
            header: 'Details',
            cell: (event) => h('details', {}, h('summary', { 'data-focus': `details:${event.eventId}` }, 'Record'),
              event.errorMessage ? h('p', { class: 'error-text' }, event.errorMessage) : null,
              h('p', { class: 'muted break' }, event.userAgent ?? ''),
              h('pre', { class: 'json', tabindex: 0 }, prettyJson(event.record))),
          },
        ],
      }),
      older,
    ];
  }, { failed: () => { summary.textContent = ''; } });

  const keyInput = h('input', { type: 'text', id: 'activity-key', value: filters.key, placeholder: 'AKIA… or ASIA…', autocomplete: 'off', spellcheck: 'false' });
  const principalInput = h('input', { type: 'text', id: 'activity-principal', value: filters.principal, placeholder: 'part of an ARN', autocomplete: 'off' });
  const eventInput = h('input', { type: 'text', id: 'activity-event', value: filters.event, placeholder: 'e.g. GetRole', autocomplete: 'off' });
  const resultSelect = h('select', { id: 'activity-result' }, RESULTS.map(([value, label]) => h('option', { value, selected: value === filters.result }, label)));
  const consoleBox = h('input', { type: 'checkbox', id: 'activity-console', checked: filters.showConsole });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter the trail' },
    h('label', { for: 'activity-key' }, 'Access key'), keyInput,
    h('label', { for: 'activity-principal' }, 'Principal'), principalInput,
    h('label', { for: 'activity-event' }, 'Event'), eventInput,
    h('label', { for: 'activity-result' }, 'Result'), resultSelect,
    h('label', { class: 'checkbox' }, consoleBox, ' Show this console\'s own reads'),
    h('button', { type: 'submit', class: 'button primary' }, 'Apply'),
    link(route(['activity']), 'Clear filters'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    context.navigate(filtersRoute({
      key: keyInput.value, principal: principalInput.value, event: eventInput.value,
      result: resultSelect.value as ResultFilter, showConsole: consoleBox.checked,
    }));
  });
  for (const control of [resultSelect, consoleBox]) control.addEventListener('change', () => form.requestSubmit());

  context.main.append(
    h('h1', { tabindex: -1 }, filters.key ? ['Activity of ', h('span', { class: 'mono' }, filters.key)] : 'Activity'),
    h('p', { class: 'lede' }, 'Every API call iamd answered, allowed or denied, newest first. Select an access key to see everything it did.'),
    form,
    summary,
    region,
  );
}
