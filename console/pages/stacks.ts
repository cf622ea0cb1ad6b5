/**
 * Stacks: the account's CloudFormation stacks, newest first, with their status, as AWS's console
 * lists them: the live ones (DescribeStacks), or the deleted ones (ListStacks, DELETE_COMPLETE).
 * While a stack is being created, updated or deleted the list loads again on every tick.
 */
import { describeStacks, listDeletedStacks, type StackListing } from '../api/cloudformation.js';
import { inProgress, stackStatusBadge } from '../components/stack-status.js';
import { emptyState, loading } from '../components/states.js';
import { dataTable } from '../components/table.js';
import { h, link } from '../lib/dom.js';
import { timeElement } from '../lib/format.js';
import { route, type PageContext } from '../lib/page.js';

type View = 'active' | 'deleted';
const VIEWS: ReadonlyArray<[View, string]> = [['active', 'Active'], ['deleted', 'Deleted']];

/** The stack's page, by name and id (the id keeps finding it once it is deleted). */
export const stackRoute = (stack: StackListing): string => route(['stacks', stack.stackName], { id: stack.stackId });

function stacksTable(stacks: readonly StackListing[], view: View): HTMLElement {
  return dataTable({
    caption: view === 'deleted' ? 'Deleted stacks' : 'Stacks', rows: stacks, key: (stack) => stack.stackId,
    empty: view === 'deleted'
      ? emptyState('No deleted stacks.')
      : emptyState('No stacks.', 'Create one with: aws cloudformation create-stack --stack-name NAME --template-body file://template.yaml'),
    columns: [
      { header: 'Stack name', cell: (stack) => link(stackRoute(stack), stack.stackName) },
      { header: 'Status', cell: (stack) => [stackStatusBadge(stack.status), stack.statusReason ? [h('br'), h('span', { class: 'muted' }, stack.statusReason)] : null] },
      { header: 'Created', cell: (stack) => timeElement(stack.creationTime), className: 'nowrap' },
      view === 'deleted'
        ? { header: 'Deleted', cell: (stack) => timeElement(stack.deletionTime), className: 'nowrap' }
        : { header: 'Updated', cell: (stack) => timeElement(stack.lastUpdatedTime), className: 'nowrap' },
      { header: 'Description', cell: (stack) => stack.description ?? '' },
    ],
  });
}

export function render(context: PageContext): void {
  let view: View = context.params.get('view') === 'deleted' ? 'deleted' : 'active';
  context.setTitle('Stacks');
  const region = h('div', { 'aria-busy': 'true' }, loading('stacks'));
  const load = async (): Promise<{ view: View; stacks: StackListing[] }> => {
    const wanted = view;
    return { view: wanted, stacks: wanted === 'deleted' ? await listDeletedStacks() : await describeStacks() };
  };
  const live = context.live.live(region, load, (data) => stacksTable(data.stacks, data.view), { busy: (data) => data.stacks.some((stack) => inProgress(stack.status)) });
  const select = h('select', { id: 'stacks-view' }, VIEWS.map(([value, label]) => h('option', { value, selected: value === view }, label)));
  select.addEventListener('change', () => {
    view = select.value === 'deleted' ? 'deleted' : 'active';
    context.remember(route(['stacks'], { view: view === 'deleted' ? view : undefined }));
    void live.refresh();
  });
  context.main.append(
    h('h1', { tabindex: -1 }, 'Stacks'),
    h('p', { class: 'lede' }, 'CloudFormation stacks: what they created and how it went. Open a stack for its resources, outputs and events.'),
    h('div', { class: 'filters' }, h('label', { for: 'stacks-view' }, 'Show'), select),
    region,
  );
}
