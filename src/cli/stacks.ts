/**
 * `iamd stacks [--json]`: every CloudFormation stack (DescribeStacks) with its status and reason;
 * `iamd stacks NAME [--json]`: one stack's resources (DescribeStackResources) and its events,
 * oldest first (DescribeStackEvents), the way the console's Resources and Events tabs read.
 */
import { parseArgs } from './args.js';
import { AwsQueryClient, type QueryApi } from './aws-client.js';
import { resolveClientSettings } from './client-config.js';
import { childrenNamed, findFirst, textAt, type XmlNode } from '../protocol/xml-reader.js';
import { UsageError } from '../server/config.js';
import { textTable } from './text-table.js';

export const STACKS_USAGE = 'stacks [NAME] [--json] [--endpoint-url URL] [--profile NAME] [--region REGION]';

const CLOUDFORMATION_API: QueryApi = { service: 'cloudformation', version: '2010-05-15' };
const OPTIONS = { values: new Set(['endpoint-url', 'profile', 'region']), booleans: new Set(['json']) };

type Row = Record<string, string>;

function members(answer: XmlNode, list: string): XmlNode[] {
  const node = findFirst(answer, list);
  return node ? childrenNamed(node, 'member') : [];
}

function rowOf(node: XmlNode, fields: readonly string[]): Row {
  const row: Row = {};
  for (const field of fields) {
    const value = textAt(node, field);
    if (value !== undefined && value !== '') row[field] = value;
  }
  return row;
}

/** Every page of a list operation. */
async function allPages(client: AwsQueryClient, action: string, params: Row, list: string, fields: readonly string[]): Promise<Row[]> {
  const rows: Row[] = [];
  let token: string | undefined;
  do {
    const answer = await client.call(CLOUDFORMATION_API, action, { ...params, ...(token ? { NextToken: token } : {}) });
    rows.push(...members(answer, list).map((node) => rowOf(node, fields)));
    token = textAt(findFirst(answer, `${action}Result`) ?? answer, 'NextToken');
  } while (token);
  return rows;
}

export function table(rows: readonly Row[], columns: ReadonlyArray<[string, string]>): string {
  if (rows.length === 0) return '';
  const cells = [columns.map(([title]) => title), ...rows.map((row) => columns.map(([, field]) => row[field] ?? '-'))];
  return textTable(cells);
}

export async function stacksCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  if (parsed.positionals.length > 1 || parsed.rest !== undefined) throw new UsageError(`stacks takes at most one stack name: ${[...parsed.positionals, ...(parsed.rest ?? [])].join(' ')}`);
  const client = new AwsQueryClient(resolveClientSettings({
    endpointUrl: parsed.flags.get('endpoint-url'), profile: parsed.flags.get('profile'), region: parsed.flags.get('region'),
  }, env), { env });
  const json = parsed.flags.has('json');
  const name = parsed.positionals[0];
  if (name === undefined) {
    const stacks = await allPages(client, 'DescribeStacks', {}, 'Stacks', ['StackName', 'StackStatus', 'CreationTime', 'StackStatusReason', 'StackId']);
    out.write(json ? JSON.stringify({ Stacks: stacks }, null, 2) + '\n'
      : table(stacks, [['STACK', 'StackName'], ['STATUS', 'StackStatus'], ['CREATED', 'CreationTime'], ['REASON', 'StackStatusReason']]) || 'no stacks\n');
    return 0;
  }
  const resources = await allPages(client, 'ListStackResources', { StackName: name }, 'StackResourceSummaries',
    ['LogicalResourceId', 'ResourceType', 'ResourceStatus', 'PhysicalResourceId', 'ResourceStatusReason']);
  const events = (await allPages(client, 'DescribeStackEvents', { StackName: name }, 'StackEvents',
    ['Timestamp', 'LogicalResourceId', 'ResourceType', 'ResourceStatus', 'ResourceStatusReason', 'PhysicalResourceId'])).reverse();
  if (json) {
    out.write(JSON.stringify({ Resources: resources, Events: events }, null, 2) + '\n');
    return 0;
  }
  out.write(table(resources, [['RESOURCE', 'LogicalResourceId'], ['TYPE', 'ResourceType'], ['STATUS', 'ResourceStatus'], ['PHYSICAL ID', 'PhysicalResourceId']]) || 'no resources\n');
  out.write('\n');
  out.write(table(events, [['TIME', 'Timestamp'], ['RESOURCE', 'LogicalResourceId'], ['STATUS', 'ResourceStatus'], ['REASON', 'ResourceStatusReason']]));
  return 0;
}
