/**
 * CloudFormation's records: a stack (its template, parameters, status and outputs), the resources
 * it provisioned (by logical id, with the physical id and the attributes Fn::GetAtt reads), and its
 * event stream. Times are ISO strings (ms). Secrets are not kept here: a NoEcho parameter's value
 * is stored for re-evaluation (updates) but never shown, and secret attributes (an access key's
 * secret) are read from their service when asked for, not copied into the stack.
 */
import type { Tag } from '../../directory/types.js';

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Stack.html */
export type StackStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_FAILED' | 'CREATE_COMPLETE'
  | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_FAILED' | 'ROLLBACK_COMPLETE'
  | 'DELETE_IN_PROGRESS' | 'DELETE_FAILED' | 'DELETE_COMPLETE'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED'
  | 'UPDATE_ROLLBACK_IN_PROGRESS' | 'UPDATE_ROLLBACK_FAILED' | 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE'
  | 'REVIEW_IN_PROGRESS';

export const STACK_STATUSES: readonly StackStatus[] = [
  'CREATE_IN_PROGRESS', 'CREATE_FAILED', 'CREATE_COMPLETE', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_FAILED', 'ROLLBACK_COMPLETE',
  'DELETE_IN_PROGRESS', 'DELETE_FAILED', 'DELETE_COMPLETE', 'UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_COMPLETE', 'UPDATE_FAILED', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_FAILED',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS',
];

export type ResourceStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_FAILED' | 'CREATE_COMPLETE'
  | 'DELETE_IN_PROGRESS' | 'DELETE_FAILED' | 'DELETE_COMPLETE' | 'DELETE_SKIPPED'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_FAILED' | 'UPDATE_COMPLETE'
  | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_COMPLETE' | 'ROLLBACK_FAILED'
  | 'UPDATE_ROLLBACK_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE' | 'UPDATE_ROLLBACK_FAILED';

/** What a stack does when its creation fails (CreateStack's OnFailure; DisableRollback is DO_NOTHING). */
export type OnFailure = 'DO_NOTHING' | 'ROLLBACK' | 'DELETE';

/** A value Fn::GetAtt can return: most are strings, a few are lists (a VPC's CidrBlockAssociations). */
export type AttributeValue = string | string[];

export interface StackParameter {
  key: string;
  /** the value given (or the default); a list parameter's items joined with commas */
  value: string;
  noEcho: boolean;
  /** for AWS::SSM::Parameter::Value<...> types: the parameter store's value */
  resolvedValue?: string;
}

export interface StackOutput {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

export interface StackResourceRecord {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: ResourceStatus;
  statusReason?: string;
  /** last change, ISO */
  timestamp: string;
  /** the properties it was provisioned with, resolved (an update compares against them) */
  properties: Record<string, unknown>;
  attributes: Record<string, AttributeValue>;
  description?: string;
  metadata?: unknown;
  /** recorded as a placeholder: iamd does not implement the type (the stack's placeholders option) */
  placeholder?: boolean;
  /** DeletionPolicy: Retain (kept when the stack or the resource goes) */
  retain?: boolean;
  /** the logical ids it depends on (Ref, Fn::GetAtt, Fn::Sub, DependsOn): deletion goes the other way */
  dependsOn: string[];
}

export interface StackRecord {
  stackId: string;
  stackName: string;
  description?: string;
  templateBody: string;
  parameters: StackParameter[];
  capabilities: string[];
  tags: Tag[];
  notificationArns: string[];
  status: StackStatus;
  statusReason?: string;
  creationTime: string;
  lastUpdatedTime?: string;
  deletionTime?: string;
  disableRollback: boolean;
  onFailure: OnFailure;
  timeoutInMinutes?: number;
  enableTerminationProtection: boolean;
  outputs: StackOutput[];
  resources: Record<string, StackResourceRecord>;
  /** export names this stack imports with Fn::ImportValue */
  imports: string[];
}

export interface StackEventRecord {
  eventId: string;
  /** order of emission across all stacks (events of one millisecond keep their order) */
  sequence: number;
  stackId: string;
  stackName: string;
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  timestamp: string;
  status: StackStatus | ResourceStatus;
  reason?: string;
  /** the resource's properties as JSON, NoEcho values masked */
  properties?: string;
  clientRequestToken?: string;
}
