/**
 * What the IAM resource providers share: IAM's parameter style, inline policies (`Policies`) and
 * managed policy attachments (`ManagedPolicyArns`) kept in step with the template by Put/Delete
 * and Attach/Detach calls, and tags.
 */
import type { Tag } from '../../../directory/types.js';
import { jsonDocument, objects, strings, type Properties } from './properties.js';
import type { ProviderContext } from './provider.js';
import { QueryParams } from './query-params.js';
import { unlessGone } from './results.js';

export type IamPrincipalKind = 'Role' | 'User' | 'Group';

export const iamParams = (): QueryParams => new QueryParams('member');

const NAME_PARAMETER: Record<IamPrincipalKind, string> = { Role: 'RoleName', User: 'UserName', Group: 'GroupName' };

export function principalParams(kind: IamPrincipalKind, name: string): QueryParams {
  return iamParams().set(NAME_PARAMETER[kind], name);
}

/** `Policies: [{PolicyName, PolicyDocument}]` as name -> document JSON. */
export function inlinePoliciesOf(properties: Properties): Map<string, string> {
  return new Map(objects(properties, 'Policies').map((policy) => [String(policy.PolicyName ?? ''), jsonDocument(policy, 'PolicyDocument') ?? '']));
}

/** Puts the inline policies that are new or changed, deletes those no longer in the template. */
export async function syncInlinePolicies(ctx: ProviderContext, kind: IamPrincipalKind, name: string, before: Properties, after: Properties): Promise<void> {
  const old = inlinePoliciesOf(before);
  const wanted = inlinePoliciesOf(after);
  for (const [policyName, document] of wanted) {
    if (old.get(policyName) === document) continue;
    await ctx.call('iam', `Put${kind}Policy`, principalParams(kind, name).set('PolicyName', policyName).set('PolicyDocument', document));
  }
  for (const policyName of old.keys()) {
    if (!wanted.has(policyName)) await unlessGone(ctx.call('iam', `Delete${kind}Policy`, principalParams(kind, name).set('PolicyName', policyName)));
  }
}

/** Attaches the managed policies that are new, detaches those no longer listed. */
export async function syncManagedPolicies(ctx: ProviderContext, kind: IamPrincipalKind, name: string, before: Properties, after: Properties): Promise<void> {
  const old = new Set(strings(before, 'ManagedPolicyArns'));
  const wanted = new Set(strings(after, 'ManagedPolicyArns'));
  for (const arn of wanted) if (!old.has(arn)) await ctx.call('iam', `Attach${kind}Policy`, principalParams(kind, name).set('PolicyArn', arn));
  for (const arn of old) if (!wanted.has(arn)) await unlessGone(ctx.call('iam', `Detach${kind}Policy`, principalParams(kind, name).set('PolicyArn', arn)));
}

/** Removes every inline policy and managed policy attachment a principal has, before it is deleted. */
export async function strip(ctx: ProviderContext, kind: IamPrincipalKind, name: string, inline: readonly string[], attached: readonly string[]): Promise<void> {
  for (const arn of attached) await unlessGone(ctx.call('iam', `Detach${kind}Policy`, principalParams(kind, name).set('PolicyArn', arn)));
  for (const policyName of inline) await unlessGone(ctx.call('iam', `Delete${kind}Policy`, principalParams(kind, name).set('PolicyName', policyName)));
}

export function withTags(params: QueryParams, tags: readonly Tag[]): QueryParams {
  return params.structures('Tags', tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })));
}

/** Tags to add (new keys or new values) and keys to remove. */
export function tagChanges(before: readonly Tag[], after: readonly Tag[]): { put: Tag[]; removed: string[] } {
  const old = new Map(before.map((tag) => [tag.Key, tag.Value]));
  const wanted = new Set(after.map((tag) => tag.Key));
  return {
    put: after.filter((tag) => old.get(tag.Key) !== tag.Value),
    removed: before.filter((tag) => !wanted.has(tag.Key)).map((tag) => tag.Key),
  };
}
