/** Roles: every role of the account, searchable by name, with who may assume it and its live sessions. */
import { listRoles, trustedEntities, type RoleSummary } from '../api/iam.js';
import { isLive, listSessions } from '../api/iamd.js';
import { emptyState, loading } from '../components/states.js';
import { dataTable } from '../components/table.js';
import { h, link } from '../lib/dom.js';
import { timeElement } from '../lib/format.js';
import { route, type PageContext } from '../lib/page.js';

interface RolesData {
  roles: RoleSummary[];
  /** live sessions by role name (lower case); undefined when ListSessions is not allowed */
  sessions?: Record<string, number>;
}

async function load(): Promise<RolesData> {
  const [roles, sessions] = await Promise.all([listRoles(), listSessions().catch(() => undefined)]);
  if (!sessions) return { roles };
  const counts: Record<string, number> = {};
  for (const session of sessions.filter(isLive)) {
    if (session.roleName !== undefined) counts[session.roleName.toLowerCase()] = (counts[session.roleName.toLowerCase()] ?? 0) + 1;
  }
  return { roles, sessions: counts };
}

export function render(context: PageContext): void {
  context.setTitle('Roles');
  let search = context.params.get('search') ?? '';
  const input = h('input', { type: 'search', id: 'role-search', value: search, placeholder: 'Search by role name', autocomplete: 'off' });
  const region = h('div', { 'aria-busy': 'true' }, loading('roles'));
  const count = h('span', { class: 'muted', 'aria-live': 'polite' });
  const view = context.live.live(region, load, (data) => {
    const wanted = search.trim().toLowerCase();
    const rows = data.roles.filter((role) => role.roleName.toLowerCase().includes(wanted));
    count.textContent = `${rows.length} of ${data.roles.length}`;
    return dataTable({
      caption: 'Roles', rows, key: (role) => role.roleName,
      empty: data.roles.length === 0
        ? emptyState('No roles yet.', 'Create one with the AWS CLI: aws iam create-role --role-name NAME --assume-role-policy-document file://trust.json')
        : emptyState(`No role name contains "${search}".`),
      columns: [
        { header: 'Role name', cell: (role) => link(route(['roles', role.roleName]), role.roleName) },
        { header: 'Trusted entities', cell: (role) => trustedEntities(role.trustPolicy).join(', ') || '—' },
        { header: 'Live sessions', cell: (role) => (data.sessions ? String(data.sessions[role.roleName.toLowerCase()] ?? 0) : '—'), className: 'number' },
        { header: 'Path', cell: (role) => role.path, className: 'mono' },
        { header: 'Created', cell: (role) => timeElement(role.createDate), className: 'nowrap' },
      ],
    });
  }, { failed: () => { count.textContent = ''; } });
  input.addEventListener('input', () => {
    search = input.value;
    context.remember(route(['roles'], { search }));
    view.rerender();
  });
  context.main.append(
    h('h1', { tabindex: -1 }, 'Roles ', count),
    h('p', { class: 'lede' }, 'IAM roles and who may assume them. Open a role to see its permissions, its live sessions and to revoke them.'),
    h('div', { class: 'filters' }, h('label', { for: 'role-search' }, 'Search'), input),
    region,
  );
}
