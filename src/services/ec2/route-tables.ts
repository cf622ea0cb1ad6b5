/**
 * Route tables: the main table every VPC has, tables of one's own (with a local route for each of
 * the VPC's blocks), and associations with subnets or gateways; the routes in them are routes.ts.
 * A gateway VPC endpoint's route (its service's prefix list) is shown in each table the endpoint
 * names, as AWS adds it; it lives with the endpoint, not in the table.
 * Known gap: routes to instances, network interfaces, peering connections and transit gateways.
 */
import type { XmlObject } from '../../protocol/xml.js';
import { AwsError } from '../../protocol/aws-error.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { byKey, describeAuthorization, ec2Action, ec2Arn, requestTagKeys, requireAll, resourceTagKeys, tagOnCreateAuthorization, tagsXml } from './common.js';
import { associationNotFound, dependencyViolation, invalidParameterValue, missingParameter } from './errors.js';
import { applyFilters, Ec2Input, filtersOf, pageRequest, paginate, tagSpecificationsOf, type FilterFields } from './input.js';
import { findInternetGateway, findRouteTable, findSubnet, findVpc } from './lookups.js';
import { routeState, routeXml } from './route-targets.js';
import type { RouteTableRecord } from './types.js';
import { cidrBlocksOf } from './vpc-cidr-blocks.js';
import { gatewayEndpointRoutes } from './vpc-endpoints.js';

export function routeTableXml(ctx: OperationContext, table: RouteTableRecord): XmlObject {
  return {
    routeTableId: table.routeTableId,
    vpcId: table.vpcId,
    ownerId: table.ownerId,
    routeSet: [
      ...table.routes.map((route) => routeXml(ctx, table, route)),
      ...gatewayEndpointRoutes(ctx, table.routeTableId).map((route) => ({
        destinationPrefixListId: route.prefixListId, gatewayId: route.vpcEndpointId, state: 'active', origin: 'CreateRoute',
      })),
    ],
    associationSet: table.associations.map((association) => ({
      main: association.main,
      routeTableAssociationId: association.routeTableAssociationId,
      routeTableId: table.routeTableId,
      subnetId: association.subnetId,
      gatewayId: association.gatewayId,
      associationState: { state: 'associated' },
    })),
    propagatingVgwSet: [],
    tagSet: tagsXml(table.tags),
  };
}

export function tableAuthorization(ctx: OperationContext, action: string, table: RouteTableRecord): Authorization {
  return {
    action: ec2Action(action),
    resource: ec2Arn(ctx, 'route-table', table.routeTableId),
    conditionKeys: { 'ec2:Vpc': ec2Arn(ctx, 'vpc', table.vpcId), 'ec2:RouteTableID': table.routeTableId, ...resourceTagKeys(table.tags) },
  };
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRouteTable.html */
const CreateRouteTable = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const vpc = findVpc(ctx, input.required('VpcId', 'vpcId'));
    const tags = tagSpecificationsOf(input, ['route-table']).get('route-table') ?? [];
    const table: RouteTableRecord = {
      routeTableId: ctx.app.ec2.ids.id('rtb'),
      vpcId: vpc.vpcId,
      routes: cidrBlocksOf(vpc).map((cidrBlock) => ({ destinationCidrBlock: cidrBlock, gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' })),
      associations: [],
      ownerId: ctx.app.accountId,
      tags,
    };
    const arn = ec2Arn(ctx, 'route-table', table.routeTableId);
    const vpcArn = ec2Arn(ctx, 'vpc', vpc.vpcId);
    requireAll(ctx, input.dryRun, [
      { action: ec2Action('CreateRouteTable'), resource: arn, conditionKeys: { 'ec2:Vpc': vpcArn, ...requestTagKeys(tags) } },
      { action: ec2Action('CreateRouteTable'), resource: vpcArn, conditionKeys: { 'ec2:VpcID': vpc.vpcId, ...resourceTagKeys(vpc.tags) } },
      ...tagOnCreateAuthorization(arn, 'CreateRouteTable', tags),
    ]);
    ctx.app.ec2.routeTables.put(table);
    return { routeTable: routeTableXml(ctx, table) };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteRouteTable.html — not the main table, nor one still associated. */
const DeleteRouteTable = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const table = findRouteTable(ctx, input.required('RouteTableId', 'routeTableId'));
    requireAll(ctx, input.dryRun, [tableAuthorization(ctx, 'DeleteRouteTable', table)]);
    if (table.associations.length > 0 || gatewayEndpointRoutes(ctx, table.routeTableId).length > 0) {
      throw dependencyViolation(`The routeTable '${table.routeTableId}' has dependencies and cannot be deleted.`);
    }
    ctx.app.ec2.routeTables.delete(table.routeTableId);
    return { return: true };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateRouteTable.html — a subnet has one explicit association at most. */
const AssociateRouteTable = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const table = findRouteTable(ctx, input.required('RouteTableId', 'routeTableId'));
    const subnetId = input.string('SubnetId');
    const gatewayId = input.string('GatewayId');
    if (subnetId === undefined && gatewayId === undefined) throw missingParameter('subnetId');
    const authorizations = [tableAuthorization(ctx, 'AssociateRouteTable', table)];
    if (subnetId !== undefined) {
      const subnet = findSubnet(ctx, subnetId);
      authorizations.push({ action: ec2Action('AssociateRouteTable'), resource: ec2Arn(ctx, 'subnet', subnet.subnetId), conditionKeys: resourceTagKeys(subnet.tags) });
      if (subnet.vpcId !== table.vpcId) throw invalidParameterValue(`Route table ${table.routeTableId} and subnet ${subnet.subnetId} belong to different networks`);
    } else {
      const gateway = findInternetGateway(ctx, gatewayId!);
      authorizations.push({ action: ec2Action('AssociateRouteTable'), resource: ec2Arn(ctx, 'internet-gateway', gateway.internetGatewayId), conditionKeys: resourceTagKeys(gateway.tags) });
      if (!gateway.attachments.some((attachment) => attachment.vpcId === table.vpcId)) {
        throw invalidParameterValue(`Route table ${table.routeTableId} and gateway ${gateway.internetGatewayId} belong to different networks`);
      }
    }
    requireAll(ctx, input.dryRun, authorizations);
    const taken = ctx.app.ec2.routeTables.list().some((other) => other.associations.some((association) =>
      (subnetId !== undefined && association.subnetId === subnetId) || (gatewayId !== undefined && association.gatewayId === gatewayId)));
    if (taken) throw new AwsError('Resource.AlreadyAssociated', `the specified association for route table ${table.routeTableId} conflicts with an existing association`, 400);
    const routeTableAssociationId = ctx.app.ec2.ids.id('rtbassoc');
    const association = { routeTableAssociationId, main: false, ...(subnetId !== undefined ? { subnetId } : { gatewayId: gatewayId! }) };
    ctx.app.ec2.routeTables.put({ ...table, associations: [...table.associations, association] });
    return { associationId: routeTableAssociationId, associationState: { state: 'associated' } };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateRouteTable.html */
const DisassociateRouteTable = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const associationId = input.required('AssociationId', 'associationId');
    const table = ctx.app.ec2.routeTables.list().find((candidate) => candidate.associations.some((association) => association.routeTableAssociationId === associationId));
    if (!table) throw associationNotFound(associationId);
    const association = table.associations.find((candidate) => candidate.routeTableAssociationId === associationId)!;
    requireAll(ctx, input.dryRun, [tableAuthorization(ctx, 'DisassociateRouteTable', table)]);
    if (association.main) throw invalidParameterValue(`cannot disassociate the main route table association ${associationId}`);
    ctx.app.ec2.routeTables.put({ ...table, associations: table.associations.filter((candidate) => candidate !== association) });
    return { return: true };
  },
});

const ROUTE_TABLE_FILTERS: FilterFields<RouteTableRecord> = {
  'route-table-id': (table) => table.routeTableId,
  'vpc-id': (table) => table.vpcId,
  'owner-id': (table) => table.ownerId,
  'association.main': (table) => table.associations.some((association) => association.main),
  'association.subnet-id': (table) => table.associations.map((association) => association.subnetId),
  'association.gateway-id': (table) => table.associations.map((association) => association.gatewayId),
  'association.route-table-association-id': (table) => table.associations.map((association) => association.routeTableAssociationId),
  'association.route-table-id': (table) => (table.associations.length > 0 ? table.routeTableId : undefined),
  'route.destination-cidr-block': (table) => table.routes.map((route) => route.destinationCidrBlock),
  'route.gateway-id': (table) => table.routes.map((route) => route.gatewayId),
  'route.origin': (table) => table.routes.map((route) => route.origin),
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html */
const DescribeRouteTables = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = input.list('RouteTableId');
    const page = pageRequest(input);
    const filters = filtersOf(input);
    const chosen = ids.length > 0 ? [...new Set(ids)].map((id) => findRouteTable(ctx, id)) : ctx.app.ec2.routeTables.list();
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeRouteTables')]);
    const fields: FilterFields<RouteTableRecord> = {
      ...ROUTE_TABLE_FILTERS,
      'route.state': (table) => table.routes.map((route) => routeState(ctx, table, route)),
      'route.nat-gateway-id': (table) => table.routes.map((route) => route.natGatewayId),
      'route.destination-prefix-list-id': (table) => gatewayEndpointRoutes(ctx, table.routeTableId).map((route) => route.prefixListId),
      'route.vpc-endpoint-id': (table) => gatewayEndpointRoutes(ctx, table.routeTableId).map((route) => route.vpcEndpointId),
    };
    const matching = applyFilters(chosen, filters, fields, (table) => table.tags).sort(byKey((table) => table.routeTableId));
    const { items, nextToken } = paginate(matching, page);
    return { routeTableSet: items.map((table) => routeTableXml(ctx, table)), nextToken };
  },
});

export const routeTableOperations: OperationMap = {
  CreateRouteTable, DeleteRouteTable, AssociateRouteTable, DisassociateRouteTable, DescribeRouteTables,
};
