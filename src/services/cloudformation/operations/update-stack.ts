/**
 * UpdateStack (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_UpdateStack.html):
 * a new template (or UsePreviousTemplate), parameters (UsePreviousValue keeps a value) and tags,
 * checked as CreateStack checks them; "No updates are to be performed." when nothing changes.
 * The stack is then UPDATE_IN_PROGRESS and the runner applies the change (runner/update-stack.ts).
 * Only a stack at rest in CREATE_COMPLETE, UPDATE_COMPLETE or UPDATE_ROLLBACK_COMPLETE can be updated.
 * The stack's change sets are then OBSOLETE.
 */
import type { Tag } from '../../../directory/types.js';
import type { QueryInput } from '../../../protocol/query-input.js';
import { operation } from '../../service.js';
import { cannotUpdate, noUpdates } from '../errors.js';
import { obsoleteChangeSets } from '../change-sets/lifecycle.js';
import type { StackRecord, StackStatus } from '../types.js';
import type { App } from '../../../server/app.js';
import { templateConditionKeys } from './common.js';
import { capabilitiesOf, parametersOf, stackNameOrId, tagsOf, templateText, updateTemplateOf, type TemplateSource } from './input.js';
import { prepareTemplate } from './prepare-template.js';
import { startUpdate } from './stack-starts.js';
import { requireStack, stackAuthorization } from './stacks.js';

const UPDATABLE: readonly StackStatus[] = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'];

/** Whether an update (UpdateStack, an UPDATE change set, its execution) may start on the stack: at rest in an updatable status. */
export function isUpdatable(app: App, stack: StackRecord): boolean {
  return UPDATABLE.includes(stack.status) && !app.cloudformation.running.has(stack.stackId);
}

/** isUpdatable, or UpdateStack's ValidationError saying the stack's status. */
export function requireUpdatable(app: App, stack: StackRecord): void {
  if (!isUpdatable(app, stack)) throw cannotUpdate(stack.stackId, stack.status);
}

interface UpdateStackInput {
  stackName: string;
  source: TemplateSource;
  usePreviousTemplate: boolean;
  query: QueryInput;
  capabilities: string[];
  tags?: Tag[];
}

export const UpdateStack = operation<UpdateStackInput>({
  input: (query) => {
    const { source, usePreviousTemplate } = updateTemplateOf(query);
    return {
      stackName: stackNameOrId(query),
      source,
      usePreviousTemplate,
      query,
      capabilities: capabilitiesOf(query),
      ...(query.structures('Tags').length > 0 ? { tags: tagsOf(query) } : {}),
    };
  },
  authorize: (input, ctx) => stackAuthorization(ctx, 'UpdateStack', input.stackName, templateConditionKeys(input.source)),
  async handle(input, ctx) {
    const stack = requireStack(ctx.app, input.stackName);
    requireUpdatable(ctx.app, stack);
    const body = input.usePreviousTemplate ? stack.templateBody : await templateText(ctx, input.source);
    const prepared = prepareTemplate(ctx.app, body, parametersOf(input.query), input.capabilities, stack, true);
    const tags = input.tags ?? stack.tags;
    const sameParameters = JSON.stringify(prepared.stackParameters.map((parameter) => [parameter.key, parameter.value, parameter.resolvedValue]))
      === JSON.stringify(stack.parameters.map((parameter) => [parameter.key, parameter.value, parameter.resolvedValue]));
    if (body === stack.templateBody && sameParameters && JSON.stringify(tags) === JSON.stringify(stack.tags)) throw noUpdates();

    obsoleteChangeSets(ctx.app, stack.stackId);
    const token = input.query.optional('ClientRequestToken');
    startUpdate(ctx, stack, {
      prepared, tags, capabilities: input.capabilities,
      ...(input.query.has('DisableRollback') ? { disableRollback: input.query.boolean('DisableRollback')! } : {}),
    }, token !== undefined ? { clientRequestToken: token } : {});
    return { StackId: stack.stackId };
  },
});
