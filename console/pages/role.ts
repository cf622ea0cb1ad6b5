/**
 * Role: the summary (ARN, trust, permissions with their JSON, instance profiles, tags) and the
 * "Revoke sessions" tab of AWS's console, whose button puts the AWSRevokeOlderSessions inline policy
 * with iam:PutRolePolicy exactly as AWS's console does; beside it what AWS's console lacks: the
 * role's live sessions, each with its own revoke (iamd:RevokeSession), and the recovery of the
 * role's instances without a stop/start (iamd:RevokeRoleSessions with Reissue).
 */
import {
  getRole, getRolePolicy, listAttachedRolePolicies, listInstanceProfilesForRole, listRolePolicyNames, managedPolicyDocument, putRolePolicy,
  REVOKE_POLICY_NAME, revokeCutoff, revokeOlderSessionsDocument, trustedEntities, type AttachedPolicy, type InstanceProfile, type Role,
} from '../api/iam.js';
import { confirmDialog } from '../components/dialog.js';
import { announce } from '../components/notice.js';
import { sessionsTable } from '../components/sessions-table.js';
import { emptyState, errorTitle, loading } from '../components/states.js';
import { badge, dataTable } from '../components/table.js';
import { tabList, tabPanel, type TabSpec } from '../components/tabs.js';
import { listSessions, revokeRoleSessionsAndReissue, type Session } from '../api/iamd.js';
import { h, replaceChildren, type Child } from '../lib/dom.js';
import { localAndUtc, prettyJson, timeElement } from '../lib/format.js';
import { shared, type LiveView } from '../lib/live.js';
import { route, type PageContext } from '../lib/page.js';

interface RoleBundle {
  role: Role;
  inline: Array<{ name: string; document: string }>;
  attached: AttachedPolicy[];
  profiles: InstanceProfile[];
}

const TABS: readonly TabSpec[] = [
  { id: 'permissions', label: 'Permissions' },
  { id: 'trust', label: 'Trust relationships' },
  { id: 'tags', label: 'Tags' },
  { id: 'revoke', label: 'Revoke sessions' },
];

async function loadBundle(roleName: string): Promise<RoleBundle> {
  const [role, names, attached, profiles] = await Promise.all([
    getRole(roleName), listRolePolicyNames(roleName), listAttachedRolePolicies(roleName), listInstanceProfilesForRole(roleName),
  ]);
  const inline = await Promise.all(names.map(async (name) => ({ name, document: await getRolePolicy(roleName, name) })));
  return { role, inline, attached, profiles };
}

function cutoffOf(bundle: RoleBundle): string | undefined {
  const policy = bundle.inline.find((item) => item.name.toLowerCase() === REVOKE_POLICY_NAME.toLowerCase());
  return policy ? revokeCutoff(policy.document) : undefined;
}

function summary(bundle: RoleBundle): Child {
  const { role } = bundle;
  const row = (term: string, ...value: Child[]): Child[] => [h('dt', {}, term), h('dd', {}, ...value)];
  const cutoff = cutoffOf(bundle);
  return [
    h('dl', { class: 'summary' },
      row('ARN', h('span', { class: 'mono break' }, role.arn)),
      row('Role ID', h('span', { class: 'mono' }, role.roleId)),
      row('Created', timeElement(role.createDate)),
      row('Last activity', role.lastUsedDate ? [timeElement(role.lastUsedDate), role.lastUsedRegion ? ` (${role.lastUsedRegion})` : ''] : 'None'),
      row('Maximum session duration', role.maxSessionDuration ? `${role.maxSessionDuration / 3600} hour${role.maxSessionDuration === 3600 ? '' : 's'}` : '—'),
      row('Path', h('span', { class: 'mono' }, role.path)),
      role.description ? row('Description', role.description) : null,
      role.permissionsBoundaryArn ? row('Permissions boundary', h('span', { class: 'mono break' }, role.permissionsBoundaryArn)) : null,
      row('Instance profile ARNs', bundle.profiles.length === 0 ? 'None'
        : h('ul', { class: 'plain' }, bundle.profiles.map((profile) => h('li', { class: 'mono break' }, profile.arn))))),
    cutoff ? h('p', { class: 'banner banner-warn', role: 'status' }, badge('Sessions revoked', 'warn'),
      ' Every credential of this role issued before ', timeElement(cutoff), ` is denied by the ${REVOKE_POLICY_NAME} inline policy.`) : null,
  ];
}

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
  panels.get('revoke')!.append(
    h('h2', {}, 'Revoke active sessions'),
    h('p', {}, 'If you choose Revoke active sessions, IAM attaches an inline policy named ', h('code', {}, REVOKE_POLICY_NAME),
      ' to this role. It denies every action to anyone holding credentials of this role that were issued before that moment. ',
      'Whoever assumes the role afterwards is not affected.'),
    h('p', {}, 'All current sessions lose their access at once, leaked or not: applications using this role must get new credentials. ',
      'EC2 instances keep receiving the denied credentials from their metadata service until they are stopped and started, as on AWS.'),
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

function policyDetails(key: string, name: string, open: Set<string>, body: () => HTMLElement): HTMLElement {
  const details = h('details', { open: open.has(key) }, h('summary', { 'data-focus': `policy:${key}` }, name));
  let filled = false;
  const fill = (): void => {
    if (filled) return;
    filled = true;
    details.append(body());
  };
  details.addEventListener('toggle', () => {
    if (details.open) {
      open.add(key);
      fill();
    } else open.delete(key);
  });
  if (open.has(key)) fill();
  return details;
}

function permissionsPanel(data: RoleBundle, open: Set<string>, documents: Map<string, Promise<string>>): Child {
  type Row = { key: string; name: string; type: string; document: () => HTMLElement; revoke?: string };
  const rows: Row[] = [
    ...data.inline.map((policy) => {
      const revoke = policy.name.toLowerCase() === REVOKE_POLICY_NAME.toLowerCase() ? revokeCutoff(policy.document) : undefined;
      return {
        key: `inline:${policy.name}`, name: policy.name, type: 'Customer inline',
        document: () => h('pre', { class: 'json', tabindex: 0 }, prettyJson(policy.document)), ...(revoke !== undefined ? { revoke } : {}),
      };
    }),
    ...data.attached.map((policy) => ({
      key: `managed:${policy.policyArn}`, name: policy.policyName,
      type: policy.policyArn.startsWith('arn:aws:iam::aws:policy/') ? 'AWS managed' : 'Customer managed',
      document: () => {
        const pre = h('pre', { class: 'json', tabindex: 0 }, 'Loading the policy document…');
        let pending = documents.get(policy.policyArn);
        if (!pending) {
          pending = managedPolicyDocument(policy.policyArn);
          documents.set(policy.policyArn, pending);
          pending.catch(() => documents.delete(policy.policyArn));
        }
        pending.then((text) => { pre.textContent = prettyJson(text); }, (error: unknown) => { pre.textContent = `${errorTitle(error)}: ${error instanceof Error ? error.message : String(error)}`; });
        return pre;
      },
    })),
  ];
  return [
    h('h2', {}, `Permissions policies (${rows.length})`),
    dataTable({
      caption: 'Permissions policies', rows, key: (row) => row.key,
      empty: emptyState('No permissions policies.', 'This role has no inline or attached policy: its sessions may do nothing.'),
      columns: [
        { header: 'Policy name', cell: (row) => policyDetails(row.key, row.name, open, row.document) },
        { header: 'Type', cell: (row) => row.type, className: 'nowrap' },
        { header: 'Note', cell: (row) => (row.revoke ? ['Denies credentials issued before ', timeElement(row.revoke)] : '') },
      ],
    }),
  ];
}

function trustPanel(data: RoleBundle): Child {
  const entities = trustedEntities(data.role.trustPolicy);
  return [
    h('h2', {}, 'Trusted entities'),
    entities.length === 0 ? h('p', {}, 'Nobody may assume this role.') : h('ul', {}, entities.map((entity) => h('li', {}, entity))),
    h('h3', {}, 'Trust policy'),
    h('pre', { class: 'json', tabindex: 0, 'aria-label': 'Trust policy JSON' }, prettyJson(data.role.trustPolicy)),
  ];
}

function revokeStatePanel(data: RoleBundle, roleName: string, refresh: () => void): Child {
  const cutoff = cutoffOf(data);
  const revokeButton = h('button', { type: 'button', class: 'button danger', 'data-focus': 'revoke-active-sessions' }, 'Revoke active sessions');
  revokeButton.addEventListener('click', () => { void revokeActiveSessions(roleName, refresh); });
  const recover = data.profiles.length === 0 ? null : h('div', { class: 'callout' },
    h('p', {}, 'After a revoke, this role\'s instances keep being served the denied credentials until they are stopped and started. ',
      'iamd can instead have each instance\'s metadata service issue a fresh credential at its next fetch, with no stop/start ',
      '(this moves the cut-off to now).'),
    h('button', { type: 'button', class: 'button', 'data-focus': 'reissue', onclick: () => { void reissue(roleName, refresh); } }, 'Issue fresh credentials to the role\'s instances'));
  return [
    cutoff
      ? h('p', { class: 'banner banner-warn' }, 'In effect: credentials issued before ', timeElement(cutoff), ' are denied.')
      : h('p', {}, 'No revoke is in effect for this role.'),
    h('p', {}, revokeButton),
    recover,
  ];
}

async function revokeActiveSessions(roleName: string, refresh: () => void): Promise<void> {
  const confirmed = await confirmDialog({
    title: 'Revoke active sessions?',
    body: [
      h('p', {}, 'Every credential of ', h('strong', {}, roleName), ' issued before now will be denied all access, through an inline policy named ',
        h('code', {}, REVOKE_POLICY_NAME), '.'),
      h('p', {}, 'Users and applications must get new credentials; EC2 instances get them when stopped and started.'),
    ],
    acknowledge: 'I acknowledge that I am revoking all active sessions for this role.',
    confirmLabel: 'Revoke active sessions',
    danger: true,
  });
  if (!confirmed) return;
  const cutoff = new Date();
  try {
    await putRolePolicy(roleName, REVOKE_POLICY_NAME, revokeOlderSessionsDocument(cutoff));
    announce(`Active sessions revoked: ${REVOKE_POLICY_NAME} denies every credential of ${roleName} issued before ${localAndUtc(cutoff)}.`);
  } catch (error) {
    announce(`${errorTitle(error)}: ${error instanceof Error ? error.message : String(error)}`, 'bad');
  }
  refresh();
}

async function reissue(roleName: string, refresh: () => void): Promise<void> {
  const confirmed = await confirmDialog({
    title: 'Issue fresh credentials to the instances?',
    body: [h('p', {}, 'The cut-off of ', h('code', {}, REVOKE_POLICY_NAME), ' moves to now, and every instance of ', h('strong', {}, roleName),
      ' serves a fresh credential at its next fetch. Leaked copies of the old credentials stay denied.')],
    confirmLabel: 'Issue fresh credentials',
  });
  if (!confirmed) return;
  try {
    const instances = await revokeRoleSessionsAndReissue(roleName);
    announce(instances.length === 0 ? 'The cut-off moved to now; no running instance uses this role.'
      : `Instances ${instances.join(', ')} get fresh credentials at their next fetch.`);
  } catch (error) {
    announce(`${errorTitle(error)}: ${error instanceof Error ? error.message : String(error)}`, 'bad');
  }
  refresh();
}
