/**
 * Launching and describing instances.
 *
 * RunInstances (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html)
 * resolves everything first (image, subnet, groups, instance profile), then authorizes as EC2
 * does, on every resource the launch uses: ec2:RunInstances on the new instance, the image (a public
 * image's ARN has no account), the subnet, each security group, the new network interface and
 * volume, the key pair when named; ec2:CreateTags with ec2:CreateAction=RunInstances when it tags
 * the instance; iam:PassRole on the profile's role when it names an instance profile. Instances
 * answer `pending` and become `running` right after (Ec2State.settleLater). An instance launched
 * from an image with ImdsSupport v2.0 (Amazon Linux 2023) requires IMDSv2 with hop limit 2 unless
 * MetadataOptions say otherwise, as on AWS.
 *
 * Known gaps: key pairs are not checked (there is no key pair API), no automatic public addresses
 * (an Elastic IP address gives one: address-associations.ts), one network interface per instance (NetworkInterface.N is not read), launch templates are not
 * supported.
 */
import type { Tag } from '../../directory/types.js';
import { AwsError } from '../../protocol/aws-error.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { byKey, describeAuthorization, ec2Action, ec2Arn, requestTagKeys, requireAll, resourceTagKeys, tagOnCreateAuthorization } from './common.js';
import {
  invalidParameter, invalidParameterCombination, invalidParameterValue, missingParameter, unknownParameterValue,
} from './errors.js';
import type { PublicImage } from './image-catalog.js';
import { applyFilters, Ec2Input, filtersOf, instanceIdsOrPage, paginate, tagSpecificationsOf, type FilterFields } from './input.js';
import { instanceArn, metadataKeys } from './instance-auth.js';
import { newAssociation, passRoleAuthorization, resolveInstanceProfile, type ResolvedProfile } from './instance-profiles.js';
import { publicAddressOf, reservationsXml } from './instance-xml.js';
import { defaultSubnet, findImage, findInstances, findSecurityGroup, findSecurityGroupByName, findSubnet, visibleInstances, vpcDefaultGroup } from './lookups.js';
import { addressBook, allocatePrivateIp, claimPrivateIp, privateDnsName } from './private-ips.js';
import { tableWrite } from './state.js';
import type { InstanceRecord, MetadataOptions, SecurityGroupRecord, SubnetRecord } from './types.js';

const MAX_INSTANCES_PER_CALL = 100;
const MAX_USER_DATA_BYTES = 16384;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
/** Graviton (arm64) families: a1, and a generation digit followed by g (t4g, m6gd, c7gn, is4gen, g5g, ...). */
const ARM_FAMILY = /^(a1|[a-z]+\d+g[a-z]*)\./;

interface RunInput {
  imageId: string;
  instanceType: string;
  minCount: number;
  maxCount: number;
  subnetId?: string;
  availabilityZone?: string;
  securityGroupIds: string[];
  securityGroupNames: string[];
  profile?: Ec2Input;
  metadata: Partial<MetadataOptions>;
  instanceTags: Tag[];
  networkInterfaceTags: Tag[];
  volumeTags: Tag[];
  userData?: string;
  keyName?: string;
  clientToken?: string;
  privateIpAddress?: string;
  dryRun: boolean;
}

function enumValue<T extends string>(input: Ec2Input, name: string, parameter: string, values: readonly T[]): T | undefined {
  const value = input.string(name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw unknownParameterValue(value, parameter, `Valid values are: ${values.join(', ')}.`);
  return value as T;
}

export function metadataOptionsInput(input: Ec2Input, prefix: string): Partial<MetadataOptions> {
  const httpTokens = enumValue(input, `${prefix}HttpTokens`, 'httpTokens', ['optional', 'required'] as const);
  const httpEndpoint = enumValue(input, `${prefix}HttpEndpoint`, 'httpEndpoint', ['enabled', 'disabled'] as const);
  const instanceMetadataTags = enumValue(input, `${prefix}InstanceMetadataTags`, 'instanceMetadataTags', ['enabled', 'disabled'] as const);
  enumValue(input, `${prefix}HttpProtocolIpv6`, 'httpProtocolIpv6', ['enabled', 'disabled'] as const);
  const hopLimit = input.integer(`${prefix}HttpPutResponseHopLimit`);
  if (hopLimit !== undefined && (hopLimit < 1 || hopLimit > 64)) {
    throw unknownParameterValue(String(hopLimit), 'httpPutResponseHopLimit', 'The value must be between 1 and 64.');
  }
  return {
    ...(httpTokens ? { httpTokens } : {}),
    ...(httpEndpoint ? { httpEndpoint } : {}),
    ...(instanceMetadataTags ? { instanceMetadataTags } : {}),
    ...(hopLimit !== undefined ? { httpPutResponseHopLimit: hopLimit } : {}),
  };
}

function userDataOf(input: Ec2Input): string | undefined {
  const userData = input.string('UserData');
  if (userData === undefined || userData === '') return undefined;
  if (!/^[A-Za-z0-9+/\r\n]*={0,2}$/.test(userData)) throw invalidParameterValue('Invalid BASE64 encoding of user data.');
  if (Buffer.from(userData, 'base64').length > MAX_USER_DATA_BYTES) throw invalidParameterValue(`User data is limited to ${MAX_USER_DATA_BYTES} bytes`);
  return userData;
}

function runInput(input: Ec2Input): RunInput {
  const imageId = input.required('ImageId');
  const minCount = input.integer('MinCount');
  const maxCount = input.integer('MaxCount');
  if (minCount === undefined) throw missingParameter('MinCount');
  if (maxCount === undefined) throw missingParameter('MaxCount');
  if (minCount < 1) throw unknownParameterValue(String(minCount), 'minCount', 'Expecting a value greater than 0.');
  if (maxCount < minCount) throw unknownParameterValue(String(maxCount), 'maxCount', 'Expecting a value greater than or equal to minCount.');
  if (minCount > MAX_INSTANCES_PER_CALL) {
    throw new AwsError('InstanceLimitExceeded', `You have requested more instances (${minCount}) than your current instance limit of ${MAX_INSTANCES_PER_CALL} allows for the specified instance type. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`, 400);
  }
  const instanceType = input.string('InstanceType') ?? 'm1.small';
  if (!INSTANCE_TYPE.test(instanceType)) throw invalidParameterValue(`Invalid value '${instanceType}' for InstanceType.`);
  const tags = tagSpecificationsOf(input, ['instance', 'volume', 'network-interface', 'spot-instances-request', 'elastic-gpu']);
  return {
    imageId,
    instanceType,
    minCount,
    maxCount: Math.min(maxCount, MAX_INSTANCES_PER_CALL),
    subnetId: input.string('SubnetId'),
    availabilityZone: input.string('Placement.AvailabilityZone'),
    securityGroupIds: input.list('SecurityGroupId'),
    securityGroupNames: input.list('SecurityGroup'),
    profile: input.hasStructure('IamInstanceProfile') ? input.structure('IamInstanceProfile') : undefined,
    metadata: metadataOptionsInput(input, 'MetadataOptions.'),
    instanceTags: tags.get('instance') ?? [],
    networkInterfaceTags: tags.get('network-interface') ?? [],
    volumeTags: tags.get('volume') ?? [],
    userData: userDataOf(input),
    keyName: input.string('KeyName'),
    clientToken: input.string('ClientToken'),
    privateIpAddress: input.string('PrivateIpAddress'),
    dryRun: input.dryRun,
  };
}

function subnetFor(ctx: OperationContext, input: RunInput): SubnetRecord {
  if (input.subnetId !== undefined) {
    const subnet = findSubnet(ctx, input.subnetId);
    if (input.availabilityZone !== undefined && input.availabilityZone !== subnet.availabilityZone) {
      throw invalidParameterValue(`Value (${input.availabilityZone}) for parameter availabilityZone is invalid. Subnet '${subnet.subnetId}' is in the availability zone ${subnet.availabilityZone}`);
    }
    return subnet;
  }
  const subnet = defaultSubnet(ctx, input.availabilityZone);
  if (subnet) return subnet;
  if (input.availabilityZone !== undefined && defaultSubnet(ctx)) {
    throw invalidParameterValue(`Value (${input.availabilityZone}) for parameter availabilityZone is invalid. There is no default subnet in it.`);
  }
  throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.', 400);
}

function groupsFor(ctx: OperationContext, input: RunInput, subnet: SubnetRecord): SecurityGroupRecord[] {
  const groups = [
    ...input.securityGroupIds.map((id) => findSecurityGroup(ctx, id)),
    ...input.securityGroupNames.map((name) => findSecurityGroupByName(ctx, name, subnet.vpcId)),
  ];
  for (const group of groups) {
    if (group.vpcId !== subnet.vpcId) throw invalidParameter(`Security group ${group.groupId} and subnet ${subnet.subnetId} belong to different networks.`);
  }
  if (groups.length > 0) return [...new Map(groups.map((group) => [group.groupId, group])).values()];
  const fallback = vpcDefaultGroup(ctx, subnet.vpcId);
  return fallback ? [fallback] : [];
}

function checkArchitecture(instanceType: string, image: PublicImage): void {
  const typeArchitecture = ARM_FAMILY.test(instanceType) ? 'arm64' : 'x86_64';
  if (typeArchitecture !== image.architecture) {
    throw invalidParameterValue(
      `The architecture '${typeArchitecture}' of the specified instance type does not match the architecture '${image.architecture}' of the specified AMI. ` +
      "Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.",
    );
  }
}

/** AWS's defaults: IMDSv2 required with hop limit 2 for images that declare ImdsSupport v2.0, else optional with 1. */
function metadataOptionsFor(image: PublicImage, requested: Partial<MetadataOptions>): MetadataOptions {
  const v2Only = image.imdsSupport === 'v2.0';
  return {
    httpTokens: requested.httpTokens ?? (v2Only ? 'required' : 'optional'),
    httpPutResponseHopLimit: requested.httpPutResponseHopLimit ?? (v2Only ? 2 : 1),
    httpEndpoint: requested.httpEndpoint ?? 'enabled',
    instanceMetadataTags: requested.instanceMetadataTags ?? 'disabled',
  };
}

function runAuthorizations(
  ctx: OperationContext, input: RunInput, instanceIds: readonly string[], image: PublicImage, subnet: SubnetRecord,
  groups: readonly SecurityGroupRecord[], metadata: MetadataOptions, profile: ResolvedProfile | undefined,
): Authorization[] {
  const action = ec2Action('RunInstances');
  const vpcArn = ec2Arn(ctx, 'vpc', subnet.vpcId);
  const subnetArn = ec2Arn(ctx, 'subnet', subnet.subnetId);
  const instanceKeys = {
    'ec2:InstanceType': input.instanceType,
    'ec2:AvailabilityZone': subnet.availabilityZone,
    'ec2:Tenancy': 'default',
    'ec2:RootDeviceType': 'ebs',
    'ec2:EbsOptimized': 'false',
    'ec2:InstanceMarketType': 'on-demand',
    'ec2:IsLaunchTemplateResource': 'false',
    'ec2:InstanceProfile': profile?.profile.arn,
    ...metadataKeys(metadata),
    ...requestTagKeys(input.instanceTags),
  };
  const authorizations: Authorization[] = instanceIds.map((id) => ({ action, resource: instanceArn(ctx, id), conditionKeys: instanceKeys }));
  authorizations.push({
    action,
    resource: ec2Arn(ctx, 'image', image.imageId, ''),
    conditionKeys: {
      'ec2:ImageType': 'machine', 'ec2:Owner': image.ownerAlias ?? image.ownerId, 'ec2:Public': 'true', 'ec2:RootDeviceType': 'ebs',
    },
  });
  authorizations.push({
    action,
    resource: subnetArn,
    conditionKeys: { 'ec2:Vpc': vpcArn, 'ec2:SubnetID': subnet.subnetId, 'ec2:AvailabilityZone': subnet.availabilityZone, ...resourceTagKeys(subnet.tags) },
  });
  for (const group of groups) {
    authorizations.push({
      action,
      resource: ec2Arn(ctx, 'security-group', group.groupId),
      conditionKeys: { 'ec2:Vpc': vpcArn, 'ec2:SecurityGroupID': group.groupId, ...resourceTagKeys(group.tags) },
    });
  }
  authorizations.push({
    action,
    resource: ec2Arn(ctx, 'network-interface', '*'),
    conditionKeys: { 'ec2:Subnet': subnetArn, 'ec2:Vpc': vpcArn, 'ec2:AvailabilityZone': subnet.availabilityZone, ...requestTagKeys(input.networkInterfaceTags) },
  });
  authorizations.push({
    action,
    resource: ec2Arn(ctx, 'volume', '*'),
    conditionKeys: {
      'ec2:VolumeType': image.volumeType, 'ec2:VolumeSize': String(image.volumeSize), 'ec2:Encrypted': 'false',
      'ec2:AvailabilityZone': subnet.availabilityZone, ...requestTagKeys(input.volumeTags),
    },
  });
  if (input.keyName !== undefined) authorizations.push({ action, resource: ec2Arn(ctx, 'key-pair', input.keyName), conditionKeys: { 'ec2:KeyPairName': input.keyName } });
  for (const id of instanceIds) authorizations.push(...tagOnCreateAuthorization(instanceArn(ctx, id), 'RunInstances', input.instanceTags));
  if (profile) for (const id of instanceIds) authorizations.push(passRoleAuthorization(profile.role, instanceArn(ctx, id)));
  return authorizations;
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RunInstances.html */
const RunInstances = operation<RunInput>({
  input: (query) => runInput(new Ec2Input(query)),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const state = ctx.app.ec2;
    const image = findImage(ctx, input.imageId);
    checkArchitecture(input.instanceType, image);
    const subnet = subnetFor(ctx, input);
    const groups = groupsFor(ctx, input, subnet);
    const profile = input.profile ? resolveInstanceProfile(ctx, input.profile) : undefined;
    const metadata = metadataOptionsFor(image, input.metadata);
    if (input.privateIpAddress !== undefined && input.maxCount > 1) {
      throw invalidParameterCombination('Cannot specify a private IP address when launching more than one instance.');
    }
    const instanceIds = Array.from({ length: input.maxCount }, () => state.ids.id('i'));
    requireAll(ctx, input.dryRun, runAuthorizations(ctx, input, instanceIds, image, subnet, groups, metadata, profile));

    if (input.clientToken !== undefined) {
      const earlier = state.instances.list().filter((instance) => instance.clientToken === input.clientToken);
      if (earlier.length > 0) return reservationResult(ctx, earlier.sort((a, b) => a.amiLaunchIndex - b.amiLaunchIndex));
    }

    const book = addressBook(state, subnet);
    const addresses: string[] = [];
    try {
      if (input.privateIpAddress !== undefined) addresses.push(claimPrivateIp(subnet, book, input.privateIpAddress));
      else while (addresses.length < input.maxCount) addresses.push(allocatePrivateIp(subnet, book));
    } catch (error) {
      // EC2 launches as many as it can, at least MinCount.
      if (addresses.length < input.minCount) throw error;
    }
    const now = ctx.request.time.toISOString();
    const reservationId = state.ids.id('r');
    const instances: InstanceRecord[] = addresses.map((privateIpAddress, index) => ({
      instanceId: instanceIds[index]!,
      imageId: image.imageId,
      instanceType: input.instanceType,
      state: 'pending',
      stateTransitionReason: '',
      launchTime: now,
      pendingTime: now,
      availabilityZone: subnet.availabilityZone,
      vpcId: subnet.vpcId,
      subnetId: subnet.subnetId,
      privateIpAddress,
      privateDnsName: privateDnsName(privateIpAddress, ctx.app.region),
      macAddress: state.ids.macAddress(),
      networkInterfaceId: state.ids.id('eni'),
      securityGroupIds: groups.map((group) => group.groupId),
      ...(input.keyName !== undefined ? { keyName: input.keyName } : {}),
      ...(input.userData !== undefined ? { userData: input.userData } : {}),
      architecture: image.architecture,
      amiLaunchIndex: index,
      reservationId,
      ownerId: ctx.app.accountId,
      ...(input.clientToken !== undefined ? { clientToken: input.clientToken } : {}),
      tags: input.instanceTags,
      metadataOptions: metadata,
      ...(profile ? { profileAssociation: newAssociation(ctx, profile.profile) } : {}),
      bootCount: 1,
    }));
    state.commit([tableWrite(state.instances, instances.map((instance) => ({ put: instance })))]);
    for (const instance of instances) state.settleLater(instance.instanceId);
    return reservationResult(ctx, instances);
  },
});

function reservationResult(ctx: OperationContext, instances: readonly InstanceRecord[]): XmlObject {
  const [reservation] = reservationsXml(ctx, instances);
  return reservation!;
}

const INSTANCE_FILTERS: FilterFields<InstanceRecord> = {
  'instance-id': (instance) => instance.instanceId,
  'instance-state-name': (instance) => instance.state,
  'instance-state-code': (instance) => ({ pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 })[instance.state],
  'instance-type': (instance) => instance.instanceType,
  'image-id': (instance) => instance.imageId,
  'vpc-id': (instance) => instance.vpcId,
  'subnet-id': (instance) => instance.subnetId,
  'availability-zone': (instance) => instance.availabilityZone,
  'private-ip-address': (instance) => instance.privateIpAddress,
  'network-interface.addresses.private-ip-address': (instance) => instance.privateIpAddress,
  'private-dns-name': (instance) => instance.privateDnsName,
  'network-interface.network-interface-id': (instance) => instance.networkInterfaceId,
  'network-interface.mac-address': (instance) => instance.macAddress,
  'iam-instance-profile.arn': (instance) => instance.profileAssociation?.instanceProfileArn,
  'iam-instance-profile.id': (instance) => instance.profileAssociation?.instanceProfileId,
  'reservation-id': (instance) => instance.reservationId,
  'owner-id': (instance) => instance.ownerId,
  architecture: (instance) => instance.architecture,
  'key-name': (instance) => instance.keyName,
  'launch-index': (instance) => instance.amiLaunchIndex,
  'client-token': (instance) => instance.clientToken,
  'instance.group-id': (instance) => instance.securityGroupIds,
  'group-id': (instance) => instance.securityGroupIds,
  'metadata-options.http-tokens': (instance) => instance.metadataOptions.httpTokens,
  'metadata-options.http-endpoint': (instance) => instance.metadataOptions.httpEndpoint,
  'metadata-options.http-put-response-hop-limit': (instance) => instance.metadataOptions.httpPutResponseHopLimit,
  'metadata-options.instance-metadata-tags': (instance) => instance.metadataOptions.instanceMetadataTags,
  'root-device-type': () => 'ebs',
  'virtualization-type': () => 'hvm',
  hypervisor: () => 'xen',
  tenancy: () => 'default',
  'placement-group-name': () => undefined,
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html */
const DescribeInstances = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const { ids, page } = instanceIdsOrPage(input);
    const filters = filtersOf(input);
    const groupNames = (instance: InstanceRecord): string[] =>
      instance.securityGroupIds.map((id) => ctx.app.ec2.securityGroups.get(id)?.groupName ?? '');
    const publicIp = (instance: InstanceRecord): string | undefined => publicAddressOf(ctx, instance)?.publicIp;
    const fields: FilterFields<InstanceRecord> = {
      ...INSTANCE_FILTERS,
      'instance.group-name': groupNames,
      'group-name': groupNames,
      'ip-address': publicIp,
      'network-interface.association.public-ip': publicIp,
      'network-interface.addresses.association.public-ip': publicIp,
      'dns-name': (instance) => publicAddressOf(ctx, instance)?.publicDnsName,
    };
    const chosen = ids.length > 0 ? findInstances(ctx, ids) : visibleInstances(ctx);
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeInstances')]);
    const matching = applyFilters(chosen, filters, fields, (instance) => instance.tags).sort(byKey((instance) => instance.instanceId));
    const { items, nextToken } = paginate(matching, page);
    return { reservationSet: reservationsXml(ctx, items), nextToken };
  },
});

export const instanceOperations: OperationMap = { RunInstances, DescribeInstances };
