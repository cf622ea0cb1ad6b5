/**
 * The resource types iamd provisions, by CloudFormation type name. A type that is not here fails
 * its stack with "iamd does not implement resource type X" unless the stack was created with the
 * placeholders option (tag iamd:placeholders=true), which records such resources as placeholders:
 * a generated physical id, no real resource, and every Fn::GetAtt answering that id.
 */
import type { Tag } from '../../../directory/types.js';
import type { ResourceProvider } from './provider.js';
import { provider } from './provider.js';
import { iamAccessKey } from './iam-access-key.js';
import { iamGroup } from './iam-group.js';
import { iamInstanceProfile } from './iam-instance-profile.js';
import { iamManagedPolicy } from './iam-managed-policy.js';
import { iamPolicy } from './iam-policy.js';
import { iamRole } from './iam-role.js';
import { iamUser } from './iam-user.js';
import { iamUserToGroupAddition } from './iam-user-to-group-addition.js';
import { ec2Eip, ec2EipAssociation } from './ec2-eip.js';
import { ec2Instance } from './ec2-instance.js';
import { ec2GatewayAttachment, ec2InternetGateway } from './ec2-internet-gateway.js';
import { ec2NatGateway } from './ec2-nat-gateway.js';
import { ec2Route, ec2RouteTable, ec2SubnetRouteTableAssociation } from './ec2-route-table.js';
import { ec2SecurityGroup } from './ec2-security-group.js';
import { ec2SecurityGroupEgress, ec2SecurityGroupIngress } from './ec2-security-group-rules.js';
import { ec2Subnet } from './ec2-subnet.js';
import { ec2Vpc } from './ec2-vpc.js';
import { ec2VpcCidrBlock } from './ec2-vpc-cidr-block.js';
import { ec2VpcEndpoint } from './ec2-vpc-endpoint.js';
import { ec2LaunchTemplate } from './launch-templates.js';
import { s3Bucket, s3BucketPolicy } from './s3-bucket.js';
import { ssmParameter } from './ssm-parameter.js';

const PROVIDERS: readonly ResourceProvider[] = [
  iamRole, iamPolicy, iamManagedPolicy, iamInstanceProfile, iamUser, iamGroup, iamUserToGroupAddition, iamAccessKey,
  ec2Vpc, ec2VpcCidrBlock, ec2Subnet, ec2InternetGateway, ec2GatewayAttachment, ec2RouteTable, ec2Route, ec2SubnetRouteTableAssociation,
  ec2Eip, ec2EipAssociation, ec2NatGateway,
  ec2SecurityGroup, ec2SecurityGroupIngress, ec2SecurityGroupEgress, ec2VpcEndpoint, ec2LaunchTemplate, ec2Instance,
  s3Bucket, s3BucketPolicy, ssmParameter,
];

const BY_TYPE = new Map(PROVIDERS.map((entry) => [entry.type, entry]));

export function providerFor(type: string): ResourceProvider | undefined {
  return BY_TYPE.get(type);
}

export function implementedTypes(): string[] {
  return [...BY_TYPE.keys()].sort();
}

/** The tag that turns the placeholders option on. */
export const PLACEHOLDERS_TAG = 'iamd:placeholders';

/** Whether a stack with these tags records unimplemented types as placeholders (read from its tags, so UpdateStack can change it). */
export function recordsPlaceholders(tags: readonly Tag[]): boolean {
  return tags.some((tag) => tag.Key === PLACEHOLDERS_TAG && tag.Value === 'true');
}

/** Stands in for a resource of a type iamd does not implement (the placeholders option). */
export function placeholderProvider(type: string): ResourceProvider {
  return provider({
    type,
    schema: {},
    attributes: [],
    async create(ctx) {
      return { physicalId: ctx.physicalName(255), attributes: {} };
    },
    async update(_ctx, current) {
      return { physicalId: current.physicalId, attributes: current.attributes };
    },
    async delete() {},
  });
}
