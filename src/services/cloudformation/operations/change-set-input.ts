/**
 * CreateChangeSet's request, read and checked with the API's constraint messages
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html).
 */
import type { Tag } from '../../../directory/types.js';
import { constraintError, type QueryInput } from '../../../protocol/query-input.js';
import type { ChangeSetType } from '../change-sets/types.js';
import { validationError } from '../errors.js';
import type { ParameterValueInput } from '../template/index.js';
import type { OnFailure } from '../types.js';
import { capabilitiesOf, notificationArnsOf, parametersOf, stackNameOrId, tagsOf, updateTemplateOf, type TemplateSource } from './input.js';

const CHANGE_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;
const CHANGE_SET_TYPES = ['CREATE', 'UPDATE', 'IMPORT'] as const;
const ON_STACK_FAILURE: readonly OnFailure[] = ['DO_NOTHING', 'ROLLBACK', 'DELETE'];

export interface ChangeSetInput {
  stackName: string;
  changeSetName: string;
  type: ChangeSetType;
  source: TemplateSource;
  usePreviousTemplate: boolean;
  parameters: ParameterValueInput[];
  capabilities: string[];
  /** absent: an UPDATE keeps the stack's tags */
  tags?: Tag[];
  notificationArns: string[];
  description?: string;
  clientToken?: string;
  onStackFailure?: OnFailure;
}

export function changeSetName(query: QueryInput): string {
  const name = query.required('ChangeSetName', { min: 1, max: 128 });
  if (!CHANGE_SET_NAME.test(name)) throw constraintError('ChangeSetName', name, 'Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*');
  return name;
}

const NAME_OR_ARN = /^(?:[a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/]*)$/;

/** An existing change set's name or ARN (DescribeChangeSet, ExecuteChangeSet, DeleteChangeSet). */
export function changeSetNameOrArn(query: QueryInput): string {
  const value = query.required('ChangeSetName', { min: 1, max: 1600 });
  if (!NAME_OR_ARN.test(value)) throw constraintError('ChangeSetName', value, 'Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/]*');
  return value;
}

function changeSetType(query: QueryInput): ChangeSetType {
  const type = query.oneOf('ChangeSetType', CHANGE_SET_TYPES) ?? 'UPDATE';
  if (type === 'IMPORT' || query.structures('ResourcesToImport').length > 0) {
    throw validationError('iamd does not import existing resources into stacks (ChangeSetType IMPORT, ResourcesToImport).');
  }
  return type;
}

function templateOf(query: QueryInput, type: ChangeSetType): { source: TemplateSource; usePreviousTemplate: boolean } {
  const template = updateTemplateOf(query);
  if (template.usePreviousTemplate && type === 'CREATE') throw validationError('UsePreviousTemplate cannot be used to create a stack: it has no previous template.');
  return template;
}

export function changeSetInput(query: QueryInput): ChangeSetInput {
  if (query.has('RoleARN')) throw validationError('iamd does not support service roles (RoleARN): stacks act with the permissions of their caller.');
  const type = changeSetType(query);
  const onStackFailure = query.oneOf('OnStackFailure', ON_STACK_FAILURE);
  if (onStackFailure === 'DELETE' && type !== 'CREATE') throw validationError('OnStackFailure DELETE is only valid for a change set of type CREATE.');
  const description = query.optional('Description', { min: 1, max: 1024 });
  const clientToken = query.optional('ClientToken', { min: 1, max: 128 });
  const notificationArns = notificationArnsOf(query);
  if (notificationArns.length > 5) throw validationError("1 validation error detected: Value at 'notificationARNs' failed to satisfy constraint: Member must have length less than or equal to 5");
  return {
    stackName: stackNameOrId(query),
    changeSetName: changeSetName(query),
    type,
    ...templateOf(query, type),
    parameters: parametersOf(query),
    capabilities: capabilitiesOf(query),
    ...(query.structures('Tags').length > 0 ? { tags: tagsOf(query) } : {}),
    notificationArns,
    ...(description !== undefined ? { description } : {}),
    ...(clientToken !== undefined ? { clientToken } : {}),
    ...(onStackFailure !== undefined ? { onStackFailure } : {}),
  };
}
