/**
 * Authorizing actions on instances: the instance ARN and the condition keys EC2 sets for the
 * `instance` resource type (instance type, zone, instance profile, metadata options, tags).
 */
import type { Authorization, OperationContext } from '../service.js';
import { ec2Action, ec2Arn, resourceTagKeys, type ConditionKeys } from './common.js';
import type { InstanceRecord, MetadataOptions } from './types.js';

export function instanceArn(ctx: OperationContext, instanceId: string): string {
  return ec2Arn(ctx, 'instance', instanceId);
}

export function metadataKeys(options: MetadataOptions): ConditionKeys {
  return {
    'ec2:MetadataHttpTokens': options.httpTokens,
    'ec2:MetadataHttpPutResponseHopLimit': String(options.httpPutResponseHopLimit),
    'ec2:MetadataHttpEndpoint': options.httpEndpoint,
    'ec2:InstanceMetadataTags': options.instanceMetadataTags,
  };
}

export function instanceKeys(instance: InstanceRecord): ConditionKeys {
  return {
    'ec2:InstanceID': instance.instanceId,
    'ec2:InstanceType': instance.instanceType,
    'ec2:AvailabilityZone': instance.availabilityZone,
    'ec2:Tenancy': 'default',
    'ec2:RootDeviceType': 'ebs',
    'ec2:EbsOptimized': 'false',
    'ec2:InstanceMarketType': 'on-demand',
    'ec2:InstanceProfile': instance.profileAssociation?.instanceProfileArn,
    ...metadataKeys(instance.metadataOptions),
    ...resourceTagKeys(instance.tags),
  };
}

export function instanceAuthorization(ctx: OperationContext, action: string, instance: InstanceRecord, extra: ConditionKeys = {}): Authorization {
  return { action: ec2Action(action), resource: instanceArn(ctx, instance.instanceId), conditionKeys: { ...instanceKeys(instance), ...extra } };
}
