/**
 * EC2 (the EC2 query protocol, version 2016-11-15), one file per resource. Every operation
 * authorizes in its handler (common.ts explains why) and answers DryRun as EC2 does. The first
 * EC2 call in a region makes that region's default network (state.ts), written once a call is
 * allowed.
 */
import { ec2Protocol } from '../../protocol/protocols.js';
import type { AnyOperation, OperationMap, ServiceDefinition } from '../service.js';
import { addressAssociationOperations } from './address-associations.js';
import { addressOperations } from './addresses.js';
import { imageOperations } from './images.js';
import { instanceProfileOperations } from './instance-profiles.js';
import { instanceStateOperations } from './instance-states.js';
import { instanceOperations } from './instances.js';
import { internetGatewayOperations } from './internet-gateways.js';
import { natGatewayOperations } from './nat-gateways.js';
import { regionOperations } from './regions.js';
import { routeTableOperations } from './route-tables.js';
import { routeOperations } from './routes.js';
import { securityGroupOperations } from './security-groups.js';
import { subnetOperations } from './subnets.js';
import { tagOperations } from './tags.js';
import { vpcCidrBlockOperations } from './vpc-cidr-blocks.js';
import { vpcEndpointOperations } from './vpc-endpoints.js';
import { vpcOperations } from './vpcs.js';

export { publicAmiParameter } from './image-catalog.js';

/**
 * The operation, with the region's default network there for its handler to find (the handler
 * resolves the default subnet, the default VPC's groups ... before it authorizes). The network is
 * written to the store only once authorization allowed the request (common.ts requireAll).
 */
function withDefaults(operation: AnyOperation): AnyOperation {
  return {
    ...operation,
    handle(input, ctx) {
      ctx.app.ec2.ensureDefaults(ctx.app.accountId, ctx.app.region, ctx.request.time);
      return operation.handle(input, ctx);
    },
  };
}

const operations: OperationMap = {
  ...instanceOperations,
  ...instanceStateOperations,
  ...instanceProfileOperations,
  ...tagOperations,
  ...imageOperations,
  ...regionOperations,
  ...vpcOperations,
  ...vpcCidrBlockOperations,
  ...subnetOperations,
  ...securityGroupOperations,
  ...internetGatewayOperations,
  ...routeTableOperations,
  ...routeOperations,
  ...vpcEndpointOperations,
  ...addressOperations,
  ...addressAssociationOperations,
  ...natGatewayOperations,
};

export const ec2Service: ServiceDefinition = {
  name: 'ec2',
  protocol: ec2Protocol,
  version: '2016-11-15',
  xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  operations: Object.fromEntries(Object.entries(operations).map(([name, operation]) => [name, withDefaults(operation)])),
};
