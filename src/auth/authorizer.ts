/**
 * Authorization: gathers a caller's policies (identity, permissions boundary, session), builds the
 * request context and asks the pure policy engine. The policy set of a caller is cached until the
 * directory changes, so the hot path compiles and looks up nothing twice.
 */
import type { Directory } from '../directory/directory.js';
import type { PolicyLibrary } from '../directory/policy-library.js';
import type { GroupRecord, InlinePolicies, RoleRecord, Tag, UserRecord } from '../directory/types.js';
import { AwsError } from '../protocol/aws-error.js';
import {
  accessDeniedMessage, evaluate, type CompiledPolicy, type ContextValue, type Decision, type EvaluateOptions, type PolicySet,
  type PrincipalIdentity, type RequestContext,
} from '../policy/index.js';
import type { Authorization } from '../services/service.js';
import { principalArn, type Caller } from './caller.js';
import type { SessionClaims } from './session-token.js';
import { addRequestConditionKeys, callerConditionKeys, type RequestInfo, type VpcSource } from './request-context.js';

/** Which VPC, if any, a local address belongs to (the running instances' addresses: src/network). */
export interface NetworkSources {
  source(localAddress: string): VpcSource | undefined;
}

/** The part of a request context that stays the same for all of one caller's requests. */
interface CallerContext {
  /** whom it was built for, checked before reuse */
  kind: Caller['kind'];
  arn: string;
  userId: string;
  principal: PrincipalIdentity;
  keys: ReadonlyMap<string, ContextValue>;
}

interface CachedPrincipal {
  generation: number;
  policies: PolicySet;
  tags: readonly Tag[];
  /** Built at the caller's first authorization; dropped with the entry when the directory changes. */
  callerContext?: CallerContext;
}

/** What the root user may do, as an identity policy (root is otherwise not evaluated). */
const ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

const CACHE_LIMIT = 100_000;

export class Authorizer {
  private readonly cache = new Map<string, CachedPrincipal>();

  constructor(private readonly directory: Directory, private readonly library: PolicyLibrary, private readonly network?: NetworkSources) {}

  /** The request context for one authorization of this caller. */
  context(caller: Caller, request: RequestInfo, authorization: Authorization): RequestContext {
    return this.contextOf(this.principal(caller), caller, request, authorization);
  }

  decide(caller: Caller, request: RequestInfo, authorization: Authorization, resourcePolicy?: CompiledPolicy, options?: EvaluateOptions): { context: RequestContext; decision: Decision } {
    const principal = this.principal(caller);
    const context = this.contextOf(principal, caller, request, authorization);
    const resource = resourcePolicy ?? authorization.resourcePolicy;
    const policies = resource ? { ...principal.policies, resource } : principal.policies;
    return { context, decision: evaluate(context, policies, options) };
  }

  /** Throws AWS's AccessDenied unless the caller may do this. */
  require(caller: Caller, request: RequestInfo, authorization: Authorization, resourcePolicy?: CompiledPolicy, options?: EvaluateOptions): Decision {
    const { context, decision } = this.decide(caller, request, authorization, resourcePolicy, options);
    if (decision.effect !== 'allowed') throw new AwsError('AccessDenied', accessDeniedMessage(context, decision), 403);
    return decision;
  }

  /** The policies and tags of the caller's principal, cached until the directory changes. */
  principal(caller: Caller): CachedPrincipal {
    const key = caller.session ? caller.accessKeyId : caller.arn;
    const cached = this.cache.get(key);
    if (cached && cached.generation === this.directory.generation) return cached;
    const fresh: CachedPrincipal = { generation: this.directory.generation, ...this.gather(caller) };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(key, fresh);
    return fresh;
  }

  /** The caller's constant keys (copied: the copy is the request's own), then the request's, then the action's. */
  private contextOf(principal: CachedPrincipal, caller: Caller, request: RequestInfo, authorization: Authorization): RequestContext {
    const constant = callerContext(principal, caller);
    const keys = new Map<string, ContextValue>();
    // forEach into an empty map: measured faster than new Map(constant.keys).
    constant.keys.forEach((value, name) => keys.set(name, value));
    addRequestConditionKeys(keys, request, this.network?.source(request.localAddress));
    const actionKeys = authorization.conditionKeys;
    if (actionKeys !== undefined) {
      for (const [name, value] of Object.entries(actionKeys)) {
        if (value !== undefined) keys.set(name.toLowerCase(), value);
      }
    }
    return { action: authorization.action, resource: authorization.resource, principal: constant.principal, keys };
  }

  private gather(caller: Caller): { policies: PolicySet; tags: readonly Tag[] } {
    const nothing = { policies: { identity: [] }, tags: [] };
    if (caller.kind === 'root' || caller.kind === 'root-session') return nothing;
    const session = caller.session;
    if (caller.kind === 'role-session' && session?.principal.type === 'AssumedRole') {
      const role = this.directory.get('role', caller.roleName!);
      // A session outlives its role on AWS too, but with nothing left to allow it; a role
      // re-created under the same name is another role (another id) and grants the old sessions nothing.
      if (!role || role.roleId !== session.principal.roleId) return nothing;
      return { policies: { ...this.rolePolicies(role), ...this.sessionPolicies(session) }, tags: mergeTags(role.tags, session.tags ?? []) };
    }
    if (caller.kind === 'federated-user' && session?.principal.type === 'FederatedUser') {
      // The federated user has the intersection of its session policies and the permissions of
      // the IAM user (or root) that asked for it; without session policies it has none.
      const { userName, userId } = session.principal;
      const user = userName === undefined ? undefined : this.directory.get('user', userName);
      if (userName !== undefined && (!user || user.userId !== userId)) return nothing;
      const identity = user ? this.userPolicies(user) : { identity: [this.library.compile(ALLOW_ALL, 'identity', { kind: 'custom', name: 'root user' })] };
      return { policies: { ...identity, session: this.sessionPolicies(session).session ?? [] }, tags: session.tags ?? [] };
    }
    const user = this.directory.get('user', caller.userName!);
    if (!user || user.userId !== caller.userId) return nothing;
    return { policies: this.userPolicies(user), tags: user.tags };
  }

  /** The session policies of temporary credentials (inline Policy and PolicyArns), when it has any. */
  private sessionPolicies(session: SessionClaims): { session?: CompiledPolicy[] } {
    if (session.sessionPolicy === undefined && (session.policyArns?.length ?? 0) === 0) return {};
    const policies: CompiledPolicy[] = [];
    if (session.sessionPolicy !== undefined) policies.push(this.library.compile(session.sessionPolicy, 'session', { kind: 'session', name: 'session policy' }));
    for (const arn of session.policyArns ?? []) {
      const policy = this.library.managed(arn, 'session');
      if (policy) policies.push(policy);
    }
    return { session: policies };
  }

  /** A role's own policies: inline, attached and its permissions boundary (no session policies). */
  rolePolicies(role: RoleRecord): PolicySet {
    return { identity: [...this.inline(role.inlinePolicies), ...this.attached(role.attachedPolicyArns)], ...this.boundary(role.permissionsBoundaryArn) };
  }

  /** A user's policies: its own, its groups', and its permissions boundary. */
  userPolicies(user: UserRecord): PolicySet {
    const identity = [...this.inline(user.inlinePolicies), ...this.attached(user.attachedPolicyArns)];
    const name = user.userName.toLowerCase();
    for (const group of this.directory.list('group')) {
      if (group.members.some((member) => member.toLowerCase() === name)) identity.push(...this.groupPolicies(group).identity);
    }
    return { identity, ...this.boundary(user.permissionsBoundaryArn) };
  }

  /** A group's policies: inline and attached. */
  groupPolicies(group: GroupRecord): PolicySet {
    return { identity: [...this.inline(group.inlinePolicies), ...this.attached(group.attachedPolicyArns)] };
  }

  private inline(policies: InlinePolicies): CompiledPolicy[] {
    return Object.entries(policies).map(([name, text]) => this.library.compile(text, 'identity', { kind: 'inline', name }));
  }

  private attached(arns: readonly string[]): CompiledPolicy[] {
    return arns.flatMap((arn) => this.library.managed(arn) ?? []);
  }

  private boundary(arn: string | undefined): { boundary?: CompiledPolicy } {
    // IAM refuses to delete a policy in use as a boundary, so a set boundary always resolves.
    const boundary = arn === undefined ? undefined : this.library.managed(arn, 'boundary');
    return boundary ? { boundary } : {};
  }
}

/**
 * The caller-constant context, cached on the principal's entry. The entry is keyed by the ARN (long-term
 * keys) or by the access key id (sessions, whose sealed token binds that id to one set of claims),
 * which determines every key built here; the check on kind, ARN and user id only makes sure of it.
 */
function callerContext(principal: CachedPrincipal, caller: Caller): CallerContext {
  const cached = principal.callerContext;
  if (cached && cached.kind === caller.kind && cached.arn === caller.arn && cached.userId === caller.userId) return cached;
  const fresh: CallerContext = {
    kind: caller.kind,
    arn: caller.arn,
    userId: caller.userId,
    // Shared by all of the caller's request contexts: frozen, so that no one request can change another's.
    principal: Object.freeze(principalIdentity(caller)),
    keys: callerConditionKeys(caller, principal.tags),
  };
  principal.callerContext = fresh;
  return fresh;
}

function mergeTags(base: readonly Tag[], overrides: readonly Tag[]): Tag[] {
  const merged = new Map(base.map((tag) => [tag.Key.toLowerCase(), tag]));
  for (const tag of overrides) merged.set(tag.Key.toLowerCase(), tag);
  return [...merged.values()];
}

export function principalIdentity(caller: Caller): PrincipalIdentity {
  switch (caller.kind) {
    case 'root':
    case 'root-session':
      return { type: 'Root', arn: caller.arn, accountId: caller.accountId };
    case 'user':
    case 'user-session':
      return { type: 'User', arn: caller.arn, accountId: caller.accountId };
    case 'role-session':
      return { type: 'AssumedRole', arn: caller.arn, accountId: caller.accountId, roleArn: principalArn(caller) };
    case 'federated-user':
      return { type: 'FederatedUser', arn: caller.arn, accountId: caller.accountId };
  }
}

export type { ContextValue };
