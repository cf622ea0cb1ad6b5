/**
 * Findings: instance credentials used away from their instance (GuardDuty's
 * UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.*), with a contain action
 * (iamd:ContainFinding: the session is revoked; the instance gets a fresh credential at its next fetch).
 */
import { containFinding, listFindings, type Finding } from '../api/iamd.js';
import { confirmDialog } from '../components/dialog.js';
import { announce } from '../components/notice.js';
import { emptyState, errorTitle, loading } from '../components/states.js';
import { badge, dataTable } from '../components/table.js';
import { h, link, type Child } from '../lib/dom.js';
import { timeElement } from '../lib/format.js';
import { route, type PageContext } from '../lib/page.js';

const severityOf = (value: number): Child => (value >= 7 ? badge(`High ${value}`, 'bad') : value >= 4 ? badge(`Medium ${value}`, 'warn') : badge(`Low ${value}`, 'neutral'));

function status(finding: Finding): Child {
  if (finding.contained) return [badge('Contained', 'ok'), finding.containedAt ? [h('br'), timeElement(finding.containedAt)] : null];
  if (finding.sessionRevoked) return badge('Session revoked', 'ok');
  return badge('Active', 'bad');
}

async function contain(finding: Finding, refresh: () => void): Promise<void> {
  const confirmed = await confirmDialog({
    title: 'Contain this finding?',
    body: [h('p', {}, 'Session ', h('code', {}, finding.accessKeyId), ` of role ${finding.roleName} is revoked: whoever copied it is cut off at their next request. `,
      `Instance ${finding.instanceId} gets a fresh credential from its metadata service at its next fetch.`)],
    confirmLabel: 'Contain',
    danger: true,
  });
  if (!confirmed) return;
  try {
    await containFinding(finding.id);
    announce(`Finding contained: session ${finding.accessKeyId} revoked.`);
  } catch (error) {
    announce(`${errorTitle(error)}: ${error instanceof Error ? error.message : String(error)}`, 'bad');
  }
  refresh();
}

export function render(context: PageContext): void {
  context.setTitle('Findings');
  const region = h('div', { 'aria-busy': 'true' }, loading('findings'));
  const view = context.live.live(region, listFindings, (findings) => dataTable({
    caption: 'Findings', rows: findings, key: (finding) => finding.id,
    empty: emptyState('No findings.', 'iamd raises one when an instance\'s credentials are used from outside that instance: from another address (OutsideAWS) or through another instance (InsideAWS).'),
    rowClass: (finding) => (finding.contained || finding.sessionRevoked ? undefined : 'row-alert'),
    columns: [
      { header: 'Severity', cell: (finding) => severityOf(finding.severity) },
      { header: 'Finding', cell: (finding) => [h('strong', {}, finding.title), h('br'), h('span', { class: 'muted' }, finding.type.slice(finding.type.lastIndexOf('/') + 1))], className: 'wide' },
      { header: 'Access key', cell: (finding) => link(route(['activity'], { key: finding.accessKeyId }), h('span', { class: 'mono id' }, finding.accessKeyId)) },
      { header: 'Instance / role', cell: (finding) => [link(route(['instances'], { instance: finding.instanceId }), h('span', { class: 'id' }, finding.instanceId)), h('br'), link(route(['roles', finding.roleName]), finding.roleName)] },
      { header: 'Used from', cell: (finding) => [h('span', { class: 'mono' }, finding.sourceIp), finding.sourceInstanceId ? [h('br'), `via ${finding.sourceInstanceId}`] : null, h('br'), h('span', { class: 'muted' }, `${finding.serviceName} ${finding.api}`)] },
      { header: 'Count', cell: (finding) => String(finding.count), className: 'number' },
      { header: 'First / last seen', cell: (finding) => [timeElement(finding.firstSeen), h('br'), timeElement(finding.lastSeen)] },
      { header: 'Status', cell: status },
      {
        header: 'Action',
        cell: (finding) => (finding.contained ? '' : h('button', {
          type: 'button', class: 'button small danger', 'data-focus': `contain:${finding.id}`, 'aria-label': `Contain finding for ${finding.accessKeyId}`,
          onclick: () => { void contain(finding, () => { void view.refresh(); }); },
        }, 'Contain')),
      },
    ],
  }));
  context.main.append(
    h('h1', { tabindex: -1 }, 'Findings'),
    h('p', { class: 'lede' }, 'Instance credentials used away from their instance: the sign of a leak. Containing a finding revokes only that session.'),
    region,
  );
}
