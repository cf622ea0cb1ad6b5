/**
 * `iamd instances [--json]`: every instance with its state, private IP, VPC, role (the instance
 * profile's, through IAM GetInstanceProfile) and the address of its metadata service. Terminated
 * instances are listed (as DescribeInstances lists them for a while) without addresses.
 */
import { parseArgs } from './args.js';
import { AwsQueryClient } from './aws-client.js';
import { resolveClientSettings } from './client-config.js';
import { describeInstances, instanceAddresses, roleOfInstanceProfile } from './instance-lookup.js';
import { UsageError } from '../server/config.js';
import { textTable } from './text-table.js';

export const INSTANCES_USAGE = 'instances [--json] [--endpoint-url URL] [--profile NAME] [--region REGION]';

const OPTIONS = { values: new Set(['endpoint-url', 'profile', 'region']), booleans: new Set(['json']) };

export interface InstanceRow {
  InstanceId: string;
  State: string;
  PrivateIpAddress?: string;
  VpcId?: string;
  InstanceProfileArn?: string;
  RoleName?: string;
  /** the instance's API address (http://127.b.c.d:APIPORT) */
  ApiEndpoint?: string;
  /** the instance's metadata service (http://127.b.c.d:IMDSPORT/) */
  ImdsEndpoint?: string;
}

export async function listInstanceRows(client: AwsQueryClient): Promise<InstanceRow[]> {
  const server = await client.serverInfo();
  const instances = await describeInstances(client);
  const roles = new Map<string, Promise<string | undefined>>();
  const rows: InstanceRow[] = [];
  for (const instance of instances) {
    const row: InstanceRow = { InstanceId: instance.instanceId, State: instance.state };
    if (instance.privateIpAddress) row.PrivateIpAddress = instance.privateIpAddress;
    if (instance.vpcId) row.VpcId = instance.vpcId;
    if (instance.instanceProfileArn) {
      row.InstanceProfileArn = instance.instanceProfileArn;
      if (!roles.has(instance.instanceProfileArn)) roles.set(instance.instanceProfileArn, roleOfInstanceProfile(client, instance.instanceProfileArn));
      const role = await roles.get(instance.instanceProfileArn)!;
      if (role) row.RoleName = role;
    }
    if (instance.privateIpAddress && instance.state !== 'terminated' && instance.state !== 'shutting-down') {
      const addresses = instanceAddresses(instance.privateIpAddress, server);
      row.ApiEndpoint = addresses.apiEndpoint;
      row.ImdsEndpoint = addresses.imdsEndpoint;
    }
    rows.push(row);
  }
  return rows;
}

const COLUMNS: Array<[string, (row: InstanceRow) => string | undefined]> = [
  ['INSTANCE', (row) => row.InstanceId],
  ['STATE', (row) => row.State],
  ['PRIVATE IP', (row) => row.PrivateIpAddress],
  ['VPC', (row) => row.VpcId],
  ['ROLE', (row) => row.RoleName],
  ['IMDS', (row) => row.ImdsEndpoint],
];

export function formatTable(rows: readonly InstanceRow[]): string {
  if (rows.length === 0) return 'no instances\n';
  const cells = [COLUMNS.map(([title]) => title), ...rows.map((row) => COLUMNS.map(([, read]) => read(row) || '-'))];
  return textTable(cells);
}

export async function instancesCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  if (parsed.positionals.length > 0 || parsed.rest !== undefined) throw new UsageError(`instances takes no arguments: ${[...parsed.positionals, ...(parsed.rest ?? [])].join(' ')}`);
  const settings = resolveClientSettings({
    endpointUrl: parsed.flags.get('endpoint-url'), profile: parsed.flags.get('profile'), region: parsed.flags.get('region'),
  }, env);
  const rows = await listInstanceRows(new AwsQueryClient(settings, { env }));
  out.write(parsed.flags.has('json') ? JSON.stringify({ Instances: rows }, null, 2) + '\n' : formatTable(rows));
  return 0;
}
