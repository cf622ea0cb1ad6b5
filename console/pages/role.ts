/**
 * Role: the summary (ARN, trust, permissions with their JSON, instance profiles, tags) and the
 * "Revoke sessions" tab of AWS's console, whose button puts the AWSRevokeOlderSessions inline policy
 * with iam:PutRolePolicy exactly as AWS's console does; beside it what AWS's console lacks: the
 * role's live sessions, each with its own revoke (iamd:RevokeSession), and the recovery of the
 * role's instances without a stop/start (iamd:RevokeRoleSessions with Reissue).
 */
import { listSessions, type Session } from '../api/iamd.js';
import { sessionsTable } from '../components/sessions-table.js';
import { emptyState, loading } from '../components/states.js';
import { dataTable } from '../components/table.js';
import { tabList, tabPanel, type TabSpec } from '../components/tabs.js';
import { append, h, replaceChildren } from '../lib/dom.js';
import { shared, type LiveView } from '../lib/live.js';
import { route, type PageContext } from '../lib/page.js';
import { loadBundle } from './role/data.js';
import { permissionsPanel, summary, trustPanel } from './role/panels.js';
import { revokeExplanation, revokeStatePanel } from './role/revoke.js';

const TABS: readonly TabSpec[] = [
  { id: 'permissions', label: 'Permissions' },
  { id: 'trust', label: 'Trust relationships' },
  { id: 'tags', label: 'Tags' },
  { id: 'revoke', label: 'Revoke sessions' },
];

export function render(context: PageContext): void {
  const roleName = context.segments[0] ?? '';
  context.setTitle(`Role ${roleName}`);
  const bundle = shared(() => loadBundle(roleName));
  let selected = TABS.some((tab) => tab.id === context.segments[1]) ? context.segments[1]! : 'permissions';
  const openPolicies = new Set<string>();
  const managedDocuments = new Map<string, Promise<string>>();
  const views: LiveView[] = [];
  const refreshAll = (): void => { for (const view of views) void view.refresh(); };

  const summaryRegion = h('section', { 'aria-label': 'Summary', 'aria-busy': 'true' }, loading('the role'));
  views.push(context.live.live(summaryRegion, bundle, summary));

  const panels = new Map(TABS.map((tab) => [tab.id, tabPanel(tab.id)]));
  const tabs = h('div');
  const select = (id: string): void => {
    selected = id;
    context.remember(route(['roles', roleName, id]));
    replaceChildren(tabs, tabList('Role details', TABS, selected, select));
    for (const [tabId, panel] of panels) panel.hidden = tabId !== selected;
    tabs.querySelector<HTMLElement>(`#tab-${id}`)?.focus();
  };
  replaceChildren(tabs, tabList('Role details', TABS, selected, select));
  for (const [tabId, panel] of panels) panel.hidden = tabId !== selected;

  const permissions = h('div', {}, loading('permissions'));
  panels.get('permissions')!.append(permissions);
  views.push(context.live.live(permissions, bundle, (data) => permissionsPanel(data, openPolicies, managedDocuments)));

  const trust = h('div', {}, loading('trust relationships'));
  panels.get('trust')!.append(trust);
  views.push(context.live.live(trust, bundle, trustPanel));

  const tags = h('div', {}, loading('tags'));
  panels.get('tags')!.append(tags);
  views.push(context.live.live(tags, bundle, (data) => dataTable({
    caption: 'Tags', rows: data.role.tags, key: (tag) => tag.key, empty: emptyState('No tags.', 'This role has no tags.'),
    columns: [{ header: 'Key', cell: (tag) => tag.key }, { header: 'Value', cell: (tag) => tag.value }],
  })));

  const revokeState = h('div', {}, loading('the revoke state'));
  views.push(context.live.live(revokeState, bundle, (data) => revokeStatePanel(data, roleName, refreshAll)));
  let showAll = false;
  const sessionsRegion = h('div', { 'aria-busy': 'true' }, loading('sessions'));
  const sessions = context.live.live(sessionsRegion, () => listSessions({ roleName, includeExpired: true }), (list: Session[]) => sessionsTable({
    sessions: list, showAll, caption: `Sessions of ${roleName}`, columns: 'role', onChanged: refreshAll,
    empty: emptyState('No live sessions.', 'Nobody holds a credential of this role that still works: none was issued, or every one expired or was revoked.'),
  }));
  views.push(sessions);
  const showAllBox = h('input', { type: 'checkbox', id: 'role-sessions-all', onchange: (event: Event) => { showAll = (event.target as HTMLInputElement).checked; sessions.rerender(); } });
  append(panels.get('revoke')!,
    revokeExplanation(),
    revokeState,
    h('h2', {}, 'Live sessions of this role'),
    h('p', { class: 'lede' }, 'Each temporary credential of the role, who holds it and where it was last used. Revoke one to cut only that credential: every other session keeps working.'),
    h('div', { class: 'filters' }, h('label', { class: 'checkbox' }, showAllBox, ' Show revoked and expired sessions')),
    sessionsRegion,
  );

  context.main.append(
    h('p', { class: 'breadcrumbs' }, h('a', { href: '#/roles' }, 'Roles'), ' › ', roleName),
    h('h1', { tabindex: -1 }, roleName),
    summaryRegion,
    tabs,
    ...panels.values(),
  );
}
