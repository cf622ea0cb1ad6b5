/**
 * evaluate: the decision for one request, same account, following
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * (sections "Determining whether a request is allowed or denied within an account" and the table
 * "Resource-based policies and implicit denies in other policy types"):
 *  1. an explicit Deny that applies in any policy (identity, resource, boundary, session) denies;
 *  2. the account root user is allowed (only a resource policy's Deny stops it);
 *  3. a resource-policy Allow that names the caller directly (user ARN, role session ARN,
 *     federated-user ARN, service, identity provider) allows, whatever the other policies say;
 *  4. otherwise an Allow is needed from the identity-based policies, or from the resource policy
 *     naming the session's role ARN or "*"; then the permissions boundary (if any) and the
 *     session policies (if any) must allow too. A resource-policy Allow naming only the account
 *     delegates to IAM policies and grants nothing by itself.
 * With `resourcePolicyRequired` (role trust policies) the resource policy must allow in any case.
 * A federated-user session (GetFederationToken) without session policies has no permissions.
 * AWS documents that a Deny with NotPrincipal denies any principal that has a permissions
 * boundary, whatever NotPrincipal lists (access_policies_boundaries.html); that is reproduced.
 *
 * Service control policies, cross-account rules and VPC endpoint policies are not evaluated.
 * Nothing here allocates per statement: a decision allocates its result, and a list only when
 * more than one statement decides it.
 */
import { IndexedPolicy } from './compile.js';
import { conditionTrace } from './conditions.js';
import { PrincipalMatch } from './principals.js';
import type { CompiledStatement } from './statement.js';
import type { CompiledPolicy, Decision, DenyKind, EvaluateOptions, MatchedStatement, PolicySet, RequestContext } from './types.js';

const NONE: readonly never[] = Object.freeze([]);

const enum Role {
  Identity,
  Resource,
  Boundary,
  Session,
}

const DENY_KIND: readonly DenyKind[] = ['identity-based policy', 'resource-based policy', 'permissions boundary', 'session policy'];

/** The statements of one category that applied: the first kept as is, a list only from the second on. */
class Hits {
  first: CompiledStatement | undefined;
  all: MatchedStatement[] | undefined;

  add(statement: CompiledStatement): void {
    if (this.first === undefined) this.first = statement;
    else (this.all ??= [this.first.matched]).push(statement.matched);
  }

  get found(): boolean {
    return this.first !== undefined;
  }

  list(): readonly MatchedStatement[] {
    return this.all ?? this.first?.matchedAlone ?? NONE;
  }

  reset(): void {
    this.first = undefined;
    this.all = undefined;
  }
}

/**
 * What one evaluation found, filled policy by policy. evaluate() is synchronous and never
 * re-entered, so one instance is reset and reused rather than allocated per call.
 */
class Findings {
  ctx!: RequestContext;
  /** the request's action, lowercased */
  action = '';
  /** its service prefix */
  vendor = '';
  hasBoundary = false;
  denyKind: DenyKind | undefined;
  missing: string[] | undefined;
  readonly denies = new Hits();
  readonly identityAllows = new Hits();
  readonly resourceDirect = new Hits();
  readonly resourceIndirect = new Hits();
  readonly resourceAccount = new Hits();
  readonly boundaryAllows = new Hits();
  readonly sessionAllows = new Hits();

  reset(ctx: RequestContext, hasBoundary: boolean): void {
    this.ctx = ctx;
    const action = lowercase(ctx.action);
    this.action = action.lower;
    this.vendor = action.vendor;
    this.hasBoundary = hasBoundary;
    this.denyKind = undefined;
    this.missing = undefined;
    this.denies.reset();
    this.identityAllows.reset();
    this.resourceDirect.reset();
    this.resourceIndirect.reset();
    this.resourceAccount.reset();
    this.boundaryAllows.reset();
    this.sessionAllows.reset();
  }

  scan(policy: CompiledPolicy, role: Role): void {
    const statements = policy instanceof IndexedPolicy ? policy.statementsFor(this.vendor) : policy.statements;
    for (let i = 0; i < statements.length; i++) this.consider(statements[i], role);
  }

  private consider(statement: CompiledStatement, role: Role): void {
    const ctx = this.ctx;
    if (!statement.matchesAction(this.action)) return;
    let level = PrincipalMatch.Direct;
    const principals = statement.principals;
    if (principals !== undefined) {
      level = principals.match(ctx.principal);
      if (statement.principalsNegated) {
        if (level !== PrincipalMatch.None && !(statement.isDeny && this.hasBoundary)) return;
        level = ctx.principal.type === 'Anonymous' || ctx.principal.type === 'Service' || ctx.principal.type === 'Federated'
          ? PrincipalMatch.Direct
          : PrincipalMatch.Indirect;
      } else if (level === PrincipalMatch.None) {
        return;
      }
    }
    // Keys the statement reads but the request lacks are reported. Conditions flag an absent key as
    // they meet one; when they all held without one, every key they read was there.
    const reads = statement.referencedKeys.length > 0;
    if (!statement.matchesResource(ctx.resource, ctx.keys)) {
      if (reads) this.noteMissing(statement);
      return;
    }
    conditionTrace.absentKey = false;
    const holds = statement.conditionsHold(ctx.keys);
    if (reads && (!holds || conditionTrace.absentKey || statement.hasVariables)) this.noteMissing(statement);
    if (!holds) return;
    if (statement.isDeny) {
      this.denies.add(statement);
      this.denyKind ??= DENY_KIND[role];
      return;
    }
    switch (role) {
      case Role.Identity:
        this.identityAllows.add(statement);
        break;
      case Role.Boundary:
        this.boundaryAllows.add(statement);
        break;
      case Role.Session:
        this.sessionAllows.add(statement);
        break;
      case Role.Resource:
        if (level === PrincipalMatch.Direct) this.resourceDirect.add(statement);
        else if (level === PrincipalMatch.Indirect) this.resourceIndirect.add(statement);
        else this.resourceAccount.add(statement);
        break;
    }
  }

  private noteMissing(statement: CompiledStatement): void {
    const keys = this.ctx.keys;
    const referenced = statement.referencedKeys;
    for (let i = 0; i < referenced.length; i++) {
      if (keys.has(referenced[i].key)) continue;
      const missing = (this.missing ??= []);
      if (!missing.includes(referenced[i].name)) missing.push(referenced[i].name);
    }
  }

  decide(effect: Decision['effect'], matched: readonly MatchedStatement[], denyKind?: DenyKind): Decision {
    const decision: Decision = { effect, matched, missingContextValues: this.missing ?? NONE };
    if (denyKind !== undefined) decision.denyKind = denyKind;
    this.ctx = undefined!;
    return decision;
  }
}

const findings = new Findings();

// Actions come from a small set (usually the same string objects), so their lowercase and
// service prefix are remembered.
const lowercased = new Map<string, { lower: string; vendor: string }>();

function lowercase(action: string): { lower: string; vendor: string } {
  let known = lowercased.get(action);
  if (known === undefined) {
    const lower = action.toLowerCase();
    const colon = lower.indexOf(':');
    known = { lower, vendor: colon < 0 ? lower : lower.slice(0, colon) };
    if (lowercased.size >= 4096) lowercased.clear();
    lowercased.set(action, known);
  }
  return known;
}

/** The statements of several categories, as one list (no copy when only one category has any). */
function join(...groups: Hits[]): readonly MatchedStatement[] {
  let found: Hits | undefined;
  let count = 0;
  for (const group of groups) {
    if (!group.found) continue;
    found = group;
    count++;
  }
  if (count <= 1) return found?.list() ?? NONE;
  const all: MatchedStatement[] = [];
  for (const group of groups) all.push(...group.list());
  return all;
}

export function evaluate(ctx: RequestContext, policies: PolicySet, options?: EvaluateOptions): Decision {
  const principal = ctx.principal;
  const required = options?.resourcePolicyRequired === true;
  findings.reset(ctx, policies.boundary !== undefined);

  if (principal.type === 'Root') {
    if (policies.resource) findings.scan(policies.resource, Role.Resource);
    if (findings.denies.found) return findings.decide('explicitDeny', findings.denies.list(), 'resource-based policy');
    const granted = join(findings.resourceDirect, findings.resourceIndirect, findings.resourceAccount);
    if (required && granted.length === 0) return findings.decide('implicitDeny', NONE, 'resource-based policy');
    return findings.decide('allowed', granted);
  }

  // Services, identity providers and anonymous callers have no identity-based policies.
  const hasIdentity = principal.type !== 'Anonymous' && principal.type !== 'Service' && principal.type !== 'Federated';
  if (hasIdentity) for (const policy of policies.identity) findings.scan(policy, Role.Identity);
  if (policies.resource) findings.scan(policies.resource, Role.Resource);
  if (hasIdentity && policies.boundary) findings.scan(policies.boundary, Role.Boundary);
  const sessions = hasIdentity ? policies.session ?? NONE : NONE;
  for (const policy of sessions) findings.scan(policy, Role.Session);

  if (findings.denies.found) return findings.decide('explicitDeny', findings.denies.list(), findings.denyKind);

  if (findings.resourceDirect.found) return findings.decide('allowed', findings.resourceDirect.list());
  if (required && !findings.resourceIndirect.found && !findings.resourceAccount.found) {
    return findings.decide('implicitDeny', NONE, 'resource-based policy');
  }
  if (!findings.identityAllows.found && !findings.resourceIndirect.found) return findings.decide('implicitDeny', NONE, 'identity-based policy');
  if (policies.boundary && !findings.boundaryAllows.found) return findings.decide('implicitDeny', NONE, 'permissions boundary');
  const sessionRequired = sessions.length > 0 || principal.type === 'FederatedUser';
  if (sessionRequired && !findings.sessionAllows.found) return findings.decide('implicitDeny', NONE, 'session policy');
  const granted = required
    ? join(findings.identityAllows, findings.resourceIndirect, findings.resourceAccount, findings.boundaryAllows, findings.sessionAllows)
    : join(findings.identityAllows, findings.resourceIndirect, findings.boundaryAllows, findings.sessionAllows);
  return findings.decide('allowed', granted);
}
