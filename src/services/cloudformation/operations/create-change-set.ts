/**
 * CreateChangeSet (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateChangeSet.html):
 * what CreateStack (ChangeSetType CREATE) or UpdateStack (UPDATE, the default) would check is
 * checked before the answer (template, capabilities, parameters with UsePreviousValue); the
 * change set then exists as CREATE_PENDING and its resource changes are computed in the
 * background (change-sets/lifecycle.ts). A CREATE change set for a stack that does not exist
 * creates the stack in REVIEW_IN_PROGRESS, as AWS does; more CREATE change sets may be added to
 * it until one is executed.
 *
 * A change set name is unique within its stack: the same request again (same template,
 * description and ClientToken) answers with the existing change set, a different one is
 * AlreadyExistsException naming the first attribute that differs.
 *
 * Authorized as cloudformation:CreateChangeSet on the stack (arn:...:stack/NAME/* for a new one)
 * with cloudformation:ChangeSetName, TemplateUrl, ResourceTypes and the request's tags.
 * Known gaps: ChangeSetType IMPORT, ResourcesToImport, nested stacks and RoleARN are refused;
 * RollbackConfiguration is ignored.
 */
import { operation, type OperationContext } from '../../service.js';
import { changeSetArn, changeSetsOf } from '../change-sets/lookup.js';
import { computeChangeSet } from '../change-sets/lifecycle.js';
import type { ChangeSetRecord } from '../change-sets/types.js';
import { changeSetMismatch, changeSetStackNotFound, validationError } from '../errors.js';
import { stackArn } from '../runner/names.js';
import { StackOperation } from '../runner/stack-operation.js';
import type { StackRecord } from '../types.js';
import { changeSetInput, type ChangeSetInput } from './change-set-input.js';
import { requestTagKeys } from '../../iam/tags.js';
import { templateConditionKeys } from './common.js';
import { templateText } from './input.js';
import { prepareTemplate, type PreparedTemplate } from './prepare-template.js';
import { findStack, stackAuthorization } from './stacks.js';
import { requireUpdatable } from './update-stack.js';

/** The stack a REVIEW_IN_PROGRESS stack starts as: a name, an id, no resources yet. */
function reviewStack(ctx: OperationContext, input: ChangeSetInput, body: string): StackRecord {
  return {
    stackId: stackArn(ctx.app.region, ctx.app.accountId, input.stackName, ctx.app.ids.requestId()),
    stackName: input.stackName,
    templateBody: body,
    parameters: [],
    capabilities: [],
    tags: input.tags ?? [],
    notificationArns: input.notificationArns,
    status: 'REVIEW_IN_PROGRESS',
    creationTime: ctx.app.clock.now().toISOString(),
    disableRollback: false,
    onFailure: 'ROLLBACK',
    enableTerminationProtection: false,
    outputs: [],
    resources: {},
    imports: [],
  };
}

/** The stack the change set is for: existing (UPDATE, or CREATE on a stack in review) or new (CREATE). */
function targetStack(ctx: OperationContext, input: ChangeSetInput, body: string): { stack: StackRecord; isNew: boolean } {
  const existing = findStack(ctx.app, input.stackName);
  if (input.type === 'CREATE') {
    if (existing && existing.status !== 'REVIEW_IN_PROGRESS') {
      throw validationError(`Stack [${input.stackName}] already exists and cannot be created again with the changeSet [${input.changeSetName}].`);
    }
    if (!existing && input.stackName.startsWith('arn:')) throw changeSetStackNotFound(input.stackName);
    return existing ? { stack: existing, isNew: false } : { stack: reviewStack(ctx, input, body), isNew: true };
  }
  if (!existing || existing.status === 'DELETE_COMPLETE') throw changeSetStackNotFound(input.stackName);
  requireUpdatable(ctx.app, existing);
  return { stack: existing, isNew: false };
}

/** The change set of that name the stack already has: the same request answers with it; a different one is refused. */
function sameNamed(ctx: OperationContext, stack: StackRecord, input: ChangeSetInput, body: string): ChangeSetRecord | undefined {
  const existing = changeSetsOf(ctx.app, stack.stackId).find((changeSet) => changeSet.changeSetName === input.changeSetName);
  if (!existing) return undefined;
  const differences: Array<[attribute: string, differs: boolean]> = [
    ['Template', existing.templateBody !== body],
    ['Description', existing.description !== input.description],
    ['ClientToken', existing.clientToken !== input.clientToken],
    ['ChangeSetType', existing.type !== input.type],
  ];
  const differing = differences.find(([, differs]) => differs);
  if (differing) throw changeSetMismatch(input.changeSetName, differing[0]);
  return existing;
}

function newChangeSet(ctx: OperationContext, stack: StackRecord, input: ChangeSetInput, prepared: PreparedTemplate): ChangeSetRecord {
  return {
    changeSetId: changeSetArn(ctx.app.region, ctx.app.accountId, input.changeSetName, ctx.app.ids.requestId()),
    changeSetName: input.changeSetName,
    stackId: stack.stackId,
    stackName: stack.stackName,
    type: input.type,
    ...(input.description !== undefined ? { description: input.description } : {}),
    templateBody: prepared.body,
    parameters: prepared.stackParameters,
    capabilities: input.capabilities,
    tags: input.tags ?? (input.type === 'UPDATE' ? stack.tags : []),
    notificationArns: input.notificationArns.length > 0 ? input.notificationArns : stack.notificationArns,
    ...(input.onStackFailure !== undefined ? { onStackFailure: input.onStackFailure } : {}),
    ...(input.clientToken !== undefined ? { clientToken: input.clientToken } : {}),
    status: 'CREATE_PENDING',
    executionStatus: 'UNAVAILABLE',
    creationTime: ctx.app.clock.now().toISOString(),
    changes: [],
  };
}

export const CreateChangeSet = operation<ChangeSetInput>({
  input: (query) => changeSetInput(query),
  authorize: (input, ctx) => stackAuthorization(ctx, 'CreateChangeSet', input.stackName, {
    'cloudformation:ChangeSetName': input.changeSetName,
    ...templateConditionKeys(input.source),
    ...requestTagKeys(input.tags ?? []),
  }),
  async handle(input, ctx) {
    const existing = findStack(ctx.app, input.stackName);
    if (input.usePreviousTemplate && !existing) throw changeSetStackNotFound(input.stackName);
    const body = input.usePreviousTemplate ? existing!.templateBody : await templateText(ctx, input.source);
    const { stack, isNew } = targetStack(ctx, input, body);
    const again = sameNamed(ctx, stack, input, body);
    if (again) return { Id: again.changeSetId, StackId: again.stackId };
    const prepared = prepareTemplate(ctx.app, body, input.parameters, input.capabilities, stack, input.type === 'UPDATE');
    if (isNew) new StackOperation(ctx.app, stack).stackEvent('REVIEW_IN_PROGRESS', 'User Initiated');
    const changeSet = newChangeSet(ctx, stack, input, prepared);
    ctx.app.cloudformation.changeSets.put(changeSet);
    void ctx.app.cloudformation.enqueue(changeSet.changeSetId, async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      computeChangeSet(ctx.app, changeSet.changeSetId, prepared);
    });
    return { Id: changeSet.changeSetId, StackId: stack.stackId };
  },
});
