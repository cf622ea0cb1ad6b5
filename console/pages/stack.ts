/**
 * Stack: one CloudFormation stack, as AWS's console shows it: its status, why it failed (read from
 * its events, see api/stack-failure.ts), its resources with their physical ids, outputs, parameters
 * and events newest first. The page asks by the stack's id (#/stacks/NAME?id=ARN; opened by name
 * alone, it learns the id at the first answer), so it follows a stack through its deletion to
 * DELETE_COMPLETE. While the stack is changing the page loads again on every tick.
 */
import { describeStackEvents, describeStackResources, describeStacks, type Stack, type StackEvent, type StackResource } from '../api/cloudformation.js';
import { inProgress } from '../components/stack-status.js';
import { emptyState, loading } from '../components/states.js';
import { ApiError } from '../lib/api.js';
import { h, link, type Child } from '../lib/dom.js';
import { route, type PageContext } from '../lib/page.js';
import { eventsTable, failure, outputsTable, parametersTable, resourcesTable, summary } from './stack/sections.js';

type StackPage = { stack: Stack; events: StackEvent[]; resources: StackResource[] } | { missing: string };

/** DescribeStacks' answer for a stack name no live stack has (or an id never seen). */
const notFound = (error: unknown): boolean => error instanceof ApiError && error.code === 'ValidationError' && /does not exist/.test(error.message);

/**
 * The stack first, then its events and resources: they are then at least as new as its status, so
 * that a status which ends the fast polling never comes with the events from before it.
 */
async function load(reference: string): Promise<StackPage> {
  try {
    const [stack] = await describeStacks(reference);
    if (!stack) return { missing: reference };
    const [events, resources] = await Promise.all([describeStackEvents(stack.stackId), describeStackResources(stack.stackId)]);
    return { stack, events, resources };
  } catch (error) {
    if (notFound(error)) return { missing: reference };
    throw error;
  }
}

function content(data: StackPage): Child {
  if ('missing' in data) {
    return emptyState('This stack does not exist.', `No stack is named ${data.missing}. A deleted stack is listed among the `, link(route(['stacks'], { view: 'deleted' }), 'deleted stacks'), '.');
  }
  return [
    summary(data.stack),
    failure(data.stack, data.events),
    h('h2', {}, 'Resources'), resourcesTable(data.resources),
    h('h2', {}, 'Outputs'), outputsTable(data.stack),
    h('h2', {}, 'Parameters'), parametersTable(data.stack),
    h('h2', {}, 'Events'), eventsTable(data.events),
  ];
}

export function render(context: PageContext): void {
  const stackName = context.segments[0] ?? '';
  let reference = context.params.get('id') ?? stackName;
  context.setTitle(`Stack ${stackName}`);
  const region = h('div', { 'aria-busy': 'true' }, loading('the stack'));
  context.live.live(region, async () => {
    const data = await load(reference);
    if ('stack' in data && reference !== data.stack.stackId && context.live.active) {
      reference = data.stack.stackId;
      context.remember(route(['stacks', stackName], { id: reference }));
    }
    return data;
  }, content, { busy: (data) => 'stack' in data && inProgress(data.stack.status) });
  context.main.append(
    h('p', { class: 'breadcrumbs' }, link(route(['stacks']), 'Stacks'), ' › ', stackName),
    h('h1', { tabindex: -1 }, stackName),
    region,
  );
}
