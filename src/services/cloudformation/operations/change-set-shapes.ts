/**
 * Change set response shapes in the service model's member order: DescribeChangeSet's output
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeChangeSet.html),
 * Change / ResourceChange / ResourceChangeDetail, and ChangeSetSummary. NoEcho parameter values
 * are shown as '****'.
 */
import type { XmlObject } from '../../../protocol/xml.js';
import type { ChangeSetRecord, ResourceChange, ResourceChangeDetail } from '../change-sets/types.js';
import { parametersXml } from './shapes.js';

function detailXml(detail: ResourceChangeDetail): XmlObject {
  return {
    Target: { Attribute: detail.target.attribute, Name: detail.target.name, RequiresRecreation: detail.target.requiresRecreation },
    Evaluation: detail.evaluation,
    ChangeSource: detail.changeSource,
    CausingEntity: detail.causingEntity,
  };
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Change.html */
export function changeXml(change: ResourceChange): XmlObject {
  const modify = change.action === 'Modify' ? change : undefined;
  return {
    Type: 'Resource',
    ResourceChange: {
      Action: change.action,
      LogicalResourceId: change.logicalId,
      PhysicalResourceId: change.action === 'Add' ? undefined : change.physicalId,
      ResourceType: change.type,
      Replacement: modify?.replacement,
      Scope: modify?.scope ?? [],
      Details: (modify?.details ?? []).map(detailXml),
    },
  };
}

/** DescribeChangeSet's answer with one page of its changes. */
export function changeSetXml(changeSet: ChangeSetRecord, changes: readonly ResourceChange[], nextToken: string | undefined): XmlObject {
  return {
    ChangeSetName: changeSet.changeSetName,
    ChangeSetId: changeSet.changeSetId,
    StackId: changeSet.stackId,
    StackName: changeSet.stackName,
    Description: changeSet.description,
    Parameters: parametersXml(changeSet.parameters),
    CreationTime: new Date(changeSet.creationTime),
    ExecutionStatus: changeSet.executionStatus,
    Status: changeSet.status,
    StatusReason: changeSet.statusReason,
    NotificationARNs: changeSet.notificationArns,
    RollbackConfiguration: {},
    Capabilities: changeSet.capabilities,
    Tags: changeSet.tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
    Changes: changes.map(changeXml),
    NextToken: nextToken,
    IncludeNestedStacks: false,
    OnStackFailure: changeSet.onStackFailure,
  };
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ChangeSetSummary.html */
export function changeSetSummaryXml(changeSet: ChangeSetRecord): XmlObject {
  return {
    StackId: changeSet.stackId,
    StackName: changeSet.stackName,
    ChangeSetId: changeSet.changeSetId,
    ChangeSetName: changeSet.changeSetName,
    ExecutionStatus: changeSet.executionStatus,
    Status: changeSet.status,
    StatusReason: changeSet.statusReason,
    CreationTime: new Date(changeSet.creationTime),
    Description: changeSet.description,
    IncludeNestedStacks: false,
  };
}
