/**
 * Reading stacks: DescribeStacks, ListStacks, DescribeStackEvents, DescribeStackResource(s),
 * ListStackResources. A deleted stack is found by its id (not by its name), as on AWS, and is
 * listed by ListStacks with DELETE_COMPLETE. Events come newest first.
 */
import { operation, type OperationMap } from '../../service.js';
import { validationError } from '../errors.js';
import { STACK_STATUSES, type StackRecord } from '../types.js';
import { stackNameOrId } from './input.js';
import {
  eventXml, stackResourceDetailXml, stackResourceSummaryXml, stackResourceXml, stackSummaryXml, stackXml,
} from './shapes.js';
import { cfnAction, page, requireStack, stackAuthorization } from './stacks.js';

const newestFirst = (a: StackRecord, b: StackRecord): number => (a.creationTime < b.creationTime ? 1 : a.creationTime > b.creationTime ? -1 : 0);

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html */
const DescribeStacks = operation<{ stackName?: string; nextToken?: string }>({
  input: (query) => ({
    ...(query.has('StackName') ? { stackName: stackNameOrId(query) } : {}),
    ...(query.optional('NextToken') !== undefined ? { nextToken: query.optional('NextToken')! } : {}),
  }),
  authorize: (input, ctx) => (input.stackName === undefined ? { action: cfnAction('DescribeStacks'), resource: '*' } : stackAuthorization(ctx, 'DescribeStacks', input.stackName)),
  handle(input, ctx) {
    if (input.stackName !== undefined) return { Stacks: [stackXml(requireStack(ctx.app, input.stackName))] };
    const live = ctx.app.cloudformation.stacks.list().filter((stack) => stack.status !== 'DELETE_COMPLETE').sort(newestFirst);
    const { items, nextToken } = page(live, input.nextToken, 100);
    return { Stacks: items.map(stackXml), NextToken: nextToken };
  },
});

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStacks.html */
const ListStacks = operation<{ filter: string[]; nextToken?: string }>({
  input: (query) => {
    const filter = query.list('StackStatusFilter');
    for (const status of filter) {
      if (!(STACK_STATUSES as readonly string[]).includes(status)) {
        throw validationError(`1 validation error detected: Value '[${filter.join(', ')}]' at 'stackStatusFilter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${STACK_STATUSES.join(', ')}]]`);
      }
    }
    return { filter, ...(query.optional('NextToken') !== undefined ? { nextToken: query.optional('NextToken')! } : {}) };
  },
  authorize: () => ({ action: cfnAction('ListStacks'), resource: '*' }),
  handle(input, ctx) {
    const stacks = ctx.app.cloudformation.stacks.list()
      .filter((stack) => input.filter.length === 0 || input.filter.includes(stack.status))
      .sort(newestFirst);
    const { items, nextToken } = page(stacks, input.nextToken, 100);
    return { StackSummaries: items.map(stackSummaryXml), NextToken: nextToken };
  },
});

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackEvents.html */
const DescribeStackEvents = operation<{ stackName: string; nextToken?: string }>({
  input: (query) => ({ stackName: stackNameOrId(query), ...(query.optional('NextToken') !== undefined ? { nextToken: query.optional('NextToken')! } : {}) }),
  authorize: (input, ctx) => stackAuthorization(ctx, 'DescribeStackEvents', input.stackName),
  handle(input, ctx) {
    const stack = requireStack(ctx.app, input.stackName);
    const events = ctx.app.cloudformation.stackEvents(stack.stackId);
    const { items, nextToken } = page(events, input.nextToken, 100);
    return { StackEvents: items.map(eventXml), NextToken: nextToken };
  },
});

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResource.html */
const DescribeStackResource = operation<{ stackName: string; logicalId: string }>({
  input: (query) => ({ stackName: stackNameOrId(query), logicalId: query.required('LogicalResourceId') }),
  authorize: (input, ctx) => stackAuthorization(ctx, 'DescribeStackResource', input.stackName),
  handle(input, ctx) {
    const stack = requireStack(ctx.app, input.stackName);
    const resource = stack.resources[input.logicalId];
    if (!resource) throw validationError(`Resource ${input.logicalId} does not exist for stack ${stack.stackName}`);
    return { StackResourceDetail: stackResourceDetailXml(stack, resource) };
  },
});

/**
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResources.html —
 * by stack (optionally one logical id) or by a physical id, which finds its stack (all its resources).
 */
const DescribeStackResources = operation<{ stackName?: string; logicalId?: string; physicalId?: string }>({
  input: (query) => {
    const stackName = query.has('StackName') ? stackNameOrId(query) : undefined;
    const physicalId = query.optional('PhysicalResourceId');
    if (stackName === undefined && physicalId === undefined) throw validationError('Either StackName or PhysicalResourceId must be specified.');
    return {
      ...(stackName !== undefined ? { stackName } : {}),
      ...(physicalId !== undefined ? { physicalId } : {}),
      ...(query.optional('LogicalResourceId') !== undefined ? { logicalId: query.optional('LogicalResourceId')! } : {}),
    };
  },
  authorize: (input, ctx) => (input.stackName !== undefined
    ? stackAuthorization(ctx, 'DescribeStackResources', input.stackName)
    : { action: cfnAction('DescribeStackResources'), resource: '*' }),
  handle(input, ctx) {
    const stack = input.stackName !== undefined
      ? requireStack(ctx.app, input.stackName)
      : ctx.app.cloudformation.stacks.list().find((candidate) => candidate.status !== 'DELETE_COMPLETE'
        && Object.values(candidate.resources).some((resource) => resource.physicalId === input.physicalId));
    if (!stack) throw validationError(`Stack for ${input.physicalId} does not exist`);
    const resources = Object.values(stack.resources).filter((resource) => input.logicalId === undefined || resource.logicalId === input.logicalId);
    return { StackResources: resources.map((resource) => stackResourceXml(stack, resource)) };
  },
});

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackResources.html */
const ListStackResources = operation<{ stackName: string; nextToken?: string }>({
  input: (query) => ({ stackName: stackNameOrId(query), ...(query.optional('NextToken') !== undefined ? { nextToken: query.optional('NextToken')! } : {}) }),
  authorize: (input, ctx) => stackAuthorization(ctx, 'ListStackResources', input.stackName),
  handle(input, ctx) {
    const stack = requireStack(ctx.app, input.stackName);
    const { items, nextToken } = page(Object.values(stack.resources), input.nextToken, 100);
    return { StackResourceSummaries: items.map(stackResourceSummaryXml), NextToken: nextToken };
  },
});

export const describeOperations: OperationMap = {
  DescribeStacks, ListStacks, DescribeStackEvents, DescribeStackResource, DescribeStackResources, ListStackResources,
};
