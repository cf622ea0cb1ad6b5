/**
 * `iamd sessions`: the session inventory, and the targeted revoke, through iamd's own API (SigV4
 * service `iamd`, signed with the caller's credentials as every client command is).
 *
 *   iamd sessions [--role NAME] [--instance i-...] [--access-key ASIA...] [--all] [--json]
 *   iamd sessions revoke ASIA... [--dry-run] [--json]
 *   iamd sessions revoke --instance i-... [--dry-run] [--json]
 *
 * The table shows, per session: access key, principal, source (the instance it was delivered to, or
 * who asked for it), issue and expiry times, last use and where from (an instance id when the request
 * came through that instance's address), request count, and whether and by what it is revoked.
 */
import { UsageError } from '../server/config.js';
import { parseArgs, type ArgSpec, type ParsedArgs } from './args.js';
import { AwsQueryClient, type QueryApi } from './aws-client.js';
import { resolveClientSettings } from './client-config.js';
import { child, childrenNamed, textAt, type XmlNode } from '../protocol/xml-reader.js';
import { textTable } from './text-table.js';

export const IAMD_API: QueryApi = { service: 'iamd', version: '2026-11-28' };

export const SESSIONS_USAGE = 'sessions [--role NAME] [--instance ID] [--access-key ID] [--all] [--json]';
export const SESSIONS_REVOKE_USAGE = 'sessions revoke (ACCESS_KEY_ID | --instance ID) [--dry-run] [--json]';

const CONNECTION = ['endpoint-url', 'profile', 'region'];

/** A session as the API answers it (the Session shape of src/services/iamd/session-xml.ts). */
export interface SessionRow {
  AccessKeyId: string;
  Principal: string;
  PrincipalType: string;
  RoleName?: string;
  RoleSessionName?: string;
  Origin: string;
  IssuedTo: string;
  InstanceId?: string;
  IssuedAt: string;
  Expiration: string;
  Expired: boolean;
  LastUsedAt?: string;
  LastUsedFrom?: string;
  LastUsedViaInstanceId?: string;
  RequestCount: number;
  Revoked: boolean;
  RevokedBy?: string;
  RevokedAt?: string;
  RevokedByArn?: string;
  RevocationReason?: string;
  ServedByInstanceMetadata: boolean;
}

const BOOLEANS = new Set(['Expired', 'Revoked', 'ServedByInstanceMetadata', 'DryRun']);
const NUMBERS = new Set(['RequestCount']);

/** An element's children as a flat object (text, booleans and counts typed). */
function fields(node: XmlNode | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const element of node?.children ?? []) {
    if (element.children.length > 0) continue;
    const text = element.text.trim();
    out[element.name] = BOOLEANS.has(element.name) ? text === 'true' : NUMBERS.has(element.name) ? Number(text) : text;
  }
  return out;
}

export function readSessions(list: XmlNode | undefined): SessionRow[] {
  return childrenNamed(list, 'member').map((member) => fields(member) as unknown as SessionRow);
}

/** The result element of a query-protocol answer (`<ActionResponse><ActionResult>`). */
export function resultOf(root: XmlNode, action: string): XmlNode {
  const result = child(root, `${action}Result`);
  if (!result) throw new Error(`the answer to ${action} has no ${action}Result`);
  return result;
}

export function clientFor(parsed: ParsedArgs, env: NodeJS.ProcessEnv): AwsQueryClient {
  const settings = resolveClientSettings({
    endpointUrl: parsed.flags.get('endpoint-url'), profile: parsed.flags.get('profile'), region: parsed.flags.get('region'),
  }, env);
  return new AwsQueryClient(settings, { env });
}

export function argSpec(values: readonly string[], booleans: readonly string[]): ArgSpec {
  return { values: new Set([...CONNECTION, ...values]), booleans: new Set(booleans) };
}

/** Every page of ListSessions. */
export async function listSessions(client: AwsQueryClient, filters: Readonly<Record<string, string>>): Promise<SessionRow[]> {
  const rows: SessionRow[] = [];
  let marker: string | undefined;
  do {
    const result = resultOf(await client.call(IAMD_API, 'ListSessions', { ...filters, MaxItems: '1000', ...(marker ? { Marker: marker } : {}) }), 'ListSessions');
    rows.push(...readSessions(child(result, 'Sessions')));
    marker = textAt(result, 'IsTruncated') === 'true' ? textAt(result, 'Marker') : undefined;
  } while (marker);
  return rows;
}

/** The resource part of an ARN: `assumed-role/web/i-0abc...`, `user/alice`, `root`. */
function shortArn(arn: string | undefined): string | undefined {
  if (arn === undefined || arn === '') return undefined;
  const parts = arn.split(':');
  return parts.length >= 6 ? parts.slice(5).join(':') : arn;
}

/** 2026-11-28T10:00:00.123Z -> 2026-11-28 10:00:00Z */
function shortTime(iso: string | undefined): string | undefined {
  return iso === undefined || iso === '' ? undefined : iso.replace('T', ' ').replace(/(\.\d+)?Z$/, 'Z');
}

function revokedText(row: SessionRow): string {
  const state = row.Revoked ? `yes (${row.RevokedBy ?? '?'})` : 'no';
  return row.Expired ? `${state}, expired` : state;
}

const COLUMNS: Array<[string, (row: SessionRow) => string | undefined]> = [
  ['ACCESS KEY', (row) => row.AccessKeyId],
  ['PRINCIPAL', (row) => shortArn(row.Principal)],
  ['SOURCE', (row) => row.InstanceId ?? shortArn(row.IssuedTo)],
  ['ISSUED', (row) => shortTime(row.IssuedAt)],
  ['EXPIRES', (row) => shortTime(row.Expiration)],
  ['LAST USED', (row) => shortTime(row.LastUsedAt)],
  ['FROM', (row) => (row.LastUsedViaInstanceId ? `${row.LastUsedViaInstanceId} (${row.LastUsedFrom ?? ''})` : row.LastUsedFrom)],
  ['REQUESTS', (row) => String(row.RequestCount)],
  ['REVOKED', revokedText],
];

export function formatSessions(rows: readonly SessionRow[]): string {
  if (rows.length === 0) return 'no sessions\n';
  const cells = [COLUMNS.map(([title]) => title), ...rows.map((row) => COLUMNS.map(([, read]) => read(row) || '-'))];
  return textTable(cells);
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/** What a revoke cut, in words and as a table. */
export function describeCut(dryRun: boolean, rows: readonly SessionRow[], subject: string): string {
  const verb = dryRun ? 'would revoke' : 'revoked';
  const head = `${dryRun ? 'dry run: ' : ''}${verb} ${plural(rows.length, 'session')} ${subject}${dryRun ? '; nothing was changed' : ''}\n`;
  return rows.length === 0 ? head : head + formatSessions(rows);
}

async function listCommand(parsed: ParsedArgs, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument: ${parsed.positionals[0]}`);
  const filters: Record<string, string> = {};
  const role = parsed.flags.get('role');
  const instance = parsed.flags.get('instance');
  const accessKey = parsed.flags.get('access-key');
  if (role !== undefined) filters.RoleName = role;
  if (instance !== undefined) filters.InstanceId = instance;
  if (accessKey !== undefined) filters.AccessKeyId = accessKey;
  if (parsed.flags.has('all')) filters.IncludeExpired = 'true';
  const rows = await listSessions(clientFor(parsed, env), filters);
  out.write(parsed.flags.has('json') ? JSON.stringify({ Sessions: rows }, null, 2) + '\n' : formatSessions(rows));
  return 0;
}

async function revokeCommand(parsed: ParsedArgs, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  const instance = parsed.flags.get('instance');
  const [accessKeyId, ...extra] = parsed.positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  if ((accessKeyId === undefined) === (instance === undefined)) throw new UsageError(`name one session or one instance: iamd ${SESSIONS_REVOKE_USAGE}`);
  const dryRun = parsed.flags.has('dry-run');
  const client = clientFor(parsed, env);
  const action = instance !== undefined ? 'RevokeInstanceSessions' : 'RevokeSession';
  const params: Record<string, string> = instance !== undefined ? { InstanceId: instance } : { AccessKeyId: accessKeyId! };
  if (dryRun) params.DryRun = 'true';
  const result = resultOf(await client.call(IAMD_API, action, params), action);
  const rows = readSessions(child(result, 'Sessions'));
  if (parsed.flags.has('json')) {
    out.write(JSON.stringify({ DryRun: dryRun, ...(instance !== undefined ? { InstanceId: instance } : {}), Sessions: rows }, null, 2) + '\n');
  } else {
    const subject = instance !== undefined ? `issued to ${instance} (it gets a fresh credential at its next fetch)` : accessKeyId!;
    const already = rows.length === 0 && instance === undefined ? ' (it was revoked already)' : '';
    out.write(describeCut(dryRun, rows, subject + already));
  }
  return 0;
}

export async function sessionsCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (args[0] === 'revoke') {
    const parsed = parseArgs(args.slice(1), argSpec(['instance'], ['dry-run', 'json']));
    if (parsed.rest !== undefined) throw new UsageError('sessions revoke takes no `--`');
    return revokeCommand(parsed, env, out);
  }
  const parsed = parseArgs(args, argSpec(['role', 'instance', 'access-key'], ['all', 'json']));
  if (parsed.rest !== undefined) throw new UsageError('sessions takes no `--`');
  return listCommand(parsed, env, out);
}
