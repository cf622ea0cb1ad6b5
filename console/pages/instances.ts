/**
 * Instances: state, network, instance profile and metadata options, with start/stop and "issue
 * fresh credentials" (iamd:RevokeInstanceSessions: what the instance holds is revoked and its
 * metadata service serves a fresh credential at the next fetch, the recovery without stop/start).
 */
import { describeInstances, startInstance, stopInstance, type Instance } from '../api/ec2.js';
import { listInstanceProfiles, type InstanceProfile } from '../api/iam.js';
import { isLive, listSessions, revokeInstanceSessions, type Session } from '../api/iamd.js';
import { confirmDialog } from '../components/dialog.js';
import { announce } from '../components/notice.js';
import { emptyState, errorTitle, loading } from '../components/states.js';
import { badge, dataTable } from '../components/table.js';
import { append, h, link, type Child } from '../lib/dom.js';
import { timeElement } from '../lib/format.js';
import { route, type PageContext } from '../lib/page.js';

interface InstancesData {
  instances: Instance[];
  /** profile ARN -> role names; undefined when ListInstanceProfiles is not allowed */
  profiles?: Record<string, string[]>;
  /** live sessions by instance; undefined when ListSessions is not allowed */
  sessions?: Record<string, number>;
}

async function load(): Promise<InstancesData> {
  const [instances, profiles, sessions] = await Promise.all([
    describeInstances(), listInstanceProfiles().catch(() => undefined), listSessions().catch(() => undefined),
  ]);
  const data: InstancesData = { instances };
  if (profiles) data.profiles = Object.fromEntries(profiles.map((profile: InstanceProfile) => [profile.arn, profile.roleNames]));
  if (sessions) {
    const counts: Record<string, number> = {};
    for (const session of sessions.filter((item: Session) => isLive(item) && item.instanceId !== undefined)) counts[session.instanceId!] = (counts[session.instanceId!] ?? 0) + 1;
    data.sessions = counts;
  }
  return data;
}

const STATE_TONES: Record<string, 'ok' | 'warn' | 'bad' | 'neutral'> = { running: 'ok', pending: 'warn', stopping: 'warn', stopped: 'neutral', 'shutting-down': 'warn', terminated: 'bad' };

function profileCell(instance: Instance, data: InstancesData): Child {
  if (!instance.instanceProfileArn) return h('span', { class: 'muted' }, 'None');
  const name = instance.instanceProfileArn.slice(instance.instanceProfileArn.lastIndexOf('/') + 1);
  const roles = data.profiles?.[instance.instanceProfileArn] ?? [];
  return [h('span', { class: 'mono' }, name), ...roles.map((role) => [h('br'), 'role ', link(route(['roles', role]), role)])];
}

function metadataCell(instance: Instance): Child {
  const { httpTokens, httpEndpoint, hopLimit } = instance.metadata;
  if (httpEndpoint === 'disabled') return badge('IMDS disabled', 'neutral');
  return [
    httpTokens === 'required' ? badge('IMDSv2 required', 'ok') : badge('IMDSv1 allowed', 'warn'),
    hopLimit !== undefined ? h('span', { class: 'muted' }, ` hop limit ${hopLimit}`) : null,
  ];
}

async function act(label: string, action: () => Promise<string>, refresh: () => void): Promise<void> {
  try {
    announce(await action());
  } catch (error) {
    announce(`${label}: ${errorTitle(error)}: ${error instanceof Error ? error.message : String(error)}`, 'bad');
  }
  refresh();
}

function actions(instance: Instance, refresh: () => void): Child {
  const id = instance.instanceId;
  const start = h('button', { type: 'button', class: 'button small', 'data-focus': `start:${id}`, 'aria-label': `Start ${id}`, disabled: instance.state !== 'stopped' }, 'Start');
  start.addEventListener('click', () => { void act('Start', async () => { await startInstance(id); return `Starting ${id}.`; }, refresh); });
  const stop = h('button', { type: 'button', class: 'button small', 'data-focus': `stop:${id}`, 'aria-label': `Stop ${id}`, disabled: instance.state !== 'running' && instance.state !== 'pending' }, 'Stop');
  stop.addEventListener('click', () => {
    void confirmDialog({
      title: `Stop ${id}?`, confirmLabel: 'Stop instance',
      body: [h('p', {}, 'The instance stops: its metadata service and address go away until it is started again. When it starts, its metadata service issues new credentials.')],
    }).then((confirmed) => (confirmed ? act('Stop', async () => { await stopInstance(id); return `Stopping ${id}.`; }, refresh) : undefined));
  });
  const fresh = h('button', { type: 'button', class: 'button small', 'data-focus': `fresh:${id}`, 'aria-label': `Issue fresh credentials to ${id}`, disabled: !instance.instanceProfileArn }, 'Issue fresh credentials');
  fresh.addEventListener('click', () => {
    void confirmDialog({
      title: `Issue fresh credentials to ${id}?`, confirmLabel: 'Issue fresh credentials',
      body: [h('p', {}, 'Every credential this instance holds is revoked, and its metadata service serves a new one at the next fetch: ',
        'workloads recover without a stop/start, while copies of the old credentials stop working.')],
    }).then((confirmed) => (confirmed ? act('Issue fresh credentials', async () => {
      const revoked = await revokeInstanceSessions(id);
      return `${id}: ${revoked.length} credential${revoked.length === 1 ? '' : 's'} revoked; a fresh one is served at the next fetch.`;
    }, refresh) : undefined));
  });
  return h('div', { class: 'actions' }, start, stop, fresh);
}

export function render(context: PageContext): void {
  context.setTitle('Instances');
  const only = context.params.get('instance') ?? '';
  const region = h('div', { 'aria-busy': 'true' }, loading('instances'));
  const view = context.live.live(region, load, (data) => {
    const rows = only === '' ? data.instances : data.instances.filter((instance) => instance.instanceId === only);
    return dataTable({
      caption: 'Instances', rows, key: (instance) => instance.instanceId,
      empty: data.instances.length === 0
        ? emptyState('No instances.', 'Launch one with: aws ec2 run-instances --image-id ami-03c951bbe993ea087 --instance-type t3.micro --iam-instance-profile Name=PROFILE')
        : emptyState(`No instance ${only}.`),
      columns: [
        { header: 'Instance', cell: (instance) => [h('span', { class: 'mono nowrap' }, instance.instanceId), instance.name ? [h('br'), instance.name] : null] },
        { header: 'State', cell: (instance) => badge(instance.state, STATE_TONES[instance.state] ?? 'neutral') },
        { header: 'Type', cell: (instance) => instance.instanceType, className: 'nowrap' },
        { header: 'Private IP', cell: (instance) => instance.privateIpAddress ?? '—', className: 'mono' },
        { header: 'VPC / subnet', cell: (instance) => [h('span', { class: 'mono' }, instance.vpcId ?? '—'), h('br'), h('span', { class: 'mono muted' }, instance.subnetId ?? '')] },
        { header: 'Instance profile', cell: (instance) => profileCell(instance, data) },
        { header: 'Metadata (IMDS)', cell: metadataCell },
        {
          header: 'Live sessions',
          cell: (instance) => (data.sessions ? link(route(['sessions'], { instance: instance.instanceId }), String(data.sessions[instance.instanceId] ?? 0)) : '—'),
          className: 'number',
        },
        { header: 'Launched', cell: (instance) => timeElement(instance.launchTime), className: 'nowrap' },
        { header: 'Actions', cell: (instance) => actions(instance, () => { void view.refresh(); }) },
      ],
    });
  });
  append(context.main,
    h('h1', { tabindex: -1 }, 'Instances'),
    h('p', { class: 'lede' }, 'EC2 instances, the role their metadata service hands credentials for, and how that service may be reached.'),
    only === '' ? null : h('p', {}, `Instance ${only} only. `, link(route(['instances']), 'Show every instance')),
    region,
  );
}
