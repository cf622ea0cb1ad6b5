/**
 * EC2's client errors (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html),
 * with the codes and wording EC2 answers. All are 400 except DryRunOperation (412); the protocol
 * layer spells AccessDenied as UnauthorizedOperation.
 */
import { AwsError } from '../../protocol/aws-error.js';

const error = (code: string, message: string): AwsError => new AwsError(code, message, 400);

/** The answer to a DryRun request that would have been allowed. */
export const dryRunOperation = (): AwsError => new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);

export const missingParameter = (name: string): AwsError => error('MissingParameter', `The request must contain the parameter ${name}`);
export const invalidParameterValue = (message: string): AwsError => error('InvalidParameterValue', message);
export const invalidParameter = (message: string): AwsError => error('InvalidParameter', message);
export const invalidParameterCombination = (message: string): AwsError => error('InvalidParameterCombination', message);
export const unknownParameterValue = (value: string, parameter: string, detail: string): AwsError =>
  invalidParameterValue(`Value (${value}) for parameter ${parameter} is invalid. ${detail}`);
export const dependencyViolation = (message: string): AwsError => error('DependencyViolation', message);
export const incorrectInstanceState = (message: string): AwsError => error('IncorrectInstanceState', message);
export const incorrectState = (message: string): AwsError => error('IncorrectState', message);

/** "The instance ID 'i-1' does not exist" / "The instance IDs 'i-1, i-2' do not exist" */
export function instanceNotFound(ids: readonly string[]): AwsError {
  return ids.length === 1
    ? error('InvalidInstanceID.NotFound', `The instance ID '${ids[0]}' does not exist`)
    : error('InvalidInstanceID.NotFound', `The instance IDs '${ids.join(', ')}' do not exist`);
}

/** `Invalid id: "foo" (expecting "i-...")`, EC2's wording for every malformed id. */
export const malformedId = (code: string, id: string, prefix: string): AwsError => error(code, `Invalid id: "${id}" (expecting "${prefix}-...")`);

export const vpcNotFound = (id: string): AwsError => error('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
export const subnetNotFound = (id: string): AwsError => error('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
export const groupNotFound = (idOrName: string): AwsError => error('InvalidGroup.NotFound', `The security group '${idOrName}' does not exist`);
export const groupNameNotFound = (name: string, vpcId: string): AwsError =>
  error('InvalidGroup.NotFound', `The security group '${name}' does not exist in VPC '${vpcId}'`);
export const imageNotFound = (id: string): AwsError => error('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`);
export const internetGatewayNotFound = (id: string): AwsError => error('InvalidInternetGatewayID.NotFound', `The internetGateway ID '${id}' does not exist`);
export const routeTableNotFound = (id: string): AwsError => error('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`);
export const vpcEndpointNotFound = (id: string): AwsError => error('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${id}' does not exist`);
export const associationNotFound = (id: string): AwsError => error('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`);
export const invalidFilter = (name: string): AwsError => invalidParameterValue(`The filter '${name}' is invalid`);
export const invalidNextToken = (): AwsError => invalidParameterValue('Invalid value for parameter nextToken: the token is not one this service issued.');
export const allocationNotFound = (id: string): AwsError => error('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`);
export const addressNotFound = (ip: string): AwsError => error('InvalidAddress.NotFound', `Address '${ip}' not found.`);
export const networkInterfaceNotFound = (id: string): AwsError => error('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`);
/** DescribeNatGateways / DeleteNatGateway; a route's NatGatewayId is InvalidNatGatewayID.NotFound instead. */
export const natGatewayNotFound = (id: string): AwsError => error('NatGatewayNotFound', `NAT gateway ${id} was not found`);
export const routeNatGatewayNotFound = (id: string): AwsError => error('InvalidNatGatewayID.NotFound', `The natGateway ID '${id}' does not exist`);
export const gatewayNotAttached = (vpcId: string): AwsError => error('Gateway.NotAttached', `Network ${vpcId} is not attached to any internet gateway`);
/** What EC2 answers when a user touches an association AWS manages (a NAT gateway's Elastic IP address). */
export const managedAssociation = (): AwsError => error('AuthFailure', 'You do not have permission to access the specified resource.');
