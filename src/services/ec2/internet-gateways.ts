/**
 * Internet gateways: create, attach to one VPC (a VPC has at most one), detach (not while an
 * Elastic IP address is mapped in the VPC), delete (not while attached). Routes through a detached
 * gateway are blackholes, and active again once it is attached again, as on AWS (route-targets.ts
 * reads the state from the gateway).
 */
import type { XmlObject } from '../../protocol/xml.js';
import { AwsError } from '../../protocol/aws-error.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { byKey, describeAuthorization, ec2Action, ec2Arn, requestTagKeys, requireAll, resourceTagKeys, tagOnCreateAuthorization, tagsXml } from './common.js';
import { dependencyViolation } from './errors.js';
import { applyFilters, Ec2Input, filtersOf, pageRequest, paginate, tagSpecificationsOf, type FilterFields } from './input.js';
import { findInternetGateway, findVpc, internetGatewayOf } from './lookups.js';
import { hasMappedAddresses } from './public-addresses.js';
import { tableWrite } from './state.js';
import type { InternetGatewayRecord } from './types.js';

function gatewayXml(gateway: InternetGatewayRecord): XmlObject {
  return {
    internetGatewayId: gateway.internetGatewayId,
    ownerId: gateway.ownerId,
    attachmentSet: gateway.attachments.map((attachment) => ({ vpcId: attachment.vpcId, state: attachment.state })),
    tagSet: tagsXml(gateway.tags),
  };
}

function gatewayAuthorization(ctx: OperationContext, action: string, gateway: InternetGatewayRecord): Authorization {
  return { action: ec2Action(action), resource: ec2Arn(ctx, 'internet-gateway', gateway.internetGatewayId), conditionKeys: resourceTagKeys(gateway.tags) };
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateInternetGateway.html */
const CreateInternetGateway = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const tags = tagSpecificationsOf(input, ['internet-gateway']).get('internet-gateway') ?? [];
    const gateway: InternetGatewayRecord = { internetGatewayId: ctx.app.ec2.ids.id('igw'), attachments: [], ownerId: ctx.app.accountId, tags };
    const arn = ec2Arn(ctx, 'internet-gateway', gateway.internetGatewayId);
    requireAll(ctx, input.dryRun, [
      { action: ec2Action('CreateInternetGateway'), resource: arn, conditionKeys: requestTagKeys(tags) },
      ...tagOnCreateAuthorization(arn, 'CreateInternetGateway', tags),
    ]);
    ctx.app.ec2.internetGateways.put(gateway);
    return { internetGateway: gatewayXml(gateway) };
  },
});

/** The gateway and VPC an attach or detach names, once the caller may act on both. */
function gatewayAndVpc(ctx: OperationContext, input: Ec2Input, action: 'AttachInternetGateway' | 'DetachInternetGateway') {
  const gateway = findInternetGateway(ctx, input.required('InternetGatewayId', 'internetGatewayId'));
  const vpc = findVpc(ctx, input.required('VpcId', 'vpcId'));
  requireAll(ctx, input.dryRun, [
    gatewayAuthorization(ctx, action, gateway),
    { action: ec2Action(action), resource: ec2Arn(ctx, 'vpc', vpc.vpcId), conditionKeys: resourceTagKeys(vpc.tags) },
  ]);
  return { gateway, vpc };
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachInternetGateway.html */
const AttachInternetGateway = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const { gateway, vpc } = gatewayAndVpc(ctx, input, 'AttachInternetGateway');
    const attached = gateway.attachments[0];
    if (attached) throw new AwsError('Resource.AlreadyAssociated', `resource ${gateway.internetGatewayId} is already attached to network ${attached.vpcId}`, 400);
    const other = internetGatewayOf(ctx.app.ec2, vpc.vpcId);
    if (other) throw new AwsError('Resource.AlreadyAssociated', `Network ${vpc.vpcId} already has an internet gateway attached`, 400);
    const state = ctx.app.ec2;
    state.commit([tableWrite<InternetGatewayRecord>(state.internetGateways, [{ put: { ...gateway, attachments: [{ vpcId: vpc.vpcId, state: 'available' }] } }])]);
    return { return: true };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DetachInternetGateway.html */
const DetachInternetGateway = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const { gateway, vpc } = gatewayAndVpc(ctx, input, 'DetachInternetGateway');
    if (!gateway.attachments.some((attachment) => attachment.vpcId === vpc.vpcId)) {
      throw new AwsError('Gateway.NotAttached', `resource ${gateway.internetGatewayId} is not attached to network ${vpc.vpcId}`, 400);
    }
    const state = ctx.app.ec2;
    if (hasMappedAddresses(state, vpc.vpcId)) {
      throw dependencyViolation(`Network ${vpc.vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`);
    }
    state.commit([tableWrite(state.internetGateways, [{ put: { ...gateway, attachments: [] } }])]);
    return { return: true };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteInternetGateway.html */
const DeleteInternetGateway = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const gateway = findInternetGateway(ctx, input.required('InternetGatewayId', 'internetGatewayId'));
    requireAll(ctx, input.dryRun, [gatewayAuthorization(ctx, 'DeleteInternetGateway', gateway)]);
    if (gateway.attachments.length > 0) throw dependencyViolation(`The internetGateway '${gateway.internetGatewayId}' has dependencies and cannot be deleted.`);
    ctx.app.ec2.internetGateways.delete(gateway.internetGatewayId);
    return { return: true };
  },
});

const GATEWAY_FILTERS: FilterFields<InternetGatewayRecord> = {
  'internet-gateway-id': (gateway) => gateway.internetGatewayId,
  'attachment.vpc-id': (gateway) => gateway.attachments.map((attachment) => attachment.vpcId),
  'attachment.state': (gateway) => gateway.attachments.map((attachment) => attachment.state),
  'owner-id': (gateway) => gateway.ownerId,
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInternetGateways.html */
const DescribeInternetGateways = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = input.list('InternetGatewayId');
    const page = pageRequest(input);
    const filters = filtersOf(input);
    const chosen = ids.length > 0 ? [...new Set(ids)].map((id) => findInternetGateway(ctx, id)) : ctx.app.ec2.internetGateways.list();
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeInternetGateways')]);
    const matching = applyFilters(chosen, filters, GATEWAY_FILTERS, (gateway) => gateway.tags).sort(byKey((gateway) => gateway.internetGatewayId));
    const { items, nextToken } = paginate(matching, page);
    return { internetGatewaySet: items.map((gateway) => gatewayXml(gateway)), nextToken };
  },
});

export const internetGatewayOperations: OperationMap = {
  CreateInternetGateway, AttachInternetGateway, DetachInternetGateway, DeleteInternetGateway, DescribeInternetGateways,
};
