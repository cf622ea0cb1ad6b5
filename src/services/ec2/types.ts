/**
 * EC2's records. Nothing is virtualised: an instance is a record with a lifecycle, an instance
 * profile association, metadata options and a place in a VPC; VPCs, subnets, security groups,
 * gateways, route tables, Elastic IP addresses and NAT gateways are records with ids and CIDRs.
 * Times are ISO strings (ms).
 */
import type { Tag } from '../../directory/types.js';

export type InstanceStateName = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

/** AWS's state codes (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html). */
export const INSTANCE_STATE_CODES: Readonly<Record<InstanceStateName, number>> = {
  pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80,
};

export interface MetadataOptions {
  httpTokens: 'optional' | 'required';
  httpPutResponseHopLimit: number;
  httpEndpoint: 'enabled' | 'disabled';
  instanceMetadataTags: 'enabled' | 'disabled';
}

export type AssociationState = 'associating' | 'associated' | 'disassociating' | 'disassociated';

export interface ProfileAssociation {
  associationId: string; // iip-assoc-...
  instanceProfileArn: string;
  instanceProfileId: string;
  state: AssociationState;
  /** bumps on every (re)association: a new association makes IMDS serve a fresh credential */
  generation: number;
  /** when this association was made (ISO, ms): DescribeIamInstanceProfileAssociations' timestamp */
  associatedAt?: string;
}

/**
 * The role credential an instance's metadata service is serving now. The session token carries
 * the session's claims (secret included, sealed), so only the token needs keeping.
 */
export interface InstanceCredential {
  roleName: string;
  accessKeyId: string;
  sessionToken: string;
  /** ISO, whole seconds as IMDS writes them */
  lastUpdated: string;
  expiration: string;
  /** the association generation this credential was issued for */
  associationGeneration: number;
  /** the instance's bootCount when it was issued: a stop/start makes IMDS issue a new one */
  bootCount?: number;
  /** the association it was issued for (a disassociation and a new association start generations over) */
  associationId?: string;
}

export interface InstanceRecord {
  instanceId: string; // i- + 17 hex
  imageId: string;
  instanceType: string;
  state: InstanceStateName;
  stateTransitionReason: string;
  launchTime: string;
  /** when the instance last entered 'pending' (the identity document's pendingTime) */
  pendingTime: string;
  availabilityZone: string;
  vpcId: string;
  subnetId: string;
  privateIpAddress: string;
  privateDnsName: string;
  macAddress: string;
  networkInterfaceId: string;
  securityGroupIds: string[];
  keyName?: string;
  userData?: string; // base64, as given
  architecture: string;
  amiLaunchIndex: number;
  reservationId: string;
  ownerId: string;
  clientToken?: string;
  tags: Tag[];
  metadataOptions: MetadataOptions;
  profileAssociation?: ProfileAssociation;
  credential?: InstanceCredential;
  /**
   * The IMDSv1 credential: AWS delivers distinct role credentials to tokenless (v1)
   * and token-carrying (v2) requests while HttpTokens is optional; `credential` is the v2 one.
   * IMDS also replaces it when bootCount or the association generation moves on.
   */
  credentialV1?: InstanceCredential;
  /** how many times it was started: a stop/start issues a new credential */
  bootCount: number;
}

/** A secondary IPv4 block of a VPC (AssociateVpcCidrBlock); the primary block's association id is derived. */
export interface VpcCidrBlockAssociation {
  associationId: string; // vpc-cidr-assoc-...
  cidrBlock: string;
}

export interface VpcRecord {
  vpcId: string;
  cidrBlock: string;
  /** the secondary blocks, in the order they were associated */
  additionalCidrBlocks: VpcCidrBlockAssociation[];
  isDefault: boolean;
  state: 'pending' | 'available';
  dhcpOptionsId: string;
  instanceTenancy: string;
  enableDnsSupport: boolean;
  enableDnsHostnames: boolean;
  tags: Tag[];
}

export interface SubnetRecord {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  availabilityZoneId: string;
  defaultForAz: boolean;
  mapPublicIpOnLaunch: boolean;
  state: 'pending' | 'available';
  tags: Tag[];
}

export interface IpPermission {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  ipRanges: Array<{ cidrIp: string; description?: string }>;
  ipv6Ranges: Array<{ cidrIpv6: string; description?: string }>;
  userIdGroupPairs: Array<{ groupId: string; userId: string; description?: string }>;
  prefixListIds: Array<{ prefixListId: string; description?: string }>;
}

export interface SecurityGroupRecord {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  ownerId: string;
  ipPermissions: IpPermission[];
  ipPermissionsEgress: IpPermission[];
  tags: Tag[];
}

export interface InternetGatewayRecord {
  internetGatewayId: string;
  attachments: Array<{ vpcId: string; state: 'available' | 'attached' | 'attaching' | 'detached' }>;
  ownerId: string;
  tags: Tag[];
}

export interface RouteRecord {
  destinationCidrBlock: string;
  gatewayId?: string;
  natGatewayId?: string;
  vpcEndpointId?: string;
  /** as made (`active`); a route through a gateway is shown in its gateway's state (route-targets.ts) */
  state: 'active' | 'blackhole';
  origin: 'CreateRouteTable' | 'CreateRoute';
}

export interface RouteTableRecord {
  routeTableId: string;
  vpcId: string;
  routes: RouteRecord[];
  associations: Array<{ routeTableAssociationId: string; subnetId?: string; gatewayId?: string; main: boolean }>;
  ownerId: string;
  tags: Tag[];
}

/** Where an Elastic IP address points: an instance's interface, or a NAT gateway's (which AWS manages). */
export interface AddressAssociation {
  associationId: string; // eipassoc-...
  networkInterfaceId: string;
  privateIpAddress: string;
  instanceId?: string;
  natGatewayId?: string;
}

export interface AddressRecord {
  allocationId: string; // eipalloc-...
  publicIp: string;
  domain: 'vpc';
  networkBorderGroup: string;
  ownerId: string;
  tags: Tag[];
  association?: AddressAssociation;
}

export type NatGatewayState = 'pending' | 'failed' | 'available' | 'deleting' | 'deleted';

/** Why a NAT gateway went to `failed` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html). */
export interface NatGatewayFailure {
  code: string;
  message: string;
}

export interface NatGatewayRecord {
  natGatewayId: string; // nat-...
  subnetId: string;
  vpcId: string;
  connectivityType: 'public' | 'private';
  state: NatGatewayState;
  createTime: string;
  deleteTime?: string;
  /** decided at creation, shown once the gateway has settled in `failed` */
  failure?: NatGatewayFailure;
  networkInterfaceId: string;
  /** empty when the gateway failed before it got an address */
  privateIp: string;
  /** public gateways: the Elastic IP address it was created with */
  allocationId?: string;
  clientToken?: string;
  ownerId: string;
  tags: Tag[];
}

export interface VpcEndpointRecord {
  vpcEndpointId: string;
  vpcId: string;
  serviceName: string;
  vpcEndpointType: 'Interface' | 'Gateway';
  state: 'available' | 'pending' | 'deleted';
  policyDocument?: string;
  routeTableIds: string[];
  subnetIds: string[];
  securityGroupIds: string[];
  privateDnsEnabled: boolean;
  creationTimestamp: string;
  ownerId: string;
  tags: Tag[];
}
