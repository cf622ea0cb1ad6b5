/**
 * VPC endpoints (https://docs.aws.amazon.com/vpc/latest/privatelink/): Gateway endpoints for S3 and
 * DynamoDB add their service's prefix-list route to the route tables they name; Interface endpoints
 * take one subnet per zone, security groups (the VPC's default one unless named) and private DNS
 * (which needs the VPC's DNS support and host names). Service names are com.amazonaws.REGION.SERVICE
 * for the server's region. No traffic flows through them: they are records, and the place where
 * aws:SourceVpce will come from.
 */
import type { Tag } from '../../directory/types.js';
import { AwsError } from '../../protocol/aws-error.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { byKey, ec2Action, ec2Arn, requestTagKeys, requireAll, resourceTagKeys, tagOnCreateAuthorization, tagsXml, describeAuthorization } from './common.js';
import { invalidParameter, invalidParameterValue, vpcEndpointNotFound } from './errors.js';
import { derivedId } from './ids.js';
import { applyFilters, Ec2Input, filtersOf, pageRequest, paginate, tagSpecificationsOf, type FilterFields } from './input.js';
import { findRouteTable, findSecurityGroup, findSubnet, findVpc, vpcDefaultGroup } from './lookups.js';
import type { VpcEndpointRecord } from './types.js';

const GATEWAY_SERVICES = ['s3', 'dynamodb'];
const INTERFACE_SERVICES = [
  's3', 'sts', 'ec2', 'ec2messages', 'ssm', 'ssmmessages', 'kms', 'secretsmanager', 'logs', 'monitoring', 'events', 'sqs', 'sns',
  'lambda', 'ecr.api', 'ecr.dkr', 'ecs', 'execute-api', 'elasticloadbalancing', 'cloudformation', 'autoscaling', 'rds', 'dynamodb',
];

/** Well-known prefix lists of us-east-1; other regions get a stable derived id. */
const PREFIX_LISTS: Readonly<Record<string, string>> = { 'us-east-1/s3': 'pl-63a5400a', 'us-east-1/dynamodb': 'pl-02cd2c6b' };

const FULL_ACCESS_POLICY = '{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}';

function serviceOf(ctx: OperationContext, serviceName: string): string | undefined {
  const prefix = `com.amazonaws.${ctx.app.region}.`;
  return serviceName.startsWith(prefix) ? serviceName.slice(prefix.length) : undefined;
}

export function prefixListId(region: string, service: string): string {
  return PREFIX_LISTS[`${region}/${service}`] ?? `pl-${derivedId('vpce', region, service).slice(5, 13)}`;
}

/** The routes gateway endpoints add to a route table. */
export function gatewayEndpointRoutes(ctx: OperationContext, routeTableId: string): Array<{ prefixListId: string; vpcEndpointId: string }> {
  return ctx.app.ec2.vpcEndpoints.list()
    .filter((endpoint) => endpoint.vpcEndpointType === 'Gateway' && endpoint.routeTableIds.includes(routeTableId))
    .map((endpoint) => ({ prefixListId: prefixListId(ctx.app.region, serviceOf(ctx, endpoint.serviceName) ?? endpoint.serviceName), vpcEndpointId: endpoint.vpcEndpointId }));
}

/** A Route 53 hosted zone id (Z and 13 characters), stable for its seed. */
function zoneId(...seed: string[]): string {
  return `Z${derivedId('vpce', ...seed).slice(5, 18).toUpperCase()}`;
}

function endpointXml(ctx: OperationContext, endpoint: VpcEndpointRecord, state: string = endpoint.state): XmlObject {
  const service = serviceOf(ctx, endpoint.serviceName) ?? endpoint.serviceName;
  const interfaceType = endpoint.vpcEndpointType === 'Interface';
  const hostedZoneId = zoneId('vpce', ctx.app.region);
  const dnsEntries: XmlObject[] = [];
  if (interfaceType) {
    const base = `${endpoint.vpcEndpointId}-${derivedId('vpce', endpoint.vpcEndpointId).slice(5, 13)}.${service}.${ctx.app.region}.vpce.amazonaws.com`;
    dnsEntries.push({ dnsName: base, hostedZoneId });
    for (const subnetId of endpoint.subnetIds) {
      const zone = ctx.app.ec2.subnets.get(subnetId)?.availabilityZone;
      if (zone) dnsEntries.push({ dnsName: base.replace(`.${service}.`, `-${zone}.${service}.`), hostedZoneId });
    }
    if (endpoint.privateDnsEnabled) dnsEntries.push({ dnsName: `${service}.${ctx.app.region}.amazonaws.com`, hostedZoneId: zoneId('private', endpoint.vpcEndpointId) });
  }
  return {
    vpcEndpointId: endpoint.vpcEndpointId,
    vpcEndpointType: endpoint.vpcEndpointType,
    vpcId: endpoint.vpcId,
    serviceName: endpoint.serviceName,
    state,
    policyDocument: endpoint.policyDocument,
    routeTableIdSet: endpoint.routeTableIds,
    subnetIdSet: endpoint.subnetIds,
    groupSet: endpoint.securityGroupIds.map((groupId) => ({ groupId, groupName: ctx.app.ec2.securityGroups.get(groupId)?.groupName })),
    ipAddressType: 'ipv4',
    dnsOptions: interfaceType ? { dnsRecordIpType: 'ipv4' } : undefined,
    privateDnsEnabled: endpoint.privateDnsEnabled,
    requesterManaged: false,
    networkInterfaceIdSet: endpoint.subnetIds.map((subnetId) => derivedId('eni', endpoint.vpcEndpointId, subnetId)),
    dnsEntrySet: dnsEntries,
    creationTimestamp: endpoint.creationTimestamp,
    tagSet: tagsXml(endpoint.tags),
    ownerId: endpoint.ownerId,
  };
}

interface EndpointInput {
  vpcId: string;
  serviceName: string;
  type: 'Gateway' | 'Interface';
  routeTableIds: string[];
  subnetIds: string[];
  securityGroupIds: string[];
  policyDocument?: string;
  privateDnsEnabled?: boolean;
  tags: Tag[];
  dryRun: boolean;
}

function endpointInput(input: Ec2Input): EndpointInput {
  const type = input.string('VpcEndpointType') ?? 'Gateway';
  if (type !== 'Gateway' && type !== 'Interface') {
    throw invalidParameterValue(`Value (${type}) for parameter vpcEndpointType is invalid. iamd supports Gateway and Interface endpoints.`);
  }
  const policyDocument = input.string('PolicyDocument');
  if (policyDocument !== undefined) {
    try {
      JSON.parse(policyDocument);
    } catch {
      throw invalidParameterValue('The policy document is not valid JSON.');
    }
  }
  return {
    vpcId: input.required('VpcId'),
    serviceName: input.required('ServiceName'),
    type,
    routeTableIds: input.list('RouteTableId'),
    subnetIds: input.list('SubnetId'),
    securityGroupIds: input.list('SecurityGroupId'),
    ...(policyDocument !== undefined ? { policyDocument } : {}),
    ...(input.has('PrivateDnsEnabled') ? { privateDnsEnabled: input.boolean('PrivateDnsEnabled')! } : {}),
    tags: tagSpecificationsOf(input, ['vpc-endpoint']).get('vpc-endpoint') ?? [],
    dryRun: input.dryRun,
  };
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html */
const CreateVpcEndpoint = operation<EndpointInput>({
  input: (query) => endpointInput(new Ec2Input(query)),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const vpc = findVpc(ctx, input.vpcId);
    const service = serviceOf(ctx, input.serviceName);
    const gatewayService = service !== undefined && GATEWAY_SERVICES.includes(service);
    const interfaceService = service !== undefined && INTERFACE_SERVICES.includes(service);
    if (!gatewayService && !interfaceService) throw new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${input.serviceName}' does not exist`, 400);
    if (input.type === 'Gateway' && !gatewayService) throw invalidParameter('Endpoint type (Gateway) does not match available service types ([Interface]).');
    if (input.type === 'Interface' && !interfaceService) throw invalidParameter('Endpoint type (Interface) does not match available service types ([Gateway]).');
    const state = ctx.app.ec2;
    const vpcEndpointId = state.ids.id('vpce');
    const arn = ec2Arn(ctx, 'vpc-endpoint', vpcEndpointId);
    const vpcArn = ec2Arn(ctx, 'vpc', vpc.vpcId);
    const authorizations: Authorization[] = [
      { action: ec2Action('CreateVpcEndpoint'), resource: arn, conditionKeys: { 'ec2:VpceServiceName': input.serviceName, 'ec2:Vpc': vpcArn, ...requestTagKeys(input.tags) } },
      { action: ec2Action('CreateVpcEndpoint'), resource: vpcArn, conditionKeys: { 'ec2:VpcID': vpc.vpcId, ...resourceTagKeys(vpc.tags) } },
    ];
    let record: VpcEndpointRecord;
    const common = {
      vpcEndpointId, vpcId: vpc.vpcId, serviceName: input.serviceName, state: 'available' as const,
      policyDocument: input.policyDocument ?? FULL_ACCESS_POLICY, creationTimestamp: ctx.request.time.toISOString(), ownerId: ctx.app.accountId, tags: input.tags,
    };
    if (input.type === 'Gateway') {
      const tables = input.routeTableIds.map((id) => findRouteTable(ctx, id));
      for (const table of tables) {
        if (table.vpcId !== vpc.vpcId) throw invalidParameter(`Route table ${table.routeTableId} does not belong to vpc ${vpc.vpcId}`);
        authorizations.push({ action: ec2Action('CreateVpcEndpoint'), resource: ec2Arn(ctx, 'route-table', table.routeTableId), conditionKeys: resourceTagKeys(table.tags) });
        const existing = gatewayEndpointRoutes(ctx, table.routeTableId).find((route) => route.prefixListId === prefixListId(ctx.app.region, service!));
        if (existing) throw new AwsError('RouteAlreadyExists', `route table ${table.routeTableId} already has a route with destination-prefix-list-id ${existing.prefixListId}`, 400);
      }
      record = { ...common, vpcEndpointType: 'Gateway', routeTableIds: tables.map((table) => table.routeTableId), subnetIds: [], securityGroupIds: [], privateDnsEnabled: false };
    } else {
      const subnets = input.subnetIds.map((id) => findSubnet(ctx, id));
      const zones = new Set<string>();
      for (const subnet of subnets) {
        if (subnet.vpcId !== vpc.vpcId) throw invalidParameter(`The subnet ${subnet.subnetId} does not belong to vpc ${vpc.vpcId}`);
        if (zones.has(subnet.availabilityZone)) {
          throw new AwsError('DuplicateSubnetsInSameZone', `Found another VPC endpoint subnet in the availability zone of ${subnet.subnetId}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`, 400);
        }
        zones.add(subnet.availabilityZone);
        authorizations.push({ action: ec2Action('CreateVpcEndpoint'), resource: ec2Arn(ctx, 'subnet', subnet.subnetId), conditionKeys: resourceTagKeys(subnet.tags) });
      }
      const groups = input.securityGroupIds.length > 0 ? input.securityGroupIds.map((id) => findSecurityGroup(ctx, id)) : [vpcDefaultGroup(ctx, vpc.vpcId)].filter((group) => group !== undefined);
      for (const group of groups) {
        if (group.vpcId !== vpc.vpcId) throw invalidParameter(`The security group ${group.groupId} does not belong to vpc ${vpc.vpcId}`);
        authorizations.push({ action: ec2Action('CreateVpcEndpoint'), resource: ec2Arn(ctx, 'security-group', group.groupId), conditionKeys: resourceTagKeys(group.tags) });
      }
      const privateDnsEnabled = input.privateDnsEnabled ?? true;
      if (privateDnsEnabled && !(vpc.enableDnsSupport && vpc.enableDnsHostnames)) {
        throw invalidParameter(`Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${vpc.vpcId}`);
      }
      record = { ...common, vpcEndpointType: 'Interface', routeTableIds: [], subnetIds: subnets.map((subnet) => subnet.subnetId), securityGroupIds: groups.map((group) => group.groupId), privateDnsEnabled };
    }
    authorizations.push(...tagOnCreateAuthorization(arn, 'CreateVpcEndpoint', input.tags));
    requireAll(ctx, input.dryRun, authorizations);
    state.vpcEndpoints.put(record);
    return { vpcEndpoint: endpointXml(ctx, record, record.vpcEndpointType === 'Interface' ? 'pending' : 'available') };
  },
});

const ENDPOINT_FILTERS: FilterFields<VpcEndpointRecord> = {
  'service-name': (endpoint) => endpoint.serviceName,
  'vpc-id': (endpoint) => endpoint.vpcId,
  'vpc-endpoint-id': (endpoint) => endpoint.vpcEndpointId,
  'vpc-endpoint-state': (endpoint) => endpoint.state,
  'vpc-endpoint-type': (endpoint) => endpoint.vpcEndpointType,
  'ip-address-type': () => 'ipv4',
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcEndpoints.html */
const DescribeVpcEndpoints = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = input.list('VpcEndpointId');
    const page = pageRequest(input, { min: 1, max: 1000 });
    const filters = filtersOf(input);
    const missing = ids.filter((id) => !ctx.app.ec2.vpcEndpoints.get(id));
    if (missing.length > 0) throw vpcEndpointNotFound(missing.join(', '));
    const chosen = ids.length > 0 ? [...new Set(ids)].map((id) => ctx.app.ec2.vpcEndpoints.get(id)!) : ctx.app.ec2.vpcEndpoints.list();
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeVpcEndpoints')]);
    const matching = applyFilters(chosen, filters, ENDPOINT_FILTERS, (endpoint) => endpoint.tags).sort(byKey((endpoint) => endpoint.vpcEndpointId));
    const { items, nextToken } = paginate(matching, page);
    return { vpcEndpointSet: items.map((endpoint) => endpointXml(ctx, endpoint)), nextToken };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpcEndpoints.html — unknown ids come back in `unsuccessful`. */
const DeleteVpcEndpoints = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = input.list('VpcEndpointId');
    if (ids.length === 0) input.required('VpcEndpointId');
    const found = ids.map((id) => ctx.app.ec2.vpcEndpoints.get(id)).filter((endpoint) => endpoint !== undefined);
    requireAll(ctx, input.dryRun, found.map((endpoint) => ({
      action: ec2Action('DeleteVpcEndpoints'),
      resource: ec2Arn(ctx, 'vpc-endpoint', endpoint.vpcEndpointId),
      conditionKeys: { 'ec2:VpceServiceName': endpoint.serviceName, ...resourceTagKeys(endpoint.tags) },
    })));
    for (const endpoint of found) ctx.app.ec2.vpcEndpoints.delete(endpoint.vpcEndpointId);
    const unsuccessful = ids.filter((id) => !found.some((endpoint) => endpoint.vpcEndpointId === id)).map((id) => ({
      error: { code: 'InvalidVpcEndpoint.NotFound', message: `The Vpc Endpoint Id '${id}' does not exist` },
      resourceId: id,
    }));
    return { unsuccessful };
  },
});

export const vpcEndpointOperations: OperationMap = { CreateVpcEndpoint, DescribeVpcEndpoints, DeleteVpcEndpoints };
