/**
 * AWS::EC2::Instance (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-instance.html):
 * RunInstances for one instance, then waits until it is running (CloudFormation's stabilization).
 * A LaunchTemplate (an AWS::EC2::LaunchTemplate of a stack, launch-templates.ts) supplies the
 * launch data the instance's own properties leave out. Ref is the instance id; Fn::GetAtt
 * AvailabilityZone, InstanceId, PrivateDnsName, PrivateIp, PublicDnsName, PublicIp and VpcId
 * (iamd gives instances no automatic public addresses, and an Elastic IP address comes after the
 * instance: both public attributes are empty strings).
 *
 * Updates in place: Tags (CreateTags / DeleteTags), IamInstanceProfile (associate, replace or
 * disassociate) and MetadataOptions (ModifyInstanceMetadataOptions). EC2 here has no
 * ModifyInstanceAttribute, so InstanceType, UserData and SecurityGroupIds, which AWS changes by
 * stopping and starting the instance, replace it instead. Deleting terminates the instance and
 * waits until it is terminated.
 */
import { ResourceFailure, objectOf, objects, strings, text, type Properties } from './properties.js';
import { provider, type Provisioned, type ProviderContext } from './provider.js';
import { ec2Params, resourceTags, stampStackTags, tagSpecification, updateTags } from './ec2-common.js';
import { launchTemplateData } from './launch-templates.js';
import type { QueryParams } from './query-params.js';
import { stringAt, unlessGone } from './results.js';

const SETTLE_TIMEOUT_MS = 60_000;
const POLL_MS = 10;
const NO_DISKS = 'iamd instances have no block devices';
const NOT_MODELLED = 'iamd does not model it';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** Waits until the instance is in `state` (or gone, for terminated). */
async function settled(ctx: ProviderContext, instanceId: string, state: 'running' | 'terminated'): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const instance = ctx.app.ec2.instances.get(instanceId);
    if (instance?.state === state || (state === 'terminated' && !instance)) return;
    if (state === 'running' && instance && instance.state !== 'pending') {
      throw new ResourceFailure(`Instance ${instanceId} is ${instance.state}, expected running.`, 'NotStabilized');
    }
    if (Date.now() > deadline) throw new ResourceFailure(`Instance ${instanceId} did not become ${state} in time.`, 'NotStabilized');
    await sleep(POLL_MS);
  }
}

function describe(ctx: ProviderContext, instanceId: string): Provisioned {
  const instance = ctx.app.ec2.instances.get(instanceId);
  if (!instance) throw new Error(`instance ${instanceId} vanished while it was being created`);
  return {
    physicalId: instanceId,
    attributes: {
      InstanceId: instanceId,
      AvailabilityZone: instance.availabilityZone,
      PrivateDnsName: instance.privateDnsName,
      PrivateIp: instance.privateIpAddress,
      PublicDnsName: '',
      PublicIp: '',
      VpcId: instance.vpcId,
    },
  };
}

function setProfile(params: QueryParams, profile: string | undefined): QueryParams {
  if (profile === undefined) return params;
  return params.set(profile.startsWith('arn:') ? 'IamInstanceProfile.Arn' : 'IamInstanceProfile.Name', profile);
}

function setMetadataOptions(params: QueryParams, options: Record<string, unknown> | undefined, prefix: string): QueryParams {
  for (const field of ['HttpTokens', 'HttpPutResponseHopLimit', 'HttpEndpoint', 'InstanceMetadataTags', 'HttpProtocolIpv6']) {
    params.set(`${prefix}${field}`, options ? text(options, field) : undefined);
  }
  return params;
}

/** The instance's properties over its launch template's data (CloudFormation's merge: the instance wins). */
function effectiveProperties(ctx: ProviderContext, properties: Properties): Properties {
  const spec = objectOf(properties, 'LaunchTemplate');
  if (!spec) return properties;
  const data = launchTemplateData(ctx.app, spec);
  const merged: Record<string, unknown> = { ...data, ...properties };
  const profile = objectOf(data, 'IamInstanceProfile');
  if (properties.IamInstanceProfile === undefined && profile) merged.IamInstanceProfile = text(profile, 'Arn') ?? text(profile, 'Name');
  if (properties.Tags === undefined) {
    const instanceTags = objects(data, 'TagSpecifications').find((spec) => spec.ResourceType === 'instance');
    if (instanceTags) merged.Tags = instanceTags.Tags;
  }
  return merged;
}

function runParams(ctx: ProviderContext, properties: Properties): QueryParams {
  const primary = objects(properties, 'NetworkInterfaces').find((nic) => String(nic.DeviceIndex ?? '0') === '0');
  const imageId = text(properties, 'ImageId');
  if (imageId === undefined) throw new ResourceFailure(`Properties validation failed for resource ${ctx.logicalId} with message:\n#: required key [ImageId] not found`);
  const params = ec2Params()
    .set('ImageId', imageId)
    .set('InstanceType', text(properties, 'InstanceType') ?? 'm1.small')
    .set('MinCount', 1)
    .set('MaxCount', 1)
    .set('SubnetId', text(properties, 'SubnetId') ?? (primary ? text(primary, 'SubnetId') : undefined))
    .set('Placement.AvailabilityZone', text(properties, 'AvailabilityZone'))
    .set('PrivateIpAddress', text(properties, 'PrivateIpAddress') ?? (primary ? text(primary, 'PrivateIpAddress') : undefined))
    .set('KeyName', text(properties, 'KeyName'))
    .set('UserData', text(properties, 'UserData'))
    .list('SecurityGroupId', [...strings(properties, 'SecurityGroupIds'), ...(primary ? strings(primary, 'GroupSet') : [])])
    .list('SecurityGroup', strings(properties, 'SecurityGroups'));
  setProfile(params, text(properties, 'IamInstanceProfile'));
  setMetadataOptions(params, objectOf(properties, 'MetadataOptions'), 'MetadataOptions.');
  return tagSpecification(params, 'instance', resourceTags(ctx, properties));
}

async function changeProfile(ctx: ProviderContext, instanceId: string, profile: string | undefined): Promise<void> {
  const association = ctx.app.ec2.instances.get(instanceId)?.profileAssociation;
  if (profile === undefined) {
    if (association) await ctx.call('ec2', 'DisassociateIamInstanceProfile', ec2Params().set('AssociationId', association.associationId));
  } else if (association) {
    await ctx.call('ec2', 'ReplaceIamInstanceProfileAssociation', setProfile(ec2Params().set('AssociationId', association.associationId), profile));
  } else {
    await ctx.call('ec2', 'AssociateIamInstanceProfile', setProfile(ec2Params().set('InstanceId', instanceId), profile));
  }
}

const ignored = (reason: string, type: 'string' | 'boolean' | 'list' | 'object' | 'number' = 'string') => ({ type, ignored: reason });

export const ec2Instance = provider({
  type: 'AWS::EC2::Instance',
  schema: {
    AvailabilityZone: { type: 'string', replaces: true },
    IamInstanceProfile: { type: 'string' },
    ImageId: { type: 'string', replaces: true },
    InstanceType: { type: 'string', replaces: true },
    KeyName: { type: 'string', replaces: true },
    LaunchTemplate: { type: 'object', replaces: true },
    MetadataOptions: { type: 'object' },
    NetworkInterfaces: { type: 'list', replaces: true },
    PrivateIpAddress: { type: 'string', replaces: true },
    SecurityGroupIds: { type: 'list', replaces: true },
    SecurityGroups: { type: 'list', replaces: true },
    SubnetId: { type: 'string', replaces: true },
    Tags: { type: 'list' },
    UserData: { type: 'string', replaces: true },
    BlockDeviceMappings: ignored(NO_DISKS, 'list'),
    Volumes: ignored(NO_DISKS, 'list'),
    EbsOptimized: ignored(NO_DISKS, 'boolean'),
    PropagateTagsToVolumeOnCreation: ignored(NO_DISKS, 'boolean'),
    CreditSpecification: ignored(NOT_MODELLED, 'object'),
    CpuOptions: ignored(NOT_MODELLED, 'object'),
    DisableApiTermination: ignored(NOT_MODELLED, 'boolean'),
    HibernationOptions: ignored(NOT_MODELLED, 'object'),
    InstanceInitiatedShutdownBehavior: ignored(NOT_MODELLED),
    Monitoring: ignored(NOT_MODELLED, 'boolean'),
    PlacementGroupName: ignored(NOT_MODELLED),
    SourceDestCheck: ignored(NOT_MODELLED, 'boolean'),
    Tenancy: ignored(NOT_MODELLED),
  },
  attributes: ['AvailabilityZone', 'InstanceId', 'PrivateDnsName', 'PrivateIp', 'PublicDnsName', 'PublicIp', 'VpcId'],
  async create(ctx, properties) {
    const created = await ctx.call('ec2', 'RunInstances', runParams(ctx, effectiveProperties(ctx, properties)));
    const instanceId = stringAt(created, 'instancesSet', 0, 'instanceId');
    stampStackTags(ctx, ctx.app.ec2.instances, instanceId);
    await settled(ctx, instanceId, 'running');
    return describe(ctx, instanceId);
  },
  async update(ctx, current, properties, changed) {
    const instanceId = current.physicalId;
    if (changed.has('IamInstanceProfile')) await changeProfile(ctx, instanceId, text(properties, 'IamInstanceProfile'));
    if (changed.has('MetadataOptions')) {
      await ctx.call('ec2', 'ModifyInstanceMetadataOptions', setMetadataOptions(ec2Params().set('InstanceId', instanceId), objectOf(properties, 'MetadataOptions'), ''));
    }
    if (changed.has('Tags')) await updateTags(ctx, instanceId, current.properties, properties);
    return describe(ctx, instanceId);
  },
  async delete(ctx, current) {
    const instance = ctx.app.ec2.instances.get(current.physicalId);
    if (!instance || instance.state === 'terminated') return;
    await unlessGone(ctx.call('ec2', 'TerminateInstances', ec2Params().list('InstanceId', [current.physicalId])));
    await settled(ctx, current.physicalId, 'terminated');
  },
});
