/**
 * CloudFormation's read calls (query protocol, 2010-05-15). iamd may not serve CloudFormation yet:
 * the call then fails with ApiError.serviceUnavailable and the Stacks page says so.
 */
import { callQuery, CLOUDFORMATION } from '../lib/api.js';
import { list, optionalText, text, type XmlValue } from '../lib/xml.js';

export interface Stack {
  stackName: string;
  stackId: string;
  status: string;
  statusReason?: string;
  description?: string;
  creationTime: string;
  lastUpdatedTime?: string;
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

function pick<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function stack(value: XmlValue): Stack {
  return pick({
    stackName: text(value, 'StackName'), stackId: text(value, 'StackId'), status: text(value, 'StackStatus'),
    statusReason: optionalText(value, 'StackStatusReason'), description: optionalText(value, 'Description'),
    creationTime: text(value, 'CreationTime'), lastUpdatedTime: optionalText(value, 'LastUpdatedTime'),
    outputs: list(value, 'Outputs').map((output) => pick({
      key: text(output, 'OutputKey'), value: text(output, 'OutputValue'), description: optionalText(output, 'Description'), exportName: optionalText(output, 'ExportName'),
    })),
    parameters: list(value, 'Parameters').map((parameter) => ({ key: text(parameter, 'ParameterKey'), value: text(parameter, 'ParameterValue') })),
  });
}

export async function describeStacks(stackName?: string): Promise<Stack[]> {
  const stacks: Stack[] = [];
  let token: string | undefined;
  for (let page = 0; page < 50; page++) {
    const params: Record<string, string> = {};
    if (stackName !== undefined) params.StackName = stackName;
    if (token !== undefined) params.NextToken = token;
    const result = await callQuery(CLOUDFORMATION, 'DescribeStacks', params);
    stacks.push(...list(result, 'Stacks').map(stack));
    token = optionalText(result, 'NextToken');
    if (token === undefined) break;
  }
  return stacks;
}

export async function describeStackEvents(stackName: string): Promise<StackEvent[]> {
  const result = await callQuery(CLOUDFORMATION, 'DescribeStackEvents', { StackName: stackName });
  return list(result, 'StackEvents').map((event) => pick({
    eventId: text(event, 'EventId'), timestamp: text(event, 'Timestamp'), logicalResourceId: text(event, 'LogicalResourceId'),
    resourceType: text(event, 'ResourceType'), status: text(event, 'ResourceStatus'), statusReason: optionalText(event, 'ResourceStatusReason'),
  }));
}

export async function describeStackResources(stackName: string): Promise<StackResource[]> {
  const result = await callQuery(CLOUDFORMATION, 'DescribeStackResources', { StackName: stackName });
  return list(result, 'StackResources').map((resource) => pick({
    logicalResourceId: text(resource, 'LogicalResourceId'), physicalResourceId: optionalText(resource, 'PhysicalResourceId'),
    resourceType: text(resource, 'ResourceType'), status: text(resource, 'ResourceStatus'), statusReason: optionalText(resource, 'ResourceStatusReason'),
    timestamp: text(resource, 'Timestamp'),
  }));
}
