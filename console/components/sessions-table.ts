/**
 * A table of sessions (temporary credentials) with a revoke button on each live one: the role
 * page's "live sessions" and the Sessions page. A revoke is iamd:RevokeSession, which cuts that one
 * access key from its very next request and nothing else.
 */
import { isLive, revokeSession, type Session } from '../api/iamd.js';
import { h, link, type Child } from '../lib/dom.js';
import { relative, timeElement } from '../lib/format.js';
import { route } from '../lib/page.js';
import { confirmDialog } from './dialog.js';
import { announce } from './notice.js';
import { errorTitle } from './states.js';
import { badge, dataTable, type Column } from './table.js';

export interface SessionsTableOptions {
  sessions: readonly Session[];
  /** include revoked and expired sessions */
  showAll: boolean;
  caption: string;
  /** 'role': the role is known (the role page); 'all': show each session's principal */
  columns: 'role' | 'all';
  empty: Child;
  onChanged: () => void;
}

export function sessionStatus(session: Session): HTMLElement {
  if (session.revoked) {
    const by = session.revokedBy === 'role' ? 'by AWSRevokeOlderSessions' : session.revokedBy === 'containment' ? 'by a finding' : session.revokedBy ? `(${session.revokedBy})` : '';
    return badge(`Revoked ${by}`.trim(), 'bad');
  }
  if (session.expired) return badge('Expired', 'neutral');
  return badge('Live', 'ok');
}

function heldBy(session: Session): Child {
  if (session.instanceId) return [link(route(['instances'], { instance: session.instanceId }), h('span', { class: 'id' }, session.instanceId)), h('br'), h('span', { class: 'muted' }, 'instance metadata')];
  return [h('span', { class: 'mono break' }, session.issuedTo), h('br'), h('span', { class: 'muted' }, session.origin)];
}

async function revoke(session: Session, onChanged: () => void): Promise<void> {
  const confirmed = await confirmDialog({
    title: 'Revoke this session?',
    body: [
      h('p', {}, 'Only ', h('code', {}, session.accessKeyId), ` (${session.principal}) stops working, from its very next request. `,
        'Every other session keeps working.'),
      session.instanceId ? h('p', {}, `Instance ${session.instanceId}'s metadata service serves it a fresh credential at its next fetch.`) : null,
    ],
    confirmLabel: 'Revoke session',
    danger: true,
  });
  if (!confirmed) return;
  try {
    await revokeSession(session.accessKeyId);
    announce(`Session ${session.accessKeyId} revoked.`);
  } catch (error) {
    announce(`${errorTitle(error)}: ${error instanceof Error ? error.message : String(error)}`, 'bad');
  }
  onChanged();
}

export function sessionsTable(options: SessionsTableOptions): HTMLElement {
  const rows = options.showAll ? options.sessions : options.sessions.filter(isLive);
  const columns: Array<Column<Session>> = [
    { header: 'Access key', cell: (session) => link(route(['activity'], { key: session.accessKeyId }), h('span', { class: 'mono id' }, session.accessKeyId)) },
    options.columns === 'all'
      ? { header: 'Principal', cell: (session) => (session.roleName ? [link(route(['roles', session.roleName]), session.roleName), ` / ${session.roleSessionName ?? ''}`] : h('span', { class: 'mono break' }, session.principal)) }
      : { header: 'Session name', cell: (session) => session.roleSessionName ?? session.principal },
    { header: 'Held by', cell: heldBy },
    { header: 'Issued / expires', cell: (session) => [timeElement(session.issuedAt), h('br'), h('span', { class: 'muted' }, 'expires '), timeElement(session.expiration), h('span', { class: 'muted' }, ` (${relative(session.expiration)})`)] },
    {
      header: 'Last used',
      cell: (session) => (session.lastUsedAt
        ? [timeElement(session.lastUsedAt), h('br'), h('span', { class: 'muted' }, `from ${session.lastUsedFrom ?? '?'}, ${session.requestCount} request${session.requestCount === 1 ? '' : 's'}`)]
        : h('span', { class: 'muted' }, 'Never')),
    },
    { header: 'Status', cell: sessionStatus },
    {
      header: 'Action',
      cell: (session) => (isLive(session) ? h('button', {
        type: 'button', class: 'button small danger', 'data-focus': `revoke:${session.accessKeyId}`,
        'aria-label': `Revoke session ${session.accessKeyId}`, onclick: () => { void revoke(session, options.onChanged); },
      }, 'Revoke') : ''),
    },
  ];
  return dataTable({
    caption: options.caption, rows, key: (session) => session.accessKeyId, columns, empty: options.empty,
    rowClass: (session) => (isLive(session) ? undefined : 'row-inactive'),
  });
}
