/**
 * Routes in a route table: CreateRoute, ReplaceRoute (a new target for a destination) and
 * DeleteRoute. Targets are internet gateways and NAT gateways of the table's VPC
 * (route-targets.ts); the local routes of the VPC's blocks can be neither replaced nor deleted.
 */
import { AwsError } from '../../protocol/aws-error.js';
import { operation, type OperationContext, type OperationMap } from '../service.js';
import { requireAll } from './common.js';
import { invalidParameterValue } from './errors.js';
import { Ec2Input } from './input.js';
import { findRouteTable } from './lookups.js';
import { tableAuthorization } from './route-tables.js';
import { destinationOf, routeTargetOf } from './route-targets.js';
import type { RouteRecord } from './types.js';

/** The route table, destination and target a CreateRoute or ReplaceRoute names, once the caller may change the table. */
function routeRequest(ctx: OperationContext, input: Ec2Input, action: 'CreateRoute' | 'ReplaceRoute') {
  const table = findRouteTable(ctx, input.required('RouteTableId', 'routeTableId'));
  const destination = destinationOf(input);
  const target = routeTargetOf(ctx, input);
  requireAll(ctx, input.dryRun, [tableAuthorization(ctx, action, table)]);
  return { table, destination, target };
}

function newRoute(destination: string, target: ReturnType<typeof routeTargetOf>): RouteRecord {
  return { destinationCidrBlock: destination, ...target.fields, state: 'active', origin: 'CreateRoute' };
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateRoute.html */
const CreateRoute = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const { table, destination, target } = routeRequest(ctx, input, 'CreateRoute');
    target.checkNetwork(table);
    if (table.routes.some((route) => route.destinationCidrBlock === destination)) {
      throw new AwsError('RouteAlreadyExists', `The route identified by ${destination} already exists.`, 400);
    }
    const route = newRoute(destination, target);
    ctx.app.ec2.routeTables.put({ ...table, routes: [...table.routes, route] });
    return { return: true };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ReplaceRoute.html */
const ReplaceRoute = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const { table, destination, target } = routeRequest(ctx, input, 'ReplaceRoute');
    const current = table.routes.find((route) => route.destinationCidrBlock === destination);
    if (!current) throw invalidParameterValue(`There is no route defined for '${destination}' in the route table. Use CreateRoute instead.`);
    if (current.gatewayId === 'local') throw invalidParameterValue(`cannot replace local route ${destination} in route table ${table.routeTableId}`);
    target.checkNetwork(table);
    const route = newRoute(destination, target);
    ctx.app.ec2.routeTables.put({ ...table, routes: table.routes.map((candidate) => (candidate === current ? route : candidate)) });
    return { return: true };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteRoute.html */
const DeleteRoute = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const table = findRouteTable(ctx, input.required('RouteTableId', 'routeTableId'));
    const destination = destinationOf(input);
    requireAll(ctx, input.dryRun, [tableAuthorization(ctx, 'DeleteRoute', table)]);
    const route = table.routes.find((candidate) => candidate.destinationCidrBlock === destination);
    if (!route) throw new AwsError('InvalidRoute.NotFound', `no route with destination-cidr-block ${destination} in route table ${table.routeTableId}`, 400);
    if (route.gatewayId === 'local') throw invalidParameterValue(`cannot remove local route ${destination} in route table ${table.routeTableId}`);
    ctx.app.ec2.routeTables.put({ ...table, routes: table.routes.filter((candidate) => candidate !== route) });
    return { return: true };
  },
});

export const routeOperations: OperationMap = { CreateRoute, ReplaceRoute, DeleteRoute };
