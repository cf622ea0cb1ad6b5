/**
 * A change set's record: what was submitted (template, parameter values as resolved when it was
 * created, capabilities, tags), its two statuses, and the resource changes it computed. The
 * parameter values are kept (NoEcho ones too, as a stack keeps them) because executing the change
 * set applies exactly them; they are shown masked.
 *
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeChangeSet.html
 */
import type { Tag } from '../../../directory/types.js';
import type { OnFailure, StackParameter } from '../types.js';

export type ChangeSetType = 'CREATE' | 'UPDATE';

/** IMPORT and the DELETE_* statuses are not used: iamd does not import resources, and deletion is immediate. */
export type ChangeSetStatus = 'CREATE_PENDING' | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'FAILED';

export type ExecutionStatus = 'UNAVAILABLE' | 'AVAILABLE' | 'EXECUTE_IN_PROGRESS' | 'EXECUTE_COMPLETE' | 'EXECUTE_FAILED' | 'OBSOLETE';

export type Replacement = 'True' | 'False' | 'Conditional';
export type RequiresRecreation = 'Never' | 'Conditionally' | 'Always';
export type ChangeSource = 'ResourceReference' | 'ParameterReference' | 'ResourceAttribute' | 'DirectModification';
export type Evaluation = 'Static' | 'Dynamic';
export type ChangeScope = 'Properties' | 'Tags';

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChangeDetail.html */
export interface ResourceChangeDetail {
  target: { attribute: ChangeScope; name?: string; requiresRecreation: RequiresRecreation };
  evaluation: Evaluation;
  changeSource: ChangeSource;
  /** the parameter (ParameterReference), resource (ResourceReference) or "Resource.Attribute" (ResourceAttribute) */
  causingEntity?: string;
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChange.html */
export type ResourceChange =
  | { action: 'Add'; logicalId: string; type: string }
  | {
    action: 'Modify';
    logicalId: string;
    physicalId: string;
    type: string;
    replacement: Replacement;
    scope: ChangeScope[];
    details: ResourceChangeDetail[];
  }
  | { action: 'Remove'; logicalId: string; physicalId?: string; type: string };

export interface ChangeSetRecord {
  changeSetId: string;
  changeSetName: string;
  stackId: string;
  stackName: string;
  type: ChangeSetType;
  description?: string;
  templateBody: string;
  parameters: StackParameter[];
  capabilities: string[];
  tags: Tag[];
  notificationArns: string[];
  /** CREATE change sets: what the stack does when its creation fails (OnStackFailure) */
  onStackFailure?: OnFailure;
  clientToken?: string;
  status: ChangeSetStatus;
  statusReason?: string;
  executionStatus: ExecutionStatus;
  /** ISO, ms */
  creationTime: string;
  changes: ResourceChange[];
}
