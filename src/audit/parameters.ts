/**
 * requestParameters and responseElements as CloudTrail writes them: the operation's input members
 * and output with lowerCamelCase names (`RoleArn` → `roleArn`, `Tags.member.1.Key` →
 * `tags: [{key}]`), built from what the pipeline read and what the handler returned.
 *
 * Secrets are removed here, where the record is built, never later:
 * - request members that carry one (passwords, MFA codes, private keys, tokens, user data) are
 *   written as HIDDEN_DUE_TO_SECURITY_REASONS, AWS's own marker for such values;
 * - response members that carry one (secretAccessKey, sessionToken, passwords, key material) are
 *   left out. AWS itself logs the sessionToken of AssumeRole's credentials; iamd does not, so that
 *   the trail never holds a usable credential;
 * - the SigV4 fields of a presigned URL (X-Amz-Signature, X-Amz-Security-Token, X-Amz-Credential ...)
 *   and Action/Version are not parameters and are dropped.
 * The deny list is by member name, whatever the service or nesting, so a new operation that takes
 * a `Password` is covered without a table entry. CloudFormation's stack parameter values are all
 * hidden (NoEcho ones are secrets, and the request does not say which). A name too common to hide
 * everywhere is hidden for the one operation where it is a secret (OPERATION_SECRETS: SSM
 * PutParameter's Value, which CloudTrail records as hidden; a tag's Value is no secret).
 *
 * Known gaps: values are the strings the query protocol carries (AWS types them by the API model:
 * a few well-known numeric members are converted); EC2's own nesting (`instancesSet.items`) is not
 * reproduced, lists are plain arrays.
 */
import type { XmlObject, XmlValue } from '../protocol/xml.js';
import type { JsonObject, JsonValue } from './cloudtrail-event.js';

export const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Member names (lower-cased) whose values are secrets, in requests and responses alike. */
const SECRET_MEMBERS = new Set([
  'secretaccesskey', 'sessiontoken', 'securitytoken', 'password', 'oldpassword', 'newpassword', 'servicepassword',
  'privatekey', 'keymaterial', 'samlassertion', 'webidentitytoken', 'tokencode', 'authenticationcode1',
  'authenticationcode2', 'userdata', 'clientsecret', 'secretstring', 'secretbinary', 'signature', 'authorization',
  'credential', 'passworddata',
  // CloudFormation's Parameters.member.N.ParameterValue: a NoEcho parameter (a password) arrives
  // here before its template says which ones are NoEcho, so every parameter value is hidden.
  'parametervalue',
]);

/** Top-level members (lower-cased) that are secrets of one operation only, by `service:Action`. */
const OPERATION_SECRETS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['ssm:PutParameter', new Set(['value'])],
]);

/** Query members AWS logs as numbers. */
const NUMERIC_MEMBERS = new Set([
  'DurationSeconds', 'MaxSessionDuration', 'MaxItems', 'MaxResults', 'MinCount', 'MaxCount', 'MaxKeys', 'MaxPasswordAge',
]);

/** A value longer than this is cut: a trail record stays small whatever a client sends. */
const MAX_STRING = 16 * 1024;
const MAX_MEMBERS = 500;

export function isSecretMember(name: string): boolean {
  return SECRET_MEMBERS.has(name.toLowerCase());
}

function lowerCamel(name: string): string {
  const first = name.charCodeAt(0);
  return first >= 65 && first <= 90 ? String.fromCharCode(first + 32) + name.slice(1) : name;
}

function clip(text: string): string {
  return text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}...(truncated)` : text;
}

type Container = Record<PropertyKey, unknown>;

/**
 * Query-protocol parameters (a flat map) as a nested object: `Tags.member.1.Key=a` →
 * {tags: [{key: 'a'}]}; EC2's `InstanceId.1=i-1` → {instanceId: ['i-1']}. null when there are none.
 */
export function queryRequestParameters(params: ReadonlyMap<string, string>): JsonObject | null {
  let root: Container | undefined;
  let count = 0;
  for (const [name, value] of params) {
    if (name === 'Action' || name === 'Version' || name.startsWith('X-Amz-') || name.startsWith('x-amz-')) continue;
    if (++count > MAX_MEMBERS) break;
    root ??= {};
    insert(root, name.split('.'), value);
  }
  return root === undefined ? null : (compact(root) as JsonObject);
}

/** Puts one flattened parameter into the tree; list indexes (1-based) make sparse arrays that compact() closes. */
function insert(root: Container, segments: readonly string[], value: string): void {
  let hidden = false;
  let leafName = '';
  const path: Array<string | number> = [];
  for (const segment of segments) {
    if (segment === 'member' || segment === 'item' || segment === 'entry') continue;
    if (/^\d+$/.test(segment)) path.push(Number(segment));
    else {
      if (isSecretMember(segment)) hidden = true;
      leafName = segment;
      path.push(lowerCamel(segment));
    }
  }
  if (path.length === 0) return;
  const leaf = hidden ? HIDDEN : NUMERIC_MEMBERS.has(leafName) && /^\d{1,15}$/.test(value) ? Number(value) : clip(value);
  let node: Container = root;
  for (let index = 0; index < path.length; index++) {
    const key = path[index]!;
    if (index === path.length - 1) {
      node[key] = leaf;
      return;
    }
    let child = node[key];
    if (child === null || typeof child !== 'object') {
      child = typeof path[index + 1] === 'number' ? [] : {};
      node[key] = child;
    }
    node = child as Container;
  }
}

function compact(value: unknown): JsonValue {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact);
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) out[key] = compact(child);
    return out;
  }
  return value as JsonValue;
}

/**
 * A REST request's parameters, named as CloudTrail names them already (S3's bucketName, Host, key
 * and query parameters): kept as they are, long values cut, secrets hidden. null when there are none.
 */
export function recordedRequestParameters(parameters: Readonly<Record<string, string>>): JsonObject | null {
  let out: JsonObject | null = null;
  let count = 0;
  for (const name in parameters) {
    if (++count > MAX_MEMBERS) break;
    out ??= {};
    out[name] = isSecretMember(name) ? HIDDEN : clip(parameters[name]!);
  }
  return out;
}

/**
 * A JSON-protocol input document of `operation` (`service:Action`) with lowerCamelCase member
 * names, secrets hidden, and epoch-second timestamps (members named ...Time) written as AWS writes
 * them in records ("Oct 27, 2025, 12:16:57 AM").
 */
export function jsonRequestParameters(document: Readonly<Record<string, unknown>>, operation = ''): JsonObject | null {
  const converted = convertJson(document, false, '', OPERATION_SECRETS.get(operation));
  return converted !== null && typeof converted === 'object' && !Array.isArray(converted) && Object.keys(converted).length > 0 ? converted : null;
}

/** `operationSecrets`: the operation's own secret members, for the document's top level only. */
function convertJson(value: unknown, hide: boolean, name = '', operationSecrets?: ReadonlySet<string>): JsonValue {
  if (hide) return HIDDEN;
  if (typeof value === 'string') return clip(value);
  if (typeof value === 'number') return /Time$/.test(name) && Number.isFinite(value) ? recordDate(new Date(value * 1000)) : value;
  if (typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.slice(0, MAX_MEMBERS).map((item) => convertJson(item, false, name));
  if (typeof value === 'object') {
    const out: JsonObject = {};
    let count = 0;
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (++count > MAX_MEMBERS) break;
      out[lowerCamel(key)] = convertJson(child, isSecretMember(key) || operationSecrets?.has(key.toLowerCase()) === true, key);
    }
    return out;
  }
  return null;
}

/**
 * An operation's result (the handler's plain object) as responseElements: lowerCamelCase names,
 * secret members left out, `expiration` and Dates in AWS's record form. null when there is none.
 */
export function responseElements(result: XmlObject | undefined): JsonObject | null {
  if (result === undefined) return null;
  const converted = convertResult(result, '');
  return converted !== null && typeof converted === 'object' && !Array.isArray(converted) && Object.keys(converted).length > 0 ? converted : null;
}

function convertResult(value: XmlValue, name: string): JsonValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return name === 'Expiration' && ISO_SECONDS.test(value) ? recordDate(new Date(value)) : clip(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return recordDate(value);
  if (Array.isArray(value)) return value.slice(0, MAX_MEMBERS).map((item: XmlValue) => convertResult(item, name));
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value as XmlObject)) {
    if (child === undefined || child === null || isSecretMember(key)) continue;
    out[lowerCamel(key)] = convertResult(child, key);
  }
  return out;
}

const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The timestamp form STS and CloudTrail use inside records (responseElements.credentials.expiration,
 * LookupEvents' startTime): "Oct 27, 2025, 12:16:57 AM", UTC.
 */
export function recordDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const hours = date.getUTCHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}, ${hours % 12 === 0 ? 12 : hours % 12}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}
