/**
 * A VPC's IPv4 blocks: the primary one it was created with, and secondary ones added with
 * AssociateVpcCidrBlock and removed with DisassociateVpcCidrBlock
 * (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html). A secondary block is
 * /16 to /28, overlaps no block of the VPC, and keeps to the primary block's private range (a VPC in
 * 10.0.0.0/8 cannot add 172.16.0.0/12, 192.168.0.0/16 or 198.19.0.0/16 blocks, and so on; publicly
 * routable blocks and 100.64.0.0/10 go with any); a VPC has at most five blocks (AWS's default
 * quota). Each block has a `local` route in every route table of the VPC. The primary block cannot
 * be removed, nor a block a subnet is in. AssociateVpcCidrBlock answers `associating` and
 * DisassociateVpcCidrBlock `disassociating`, as AWS does; DescribeVpcs then shows the block
 * associated, or no longer shows it.
 * Known gaps: no IPv6 blocks, no IPAM pools, no check against routes to wider destinations.
 */
import { AwsError } from '../../protocol/aws-error.js';
import { operation, type OperationContext, type OperationMap } from '../service.js';
import { ec2Action, ec2Arn, requireAll, resourceTagKeys } from './common.js';
import { cidrContains, cidrsOverlap, parseCidr } from './cidr.js';
import { invalidParameterValue } from './errors.js';
import { derivedId } from './ids.js';
import { Ec2Input } from './input.js';
import { findVpc } from './lookups.js';
import { tableWrite } from './state.js';
import type { VpcCidrBlockAssociation, VpcRecord } from './types.js';

const MAX_BLOCKS_PER_VPC = 5;

/** The private ranges a VPC's blocks must not mix (RFC 1918 and the 198.19.0.0/16 benchmark range). */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '198.19.0.0/16'].map((text) => parseCidr(text)!);

/** A VPC's or subnet's IPv4 block: canonical, and /16 to /28 (`rangeCode`: InvalidVpc.Range, InvalidSubnet.Range). */
export function blockOf(text: string, rangeCode: string): void {
  const cidr = parseCidr(text);
  if (!cidr) throw invalidParameterValue(`Value (${text}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (cidr.prefix < 16 || cidr.prefix > 28) throw new AwsError(rangeCode, `The CIDR '${text}' is invalid.`, 400);
}

/** Every block of a VPC, primary first, with its association id (the primary's is derived from the VPC's). */
export function cidrBlockAssociations(vpc: VpcRecord): VpcCidrBlockAssociation[] {
  return [{ associationId: derivedId('vpc-cidr-assoc', vpc.vpcId, vpc.cidrBlock), cidrBlock: vpc.cidrBlock }, ...vpc.additionalCidrBlocks];
}

export function cidrBlocksOf(vpc: VpcRecord): string[] {
  return [vpc.cidrBlock, ...vpc.additionalCidrBlocks.map((block) => block.cidrBlock)];
}

function privateRangeOf(text: string): number {
  const cidr = parseCidr(text)!;
  return PRIVATE_RANGES.findIndex((range) => cidrContains(range, cidr));
}

function checkNewBlock(vpc: VpcRecord, cidrBlock: string): void {
  blockOf(cidrBlock, 'InvalidVpc.Range');
  const cidr = parseCidr(cidrBlock)!;
  const primaryRange = privateRangeOf(vpc.cidrBlock);
  const range = privateRangeOf(cidrBlock);
  if (range !== -1 && range !== primaryRange) {
    throw new AwsError('InvalidVpc.Range', `The CIDR '${cidrBlock}' is restricted. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR. For additional restrictions, see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html`, 400);
  }
  // AWS's wording for an overlap is not documented; iamd names the block it conflicts with.
  const clash = cidrBlocksOf(vpc).find((block) => cidrsOverlap(parseCidr(block)!, cidr));
  if (clash) throw new AwsError('InvalidVpc.Range', `The CIDR '${cidrBlock}' conflicts with the CIDR '${clash}' of the VPC.`, 400);
  if (cidrBlocksOf(vpc).length >= MAX_BLOCKS_PER_VPC) {
    throw new AwsError('CidrLimitExceeded', `This network '${vpc.vpcId}' has met its maximum number of allowed CIDRs: ${MAX_BLOCKS_PER_VPC}`, 400);
  }
}

/** The route tables of the VPC with the local route of `cidrBlock` added or removed. */
function localRoutes(ctx: OperationContext, vpcId: string, cidrBlock: string, change: 'add' | 'remove') {
  const state = ctx.app.ec2;
  const tables = state.routeTables.list().filter((table) => table.vpcId === vpcId);
  return tableWrite(state.routeTables, tables.map((table) => {
    const others = table.routes.filter((route) => !(route.destinationCidrBlock === cidrBlock && route.gatewayId === 'local'));
    if (change === 'remove') return { put: { ...table, routes: others } };
    // Local routes come first, as EC2 lists them.
    const locals = others.filter((route) => route.gatewayId === 'local');
    const local = { destinationCidrBlock: cidrBlock, gatewayId: 'local', state: 'active' as const, origin: 'CreateRouteTable' as const };
    return { put: { ...table, routes: [...locals, local, ...others.filter((route) => route.gatewayId !== 'local')] } };
  }));
}

function vpcAuthorization(ctx: OperationContext, action: string, vpc: VpcRecord) {
  return { action: ec2Action(action), resource: ec2Arn(ctx, 'vpc', vpc.vpcId), conditionKeys: resourceTagKeys(vpc.tags) };
}

const IPV6_PARAMETERS = ['AmazonProvidedIpv6CidrBlock', 'Ipv6CidrBlock', 'Ipv6Pool', 'Ipv6IpamPoolId', 'Ipv4IpamPoolId'];

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AssociateVpcCidrBlock.html */
const AssociateVpcCidrBlock = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const vpc = findVpc(ctx, input.required('VpcId', 'vpcId'));
    const cidrBlock = input.string('CidrBlock');
    if (cidrBlock === undefined) {
      const other = IPV6_PARAMETERS.find((name) => input.has(name));
      throw invalidParameterValue(other ? `iamd supports IPv4 CIDR blocks only (got ${other}).` : 'Either an IPv4 CIDR block, an IPv6 pool, or an Amazon-provided IPv6 CIDR block must be specified.');
    }
    requireAll(ctx, input.dryRun, [vpcAuthorization(ctx, 'AssociateVpcCidrBlock', vpc)]);
    checkNewBlock(vpc, cidrBlock);
    const state = ctx.app.ec2;
    const association: VpcCidrBlockAssociation = { associationId: state.ids.id('vpc-cidr-assoc'), cidrBlock };
    state.commit([
      tableWrite(state.vpcs, [{ put: { ...vpc, additionalCidrBlocks: [...vpc.additionalCidrBlocks, association] } }]),
      localRoutes(ctx, vpc.vpcId, cidrBlock, 'add'),
    ]);
    return {
      vpcId: vpc.vpcId,
      cidrBlockAssociation: { associationId: association.associationId, cidrBlock, cidrBlockState: { state: 'associating' } },
    };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DisassociateVpcCidrBlock.html */
const DisassociateVpcCidrBlock = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const associationId = input.required('AssociationId', 'associationId');
    const state = ctx.app.ec2;
    const vpc = state.vpcs.list().find((candidate) => cidrBlockAssociations(candidate).some((block) => block.associationId === associationId));
    if (!vpc) throw new AwsError('InvalidVpcCidrBlockAssociationID.NotFound', `The vpc CIDR block association ID '${associationId}' does not exist`, 400);
    requireAll(ctx, input.dryRun, [vpcAuthorization(ctx, 'DisassociateVpcCidrBlock', vpc)]);
    const block = vpc.additionalCidrBlocks.find((candidate) => candidate.associationId === associationId);
    if (!block) {
      throw new AwsError('OperationNotPermitted', `The vpc CIDR block with association ID ${associationId} may not be disassociated. It is the primary IPv4 CIDR block of the VPC`, 400);
    }
    const cidr = parseCidr(block.cidrBlock)!;
    if (state.subnets.list().some((subnet) => subnet.vpcId === vpc.vpcId && cidrsOverlap(parseCidr(subnet.cidrBlock)!, cidr))) {
      throw new AwsError('InvalidCidrBlock.InUse', `The vpc ${vpc.vpcId} currently has a subnet within CIDR block ${block.cidrBlock}`, 400);
    }
    state.commit([
      tableWrite(state.vpcs, [{ put: { ...vpc, additionalCidrBlocks: vpc.additionalCidrBlocks.filter((candidate) => candidate !== block) } }]),
      localRoutes(ctx, vpc.vpcId, block.cidrBlock, 'remove'),
    ]);
    return {
      vpcId: vpc.vpcId,
      cidrBlockAssociation: { associationId, cidrBlock: block.cidrBlock, cidrBlockState: { state: 'disassociating' } },
    };
  },
});

export const vpcCidrBlockOperations: OperationMap = { AssociateVpcCidrBlock, DisassociateVpcCidrBlock };
