/** The parts of a stack's page: its summary, why it failed, its resources, outputs, parameters and events. */
import type { Stack, StackEvent, StackResource } from '../../api/cloudformation.js';
import { stackFailure } from '../../api/stack-failure.js';
import { stackStatusBadge } from '../../components/stack-status.js';
import { emptyState } from '../../components/states.js';
import { dataTable } from '../../components/table.js';
import { h, type Child } from '../../lib/dom.js';
import { timeElement } from '../../lib/format.js';

export function summary(stack: Stack): HTMLElement {
  return h('dl', { class: 'summary' },
    h('dt', {}, 'Status'), h('dd', { id: 'stack-status' }, stackStatusBadge(stack.status), stack.statusReason ? [' ', h('span', { class: 'muted' }, stack.statusReason)] : null),
    h('dt', {}, 'Stack ID'), h('dd', { class: 'mono break' }, stack.stackId),
    stack.description ? [h('dt', {}, 'Description'), h('dd', {}, stack.description)] : null,
    h('dt', {}, 'Created'), h('dd', {}, timeElement(stack.creationTime)),
    h('dt', {}, 'Updated'), h('dd', {}, timeElement(stack.lastUpdatedTime)),
    stack.deletionTime ? [h('dt', {}, 'Deleted'), h('dd', {}, timeElement(stack.deletionTime))] : null);
}

/** What failed in the stack's last operation, with each resource's reason (nothing when it did not fail). */
export function failure(stack: Stack, events: readonly StackEvent[]): Child {
  const found = stackFailure(stack, events);
  if (!found) return null;
  return h('section', { class: 'callout callout-bad', 'aria-labelledby': 'stack-failure' },
    h('h2', { id: 'stack-failure' }, 'Why the stack failed'),
    found.resources.length === 0 ? h('p', {}, 'No resource reported a failure.') : h('ul', {}, found.resources.map((event) => h('li', {},
      h('strong', {}, event.logicalResourceId), ` (${event.resourceType}) `, stackStatusBadge(event.status), h('br'),
      h('span', { class: 'break' }, event.statusReason ?? 'No reason given.')))),
    found.stackReasons.map((reason) => h('p', { class: 'muted break' }, reason)));
}

export function resourcesTable(resources: readonly StackResource[]): HTMLElement {
  return dataTable({
    caption: 'Resources', rows: resources, key: (resource) => resource.logicalResourceId, empty: emptyState('No resources.'),
    columns: [
      { header: 'Logical ID', cell: (resource) => resource.logicalResourceId },
      { header: 'Physical ID', cell: (resource) => h('span', { class: 'mono break' }, resource.physicalResourceId ?? '—') },
      { header: 'Type', cell: (resource) => resource.resourceType, className: 'mono' },
      { header: 'Status', cell: (resource) => [stackStatusBadge(resource.status), resource.statusReason ? [h('br'), h('span', { class: 'muted break' }, resource.statusReason)] : null] },
      { header: 'Updated', cell: (resource) => timeElement(resource.timestamp), className: 'nowrap' },
    ],
  });
}

export function outputsTable(stack: Stack): HTMLElement {
  return dataTable({
    caption: 'Outputs', rows: stack.outputs, key: (output) => output.key, empty: emptyState('No outputs.'),
    columns: [
      { header: 'Key', cell: (output) => output.key },
      { header: 'Value', cell: (output) => h('span', { class: 'mono break' }, output.value) },
      { header: 'Description', cell: (output) => output.description ?? '' },
      { header: 'Export name', cell: (output) => output.exportName ?? '' },
    ],
  });
}

export function parametersTable(stack: Stack): HTMLElement {
  return dataTable({
    caption: 'Parameters', rows: stack.parameters, key: (parameter) => parameter.key, empty: emptyState('No parameters.'),
    columns: [{ header: 'Key', cell: (parameter) => parameter.key }, { header: 'Value', cell: (parameter) => h('span', { class: 'mono break' }, parameter.value) }],
  });
}

/** Newest first, as DescribeStackEvents answers and AWS's console shows them. */
export function eventsTable(events: readonly StackEvent[]): HTMLElement {
  return dataTable({
    caption: 'Events', rows: events, key: (event) => event.eventId, empty: emptyState('No events.'),
    rowClass: (event) => (event.status.endsWith('_FAILED') ? 'row-denied' : undefined),
    columns: [
      { header: 'Time', cell: (event) => timeElement(event.timestamp), className: 'nowrap' },
      { header: 'Logical ID', cell: (event) => event.logicalResourceId },
      { header: 'Type', cell: (event) => event.resourceType, className: 'mono' },
      { header: 'Status', cell: (event) => stackStatusBadge(event.status) },
      { header: 'Reason', cell: (event) => h('span', { class: 'break' }, event.statusReason ?? '') },
    ],
  });
}
