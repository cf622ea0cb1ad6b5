/**
 * CloudFormation (query protocol, version 2010-05-15): stacks built from templates by calling the
 * other services' own operations as the stack's caller.
 *
 *   template/      the template engine (parse, validate, parameters, conditions, intrinsics, order)
 *   operations/    the API: CreateStack, UpdateStack, DeleteStack, Describe*, List*, templates,
 *                  SignalResource, exports, change sets
 *   change-sets/   change sets: their records, the resource changes they compute, their lifecycle
 *   runner/        stack operations in the background: dependency order, events, rollback
 *   providers/     one resource provider per resource type, over the IAM and EC2 operations
 *   state.ts       stacks, events, change sets, the SSM parameter store, launch templates, signals
 */
import { queryProtocol } from '../../protocol/protocols.js';
import type { ServiceDefinition } from '../service.js';
import { changeSetOperations } from './operations/change-sets.js';
import { CreateChangeSet } from './operations/create-change-set.js';
import { CreateStack } from './operations/create-stack.js';
import { DeleteStack } from './operations/delete-stack.js';
import { describeOperations } from './operations/describe.js';
import { ExecuteChangeSet } from './operations/execute-change-set.js';
import { signalAndExportOperations } from './operations/signals-and-exports.js';
import { templateOperations } from './operations/templates.js';
import { UpdateStack } from './operations/update-stack.js';

export { CloudFormationState, type CloudFormationSettings } from './state.js';

export const cloudformationService: ServiceDefinition = {
  name: 'cloudformation',
  protocol: queryProtocol,
  version: '2010-05-15',
  xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  operations: {
    CreateStack,
    UpdateStack,
    DeleteStack,
    ...describeOperations,
    ...templateOperations,
    ...signalAndExportOperations,
    CreateChangeSet,
    ExecuteChangeSet,
    ...changeSetOperations,
  },
};
