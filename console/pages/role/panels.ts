/** The role page's summary and its Permissions and Trust relationships tabs. */
import { managedPolicyDocument, REVOKE_POLICY_NAME, revokeCutoff, trustedEntities } from '../../api/iam.js';
import { emptyState, errorTitle } from '../../components/states.js';
import { badge, dataTable } from '../../components/table.js';
import { h, type Child } from '../../lib/dom.js';
import { prettyJson, timeElement } from '../../lib/format.js';
import { cutoffOf, type RoleBundle } from './data.js';

export function summary(bundle: RoleBundle): Child {
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

export function permissionsPanel(data: RoleBundle, open: Set<string>, documents: Map<string, Promise<string>>): Child {
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

export function trustPanel(data: RoleBundle): Child {
  const entities = trustedEntities(data.role.trustPolicy);
  return [
    h('h2', {}, 'Trusted entities'),
    entities.length === 0 ? h('p', {}, 'Nobody may assume this role.') : h('ul', {}, entities.map((entity) => h('li', {}, entity))),
    h('h3', {}, 'Trust policy'),
    h('pre', { class: 'json', tabindex: 0, 'aria-label': 'Trust policy JSON' }, prettyJson(data.role.trustPolicy)),
  ];
}
