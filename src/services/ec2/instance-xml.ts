/**
 * The Instance shape (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Instance.html) as
 * RunInstances and DescribeInstances write it, and the small shapes around it. An instance's public
 * address is the Elastic IP address associated with its interface, if any (iamd assigns no
 * automatic public addresses). What iamd does not model (volumes, CPU options) is written as AWS
 * shows a new instance; the root volume and the interface attachment get ids derived from the
 * instance id.
 */
import type { XmlObject } from '../../protocol/xml.js';
import type { OperationContext } from '../service.js';
import { tagsXml } from './common.js';
import { findPublicImage } from './image-catalog.js';
import { derivedId } from './ids.js';
import { instancePublicAddress } from './public-addresses.js';
import { INSTANCE_STATE_CODES, type InstanceRecord, type InstanceStateName, type MetadataOptions, type ProfileAssociation } from './types.js';

export function stateXml(state: InstanceStateName): XmlObject {
  return { code: INSTANCE_STATE_CODES[state], name: state };
}

/** Why an instance is where it is: EC2 explains pending and user-initiated stops and terminations. */
function stateReasonXml(state: InstanceStateName): XmlObject | undefined {
  if (state === 'pending') return { code: 'pending', message: 'pending' };
  if (state === 'running') return undefined;
  return { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
}

export function metadataOptionsXml(options: MetadataOptions, state: 'pending' | 'applied'): XmlObject {
  return {
    state,
    httpTokens: options.httpTokens,
    httpPutResponseHopLimit: options.httpPutResponseHopLimit,
    httpEndpoint: options.httpEndpoint,
    httpProtocolIpv6: 'disabled',
    instanceMetadataTags: options.instanceMetadataTags,
  };
}

export function associationXml(instanceId: string, association: ProfileAssociation, state = association.state): XmlObject {
  return {
    associationId: association.associationId,
    instanceId,
    iamInstanceProfile: { arn: association.instanceProfileArn, id: association.instanceProfileId },
    state,
    timestamp: association.associatedAt,
  };
}

function groupSetXml(ctx: OperationContext, groupIds: readonly string[]): XmlObject[] {
  return groupIds.map((groupId) => ({ groupId, groupName: ctx.app.ec2.securityGroups.get(groupId)?.groupName }));
}

/** The instance's public address (its Elastic IP address) and public host name, or undefined. */
export function publicAddressOf(ctx: OperationContext, instance: InstanceRecord): { publicIp: string; publicDnsName: string } | undefined {
  const address = instance.state === 'terminated' ? undefined : instancePublicAddress(ctx.app.ec2, ctx.app.region, instance);
  return address ? { publicIp: address.ip, publicDnsName: address.hostname } : undefined;
}

export function instanceXml(ctx: OperationContext, instance: InstanceRecord): XmlObject {
  const image = findPublicImage(ctx.app.region, instance.imageId);
  const publicAddress = publicAddressOf(ctx, instance);
  const publicAssociation = publicAddress ? { ...publicAddress, ipOwnerId: ctx.app.accountId } : undefined;
  const rootDeviceName = image?.rootDeviceName ?? '/dev/xvda';
  const terminated = instance.state === 'terminated';
  const groups = groupSetXml(ctx, instance.securityGroupIds);
  const association = instance.profileAssociation;
  return {
    instanceId: instance.instanceId,
    imageId: instance.imageId,
    instanceState: stateXml(instance.state),
    privateDnsName: terminated ? '' : instance.privateDnsName,
    dnsName: publicAddress?.publicDnsName ?? '',
    reason: instance.stateTransitionReason,
    keyName: instance.keyName,
    amiLaunchIndex: instance.amiLaunchIndex,
    productCodes: [],
    instanceType: instance.instanceType,
    launchTime: instance.launchTime,
    placement: { availabilityZone: instance.availabilityZone, groupName: '', tenancy: 'default' },
    platform: image?.platform,
    monitoring: { state: 'disabled' },
    subnetId: terminated ? undefined : instance.subnetId,
    vpcId: terminated ? undefined : instance.vpcId,
    privateIpAddress: terminated ? undefined : instance.privateIpAddress,
    ipAddress: publicAddress?.publicIp,
    sourceDestCheck: terminated ? undefined : true,
    groupSet: terminated ? [] : groups,
    stateReason: stateReasonXml(instance.state),
    architecture: instance.architecture,
    rootDeviceType: 'ebs',
    rootDeviceName,
    blockDeviceMapping: terminated ? [] : [{
      deviceName: rootDeviceName,
      ebs: { volumeId: derivedId('vol', instance.instanceId), status: 'attached', attachTime: instance.launchTime, deleteOnTermination: true },
    }],
    virtualizationType: 'hvm',
    clientToken: instance.clientToken ?? '',
    tagSet: tagsXml(instance.tags),
    hypervisor: 'xen',
    networkInterfaceSet: terminated ? [] : [{
      networkInterfaceId: instance.networkInterfaceId,
      subnetId: instance.subnetId,
      vpcId: instance.vpcId,
      description: '',
      ownerId: instance.ownerId,
      status: 'in-use',
      macAddress: instance.macAddress,
      privateIpAddress: instance.privateIpAddress,
      privateDnsName: instance.privateDnsName,
      sourceDestCheck: true,
      groupSet: groups,
      association: publicAssociation,
      attachment: {
        attachmentId: derivedId('eni-attach', instance.networkInterfaceId),
        deviceIndex: 0,
        status: 'attached',
        attachTime: instance.launchTime,
        deleteOnTermination: true,
        networkCardIndex: 0,
      },
      privateIpAddressesSet: [{ privateIpAddress: instance.privateIpAddress, privateDnsName: instance.privateDnsName, primary: true, association: publicAssociation }],
      ipv6AddressesSet: [],
      interfaceType: 'interface',
    }],
    iamInstanceProfile: association ? { arn: association.instanceProfileArn, id: association.instanceProfileId } : undefined,
    ebsOptimized: false,
    enaSupport: true,
    capacityReservationSpecification: { capacityReservationPreference: 'open' },
    hibernationOptions: { configured: false },
    enclaveOptions: { enabled: false },
    metadataOptions: metadataOptionsXml(instance.metadataOptions, 'applied'),
    maintenanceOptions: { autoRecovery: 'default' },
    privateDnsNameOptions: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
    bootMode: image?.bootMode,
    platformDetails: image?.platformDetails ?? 'Linux/UNIX',
    usageOperation: image?.usageOperation ?? 'RunInstances',
    usageOperationUpdateTime: instance.launchTime,
    currentInstanceBootMode: image?.bootMode === 'uefi' || image?.bootMode === 'uefi-preferred' ? 'uefi' : 'legacy-bios',
  };
}

/** Instances grouped by reservation, in the order given (the instances of one RunInstances call). */
export function reservationsXml(ctx: OperationContext, instances: readonly InstanceRecord[]): XmlObject[] {
  const byReservation = new Map<string, InstanceRecord[]>();
  for (const instance of instances) {
    const group = byReservation.get(instance.reservationId) ?? [];
    group.push(instance);
    byReservation.set(instance.reservationId, group);
  }
  return [...byReservation.entries()].map(([reservationId, members]) => ({
    reservationId,
    ownerId: members[0]!.ownerId,
    groupSet: [],
    instancesSet: members.map((instance) => instanceXml(ctx, instance)),
  }));
}
