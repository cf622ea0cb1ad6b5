/**
 * The IAM policy simulator: SimulatePrincipalPolicy and SimulateCustomPolicy
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html,
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html).
 *
 * A simulation asks the same pure engine (policy/evaluate.ts) as a real request, with the same
 * policies (a user's come from the authorizer's own cache; a role's and a group's are gathered the
 * way the authorizer gathers them) and the same request context (auth/request-context.ts: the
 * simulated caller's keys, then the keys of this very request: time, address, transport, region),
 * then the ContextEntries on top. So a simulation predicts what the same principal calling now
 * from here would get. AWS's simulator fills in no request keys of its own (it lists them in
 * MissingContextValues instead); iamd fills them so that the prediction holds, and any of them can
 * be overridden with a context entry.
 *
 * The response follows what AWS returns (see the notes at each constant): SourcePolicyId is
 * "PolicyInputList.N", "PermissionsBoundaryPolicyInputList.1", "ResourcePolicy", or the name of
 * an entity's inline or managed policy; positions are where AWS's JSON parser stands around the
 * statement (see awsStart).
 *
 * Not simulated: service control policies (AllowedByOrganizations is always true), cross-account
 * requests (a ResourceOwner or CallerArn of another account is refused), and
 * ResourceHandlingOption scenarios (accepted, not enforced).
 */
import { principalIdentity } from '../../auth/authorizer.js';
import type { Caller } from '../../auth/caller.js';
import { addRequestConditionKeys, globalConditionKeys } from '../../auth/request-context.js';
import type { Tag } from '../../directory/types.js';
import { assumedRoleArn } from '../../domain/arn.js';
import {
  PolicyDocumentError, evaluate, type CompiledPolicy, type ContextValue, type Decision, type MatchedStatement, type PolicyKind,
  type PolicySet, type PolicySource, type PrincipalIdentity, type SourcePosition,
} from '../../policy/index.js';
import { parseBase64, parseBoolean, parseDate, parseIpv4, parseIpv6, parseNumber } from '../../policy/values.js';
import type { AwsError } from '../../protocol/aws-error.js';
import type { QueryInput } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { ARN, IAM_ACTION, POLICY_DOCUMENT, invalidInput, noSuchEntity, pageFields, paginate, pagingInput, validation } from './common.js';
import { resourceTagKeys } from './tags.js';

// --- what AWS calls things

/**
 * SourcePolicyType as AWS sends it. The service model lists user | group | role | aws-managed |
 * user-managed | resource | none, but responses of the real service (captured 2020-2026 by users
 * of the API, e.g. ScottLogic's 2025 simulator write-up and smoketurner's test fixtures) carry
 * these three strings instead; SDKs do not check response enums, so both parse.
 */
const SOURCE_TYPE = {
  identity: 'IAM Policy',
  resource: 'Resource Policy',
  boundary: 'Permissions Boundary Policy',
} as const;

type SourceRole = keyof typeof SOURCE_TYPE;

const CONTEXT_KEY_TYPES = [
  'string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList',
] as const;

type ContextKeyType = (typeof CONTEXT_KEY_TYPES)[number];

/** The EC2 scenarios of ResourceHandlingOption (the API reference's list, and the older EC2-Classic ones). */
const RESOURCE_HANDLING_OPTIONS = [
  'EC2-VPC-InstanceStore', 'EC2-VPC-InstanceStore-Subnet', 'EC2-VPC-EBS', 'EC2-VPC-EBS-Subnet', 'EC2-Classic-InstanceStore', 'EC2-Classic-EBS',
];

/** Where the simulated role's context says it comes from; no key carries it (aws:userid is left out). */
const SIMULATED_SESSION = 'iamd-simulation';

/**
 * The simulator's modelled client error is InvalidInput (its operations list no
 * MalformedPolicyDocument), so a bad input policy is InvalidInput with the engine's IAM wording.
 */
function policyInputError(message: string): AwsError {
  return invalidInput(message);
}

// --- input

interface ContextEntry {
  name: string;
  value: ContextValue;
}

interface SimulationInput {
  actions: string[];
  /** undefined: every resource ("*"), with no resource-specific results */
  resources: string[] | undefined;
  policyInputs: string[];
  boundaryInputs: string[];
  resourcePolicy?: string;
  /** account id of ResourceOwner */
  resourceOwner?: string;
  callerArn?: string;
  contextEntries: ContextEntry[];
  query: QueryInput;
}

interface PrincipalSimulationInput extends SimulationInput {
  source: EntityArn;
}

interface EntityArn {
  arn: string;
  accountId: string;
  type: 'user' | 'group' | 'role';
  name: string;
}

const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;

function parseEntityArn(arn: string): EntityArn | undefined {
  const match = ENTITY_ARN.exec(arn);
  if (!match) return undefined;
  return { arn, accountId: match[1]!, type: match[2] as EntityArn['type'], name: match[4]! };
}

/** "Invalid Entity Arn: arn:aws:sts::...:assumed-role/R/S does not clearly define entity type and name." (as AWS answers) */
function invalidEntityArn(arn: string): AwsError {
  return invalidInput(`Invalid Entity Arn: ${arn} does not clearly define entity type and name.`);
}

/** A list member check with AWS's ValidationError wording (the list is named, then the member constraints). */
function checkMembers(name: string, values: readonly string[], rule: { min: number; max: number; pattern?: RegExp; patternText?: string }): void {
  const constraints: string[] = [];
  if (values.some((value) => value.length > rule.max)) constraints.push(`Member must have length less than or equal to ${rule.max}`);
  if (values.some((value) => value.length < rule.min)) constraints.push(`Member must have length greater than or equal to ${rule.min}`);
  if (rule.pattern && values.some((value) => !rule.pattern!.test(value))) constraints.push(`Member must satisfy regular expression pattern: ${rule.patternText}`);
  if (constraints.length === 0) return;
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  throw validation(`1 validation error detected: Value '[${values.join(', ')}]' at '${member}' failed to satisfy constraint: Member must satisfy constraint: [${constraints.join(', ')}]`);
}

function policyList(query: QueryInput, name: string): string[] {
  const documents = query.list(name);
  checkMembers(name, documents, { min: POLICY_DOCUMENT.min!, max: POLICY_DOCUMENT.max!, pattern: POLICY_DOCUMENT.pattern!, patternText: POLICY_DOCUMENT.patternText! });
  return documents;
}

const ACTION_NAME = /^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/;
const RESOURCE_ARN = /^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/s;

function actionNames(query: QueryInput): string[] {
  const actions = query.list('ActionNames');
  if (actions.length === 0) throw validation("1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
  checkMembers('ActionNames', actions, { min: 3, max: 128 });
  for (const action of actions) {
    // "This operation does not support using wildcards (*) in an action name." (API reference)
    if (/[*?]/.test(action)) throw invalidInput(`Action names cannot contain wildcards: ${action}.`);
    if (!ACTION_NAME.test(action)) throw invalidInput(`Invalid action name: ${action}.`);
  }
  return actions;
}

function resourceArns(query: QueryInput): string[] | undefined {
  const resources = query.list('ResourceArns');
  if (resources.length === 0) return undefined;
  checkMembers('ResourceArns', resources, { min: 1, max: 2048 });
  const invalid = resources.filter((resource) => resource !== '*' && !RESOURCE_ARN.test(resource));
  // AWS: "ResourceNames are not in a valid ARN format: 14a050d4-021e-4efe-84bb-0871bf6d0fda."
  if (invalid.length > 0) throw invalidInput(`ResourceNames are not in a valid ARN format: ${invalid.join(', ')}.`);
  // "*" alone is the simulation over all resources, as when ResourceArns is left out.
  return resources.length === 1 && resources[0] === '*' ? undefined : resources;
}

/** ResourceOwner: an account id, or the account's root ARN (the SimulateCustomPolicy reference's form). */
function resourceOwner(query: QueryInput): string | undefined {
  const owner = query.optional('ResourceOwner', { min: 1, max: 2048 });
  if (owner === undefined) return undefined;
  const match = /^(?:(\d{12})|arn:aws:iam::(\d{12}):root)$/.exec(owner);
  if (!match) throw invalidInput(`Invalid ResourceOwner: ${owner}. Specify an account ID or arn:aws:iam::ACCOUNT-ID:root.`);
  return match[1] ?? match[2];
}

/**
 * ContextEntries.member.N: each value must read as its declared type (the engine's own parsers, so a
 * value accepted here is one the conditions understand). A single-valued type takes one value; a
 * list type any number. Later entries for the same key (names are case-insensitive) win.
 */
function contextEntries(query: QueryInput): ContextEntry[] {
  const entries: ContextEntry[] = [];
  query.structures('ContextEntries').forEach((item, index) => {
    const at = `contextEntries.${index + 1}.member`;
    const name = item.optional('ContextKeyName', { min: 5, max: 256 });
    const typeText = item.optional('ContextKeyType');
    if (typeText !== undefined && !(CONTEXT_KEY_TYPES as readonly string[]).includes(typeText)) {
      throw validation(`1 validation error detected: Value '${typeText}' at '${at}.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [${CONTEXT_KEY_TYPES.join(', ')}]`);
    }
    if (name === undefined) throw invalidInput(`Context entry ${index + 1} has no ContextKeyName.`);
    if (typeText === undefined) throw invalidInput(`Context entry ${name} has no ContextKeyType.`);
    const type = typeText as ContextKeyType;
    const values = item.list('ContextKeyValues');
    const list = type.endsWith('List');
    if (!list && values.length !== 1) throw invalidInput(`Context key ${name} of type ${type} takes exactly one value; use ${type}List for several.`);
    const scalar = list ? (type.slice(0, -4) as ContextKeyType) : type;
    for (const value of values) {
      if (!valueIsOfType(value, scalar)) throw invalidInput(`Invalid value ${value} for context key ${name} of type ${type}.`);
    }
    entries.push({ name, value: list ? values : values[0]! });
  });
  return entries;
}

function valueIsOfType(value: string, type: ContextKeyType): boolean {
  switch (type) {
    case 'numeric':
      return Number.isFinite(parseNumber(value));
    case 'boolean':
      return parseBoolean(value) >= 0;
    case 'ip':
      return value.includes(':') ? parseIpv6(value) >= 0n : parseIpv4(value) >= 0;
    case 'binary':
      return parseBase64(value) !== undefined;
    case 'date':
      return !Number.isNaN(parseDate(value));
    default:
      return true;
  }
}

/** What both operations read, validated before authorization as AWS validates. */
function simulationInput(query: QueryInput, policyInputsRequired: boolean): SimulationInput {
  const policyInputs = policyList(query, 'PolicyInputList');
  if (policyInputsRequired && policyInputs.length === 0) {
    throw validation("1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null");
  }
  const boundaryInputs = policyList(query, 'PermissionsBoundaryPolicyInputList');
  // "You can input only one permissions boundary when you pass a policy to this operation." (API reference)
  if (boundaryInputs.length > 1) throw invalidInput('PermissionsBoundaryPolicyInputList can hold only one permissions boundary policy.');
  const actions = actionNames(query);
  const resources = resourceArns(query);
  const resourcePolicy = query.optional('ResourcePolicy', POLICY_DOCUMENT);
  const owner = resourceOwner(query);
  const callerArn = query.optional('CallerArn', { min: 1, max: 2048 });
  const entries = contextEntries(query);
  const handling = query.optional('ResourceHandlingOption', { min: 1, max: 64 });
  if (handling !== undefined && !RESOURCE_HANDLING_OPTIONS.includes(handling)) throw invalidInput(`Invalid ResourceHandlingOption: ${handling}.`);
  pagingInput(query);
  return {
    actions, resources, policyInputs, boundaryInputs, contextEntries: entries, query,
    ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
    ...(owner !== undefined ? { resourceOwner: owner } : {}),
    ...(callerArn !== undefined ? { callerArn } : {}),
  };
}

// --- who is simulated

/** The policy set being simulated, with what each of its policies is called in the response. */
interface SimulatedPolicies {
  identity: CompiledPolicy[];
  boundary?: CompiledPolicy;
  resource?: CompiledPolicy;
  labels: Map<PolicySource, { policy: CompiledPolicy; id: string; role: SourceRole }>;
}

/** The simulated caller: its identity for Principal matching and its global condition keys. */
interface SimulatedCaller {
  principal: PrincipalIdentity;
  keys: Map<string, ContextValue>;
  /** an IAM user, the only caller a resource policy may be simulated for */
  isUser: boolean;
}

function label(policies: SimulatedPolicies, policy: CompiledPolicy, role: SourceRole, id?: string): void {
  const name = id ?? policy.source.name ?? policy.source.arn?.slice(policy.source.arn.lastIndexOf('/') + 1) ?? '';
  policies.labels.set(policy.source, { policy, id: name, role });
}

function compileInput(ctx: OperationContext, text: string, kind: PolicyKind, name: string): CompiledPolicy {
  try {
    return ctx.app.library.compile(text, kind, { kind: kind === 'boundary' ? 'boundary' : 'custom', name });
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw policyInputError(error.message);
    throw error;
  }
}

/** The entity's own policies and boundary, then the request's extra policies (an input boundary replaces the entity's). */
function simulatedPolicies(ctx: OperationContext, input: SimulationInput, entity: { identity: readonly CompiledPolicy[]; boundary?: CompiledPolicy }): SimulatedPolicies {
  const policies: SimulatedPolicies = { identity: [], labels: new Map() };
  for (const policy of entity.identity) {
    policies.identity.push(policy);
    label(policies, policy, 'identity');
  }
  input.policyInputs.forEach((text, index) => {
    const id = `PolicyInputList.${index + 1}`;
    const policy = compileInput(ctx, text, 'identity', id);
    policies.identity.push(policy);
    label(policies, policy, 'identity', id);
  });
  const boundaryText = input.boundaryInputs[0];
  const boundary = boundaryText !== undefined ? compileInput(ctx, boundaryText, 'boundary', 'PermissionsBoundaryPolicyInputList.1') : entity.boundary;
  if (boundary) {
    policies.boundary = boundary;
    label(policies, boundary, 'boundary', boundaryText !== undefined ? 'PermissionsBoundaryPolicyInputList.1' : undefined);
  }
  if (input.resourcePolicy !== undefined) {
    const resource = compileInput(ctx, input.resourcePolicy, 'resource', 'ResourcePolicy');
    policies.resource = resource;
    label(policies, resource, 'resource', 'ResourcePolicy');
  }
  return policies;
}

function userCaller(accountId: string, arn: string, userId: string, userName: string): Caller {
  return { kind: 'user', accountId, arn, userId, accessKeyId: '', userName };
}

/** The policies of a user, group or role, as the authorizer gathers them for a real request. */
function entityPolicies(ctx: OperationContext, source: EntityArn): { identity: readonly CompiledPolicy[]; boundary?: CompiledPolicy } {
  const { directory, library } = ctx.app;
  const inline = (documents: Readonly<Record<string, string>>): CompiledPolicy[] =>
    Object.entries(documents).map(([name, text]) => library.compile(text, 'identity', { kind: 'inline', name }));
  const attached = (arns: readonly string[]): CompiledPolicy[] => arns.flatMap((arn) => library.managed(arn) ?? []);
  const boundaryOf = (arn: string | undefined): { boundary?: CompiledPolicy } => {
    const boundary = arn === undefined ? undefined : library.managed(arn, 'boundary');
    return boundary ? { boundary } : {};
  };
  switch (source.type) {
    case 'user': {
      const user = directory.get('user', source.name);
      if (!user) throw noSuchEntity(`The user with name ${source.name} cannot be found.`);
      // The very policy set (cached) that the user's own requests are authorized with.
      const { policies } = ctx.app.authorizer.principal(userCaller(ctx.app.accountId, user.arn, user.userId, user.userName));
      return { identity: policies.identity, ...(policies.boundary ? { boundary: policies.boundary } : {}) };
    }
    case 'group': {
      const group = directory.get('group', source.name);
      if (!group) throw noSuchEntity(`The group with name ${source.name} cannot be found.`);
      return { identity: [...inline(group.inlinePolicies), ...attached(group.attachedPolicyArns)] };
    }
    case 'role': {
      const role = directory.get('role', source.name);
      if (!role) throw noSuchEntity(`The role with name ${source.name} cannot be found.`);
      return { identity: [...inline(role.inlinePolicies), ...attached(role.attachedPolicyArns)], ...boundaryOf(role.permissionsBoundaryArn) };
    }
  }
}

function callerKeys(ctx: OperationContext, caller: Caller, tags: readonly Tag[], knownUserId: boolean): Map<string, ContextValue> {
  const keys = globalConditionKeys(caller, ctx.request, tags);
  if (!knownUserId) keys.delete('aws:userid');
  return keys;
}

/** CallerArn: an IAM user of this account; its keys come from the directory when the user exists. */
function callerFromArn(ctx: OperationContext, arn: string): SimulatedCaller {
  const parsed = parseEntityArn(arn);
  if (!parsed) throw invalidEntityArn(arn);
  if (parsed.type !== 'user') throw invalidInput('Invalid caller - Caller must be an IAM user in this context.');
  if (parsed.accountId !== ctx.app.accountId) {
    throw invalidInput(`Invalid CallerArn: ${arn} is in account ${parsed.accountId}; iamd simulates account ${ctx.app.accountId} only.`);
  }
  const user = ctx.app.directory.get('user', parsed.name);
  const caller = user
    ? userCaller(ctx.app.accountId, user.arn, user.userId, user.userName)
    : userCaller(ctx.app.accountId, arn, '', parsed.name);
  return { principal: principalIdentity(caller), keys: callerKeys(ctx, caller, user?.tags ?? [], user !== undefined), isUser: true };
}

/** A role simulated without a CallerArn: a session of the role, without the keys only a real session has. */
function roleCaller(ctx: OperationContext, roleName: string): SimulatedCaller {
  const role = ctx.app.directory.get('role', roleName)!;
  const caller: Caller = {
    kind: 'role-session', accountId: ctx.app.accountId, arn: assumedRoleArn(ctx.app.accountId, role.roleName, SIMULATED_SESSION), userId: '',
    accessKeyId: '', roleName: role.roleName, roleArn: role.arn,
  };
  return { principal: principalIdentity(caller), keys: callerKeys(ctx, caller, role.tags, false), isUser: false };
}

/** No caller at all (SimulateCustomPolicy without CallerArn, a group without one): only the request's own keys. */
function anonymousCaller(ctx: OperationContext): SimulatedCaller {
  const keys = new Map<string, ContextValue>();
  addRequestConditionKeys(keys, ctx.request);
  return { principal: { type: 'User', arn: '', accountId: ctx.app.accountId }, keys, isUser: false };
}

// --- evaluation

interface Outcome {
  decision: Decision;
  /** set when a permissions boundary took part */
  allowedByBoundary?: boolean;
}

function simulate(ctx: OperationContext, input: SimulationInput, policies: SimulatedPolicies, caller: SimulatedCaller): XmlObject {
  if (input.resourcePolicy !== undefined && !caller.isUser) {
    // AWS: "Invalid caller - Caller must be an IAM user in this context." (a resource policy needs a Principal to match)
    throw invalidInput('Invalid caller - Caller must be an IAM user in this context.');
  }
  if (input.resourceOwner !== undefined && input.resourceOwner !== ctx.app.accountId) {
    throw invalidInput(`Invalid ResourceOwner: account ${input.resourceOwner}; iamd simulates account ${ctx.app.accountId} only.`);
  }
  const keys = new Map(caller.keys);
  for (const entry of input.contextEntries) keys.set(entry.name.toLowerCase(), entry.value);
  const set: PolicySet = {
    identity: policies.identity,
    ...(policies.resource ? { resource: policies.resource } : {}),
    ...(policies.boundary ? { boundary: policies.boundary } : {}),
  };
  const boundaryAlone: PolicySet | undefined = policies.boundary ? { identity: [policies.boundary] } : undefined;

  const results: XmlObject[] = [];
  for (const action of input.actions) {
    for (const resource of input.resources ?? ['*']) {
      const request = { action, resource, principal: caller.principal, keys };
      const outcome: Outcome = { decision: evaluate(request, set) };
      // AllowedByPermissionsBoundary: the boundary on its own allows (an Allow matches and no Deny in it does).
      if (boundaryAlone) outcome.allowedByBoundary = evaluate(request, boundaryAlone).effect === 'allowed';
      results.push(resultXml(action, resource, outcome, policies, input.resources !== undefined));
    }
  }
  const page = paginate(results, input.query);
  return { EvaluationResults: page.items, ...pageFields(page) };
}

/**
 * The EvaluationResult shape (https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html)
 * in the service model's member order. With ResourceArns, the missing context values move to
 * ResourceSpecificResults and EvalDecisionDetails is present but empty (same-account simulation).
 */
function resultXml(action: string, resource: string, outcome: Outcome, policies: SimulatedPolicies, specific: boolean): XmlObject {
  const { decision } = outcome;
  const matched = decision.matched.map((statement) => statementXml(statement, policies));
  const boundary = outcome.allowedByBoundary === undefined ? undefined : { AllowedByPermissionsBoundary: outcome.allowedByBoundary };
  return {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision: decision.effect,
    MatchedStatements: matched,
    MissingContextValues: specific ? [] : [...decision.missingContextValues],
    OrganizationsDecisionDetail: { AllowedByOrganizations: true },
    PermissionsBoundaryDecisionDetail: boundary,
    EvalDecisionDetails: specific ? {} : undefined,
    ResourceSpecificResults: specific
      ? [{
        EvalResourceName: resource,
        EvalResourceDecision: decision.effect,
        MatchedStatements: matched,
        MissingContextValues: [...decision.missingContextValues],
        PermissionsBoundaryDecisionDetail: boundary,
      }]
      : undefined,
  };
}

/** The Statement shape (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Statement.html). */
function statementXml(statement: MatchedStatement, policies: SimulatedPolicies): XmlObject {
  const known = policies.labels.get(statement.source);
  const id = known?.id ?? statement.source.name ?? statement.source.arn ?? '';
  const type = SOURCE_TYPE[known?.role ?? (statement.source.kind === 'boundary' ? 'boundary' : 'identity')];
  const start = known && statement.start ? awsStart(known.policy, statement.start) : statement.start;
  return {
    SourcePolicyId: id,
    SourcePolicyType: type,
    StartPosition: start ? { Line: start.line, Column: start.column } : undefined,
    EndPosition: statement.end ? { Line: statement.end.line, Column: statement.end.column } : undefined,
  };
}

// --- positions

/**
 * Where AWS says a statement starts. AWS reports its JSON parser's location just before it reads
 * the statement, with 1-based lines and columns: just after the "[" for the first statement of a
 * list, just after the previous statement's "}" for the others (so each starts where the one before
 * ends), and, for a "Statement" that is a single object, just after its "{" (the parser has already
 * read it as it read the key). The end is just after the statement's "}", as the engine reports it.
 * Observed: the AWS CLI's own example (single object, start 38 end 167 for a "{" at column 37), and
 * captured responses for compact lists (first statement at the column after "[", next ones starting
 * at the previous one's EndPosition: 38/248 then 248/470; 41/198 then 198/300).
 */
function awsStart(policy: CompiledPolicy, start: SourcePosition): SourcePosition {
  const text = policy.text;
  const starts = lineStarts(policy);
  const brace = (starts[start.line - 1] ?? 0) + start.column - 1;
  if (text[brace] !== '{') return start;
  const before = skipWhitespaceBack(text, brace - 1);
  let offset = brace;
  if (text[before] === '[') offset = before + 1;
  else if (text[before] === ',') offset = skipWhitespaceBack(text, before - 1) + 1;
  else if (text[before] === ':') offset = brace + 1;
  return positionAt(starts, offset);
}

function skipWhitespaceBack(text: string, from: number): number {
  let at = from;
  while (at >= 0) {
    const code = text.charCodeAt(at);
    if (code !== 32 && code !== 9 && code !== 10 && code !== 13) break;
    at--;
  }
  return at;
}

const lineStartCache = new WeakMap<CompiledPolicy, number[]>();

/** Offsets where lines begin, counting "\n", "\r\n" and a lone "\r" as one break each (as the engine's parser does). */
function lineStarts(policy: CompiledPolicy): number[] {
  let starts = lineStartCache.get(policy);
  if (starts) return starts;
  starts = [0];
  const text = policy.text;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  lineStartCache.set(policy, starts);
  return starts;
}

function positionAt(starts: readonly number[], offset: number): SourcePosition {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

// --- operations

/**
 * What SimulatePrincipalPolicy is authorized against: the entity's ARN (with its path when it
 * exists), with the tags of a user or role as aws:ResourceTag/iam:ResourceTag.
 */
function principalAuthorization(ctx: OperationContext, source: EntityArn): Authorization {
  const record = ctx.app.directory.get(source.type, source.name);
  const tags = record !== undefined && 'tags' in record ? record.tags : [];
  return { action: IAM_ACTION('SimulatePrincipalPolicy'), resource: record?.arn ?? source.arn, conditionKeys: resourceTagKeys(tags) };
}

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html */
const SimulatePrincipalPolicy = operation<PrincipalSimulationInput>({
  input(query) {
    const arn = query.required('PolicySourceArn', ARN);
    const source = parseEntityArn(arn);
    if (!source) throw invalidEntityArn(arn);
    return { ...simulationInput(query, false), source };
  },
  authorize: (input, ctx) => principalAuthorization(ctx, input.source),
  handle(input, ctx) {
    const { source } = input;
    if (source.accountId !== ctx.app.accountId) {
      // AWS: "Invalid Policy Source Arn: caller's account A does not have access to policies in account B"
      throw invalidInput(`Invalid Policy Source Arn: caller's account ${ctx.app.accountId} does not have access to policies in account ${source.accountId}`);
    }
    const policies = simulatedPolicies(ctx, input, entityPolicies(ctx, source));
    // CallerArn defaults to the PolicySourceArn when that is a user; a role is simulated as a session of itself.
    let caller: SimulatedCaller;
    if (input.callerArn !== undefined) caller = callerFromArn(ctx, input.callerArn);
    else if (source.type === 'user') caller = callerFromArn(ctx, ctx.app.directory.get('user', source.name)!.arn);
    else if (source.type === 'role') caller = roleCaller(ctx, source.name);
    else caller = anonymousCaller(ctx);
    return simulate(ctx, input, policies, caller);
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html — the action has no resource type, so "*". */
const SimulateCustomPolicy = operation<SimulationInput>({
  input: (query) => simulationInput(query, true),
  authorize: () => ({ action: IAM_ACTION('SimulateCustomPolicy'), resource: '*' }),
  handle(input, ctx) {
    const policies = simulatedPolicies(ctx, input, { identity: [] });
    const caller = input.callerArn !== undefined ? callerFromArn(ctx, input.callerArn) : anonymousCaller(ctx);
    return simulate(ctx, input, policies, caller);
  },
});

export const simulatorOperations: OperationMap = { SimulatePrincipalPolicy, SimulateCustomPolicy };
