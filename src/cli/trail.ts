/**
 * `iamd trail`: what was done, by whom, from where, and what was refused: CloudTrail's
 * LookupEvents on iamd's trail, called with the caller's credentials like any AWS client (so it
 * needs cloudtrail:LookupEvents). One filter at a time, as LookupEvents allows (--access-key-id,
 * --username, --event-name, --event-source, --event-id, --resource-name, --resource-type,
 * --read-only), a time range, newest first. Prints a table, or with --json the records themselves
 * as a CloudTrail log file does: {"Records": [...]}.
 */
import { parseArgs } from './args.js';
import { AwsQueryClient, CLOUDTRAIL_API } from './aws-client.js';
import { resolveClientSettings } from './client-config.js';
import { UsageError } from '../server/config.js';
import { textTable } from './text-table.js';

export const TRAIL_USAGE = 'trail [--access-key-id ID | --username NAME | --event-name NAME | --event-source SOURCE | --event-id ID\n'
  + '         | --resource-name NAME | --resource-type TYPE | --read-only true|false] [--start-time TIME] [--end-time TIME]\n'
  + '         [--max-items 50] [--json] [--endpoint-url URL] [--profile NAME] [--region REGION]';

/** Filter flags and the LookupEvents attribute each one is. */
const ATTRIBUTES: ReadonlyArray<[string, string]> = [
  ['access-key-id', 'AccessKeyId'],
  ['username', 'Username'],
  ['event-name', 'EventName'],
  ['event-source', 'EventSource'],
  ['event-id', 'EventId'],
  ['resource-name', 'ResourceName'],
  ['resource-type', 'ResourceType'],
  ['read-only', 'ReadOnly'],
];

const OPTIONS = {
  values: new Set([...ATTRIBUTES.map(([flag]) => flag), 'start-time', 'end-time', 'max-items', 'endpoint-url', 'profile', 'region']),
  booleans: new Set(['json']),
};

const DEFAULT_MAX_ITEMS = 50;
const PAGE = 50;

/**
 * A time flag: ISO 8601 (2026-11-28T10:00:00Z), epoch seconds, or an age (30s, 15m, 2h, 7d ago).
 * Returns epoch seconds.
 */
export function parseTime(text: string, now: Date): number {
  const age = /^(\d+)([smhd])$/.exec(text);
  if (age) return Math.floor(now.getTime() / 1000) - Number(age[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[age[2] as 's' | 'm' | 'h' | 'd'];
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed)) throw new UsageError(`invalid time: ${text} (use ISO 8601, epoch seconds, or an age such as 15m, 2h, 7d)`);
  return parsed / 1000;
}

export interface TrailRecord {
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  userIdentity?: { arn?: string; accessKeyId?: string; type?: string };
  sourceIPAddress?: string;
  errorCode?: string;
  [key: string]: unknown;
}

const COLUMNS: Array<[string, (record: TrailRecord) => string | undefined]> = [
  ['TIME', (record) => record.eventTime],
  ['SOURCE', (record) => record.eventSource?.replace(/\.amazonaws\.com$/, '')],
  ['EVENT', (record) => record.eventName],
  ['PRINCIPAL', (record) => record.userIdentity?.arn ?? record.userIdentity?.type],
  ['ACCESS KEY', (record) => record.userIdentity?.accessKeyId],
  ['SOURCE IP', (record) => record.sourceIPAddress],
  ['ERROR', (record) => record.errorCode],
];

export function formatTrailTable(records: readonly TrailRecord[]): string {
  if (records.length === 0) return 'no events\n';
  const cells = [COLUMNS.map(([title]) => title), ...records.map((record) => COLUMNS.map(([, read]) => read(record) || '-'))];
  return textTable(cells);
}

/** Reads pages of LookupEvents until `maxItems` events (0: all of them). */
export async function lookupTrail(client: AwsQueryClient, request: Readonly<Record<string, unknown>>, maxItems: number): Promise<TrailRecord[]> {
  const records: TrailRecord[] = [];
  let nextToken: string | undefined;
  do {
    const wanted = maxItems === 0 ? PAGE : Math.min(PAGE, maxItems - records.length);
    const answer = await client.callJson(CLOUDTRAIL_API, 'LookupEvents', { ...request, MaxResults: wanted, ...(nextToken ? { NextToken: nextToken } : {}) });
    const events = Array.isArray(answer.Events) ? (answer.Events as Array<{ CloudTrailEvent?: unknown }>) : [];
    for (const event of events) {
      if (typeof event.CloudTrailEvent === 'string') records.push(JSON.parse(event.CloudTrailEvent) as TrailRecord);
    }
    nextToken = typeof answer.NextToken === 'string' ? answer.NextToken : undefined;
  } while (nextToken !== undefined && (maxItems === 0 || records.length < maxItems));
  return records;
}

export async function trailCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout, now: Date = new Date()): Promise<number> {
  const parsed = parseArgs(args, OPTIONS);
  if (parsed.positionals.length > 0 || parsed.rest !== undefined) throw new UsageError(`trail takes no arguments: ${[...parsed.positionals, ...(parsed.rest ?? [])].join(' ')}`);
  const filters = ATTRIBUTES.filter(([flag]) => parsed.flags.has(flag));
  if (filters.length > 1) throw new UsageError(`give one filter at a time (LookupEvents takes one attribute): ${filters.map(([flag]) => `--${flag}`).join(', ')}`);
  const request: Record<string, unknown> = {};
  if (filters.length === 1) {
    const [flag, key] = filters[0]!;
    request.LookupAttributes = [{ AttributeKey: key, AttributeValue: parsed.flags.get(flag)! }];
  }
  const start = parsed.flags.get('start-time');
  const end = parsed.flags.get('end-time');
  if (start !== undefined) request.StartTime = parseTime(start, now);
  if (end !== undefined) request.EndTime = parseTime(end, now);
  const maxText = parsed.flags.get('max-items') ?? String(DEFAULT_MAX_ITEMS);
  if (!/^\d+$/.test(maxText)) throw new UsageError(`--max-items must be a whole number (0: all): ${maxText}`);

  const settings = resolveClientSettings({
    endpointUrl: parsed.flags.get('endpoint-url'), profile: parsed.flags.get('profile'), region: parsed.flags.get('region'),
  }, env);
  const records = await lookupTrail(new AwsQueryClient(settings, { env }), request, Number(maxText));
  out.write(parsed.flags.has('json') ? JSON.stringify({ Records: records }, null, 2) + '\n' : formatTrailTable(records));
  return 0;
}
