/**
 * What the EC2 resource providers share: EC2's flat parameter style, TagSpecification on create,
 * tag updates (CreateTags / DeleteTags), and the tags CloudFormation itself puts on the EC2
 * resources it creates: the stack's own tags, then aws:cloudformation:stack-name, stack-id and
 * logical-id. The EC2 API refuses `aws:` keys from users, so those three are written on the
 * record by CloudFormation, as AWS does.
 */
import type { Tag } from '../../../directory/types.js';
import type { RecordTable } from '../../../store/record-table.js';
import { tagsOf, type Properties } from './properties.js';
import type { ProviderContext } from './provider.js';
import { QueryParams } from './query-params.js';
import { tagChanges } from './iam-common.js';

export const ec2Params = (): QueryParams => new QueryParams('flat');

/** The stack's tags, overridden by the resource's own `Tags`. */
export function resourceTags(ctx: ProviderContext, properties: Properties): Tag[] {
  const merged = new Map(ctx.stack.tags.map((tag) => [tag.Key, tag.Value]));
  for (const tag of tagsOf(properties)) merged.set(tag.Key, tag.Value);
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** `TagSpecification.1.ResourceType=TYPE` with the resource's tags, when it has any. */
export function tagSpecification(params: QueryParams, resourceType: string, tags: readonly Tag[]): QueryParams {
  if (tags.length === 0) return params;
  params.set('TagSpecification.1.ResourceType', resourceType);
  tags.forEach((tag, index) => params.set(`TagSpecification.1.Tag.${index + 1}.Key`, tag.Key).set(`TagSpecification.1.Tag.${index + 1}.Value`, tag.Value));
  return params;
}

/** Applies a change of the `Tags` property with CreateTags and DeleteTags. */
export async function updateTags(ctx: ProviderContext, resourceId: string, before: Properties, after: Properties): Promise<void> {
  const { put, removed } = tagChanges(tagsOf(before), tagsOf(after));
  if (put.length > 0) {
    await ctx.call('ec2', 'CreateTags', ec2Params().list('ResourceId', [resourceId]).structures('Tag', put.map((tag) => ({ Key: tag.Key, Value: tag.Value }))));
  }
  if (removed.length > 0) {
    await ctx.call('ec2', 'DeleteTags', ec2Params().list('ResourceId', [resourceId]).structures('Tag', removed.map((key) => ({ Key: key }))));
  }
}

type Tagged = { tags: Tag[] };

/** Adds aws:cloudformation:stack-name, stack-id and logical-id to a record CloudFormation created. */
export function stampStackTags<T extends Tagged>(ctx: ProviderContext, table: RecordTable<T>, id: string): void {
  const record = table.get(id);
  if (!record) return;
  const system: Tag[] = [
    { Key: 'aws:cloudformation:stack-name', Value: ctx.stack.stackName },
    { Key: 'aws:cloudformation:stack-id', Value: ctx.stack.stackId },
    { Key: 'aws:cloudformation:logical-id', Value: ctx.logicalId },
  ];
  const kept = record.tags.filter((tag) => !tag.Key.startsWith('aws:cloudformation:'));
  table.put({ ...record, tags: [...kept, ...system] });
}
