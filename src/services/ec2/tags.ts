/**
 * Tags on any EC2 resource iamd keeps (instances, VPCs, subnets, security groups, internet gateways,
 * route tables, VPC endpoints, Elastic IP addresses, NAT gateways): CreateTags, DeleteTags and DescribeTags. CreateTags and DeleteTags
 * are authorized on each resource's ARN with its current tags (ec2:ResourceTag/*) and the tags of
 * the request (aws:RequestTag/*, aws:TagKeys).
 */
import type { Tag } from '../../directory/types.js';
import { AwsError } from '../../protocol/aws-error.js';
import type { XmlObject } from '../../protocol/xml.js';
import type { RecordTable } from '../../store/record-table.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { describeAuthorization, ec2Action, ec2Arn, mergeTags, requestTagKeys, requireAll, resourceTagKeys, type Ec2ResourceType } from './common.js';
import {
  allocationNotFound, groupNotFound, instanceNotFound, internetGatewayNotFound, missingParameter, routeNatGatewayNotFound, routeTableNotFound, subnetNotFound,
  vpcEndpointNotFound, vpcNotFound,
} from './errors.js';
import { applyFilters, Ec2Input, filtersOf, pageRequest, paginate, tagLimitExceeded, tagListOf, validateTag, type FilterFields } from './input.js';

interface Tagged {
  tags: Tag[];
}

/** One kind of taggable record, reached through its table without knowing its type. */
interface TaggableKind {
  prefix: string;
  resourceType: Ec2ResourceType;
  notFound: (id: string) => AwsError;
  tagsOf(ctx: OperationContext, id: string): Tag[] | undefined;
  setTags(ctx: OperationContext, id: string, tags: Tag[]): void;
  list(ctx: OperationContext): Array<{ id: string; tags: Tag[] }>;
}

function kind<T extends Tagged>(
  prefix: string, resourceType: Ec2ResourceType, table: (ctx: OperationContext) => RecordTable<T>, idOf: (row: T) => string, notFound: (id: string) => AwsError,
): TaggableKind {
  return {
    prefix, resourceType, notFound,
    tagsOf: (ctx, id) => table(ctx).get(id)?.tags,
    setTags: (ctx, id, tags) => table(ctx).put({ ...table(ctx).get(id)!, tags }),
    list: (ctx) => table(ctx).list().map((row) => ({ id: idOf(row), tags: row.tags })),
  };
}

const KINDS: readonly TaggableKind[] = [
  kind('i-', 'instance', (ctx) => ctx.app.ec2.instances, (row) => row.instanceId, (id) => instanceNotFound([id])),
  kind('vpc-', 'vpc', (ctx) => ctx.app.ec2.vpcs, (row) => row.vpcId, vpcNotFound),
  kind('subnet-', 'subnet', (ctx) => ctx.app.ec2.subnets, (row) => row.subnetId, subnetNotFound),
  kind('sg-', 'security-group', (ctx) => ctx.app.ec2.securityGroups, (row) => row.groupId, groupNotFound),
  kind('igw-', 'internet-gateway', (ctx) => ctx.app.ec2.internetGateways, (row) => row.internetGatewayId, internetGatewayNotFound),
  kind('rtb-', 'route-table', (ctx) => ctx.app.ec2.routeTables, (row) => row.routeTableId, routeTableNotFound),
  kind('vpce-', 'vpc-endpoint', (ctx) => ctx.app.ec2.vpcEndpoints, (row) => row.vpcEndpointId, vpcEndpointNotFound),
  kind('eipalloc-', 'elastic-ip', (ctx) => ctx.app.ec2.addresses, (row) => row.allocationId, allocationNotFound),
  kind('nat-', 'natgateway', (ctx) => ctx.app.ec2.natGateways, (row) => row.natGatewayId, routeNatGatewayNotFound),
];

interface TaggableResource {
  id: string;
  kind: TaggableKind;
  tags: Tag[];
}

function findTaggable(ctx: OperationContext, id: string): TaggableResource {
  const found = KINDS.find((candidate) => id.startsWith(candidate.prefix));
  if (!found) throw new AwsError('InvalidID', `The ID '${id}' is not valid`, 400);
  const tags = found.tagsOf(ctx, id);
  if (!tags) throw found.notFound(id);
  return { id, kind: found, tags };
}

function save(ctx: OperationContext, resource: TaggableResource, tags: Tag[]): void {
  resource.kind.setTags(ctx, resource.id, tags);
}

function resourceIds(input: Ec2Input): string[] {
  const ids = input.list('ResourceId');
  if (ids.length === 0) throw missingParameter('resourceIdSet');
  return ids;
}

function tagAuthorization(ctx: OperationContext, action: string, resource: TaggableResource, requestTags: readonly Tag[]): Authorization {
  return {
    action: ec2Action(action),
    resource: ec2Arn(ctx, resource.kind.resourceType, resource.id),
    conditionKeys: { ...resourceTagKeys(resource.tags), ...requestTagKeys(requestTags) },
  };
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html */
const CreateTags = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = resourceIds(input);
    const tags = tagListOf(input, 'Tag');
    if (tags.length === 0) throw missingParameter('tagSet');
    const resources = ids.map((id) => findTaggable(ctx, id));
    requireAll(ctx, input.dryRun, resources.map((resource) => tagAuthorization(ctx, 'CreateTags', resource, tags)));
    const merged = resources.map((resource) => mergeTags(resource.tags, tags));
    if (merged.some((list) => list.length > 50)) throw tagLimitExceeded();
    resources.forEach((resource, index) => save(ctx, resource, merged[index]!));
    return { return: true };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html — a Value, even empty, deletes only a tag with that value. */
const DeleteTags = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = resourceIds(input);
    const wanted = input.structures('Tag').map((item) => {
      const key = item.required('Key', 'Tag.Key');
      const value = item.string('Value');
      validateTag(key, value ?? '');
      return { key, value };
    });
    const resources = ids.map((id) => findTaggable(ctx, id));
    const requestTags = wanted.map((tag) => ({ Key: tag.key, Value: tag.value ?? '' }));
    requireAll(ctx, input.dryRun, resources.map((resource) => tagAuthorization(ctx, 'DeleteTags', resource, requestTags)));
    for (const resource of resources) {
      const kept = wanted.length === 0 ? [] : resource.tags.filter((tag) =>
        !wanted.some((drop) => drop.key === tag.Key && (drop.value === undefined || drop.value === tag.Value)));
      save(ctx, resource, kept);
    }
    return { return: true };
  },
});

interface TagRow {
  resourceId: string;
  resourceType: string;
  tag: Tag;
}

const TAG_FILTERS: FilterFields<TagRow> = {
  key: (row) => row.tag.Key,
  value: (row) => row.tag.Value,
  'resource-id': (row) => row.resourceId,
  'resource-type': (row) => row.resourceType,
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTags.html */
const DescribeTags = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const page = pageRequest(input, { min: 5, max: 1000 });
    const filters = filtersOf(input);
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeTags')]);
    const rows: TagRow[] = [];
    for (const taggable of KINDS) {
      for (const { id, tags } of taggable.list(ctx)) for (const tag of tags) rows.push({ resourceId: id, resourceType: taggable.resourceType, tag });
    }
    rows.sort((a, b) => a.resourceId.localeCompare(b.resourceId) || a.tag.Key.localeCompare(b.tag.Key));
    const { items, nextToken } = paginate(applyFilters(rows, filters, TAG_FILTERS), page);
    const tagSet: XmlObject[] = items.map((row) => ({ key: row.tag.Key, resourceId: row.resourceId, resourceType: row.resourceType, value: row.tag.Value }));
    return { tagSet, nextToken };
  },
});

export const tagOperations: OperationMap = { CreateTags, DeleteTags, DescribeTags };
