/**
 * AWS's own wording, in one place: IAM's MalformedPolicyDocument messages and the AccessDenied
 * sentence. Sources (the IAM API does not document its validation messages):
 * - IAM errors as seen by users of the real API (GitHub issues quoting MalformedPolicyDocument:
 *   hashicorp/terraform#13449, kubernetes-sigs/external-dns#3085, garnaat/kappa#111, ...) and the
 *   observed-behaviour suites of moto (tests/test_iam/test_iam_policies.py) and LocalStack.
 * - AccessDenied: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 *   ("User: arn:... is not authorized to perform: codecommit:ListRepositories because no
 *   identity-based policy allows the codecommit:ListRepositories action"; "on resource: ..." is
 *   present when the request has a resource ARN).
 */
import type { Decision, DenyKind, RequestContext } from './types.js';

export const MALFORMED = {
  syntax: 'Syntax errors in policy.',
  version: 'Policy document must be version 2012-10-17 or greater.',
  legacy: 'The policy failed legacy parsing',
  sidUnique: 'Statement IDs (SID) in a single policy must be unique.',
  noActions: 'Policy statement must contain actions.',
  noResources: 'Policy statement must contain resources.',
  principalNotAllowed: 'Policy document should not specify a principal.',
  missingPrincipal: 'Missing required field Principal',
  prohibitedResource: 'Has prohibited field Resource',
  actionVendor: 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.',
  actionColons: 'Actions/Condition can contain only one colon.',
  actionVendorWildcard: 'Action vendors (e.g., aws, ec2, etc.) must not contain wildcards',
  resourceVendor: 'Resource vendor must be fully qualified and cannot contain regexes.',
  trustActions: 'Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity',
  vendorInvalid: (vendor: string): string => `Vendor ${vendor} is not valid`,
  resourceFormat: (resource: string): string => `Resource ${resource} must be in ARN format or "*".`,
  partition: (partition: string, shown: string): string => `Partition "${partition}" is not valid for resource "${shown}".`,
  iamRegion: (resource: string): string => `IAM resource ${resource} cannot contain region information.`,
  s3Region: (resource: string): string => `Resource ${resource} can not contain region information.`,
  iamPath: (prefixes: readonly string[]): string => `IAM resource path must either be "*", root, or start with ${prefixes.join(', ')}.`,
  invalidPrincipal: (type: string, value: string): string => `Invalid principal in policy: "${type}":"${value}"`,
} as const;

const ARTICLE: Record<DenyKind, string> = {
  'identity-based policy': 'an identity-based policy',
  'resource-based policy': 'a resource-based policy',
  'permissions boundary': 'a permissions boundary',
  'session policy': 'a session policy',
};

/**
 * AWS's AccessDenied message for a denied decision ('' for an allowed one). An explicit deny names
 * the policy type that holds it; an implicit deny names the policy type that failed to allow.
 */
export function accessDeniedMessage(ctx: RequestContext, decision: Decision): string {
  if (decision.effect === 'allowed') return '';
  const who = ctx.principal.type === 'Anonymous' ? 'anonymous' : ctx.principal.arn;
  const on = ctx.resource !== '' && ctx.resource !== '*' ? ` on resource: ${ctx.resource}` : '';
  const kind = decision.denyKind ?? 'identity-based policy';
  const why = decision.effect === 'explicitDeny'
    ? ` with an explicit deny in ${ARTICLE[kind]}`
    : ` because no ${kind} allows the ${ctx.action} action`;
  return `User: ${who} is not authorized to perform: ${ctx.action}${on}${why}`;
}
