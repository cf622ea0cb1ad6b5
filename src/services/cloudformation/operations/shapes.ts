/**
 * CloudFormation's response shapes (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Types.html)
 * in the service model's member order. NoEcho parameters are shown as '****'.
 */
import type { XmlObject } from '../../../protocol/xml.js';
import { MASK } from '../runner/evaluation.js';
import type { StackEventRecord, StackParameter, StackRecord, StackResourceRecord } from '../types.js';

const date = (iso: string | undefined): Date | undefined => (iso === undefined ? undefined : new Date(iso));

/** A stack's or change set's parameters, NoEcho values masked (and their resolved values left out). */
export function parametersXml(parameters: readonly StackParameter[]): XmlObject[] {
  return parameters.map((parameter) => ({
    ParameterKey: parameter.key,
    ParameterValue: parameter.noEcho ? MASK : parameter.value,
    ResolvedValue: parameter.noEcho ? undefined : parameter.resolvedValue,
  }));
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html */
export function stackXml(stack: StackRecord): XmlObject {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    Description: stack.description,
    Parameters: parametersXml(stack.parameters),
    CreationTime: date(stack.creationTime),
    DeletionTime: date(stack.deletionTime),
    LastUpdatedTime: date(stack.lastUpdatedTime),
    RollbackConfiguration: {},
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DisableRollback: stack.disableRollback,
    NotificationARNs: stack.notificationArns,
    TimeoutInMinutes: stack.timeoutInMinutes,
    Capabilities: stack.capabilities,
    Outputs: stack.outputs.map((output) => ({ OutputKey: output.key, OutputValue: output.value, Description: output.description, ExportName: output.exportName })),
    Tags: stack.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
    EnableTerminationProtection: stack.enableTerminationProtection,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSummary.html */
export function stackSummaryXml(stack: StackRecord): XmlObject {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    TemplateDescription: stack.description,
    CreationTime: date(stack.creationTime),
    LastUpdatedTime: date(stack.lastUpdatedTime),
    DeletionTime: date(stack.deletionTime),
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackEvent.html */
export function eventXml(event: StackEventRecord): XmlObject {
  return {
    StackId: event.stackId,
    EventId: event.eventId,
    StackName: event.stackName,
    LogicalResourceId: event.logicalId,
    PhysicalResourceId: event.physicalId ?? '',
    ResourceType: event.resourceType,
    Timestamp: date(event.timestamp),
    ResourceStatus: event.status,
    ResourceStatusReason: event.reason,
    ResourceProperties: event.properties,
    ClientRequestToken: event.clientRequestToken,
  };
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackResource.html */
export function stackResourceXml(stack: StackRecord, resource: StackResourceRecord): XmlObject {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    Timestamp: date(resource.timestamp),
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.statusReason,
    Description: resource.description,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackResourceDetail.html */
export function stackResourceDetailXml(stack: StackRecord, resource: StackResourceRecord): XmlObject {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    LastUpdatedTimestamp: date(resource.timestamp),
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.statusReason,
    Description: resource.description,
    Metadata: resource.metadata === undefined ? undefined : JSON.stringify(resource.metadata),
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackResourceSummary.html */
export function stackResourceSummaryXml(resource: StackResourceRecord): XmlObject {
  return {
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: resource.physicalId,
    ResourceType: resource.type,
    LastUpdatedTimestamp: date(resource.timestamp),
    ResourceStatus: resource.status,
    ResourceStatusReason: resource.statusReason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}
