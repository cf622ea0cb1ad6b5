/**
 * SignalResource (what cfn-signal calls) and the cross-stack exports: ListExports and ListImports.
 */
import { operation, type OperationMap } from '../../service.js';
import { validationError } from '../errors.js';
import { exportingStacks } from '../runner/evaluation.js';
import { importersOf } from '../runner/outputs.js';
import type { SignalStatus } from '../runner/signals.js';
import { stackNameOrId } from './input.js';
import { cfnAction, page, requireStack, stackAuthorization } from './stacks.js';

interface SignalInput {
  stackName: string;
  logicalId: string;
  uniqueId: string;
  status: SignalStatus;
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_SignalResource.html */
const SignalResource = operation<SignalInput>({
  input: (query) => {
    const status = query.requiredOneOf('Status', ['SUCCESS', 'FAILURE'] as const);
    return {
      stackName: stackNameOrId(query),
      logicalId: query.required('LogicalResourceId'),
      uniqueId: query.required('UniqueId', { min: 1, max: 64 }),
      status,
    };
  },
  authorize: (input, ctx) => stackAuthorization(ctx, 'SignalResource', input.stackName),
  handle(input, ctx) {
    const stack = requireStack(ctx.app, input.stackName);
    if (stack.status !== 'CREATE_IN_PROGRESS' && stack.status !== 'UPDATE_IN_PROGRESS') {
      throw validationError(`Stack ${stack.stackId} is in ${stack.status} state and cannot be signaled`);
    }
    const resource = stack.resources[input.logicalId];
    if (!resource) throw validationError(`Resource ${input.logicalId} does not exist for stack ${stack.stackName}`);
    if (!ctx.app.cloudformation.signals.signal(stack.stackId, input.logicalId, input.uniqueId, input.status)) {
      throw validationError(`Resource ${input.logicalId} is in ${resource.status} state and cannot be signaled`);
    }
    return undefined;
  },
});

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListExports.html */
const ListExports = operation<{ nextToken?: string }>({
  input: (query) => (query.optional('NextToken') !== undefined ? { nextToken: query.optional('NextToken')! } : {}),
  authorize: () => ({ action: cfnAction('ListExports'), resource: '*' }),
  handle(input, ctx) {
    const exports = exportingStacks(ctx.app).flatMap((stack) => stack.outputs
      .filter((output) => output.exportName !== undefined)
      .map((output) => ({ ExportingStackId: stack.stackId, Name: output.exportName!, Value: output.value })))
      .sort((a, b) => (a.Name < b.Name ? -1 : 1));
    const { items, nextToken } = page(exports, input.nextToken, 100);
    return { Exports: items, NextToken: nextToken };
  },
});

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListImports.html */
const ListImports = operation<{ exportName: string; nextToken?: string }>({
  input: (query) => ({ exportName: query.required('ExportName'), ...(query.optional('NextToken') !== undefined ? { nextToken: query.optional('NextToken')! } : {}) }),
  authorize: () => ({ action: cfnAction('ListImports'), resource: '*' }),
  handle(input, ctx) {
    const importers = importersOf(ctx.app, input.exportName).map((stack) => stack.stackName).sort();
    if (importers.length === 0) throw validationError(`Export '${input.exportName}' is not imported by any stack.`);
    const { items, nextToken } = page(importers, input.nextToken, 100);
    return { Imports: items, NextToken: nextToken };
  },
});

export const signalAndExportOperations: OperationMap = { SignalResource, ListExports, ListImports };

