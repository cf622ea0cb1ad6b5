/**
 * CloudFormation test helpers: a JS SDK client for a test server, waiting for a stack to settle
 * (polling DescribeStacks, as the CLI's waiters do, but every 50 ms), and reading its events oldest
 * first.
 */
import {
  CloudFormationClient, CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, type CreateStackCommandInput, type Stack, type StackEvent,
} from '@aws-sdk/client-cloudformation';
import assert from 'node:assert/strict';
import type { Credentials, TestServer } from './server.js';

export function cloudformationClient(server: TestServer, credentials: Credentials = server.root): CloudFormationClient {
  return new CloudFormationClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

const SETTLED = /(_COMPLETE|_FAILED)$/;

/** Polls until the stack's status is no longer *_IN_PROGRESS; the stack as last described. */
export async function settledStack(client: CloudFormationClient, stackName: string, timeoutMs = 30_000): Promise<Stack> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stack = (await client.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0]!;
    if (SETTLED.test(stack.StackStatus!)) return stack;
    if (Date.now() > deadline) assert.fail(`stack ${stackName} is still ${stack.StackStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every event of the stack, oldest first. */
export async function stackEvents(client: CloudFormationClient, stackName: string): Promise<StackEvent[]> {
  const events: StackEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: nextToken }));
    events.push(...(page.StackEvents ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return events.reverse();
}

/** "LogicalId STATUS [reason]" lines of a stack's events, oldest first, for readable assertions. */
export function eventLines(events: readonly StackEvent[]): string[] {
  return events.map((event) => `${event.LogicalResourceId} ${event.ResourceStatus}${event.ResourceStatusReason ? ` ${event.ResourceStatusReason}` : ''}`);
}

/** The outputs of a stack as a key -> value record. */
export function outputsOf(stack: Stack): Record<string, string> {
  return Object.fromEntries((stack.Outputs ?? []).map((output) => [output.OutputKey!, output.OutputValue!]));
}

/** CreateStack, then the stack once it has settled. */
export async function createStack(client: CloudFormationClient, input: CreateStackCommandInput): Promise<Stack> {
  await client.send(new CreateStackCommand(input));
  return settledStack(client, input.StackName!);
}

/** The events of one resource as "STATUS[: reason]" lines, oldest first. */
export function resourceHistory(events: readonly StackEvent[], logicalId: string): string[] {
  return events.filter((event) => event.LogicalResourceId === logicalId)
    .map((event) => `${event.ResourceStatus}${event.ResourceStatusReason ? `: ${event.ResourceStatusReason}` : ''}`);
}
