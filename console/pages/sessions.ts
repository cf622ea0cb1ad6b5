/** Sessions: every temporary credential iamd issued that has not been dropped, with filters and a revoke on each. */
import { isLive, listSessions, type Session } from '../api/iamd.js';
import { sessionsTable } from '../components/sessions-table.js';
import { emptyState, loading } from '../components/states.js';
import { append, h } from '../lib/dom.js';
import { route, type PageContext } from '../lib/page.js';

type StatusFilter = 'live' | 'revoked' | 'expired' | 'all';

interface Filters {
  q: string;
  role: string;
  instance: string;
  status: StatusFilter;
}

const STATUSES: ReadonlyArray<[StatusFilter, string]> = [['live', 'Live'], ['revoked', 'Revoked'], ['expired', 'Expired'], ['all', 'All']];

function matches(session: Session, filters: Filters): boolean {
  const status = filters.status;
  if (status === 'live' && !isLive(session)) return false;
  if (status === 'revoked' && !session.revoked) return false;
  if (status === 'expired' && !session.expired) return false;
  if (filters.role !== '' && (session.roleName ?? '').toLowerCase() !== filters.role.toLowerCase()) return false;
  if (filters.instance !== '' && session.instanceId !== filters.instance) return false;
  const q = filters.q.trim().toLowerCase();
  return q === '' || [session.accessKeyId, session.principal, session.issuedTo, session.instanceId ?? '', session.lastUsedFrom ?? '']
    .some((value) => value.toLowerCase().includes(q));
}

export function render(context: PageContext): void {
  context.setTitle('Sessions');
  const status = context.params.get('status');
  const filters: Filters = {
    q: context.params.get('q') ?? '', role: context.params.get('role') ?? '', instance: context.params.get('instance') ?? '',
    status: STATUSES.some(([value]) => value === status) ? (status as StatusFilter) : 'live',
  };
  const region = h('div', { 'aria-busy': 'true' }, loading('sessions'));
  const roleSelect = h('select', { id: 'sessions-role' }, h('option', { value: '' }, 'All roles'));
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  const view = context.live.live(region, () => listSessions({ includeExpired: true }), (sessions) => {
    const roles = [...new Set(sessions.map((session) => session.roleName).filter((name): name is string => name !== undefined))].sort();
    if (filters.role !== '' && !roles.includes(filters.role)) roles.push(filters.role);
    const wanted = [''].concat(roles);
    if ([...roleSelect.options].map((option) => option.value).join('\n') !== wanted.join('\n')) {
      roleSelect.replaceChildren(...wanted.map((name) => h('option', { value: name, selected: name === filters.role }, name === '' ? 'All roles' : name)));
    }
    const rows = sessions.filter((session) => matches(session, filters));
    count.textContent = `${rows.length} shown, ${sessions.filter(isLive).length} live`;
    return sessionsTable({
      sessions: rows, showAll: true, caption: 'Sessions', columns: 'all', onChanged: () => { void view.refresh(); },
      empty: sessions.length === 0
        ? emptyState('No sessions.', 'A session appears here when STS (AssumeRole, GetSessionToken, GetFederationToken) or an instance\'s metadata service issues a temporary credential.')
        : emptyState('No session matches these filters.'),
    });
  }, { failed: () => { count.textContent = ''; } });
  const changed = (): void => {
    context.remember(route(['sessions'], { q: filters.q, role: filters.role, instance: filters.instance, status: filters.status === 'live' ? undefined : filters.status }));
    view.rerender();
  };
  const search = h('input', { type: 'search', id: 'sessions-q', value: filters.q, placeholder: 'Access key, principal, instance, address', autocomplete: 'off' });
  search.addEventListener('input', () => { filters.q = search.value; changed(); });
  roleSelect.addEventListener('change', () => { filters.role = roleSelect.value; changed(); });
  const statusSelect = h('select', { id: 'sessions-status' }, STATUSES.map(([value, label]) => h('option', { value, selected: value === filters.status }, label)));
  statusSelect.addEventListener('change', () => { filters.status = statusSelect.value as StatusFilter; changed(); });
  const instance = filters.instance === '' ? null : h('p', {}, `Instance ${filters.instance} only. `,
    h('button', { type: 'button', class: 'link-button', onclick: () => { filters.instance = ''; instance?.remove(); changed(); } }, 'Show every instance'));
  append(context.main,
    h('h1', { tabindex: -1 }, 'Sessions ', count),
    h('p', { class: 'lede' }, 'Every temporary credential: who holds it, since when, where it was last used. Revoking one cuts only that access key.'),
    h('div', { class: 'filters' },
      h('label', { for: 'sessions-q' }, 'Search'), search,
      h('label', { for: 'sessions-role' }, 'Role'), roleSelect,
      h('label', { for: 'sessions-status' }, 'Status'), statusSelect),
    instance,
    region,
  );
}
