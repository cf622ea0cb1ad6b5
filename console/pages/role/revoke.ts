/**
 * The role page's Revoke sessions tab: AWS's "Revoke active sessions" (iam:PutRolePolicy
 * AWSRevokeOlderSessions, as AWS's console puts it, after the same confirmation) and iamd's recovery
 * of the role's instances (iamd:RevokeRoleSessions with Reissue).
 */
import { putRolePolicy, REVOKE_POLICY_NAME, revokeOlderSessionsDocument } from '../../api/iam.js';
import { revokeRoleSessionsAndReissue } from '../../api/iamd.js';
import { confirmDialog } from '../../components/dialog.js';
import { announce } from '../../components/notice.js';
import { errorTitle } from '../../components/states.js';
import { h, type Child } from '../../lib/dom.js';
import { localAndUtc, timeElement } from '../../lib/format.js';
import { cutoffOf, type RoleBundle } from './data.js';

/** AWS's explanation, above the button. */
export function revokeExplanation(): Child {
  return [
    h('h2', {}, 'Revoke active sessions'),
    h('p', {}, 'If you choose Revoke active sessions, IAM attaches an inline policy named ', h('code', {}, REVOKE_POLICY_NAME),
      ' to this role. It denies every action to anyone holding credentials of this role that were issued before that moment. ',
      'Whoever assumes the role afterwards is not affected.'),
    h('p', {}, 'All current sessions lose their access at once, leaked or not: applications using this role must get new credentials. ',
      'EC2 instances keep receiving the denied credentials from their metadata service until they are stopped and started, as on AWS.'),
  ];
}

export function revokeStatePanel(data: RoleBundle, roleName: string, refresh: () => void): Child {
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
