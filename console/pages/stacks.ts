/**
 * Stacks: CloudFormation stacks with their status, outputs, parameters, resources and events. When
 * iamd does not serve CloudFormation, the page says so instead of showing an error.
 */
import { describeStackEvents, describeStackResources, describeStacks, type Stack, type StackEvent, type StackResource } from '../api/cloudformation.js';
import { emptyState, loading } from '../components/states.js';
import { badge, dataTable } from '../components/table.js';
import { ApiError } from '../lib/api.js';
import { h, link, type Child } from '../lib/dom.js';
import { timeElement } from '../lib/format.js';
import { route, type PageContext } from '../lib/page.js';

type Unavailable = { unavailable: true; message: string };

/** A load whose "CloudFormation is not served" failure is a state, not an error. */
async function orUnavailable<T>(load: () => Promise<T>): Promise<T | Unavailable> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiError && error.serviceUnavailable) return { unavailable: true, message: error.message };
    throw error;
  }
}

const isUnavailable = (value: unknown): value is Unavailable => typeof value === 'object' && value !== null && 'unavailable' in value;

function unavailableState(state: Unavailable): HTMLElement {
  return h('div', { class: 'empty', role: 'status' },
    h('p', { class: 'empty-title' }, 'CloudFormation is not available on this server.'),
    h('p', {}, 'This iamd does not serve the CloudFormation API yet, so there are no stacks to show. ', h('span', { class: 'muted' }, `(${state.message})`)));
}

function statusBadge(status: string): HTMLElement {
  const tone = /FAILED|ROLLBACK/.test(status) ? 'bad' : /IN_PROGRESS/.test(status) ? 'warn' : /COMPLETE/.test(status) ? 'ok' : 'neutral';
  return badge(status, tone);
}

function listPage(context: PageContext): void {
  context.setTitle('Stacks');
  const region = h('div', { 'aria-busy': 'true' }, loading('stacks'));
  context.live.live(region, () => orUnavailable(() => describeStacks()), (stacks) => (isUnavailable(stacks) ? unavailableState(stacks) : dataTable({
    caption: 'Stacks', rows: stacks, key: (stack) => stack.stackId,
    empty: emptyState('No stacks.', 'Create one with: aws cloudformation create-stack --stack-name NAME --template-body file://template.yaml'),
    columns: [
      { header: 'Stack name', cell: (stack) => link(route(['stacks', stack.stackName]), stack.stackName) },
      { header: 'Status', cell: (stack) => [statusBadge(stack.status), stack.statusReason ? [h('br'), h('span', { class: 'muted' }, stack.statusReason)] : null] },
      { header: 'Created', cell: (stack) => timeElement(stack.creationTime), className: 'nowrap' },
      { header: 'Updated', cell: (stack) => timeElement(stack.lastUpdatedTime), className: 'nowrap' },
      { header: 'Description', cell: (stack) => stack.description ?? '' },
    ],
  })));
  context.main.append(
    h('h1', { tabindex: -1 }, 'Stacks'),
    h('p', { class: 'lede' }, 'CloudFormation stacks: what they created and how it went.'),
    region,
  );
}

interface StackDetail {
  stack?: Stack;
  events: StackEvent[];
  resources: StackResource[];
}

async function loadDetail(stackName: string): Promise<StackDetail> {
  const [stacks, events, resources] = await Promise.all([describeStacks(stackName), describeStackEvents(stackName), describeStackResources(stackName)]);
  return { ...(stacks[0] ? { stack: stacks[0] } : {}), events, resources };
}

function detail(data: StackDetail): Child {
  const stack = data.stack;
  if (!stack) return emptyState('This stack does not exist.');
  return [
    h('dl', { class: 'summary' },
      h('dt', {}, 'Status'), h('dd', {}, statusBadge(stack.status), stack.statusReason ? ` ${stack.statusReason}` : ''),
      h('dt', {}, 'Stack ID'), h('dd', { class: 'mono break' }, stack.stackId),
      h('dt', {}, 'Created'), h('dd', {}, timeElement(stack.creationTime)),
      h('dt', {}, 'Updated'), h('dd', {}, timeElement(stack.lastUpdatedTime)),
      stack.description ? [h('dt', {}, 'Description'), h('dd', {}, stack.description)] : null),
    h('h2', {}, 'Outputs'),
    dataTable({
      caption: 'Outputs', rows: stack.outputs, key: (output) => output.key, empty: emptyState('No outputs.'),
      columns: [
        { header: 'Key', cell: (output) => output.key },
        { header: 'Value', cell: (output) => h('span', { class: 'mono break' }, output.value) },
        { header: 'Description', cell: (output) => output.description ?? '' },
        { header: 'Export name', cell: (output) => output.exportName ?? '' },
      ],
    }),
    h('h2', {}, 'Parameters'),
    dataTable({
      caption: 'Parameters', rows: stack.parameters, key: (parameter) => parameter.key, empty: emptyState('No parameters.'),
      columns: [{ header: 'Key', cell: (parameter) => parameter.key }, { header: 'Value', cell: (parameter) => h('span', { class: 'mono break' }, parameter.value) }],
    }),
    h('h2', {}, 'Resources'),
    dataTable({
      caption: 'Resources', rows: data.resources, key: (resource) => resource.logicalResourceId, empty: emptyState('No resources.'),
      columns: [
        { header: 'Logical ID', cell: (resource) => resource.logicalResourceId },
        { header: 'Physical ID', cell: (resource) => h('span', { class: 'mono break' }, resource.physicalResourceId ?? '—') },
        { header: 'Type', cell: (resource) => resource.resourceType, className: 'mono' },
        { header: 'Status', cell: (resource) => [statusBadge(resource.status), resource.statusReason ? [h('br'), h('span', { class: 'muted' }, resource.statusReason)] : null] },
        { header: 'Updated', cell: (resource) => timeElement(resource.timestamp), className: 'nowrap' },
      ],
    }),
    h('h2', {}, 'Events'),
    dataTable({
      caption: 'Events', rows: data.events, key: (event) => event.eventId, empty: emptyState('No events.'),
      rowClass: (event) => (/FAILED/.test(event.status) ? 'row-denied' : undefined),
      columns: [
        { header: 'Time', cell: (event) => timeElement(event.timestamp), className: 'nowrap' },
        { header: 'Logical ID', cell: (event) => event.logicalResourceId },
        { header: 'Type', cell: (event) => event.resourceType, className: 'mono' },
        { header: 'Status', cell: (event) => statusBadge(event.status) },
        { header: 'Reason', cell: (event) => event.statusReason ?? '' },
      ],
    }),
  ];
}

function detailPage(context: PageContext, stackName: string): void {
  context.setTitle(`Stack ${stackName}`);
  const region = h('div', { 'aria-busy': 'true' }, loading('the stack'));
  context.live.live(region, () => orUnavailable(() => loadDetail(stackName)), (data) => {
    if (isUnavailable(data)) return unavailableState(data);
    return detail(data);
  });
  context.main.append(
    h('p', { class: 'breadcrumbs' }, link(route(['stacks']), 'Stacks'), ' › ', stackName),
    h('h1', { tabindex: -1 }, stackName),
    region,
  );
}

export function render(context: PageContext): void {
  const stackName = context.segments[0];
  if (stackName) detailPage(context, stackName);
  else listPage(context);
}
