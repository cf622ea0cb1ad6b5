/**
 * What every EC2 operation shares: resource ARNs, authorization with EC2's DryRun answer, and the
 * tag condition keys. EC2 operations authorize in the handler: the resources a request touches
 * (and their tags, VPC, subnet ...) are only known once the ids are resolved, and EC2 checks
 * existence before permissions. `requireAll` then checks every authorization in order and, for a
 * DryRun request that passes, answers DryRunOperation instead of doing the work.
 */
import type { Tag } from '../../directory/types.js';
import { requestTagKeys } from '../iam/tags.js';
import type { XmlObject } from '../../protocol/xml.js';
import type { Authorization, OperationContext } from '../service.js';
import { dryRunOperation } from './errors.js';

export type ConditionKeys = NonNullable<Authorization['conditionKeys']>;

export type Ec2ResourceType =
  | 'instance' | 'vpc' | 'subnet' | 'security-group' | 'internet-gateway' | 'route-table' | 'vpc-endpoint' | 'image'
  | 'network-interface' | 'volume' | 'key-pair' | 'security-group-rule' | 'elastic-ip' | 'natgateway';

/** arn:aws:ec2:REGION:ACCOUNT:TYPE/ID; public images have an empty account. */
export function ec2Arn(ctx: OperationContext, type: Ec2ResourceType, id: string, accountId = ctx.app.accountId): string {
  return `arn:aws:ec2:${ctx.app.region}:${accountId}:${type}/${id}`;
}

export const ec2Action = (name: string): string => `ec2:${name}`;

/** Describe* actions support no resource-level permissions: "*". */
export function describeAuthorization(action: string): Authorization {
  return { action: ec2Action(action), resource: '*' };
}

/**
 * Checks each authorization in order (the first refusal is the answer: UnauthorizedOperation on
 * the wire), then answers a DryRun request with DryRunOperation. ec2:Region is set for every ec2 action.
 */
export function requireAll(ctx: OperationContext, dryRun: boolean, authorizations: readonly Authorization[]): void {
  for (const authorization of authorizations) {
    const withRegion = authorization.action.startsWith('ec2:')
      ? { ...authorization, conditionKeys: { 'ec2:Region': ctx.app.region, ...authorization.conditionKeys } }
      : authorization;
    ctx.require(withRegion);
  }
  // Allowed: the region's default network, if this is its first allowed call, is kept (state.ts ensureDefaults).
  ctx.app.ec2.keepDefaults();
  if (dryRun) throw dryRunOperation();
}

/** aws:ResourceTag/K and ec2:ResourceTag/K of an existing resource. */
export function resourceTagKeys(tags: readonly Tag[]): ConditionKeys {
  const keys: Record<string, string> = {};
  for (const tag of tags) {
    keys[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    keys[`ec2:ResourceTag/${tag.Key}`] = tag.Value;
  }
  return keys;
}

/** aws:RequestTag/K and aws:TagKeys of tags in a request: the global keys, as IAM sets them. */
export { requestTagKeys };

/**
 * Tagging a resource as it is created needs ec2:CreateTags on it too, with ec2:CreateAction naming
 * the creating action (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/supported-iam-actions-tagging.html).
 */
export function tagOnCreateAuthorization(resource: string, createAction: string, tags: readonly Tag[]): Authorization[] {
  if (tags.length === 0) return [];
  return [{ action: ec2Action('CreateTags'), resource, conditionKeys: { 'ec2:CreateAction': createAction, ...requestTagKeys(tags) } }];
}

export function tagsXml(tags: readonly Tag[]): XmlObject[] {
  return tags.map((tag) => ({ key: tag.Key, value: tag.Value }));
}

/** Tags after CreateTags: new keys added, existing keys given the new value. */
export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const merged = new Map(current.map((tag) => [tag.Key, tag]));
  for (const tag of added) merged.set(tag.Key, tag);
  return [...merged.values()];
}

/** "User initiated (2026-11-28 10:00:00 GMT)", EC2's reason for a requested stop or termination. */
export function userInitiatedReason(time: Date): string {
  return `User initiated (${time.toISOString().slice(0, 19).replace('T', ' ')} GMT)`;
}

/** Sorts by a string key (ids), as EC2 lists records. */
export function byKey<T>(key: (row: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
