/**
 * Reading and deleting change sets: DescribeChangeSet (its changes paged, 100 a page),
 * ListChangeSets and DeleteChangeSet. A change set is named by its ARN or by its name with its
 * stack's name or id.
 *
 * DeleteChangeSet of a name the stack has no change set of succeeds (as AWS answers); a change
 * set being computed or executed cannot be deleted. Deleting a REVIEW_IN_PROGRESS stack's last
 * change set leaves the stack, which DeleteStack then deletes.
 */
import type { QueryInput } from '../../../protocol/query-input.js';
import type { App } from '../../../server/app.js';
import { operation, type OperationMap } from '../../service.js';
import type { ChangeSetRecord } from '../change-sets/types.js';
import { changeSetAuthorization, changeSetsOf, isChangeSetArn, requireChangeSet, requireChangeSetStack } from '../change-sets/lookup.js';
import { invalidChangeSetStatus, isChangeSetNotFound } from '../errors.js';
import { changeSetNameOrArn } from './change-set-input.js';
import { changeSetSummaryXml, changeSetXml } from './change-set-shapes.js';
import { stackNameOrId } from './input.js';
import { page, stackAuthorization } from './stacks.js';

interface ChangeSetName {
  changeSetName: string;
  stackName?: string;
  nextToken?: string;
}

function changeSetNamed(query: QueryInput): ChangeSetName {
  const nextToken = query.optional('NextToken', { min: 1, max: 1024 });
  return {
    changeSetName: changeSetNameOrArn(query),
    ...(query.has('StackName') ? { stackName: stackNameOrId(query) } : {}),
    ...(nextToken !== undefined ? { nextToken } : {}),
  };
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeChangeSet.html */
const DescribeChangeSet = operation<ChangeSetName>({
  input: changeSetNamed,
  authorize: (input, ctx) => changeSetAuthorization(ctx, 'DescribeChangeSet', input.changeSetName, input.stackName),
  handle(input, ctx) {
    const changeSet = requireChangeSet(ctx.app, input.changeSetName, input.stackName);
    const { items, nextToken } = page(changeSet.changes, input.nextToken, 100);
    return changeSetXml(changeSet, items, nextToken);
  },
});

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListChangeSets.html */
const ListChangeSets = operation<{ stackName: string; nextToken?: string }>({
  input: (query) => {
    const nextToken = query.optional('NextToken', { min: 1, max: 1024 });
    return { stackName: stackNameOrId(query), ...(nextToken !== undefined ? { nextToken } : {}) };
  },
  authorize: (input, ctx) => stackAuthorization(ctx, 'ListChangeSets', input.stackName),
  handle(input, ctx) {
    const stack = requireChangeSetStack(ctx.app, input.stackName);
    const { items, nextToken } = page(changeSetsOf(ctx.app, stack.stackId), input.nextToken, 100);
    return { Summaries: items.map(changeSetSummaryXml), NextToken: nextToken };
  },
});

/** The change set named; none when the stack has no change set of that name (which deletes nothing). */
function changeSetToDelete(app: App, input: ChangeSetName): ChangeSetRecord | undefined {
  try {
    return requireChangeSet(app, input.changeSetName, input.stackName);
  } catch (error) {
    if (isChangeSetNotFound(error) && !isChangeSetArn(input.changeSetName)) return undefined;
    throw error;
  }
}

/** https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteChangeSet.html */
const DeleteChangeSet = operation<ChangeSetName>({
  input: changeSetNamed,
  authorize: (input, ctx) => changeSetAuthorization(ctx, 'DeleteChangeSet', input.changeSetName, input.stackName),
  handle(input, ctx) {
    const changeSet = changeSetToDelete(ctx.app, input);
    if (!changeSet) return {};
    const busy = changeSet.status === 'CREATE_PENDING' || changeSet.status === 'CREATE_IN_PROGRESS' || changeSet.executionStatus === 'EXECUTE_IN_PROGRESS';
    if (busy) throw invalidChangeSetStatus('An operation on this ChangeSet is currently in progress.  Please attempt this operation again later.');
    ctx.app.cloudformation.changeSets.delete(changeSet.changeSetId);
    return {};
  },
});

export const changeSetOperations: OperationMap = { DescribeChangeSet, ListChangeSets, DeleteChangeSet };
