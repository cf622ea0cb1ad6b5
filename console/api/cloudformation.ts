/**
 * CloudFormation's read calls (query protocol, 2010-05-15), in AWS's own order: stacks newest
 * first, events newest first. A stack is named by its name while it lives and by its id (its ARN)
 * for good: DescribeStacks finds a deleted stack by id only, so a page that follows a stack
 * through its deletion asks by id.
 */
import { callQuery, CLOUDFORMATION, everyPage } from '../lib/api.js';
import { list, optionalText, text, type XmlValue } from '../lib/xml.js';

/** What a list of stacks shows of each (DescribeStacks' Stack, ListStacks' StackSummary). */
export interface StackListing {
  stackName: string;
  stackId: string;
  status: string;
  statusReason?: string;
  description?: string;
  creationTime: string;
  lastUpdatedTime?: string;
  deletionTime?: string;
}

export interface Stack extends StackListing {
  outputs: Array<{ key: string; value: string; description?: string; exportName?: string }>;
  parameters: Array<{ key: string; value: string }>;
}

export interface StackEvent {
  eventId: string;
  timestamp: string;
  logicalResourceId: string;
  resourceType: string;
  status: string;
  statusReason?: string;
}

export interface StackResource {
  logicalResourceId: string;
  physicalResourceId?: string;
  resourceType: string;
  status: string;
  statusReason?: string;
  timestamp: string;
}

/** The type of a stack's own events (and of nested stacks). */
export const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** how many pages of a paged answer the console reads (100 stacks or events a page) */
const MAX_PAGES = 10;

function pick<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function listing(value: XmlValue, description: 'Description' | 'TemplateDescription'): StackListing {
  return pick({
    stackName: text(value, 'StackName'), stackId: text(value, 'StackId'), status: text(value, 'StackStatus'),
    statusReason: optionalText(value, 'StackStatusReason'), description: optionalText(value, description),
    creationTime: text(value, 'CreationTime'), lastUpdatedTime: optionalText(value, 'LastUpdatedTime'), deletionTime: optionalText(value, 'DeletionTime'),
  });
}

function stack(value: XmlValue): Stack {
  return {
    ...listing(value, 'Description'),
    outputs: list(value, 'Outputs').map((output) => pick({
      key: text(output, 'OutputKey'), value: text(output, 'OutputValue'), description: optionalText(output, 'Description'), exportName: optionalText(output, 'ExportName'),
    })),
    parameters: list(value, 'Parameters').map((parameter) => ({ key: text(parameter, 'ParameterKey'), value: text(parameter, 'ParameterValue') })),
  };
}

/** Calls a paged action, reading up to MAX_PAGES pages. */
function paged<T>(action: string, params: Record<string, string>, items: (result: XmlValue) => T[]): Promise<T[]> {
  return everyPage(CLOUDFORMATION, action, params, { token: 'NextToken' }, items, MAX_PAGES);
}

/** DescribeStacks: the live stacks, or one stack by name or id. */
export async function describeStacks(stackNameOrId?: string): Promise<Stack[]> {
  return paged('DescribeStacks', stackNameOrId === undefined ? {} : { StackName: stackNameOrId }, (result) => list(result, 'Stacks').map(stack));
}

/** ListStacks: deleted stacks (DELETE_COMPLETE). */
export async function listDeletedStacks(): Promise<StackListing[]> {
  return paged('ListStacks', { 'StackStatusFilter.member.1': 'DELETE_COMPLETE' }, (result) => list(result, 'StackSummaries').map((summary) => listing(summary, 'TemplateDescription')));
}

/** DescribeStackEvents: newest first. */
export async function describeStackEvents(stackNameOrId: string): Promise<StackEvent[]> {
  return paged('DescribeStackEvents', { StackName: stackNameOrId }, (result) => list(result, 'StackEvents').map((event) => pick({
    eventId: text(event, 'EventId'), timestamp: text(event, 'Timestamp'), logicalResourceId: text(event, 'LogicalResourceId'),
    resourceType: text(event, 'ResourceType'), status: text(event, 'ResourceStatus'), statusReason: optionalText(event, 'ResourceStatusReason'),
  })));
}

/** DescribeStackResources: every resource of the stack. */
export async function describeStackResources(stackNameOrId: string): Promise<StackResource[]> {
  const result = await callQuery(CLOUDFORMATION, 'DescribeStackResources', { StackName: stackNameOrId });
  return list(result, 'StackResources').map((resource) => pick({
    logicalResourceId: text(resource, 'LogicalResourceId'), physicalResourceId: optionalText(resource, 'PhysicalResourceId'),
    resourceType: text(resource, 'ResourceType'), status: text(resource, 'ResourceStatus'), statusReason: optionalText(resource, 'ResourceStatusReason'),
    timestamp: text(resource, 'Timestamp'),
  }));
}
