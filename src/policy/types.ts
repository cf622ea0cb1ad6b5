/**
 * The public shapes of the policy engine. Compiled policies are immutable and shared between
 * requests; a request context is built once per call (see context.ts for the key helper).
 */
import type { CompiledStatement } from './statement.js';

export type { CompiledStatement };

export type PolicyKind = 'identity' | 'resource' | 'trust' | 'boundary' | 'session';

export interface PolicySource {
  kind: 'inline' | 'managed' | 'aws-managed' | 'trust' | 'bucket' | 'boundary' | 'session' | 'custom';
  name?: string;
  arn?: string;
  id?: string;
}

export interface SourcePosition {
  line: number;
  column: number;
}

export interface MatchedStatement {
  source: PolicySource;
  statementIndex: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  /** 1-based line and column of the statement's opening brace */
  start?: SourcePosition;
  /** 1-based line and column just after the statement's closing brace */
  end?: SourcePosition;
}

export interface CompiledPolicy {
  readonly source: PolicySource;
  readonly kind: PolicyKind;
  readonly version: '2008-10-17' | '2012-10-17';
  readonly statements: readonly CompiledStatement[];
  /** characters other than JSON whitespace, as IAM counts a document against its quotas */
  readonly sizeWithoutWhitespace: number;
  readonly text: string;
}

export type ContextValue = string | readonly string[];

export interface PrincipalIdentity {
  /**
   * Service and Federated are the callers of trust policies only (a service such as
   * ec2.amazonaws.com, or an identity provider ARN / domain for AssumeRoleWith*): arn holds that name.
   */
  type: 'Root' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Anonymous' | 'Service' | 'Federated';
  /** user ARN, arn:aws:sts::ACCT:assumed-role/ROLE/SESSION, arn:aws:iam::ACCT:root, ... */
  arn: string;
  accountId: string;
  /** for AssumedRole: the role's ARN (arn:aws:iam::ACCT:role/path/NAME) */
  roleArn?: string;
  /** for S3-style CanonicalUser principals */
  canonicalUserId?: string;
}

export interface RequestContext {
  /** "iam:CreateUser" */
  action: string;
  /** an ARN or "*" */
  resource: string;
  principal: PrincipalIdentity;
  /** condition keys, names lowercased (see contextKeys()) */
  keys: ReadonlyMap<string, ContextValue>;
}

export interface PolicySet {
  /** inline + attached + group policies */
  identity: readonly CompiledPolicy[];
  /** role trust policy, S3 bucket policy... */
  resource?: CompiledPolicy;
  /** permissions boundary, when set */
  boundary?: CompiledPolicy;
  /** session policies, when the session has any */
  session?: readonly CompiledPolicy[];
}

export interface EvaluateOptions {
  /** true for sts:AssumeRole trust policies: the resource policy must allow in any case */
  resourcePolicyRequired?: boolean;
}

export type DenyKind = 'identity-based policy' | 'resource-based policy' | 'permissions boundary' | 'session policy';

export interface Decision {
  effect: 'allowed' | 'explicitDeny' | 'implicitDeny';
  /** the deciding statements: the matching Denies, or the Allows that granted; empty for an implicit deny */
  matched: readonly MatchedStatement[];
  /** where the explicit deny was, or which policy type failed to allow */
  denyKind?: DenyKind;
  /** condition keys referenced by statements that otherwise applied, but absent from the context */
  missingContextValues: readonly string[];
}
