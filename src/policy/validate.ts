/**
 * Reads a policy document as IAM does when it is written, reporting the first failing stage with
 * IAM's MalformedPolicyDocument wording (messages.ts). The stages and their order follow the
 * behaviour of the real API as recorded by moto's and LocalStack's observed-behaviour tests:
 *  1. JSON and grammar: "Syntax errors in policy." (unknown fields, wrong types, both Action and
 *     NotAction, an Effect other than Allow/Deny in any case, an unknown condition operator...);
 *  2. Principal allowed or required by the kind of policy;
 *  3. legacy parsing: "The policy failed legacy parsing" (Effect not spelled Allow/Deny exactly,
 *     a condition value its operator cannot take, a resource with "::" and too few colons);
 *  4. unique Sids; 5. actions present, then resources present (not in trust policies);
 *  6. resource ARN format; 7. action vendor prefixes;
 *  8. trust policies: STS actions only, and no Resource ("Has prohibited field Resource").
 * Known gap: when several resources are malformed, AWS's choice of which one to report is not
 * reproduced exactly (the first in document order is reported).
 */
import { CompiledCondition, parseOperator } from './conditions.js';
import { PolicyDocumentError } from './errors.js';
import type { JsonNode, JsonObject } from './json-source.js';
import { MALFORMED } from './messages.js';
import type { PrincipalValues } from './principals.js';
import type { PolicyKind } from './types.js';

export interface StatementModel {
  node: JsonObject;
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: '*' | PrincipalValues;
  notPrincipal?: '*' | PrincipalValues;
  conditions: CompiledCondition[];
}

export interface DocumentModel {
  version: '2008-10-17' | '2012-10-17';
  statements: StatementModel[];
}

const TOP_FIELDS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const PARTITIONS = new Set(['*', 'aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);
const IAM_RESOURCE_PREFIXES = [
  'user/', 'federated-user/', 'role/', 'group/', 'instance-profile/', 'mfa/', 'server-certificate/', 'policy/', 'sms-mfa/',
  'saml-provider/', 'oidc-provider/', 'report/', 'access-report/',
];

class SyntaxFailure extends Error {}

function fail(): never {
  throw new SyntaxFailure();
}

function syntaxError(): PolicyDocumentError {
  return new PolicyDocumentError(MALFORMED.syntax);
}

/** A string or an array of strings. */
function stringList(node: JsonNode): string[] {
  if (node.type === 'string') return [node.value];
  if (node.type !== 'array') fail();
  return node.items.map((item) => (item.type === 'string' ? item.value : fail()));
}

/** Condition values: strings, and numbers or booleans taken as their text. */
function conditionValues(node: JsonNode): string[] {
  const scalar = (item: JsonNode): string => (item.type === 'string' || item.type === 'number' || item.type === 'boolean' ? item.value : fail());
  return node.type === 'array' ? node.items.map(scalar) : [scalar(node)];
}

function principalValue(node: JsonNode): '*' | PrincipalValues {
  if (node.type === 'string') return node.value === '*' ? '*' : fail();
  if (node.type !== 'object' || node.keys.length === 0) fail();
  const values: { [type: string]: string[] } = {};
  for (const type of node.keys) {
    if (!PRINCIPAL_TYPES.has(type)) fail();
    const list = stringList(node.map.get(type)!);
    if (list.length === 0) fail();
    values[type] = list;
  }
  return values;
}

interface RawCondition {
  operator: string;
  key: string;
  values: string[];
}

interface RawStatement {
  model: Omit<StatementModel, 'conditions' | 'effect'>;
  effectText: string;
  hasPrincipal: boolean;
  rawConditions: RawCondition[];
}

function readStatement(node: JsonNode, index: number): RawStatement {
  if (node.type !== 'object') fail();
  for (const key of node.keys) if (!STATEMENT_FIELDS.has(key)) fail();
  const field = (name: string): JsonNode | undefined => node.map.get(name);
  if ((field('Action') && field('NotAction')) || (field('Resource') && field('NotResource')) || (field('Principal') && field('NotPrincipal'))) fail();
  const effect = field('Effect');
  if (!effect || effect.type !== 'string') fail();
  const effectLower = effect.value.toLowerCase();
  if (effectLower !== 'allow' && effectLower !== 'deny') fail();
  const sid = field('Sid');
  if (sid && sid.type !== 'string') fail();
  const model: RawStatement['model'] = { node, index };
  if (sid?.type === 'string') model.sid = sid.value;
  for (const name of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
    const value = field(name);
    if (!value) continue;
    const list = stringList(value);
    if (name === 'Action') model.action = list;
    else if (name === 'NotAction') model.notAction = list;
    else if (name === 'Resource') model.resource = list;
    else model.notResource = list;
  }
  const principal = field('Principal');
  if (principal) model.principal = principalValue(principal);
  const notPrincipal = field('NotPrincipal');
  if (notPrincipal) model.notPrincipal = principalValue(notPrincipal);
  const rawConditions: RawCondition[] = [];
  const condition = field('Condition');
  if (condition) {
    if (condition.type !== 'object') fail();
    for (const operator of condition.keys) {
      const block = condition.map.get(operator)!;
      if (block.type !== 'object') fail();
      if (!parseOperator(operator)) fail();
      for (const key of block.keys) rawConditions.push({ operator, key, values: conditionValues(block.map.get(key)!) });
    }
  }
  return { model, effectText: effect.value, hasPrincipal: principal !== undefined || notPrincipal !== undefined, rawConditions };
}

/** Stage 1: grammar. */
function readGrammar(root: JsonNode | null): { version: DocumentModel['version']; raw: RawStatement[] } {
  try {
    if (!root || root.type !== 'object') fail();
    for (const key of root.keys) if (!TOP_FIELDS.has(key)) fail();
    const versionNode = root.map.get('Version');
    let version: DocumentModel['version'] = '2008-10-17';
    if (versionNode) {
      if (versionNode.type !== 'string' || (versionNode.value !== '2008-10-17' && versionNode.value !== '2012-10-17')) fail();
      version = versionNode.value;
    }
    const id = root.map.get('Id');
    if (id && id.type !== 'string') fail();
    const statement = root.map.get('Statement');
    if (!statement) fail();
    const nodes = statement.type === 'array' ? statement.items : [statement];
    if (nodes.length === 0) fail();
    return { version, raw: nodes.map(readStatement) };
  } catch (error) {
    if (error instanceof SyntaxFailure) throw syntaxError();
    throw error;
  }
}

/** First split of text at a separator, like Python's str.partition. */
function partition(text: string, separator: string): [string, string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, '', ''] : [text.slice(0, at), separator, text.slice(at + separator.length)];
}

/** IAM's complaint about a resource's ARN format, if any. */
function resourceFormatError(resource: string): string | undefined {
  if (resource === '*') return undefined;
  const [, hasColon, afterArn] = partition(resource, ':');
  if (!hasColon) return MALFORMED.resourceFormat(resource);
  const [partitionName, hasService, afterPartition] = partition(afterArn, ':');
  if (!PARTITIONS.has(partitionName)) {
    const rest = afterPartition.split(':');
    const part = (index: number): string => (rest.length > index ? rest[index] : '*');
    const first = rest[0] !== '' || rest.length > 1 ? rest[0] : '*';
    const last = rest.length > 3 ? rest.slice(3).join(':') : '*';
    return MALFORMED.partition(partitionName, `arn:${partitionName}:${first}:${part(1)}:${part(2)}:${last}`);
  }
  if (!hasService) return MALFORMED.resourceVendor;
  const [service, , afterService] = partition(afterPartition, ':');
  const [, , afterRegion] = partition(afterService, ':');
  const [, , resourceId] = partition(afterRegion, ':');
  if (service === 'iam' && !afterService.startsWith(':')) return MALFORMED.iamRegion(resource);
  // Buckets and objects have neither region nor account; regional S3 resources (access points,
  // access grants, jobs...) have both.
  if (service === 's3' && !afterService.startsWith(':') && afterRegion.startsWith(':')) return MALFORMED.s3Region(resource);
  if (service === 'iam' && resourceId !== '*' && resourceId !== 'root' && !IAM_RESOURCE_PREFIXES.some((prefix) => resourceId.startsWith(prefix))) {
    return MALFORMED.iamPath(IAM_RESOURCE_PREFIXES);
  }
  return undefined;
}

/** The legacy parser's view of a resource: "::" needs the full six parts, and a service. */
function passesLegacyResource(resource: string): boolean {
  if (resource === '*') return true;
  const parts = resource.split(':');
  if (resource.includes('::') && parts.length < 6) return false;
  return parts.length > 2 && parts[2] !== '';
}

function checkAction(action: string): void {
  const parts = action.split(':');
  if (parts.length === 1 && action !== '*') throw new PolicyDocumentError(MALFORMED.actionVendor);
  if (parts.length > 2) throw new PolicyDocumentError(MALFORMED.actionColons);
  const vendor = parts[0];
  if (action === '*') return;
  if (/[*?]/.test(vendor)) throw new PolicyDocumentError(MALFORMED.actionVendorWildcard);
  if (!/^[a-zA-Z0-9.-]+$/.test(vendor)) throw new PolicyDocumentError(MALFORMED.vendorInvalid(vendor));
}

export function readDocument(root: JsonNode | null, kind: PolicyKind): DocumentModel {
  const { version, raw } = readGrammar(root);

  // 2. Principal: forbidden in policies attached to an identity, required on resources and roles.
  for (const statement of raw) {
    const wantsPrincipal = kind === 'resource' || kind === 'trust';
    if (!wantsPrincipal && statement.hasPrincipal) throw new PolicyDocumentError(MALFORMED.principalNotAllowed);
    if (wantsPrincipal && !statement.hasPrincipal) throw new PolicyDocumentError(MALFORMED.missingPrincipal);
  }

  // 3. Legacy parsing: exact Effect, typed condition values, then resources (format errors wait for stage 6).
  const variables = version === '2012-10-17';
  let resourceError: string | undefined;
  const statements: StatementModel[] = raw.map((statement) => {
    if (statement.effectText !== 'Allow' && statement.effectText !== 'Deny') throw new PolicyDocumentError(MALFORMED.legacy);
    const conditions = statement.rawConditions.map(
      (condition) => new CompiledCondition(parseOperator(condition.operator)!, condition.key, condition.values, variables),
    );
    return { ...statement.model, effect: statement.effectText, conditions };
  });
  for (const statement of statements) {
    for (const list of [statement.resource, statement.notResource]) {
      if (!list) continue;
      for (const resource of list) resourceError ??= resourceFormatError(resource);
      if (resourceError === undefined && !list.every(passesLegacyResource)) throw new PolicyDocumentError(MALFORMED.legacy);
    }
  }

  // 4. Unique Sids (empty ones do not count).
  const sids = new Set<string>();
  for (const statement of statements) {
    if (!statement.sid) continue;
    if (sids.has(statement.sid)) throw new PolicyDocumentError(MALFORMED.sidUnique);
    sids.add(statement.sid);
  }

  // 5. Actions present.
  for (const statement of statements) {
    const actions = statement.action ?? statement.notAction;
    if (!actions || actions.length === 0) throw new PolicyDocumentError(MALFORMED.noActions);
  }

  // 5b. Resources present (a role's trust policy has none: stage 8).
  if (kind !== 'trust') {
    for (const statement of statements) {
      const resources = statement.resource ?? statement.notResource;
      if (!resources || resources.length === 0) throw new PolicyDocumentError(MALFORMED.noResources);
    }
  }

  // 6. Resource formats.
  if (resourceError !== undefined) throw new PolicyDocumentError(resourceError);

  // 7. Vendors of actions. (Condition keys are not checked: AWS-managed policies once held
  // "PassedToService" without its iam: prefix.)
  for (const statement of statements) for (const action of statement.action ?? []) checkAction(action);
  for (const statement of statements) for (const action of statement.notAction ?? []) checkAction(action);

  // 8. A role's trust policy: STS actions only, and no Resource.
  if (kind === 'trust') {
    for (const statement of statements) {
      if (statement.resource ?? statement.notResource) throw new PolicyDocumentError(MALFORMED.prohibitedResource);
      const stsOnly = statement.notAction === undefined && (statement.action ?? []).every((action) => action.toLowerCase().startsWith('sts:'));
      if (!stsOnly) throw new PolicyDocumentError(MALFORMED.trustActions);
    }
  }

  return { version, statements };
}
