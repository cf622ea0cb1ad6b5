/**
 * `iamd findings`: exfiltration findings (instance credentials used away from their instance),
 * through iamd's own API (ListFindings, ContainFinding; SigV4 service `iamd`, signed with the
 * caller's credentials as every client command is).
 *
 *   iamd findings [--type OutsideAWS|InsideAWS] [--instance i-...] [--access-key ASIA...] [--json]
 *   iamd findings contain ID [--dry-run] [--json]
 *
 * The table shows, per finding: id, type, severity, the instance and role the credentials belong
 * to, the session's access key, where they were used from, first and last seen, how many requests,
 * and whether the session was contained (and by whom). `--json` prints the findings in GuardDuty's
 * finding format as the API answers them.
 */
import { UsageError } from '../server/config.js';
import { parseArgs, type ParsedArgs } from './args.js';
import type { AwsQueryClient } from './aws-client.js';
import { argSpec, clientFor, describeCut, IAMD_API, readSessions, resultOf } from './sessions.js';
import { child, textAt, type XmlNode } from '../protocol/xml-reader.js';
import { textTable } from './text-table.js';

export const FINDINGS_USAGE = 'findings [--type OutsideAWS|InsideAWS] [--instance ID] [--access-key ID] [--json]';
export const FINDINGS_CONTAIN_USAGE = 'findings contain FINDING_ID [--dry-run] [--json]';

const TYPE_PREFIX = 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.';
const SHORT_TYPES = ['OutsideAWS', 'InsideAWS'];

/** A JSON value read back from the API's XML. */
export type JsonValue = string | number | boolean | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Elements whose text is a number or a boolean in the finding format; lists that may be empty. */
const NUMBERS = new Set(['Severity', 'Count', 'RequestCount']);
const BOOLEANS = new Set(['Archived', 'Affiliated', 'Contained', 'SessionRevoked', 'IsTruncated', 'DryRun', 'Expired', 'Revoked', 'ServedByInstanceMetadata']);
const LISTS = new Set(['Findings', 'NetworkInterfaces', 'Sessions']);

/** An element as JSON: a list of `member`s as an array, nested elements as an object, text typed by name. */
export function jsonOf(node: XmlNode): JsonValue {
  if (LISTS.has(node.name) || (node.children.length > 0 && node.children.every((element) => element.name === 'member'))) {
    return node.children.map((member) => jsonOf(member));
  }
  if (node.children.length === 0) {
    const text = node.text.trim();
    return NUMBERS.has(node.name) ? Number(text) : BOOLEANS.has(node.name) ? text === 'true' : text;
  }
  const out: JsonObject = {};
  for (const element of node.children) out[element.name] = jsonOf(element);
  return out;
}

/** Every page of ListFindings. */
export async function listFindings(client: AwsQueryClient, filters: Readonly<Record<string, string>>): Promise<JsonObject[]> {
  const findings: JsonObject[] = [];
  let marker: string | undefined;
  do {
    const result = resultOf(await client.call(IAMD_API, 'ListFindings', { ...filters, MaxItems: '1000', ...(marker ? { Marker: marker } : {}) }), 'ListFindings');
    const list = child(result, 'Findings');
    if (list) findings.push(...(jsonOf(list) as JsonObject[]));
    marker = textAt(result, 'IsTruncated') === 'true' ? textAt(result, 'Marker') : undefined;
  } while (marker);
  return findings;
}

const at = (value: JsonValue | undefined, ...path: string[]): JsonValue | undefined => {
  let current = value;
  for (const name of path) current = current !== undefined && typeof current === 'object' && !Array.isArray(current) ? current[name] : undefined;
  return current;
};
const text = (value: JsonValue | undefined, ...path: string[]): string | undefined => {
  const found = at(value, ...path);
  return found === undefined || found === '' ? undefined : String(found);
};

/** 2026-11-28T10:00:00.123Z -> 2026-11-28 10:00:00 */
function shortTime(iso: string | undefined): string | undefined {
  return iso === undefined ? undefined : iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

/** GuardDuty's bands: 7.0-8.9 High, 4.0-6.9 Medium, 1.0-3.9 Low. */
function severityText(severity: JsonValue | undefined): string {
  const value = Number(severity);
  const band = value >= 7 ? 'High' : value >= 4 ? 'Medium' : 'Low';
  return `${band} (${value})`;
}

function sourceText(finding: JsonObject): string | undefined {
  const other = text(finding, 'Iamd', 'SourceInstanceId');
  if (other !== undefined) return `${other} (${text(finding, 'Iamd', 'SourceVpcId') ?? '?'}, ${text(finding, 'Iamd', 'SourcePrivateIpAddress') ?? '?'})`;
  return text(finding, 'Iamd', 'SourceIpAddress');
}

function containedText(finding: JsonObject): string {
  if (at(finding, 'Iamd', 'Contained') === true) {
    const by = text(finding, 'Iamd', 'ContainedBy') ?? '?';
    const who = by.startsWith('arn:') ? by.split(':').slice(5).join(':') : by;
    return `yes (${who}, ${shortTime(text(finding, 'Iamd', 'ContainedAt')) ?? '?'})`;
  }
  return at(finding, 'Iamd', 'SessionRevoked') === true ? 'no (session revoked)' : 'no';
}

const COLUMNS: Array<[string, (finding: JsonObject) => string | undefined]> = [
  ['ID', (finding) => text(finding, 'Id')],
  // UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS -> InstanceCredentialExfiltration.OutsideAWS
  ['TYPE', (finding) => text(finding, 'Type')?.replace(/^[^/]*\//, '')],
  ['SEVERITY', (finding) => severityText(at(finding, 'Severity'))],
  ['INSTANCE', (finding) => text(finding, 'Iamd', 'InstanceId')],
  ['ROLE', (finding) => text(finding, 'Iamd', 'RoleName')],
  ['ACCESS KEY', (finding) => text(finding, 'Resource', 'AccessKeyDetails', 'AccessKeyId')],
  ['SOURCE', sourceText],
  ['FIRST SEEN', (finding) => shortTime(text(finding, 'Service', 'EventFirstSeen'))],
  ['LAST SEEN', (finding) => shortTime(text(finding, 'Service', 'EventLastSeen'))],
  ['COUNT', (finding) => text(finding, 'Service', 'Count')],
  ['CONTAINED', containedText],
];

export function formatFindings(findings: readonly JsonObject[]): string {
  if (findings.length === 0) return 'no findings\n';
  const cells = [COLUMNS.map(([title]) => title), ...findings.map((finding) => COLUMNS.map(([, read]) => read(finding) || '-'))];
  return textTable(cells);
}

async function listCommand(parsed: ParsedArgs, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument: ${parsed.positionals[0]}`);
  const filters: Record<string, string> = {};
  const type = parsed.flags.get('type');
  if (type !== undefined) {
    if (!SHORT_TYPES.includes(type) && !SHORT_TYPES.some((short) => type === TYPE_PREFIX + short)) throw new UsageError(`--type is OutsideAWS or InsideAWS: ${type}`);
    filters.Type = type.startsWith(TYPE_PREFIX) ? type : TYPE_PREFIX + type;
  }
  const instance = parsed.flags.get('instance');
  const accessKey = parsed.flags.get('access-key');
  if (instance !== undefined) filters.InstanceId = instance;
  if (accessKey !== undefined) filters.AccessKeyId = accessKey;
  const findings = await listFindings(clientFor(parsed, env), filters);
  out.write(parsed.flags.has('json') ? JSON.stringify({ Findings: findings }, null, 2) + '\n' : formatFindings(findings));
  return 0;
}

async function containCommand(parsed: ParsedArgs, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  const [id, ...extra] = parsed.positionals;
  if (id === undefined) throw new UsageError(`name the finding: iamd ${FINDINGS_CONTAIN_USAGE}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);
  const dryRun = parsed.flags.has('dry-run');
  const result = resultOf(await clientFor(parsed, env).call(IAMD_API, 'ContainFinding', { Id: id, ...(dryRun ? { DryRun: 'true' } : {}) }), 'ContainFinding');
  const findingNode = child(result, 'Finding');
  const finding = findingNode ? (jsonOf(findingNode) as JsonObject) : {};
  const sessions = readSessions(child(result, 'Sessions'));
  if (parsed.flags.has('json')) {
    out.write(JSON.stringify({ DryRun: dryRun, Finding: finding, Sessions: sessions }, null, 2) + '\n');
    return 0;
  }
  const accessKeyId = text(finding, 'Resource', 'AccessKeyDetails', 'AccessKeyId') ?? '?';
  out.write(dryRun
    ? describeCut(true, sessions, `to contain finding ${id}`) + formatFindings([finding])
    : `finding ${id} contained: session ${accessKeyId} is revoked\n${formatFindings([finding])}`);
  return 0;
}

export async function findingsCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (args[0] === 'contain') {
    const parsed = parseArgs(args.slice(1), argSpec([], ['dry-run', 'json']));
    if (parsed.rest !== undefined) throw new UsageError('findings contain takes no `--`');
    return containCommand(parsed, env, out);
  }
  const parsed = parseArgs(args, argSpec(['type', 'instance', 'access-key'], ['json']));
  if (parsed.rest !== undefined) throw new UsageError('findings takes no `--`');
  return listCommand(parsed, env, out);
}
