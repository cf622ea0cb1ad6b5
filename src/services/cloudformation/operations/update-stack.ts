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
import { cannotUpdate, noTemplate, noUpdates, validationError } from '../errors.js';
import { obsoleteChangeSets } from '../change-sets/lifecycle.js';
import type { StackStatus } from '../types.js';
import { resourceTypesOf } from './common.js';
import { capabilitiesOf, parametersOf, stackNameOrId, tagsOf, templateSource, templateText, type TemplateSource } from './input.js';
import { prepareTemplate } from './prepare-template.js';
import { startUpdate } from './stack-starts.js';
import { requireStack, stackAuthorization } from './stacks.js';

export const UPDATABLE: readonly StackStatus[] = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE'];

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
    const usePreviousTemplate = query.boolean('UsePreviousTemplate') ?? false;
    const source = templateSource(query, true);
    if (usePreviousTemplate && (source.body !== undefined || source.url !== undefined)) {
      throw validationError('You cannot specify both usePreviousTemplate and Template Body/Template Url.');
    }
    if (!usePreviousTemplate && source.body === undefined && source.url === undefined) throw noTemplate();
    return {
      stackName: stackNameOrId(query),
      source,
      usePreviousTemplate,
      query,
      capabilities: capabilitiesOf(query),
      ...(query.structures('Tags').length > 0 ? { tags: tagsOf(query) } : {}),
    };
  },
  authorize: (input, ctx) => stackAuthorization(ctx, 'UpdateStack', input.stackName, {
    'cloudformation:TemplateUrl': input.source.url,
    'cloudformation:ResourceTypes': input.source.body !== undefined ? resourceTypesOf(input.source.body) : undefined,
  }),
  async handle(input, ctx) {
    const stack = requireStack(ctx.app, input.stackName);
    const state = ctx.app.cloudformation;
    if (!UPDATABLE.includes(stack.status) || state.running.has(stack.stackId)) throw cannotUpdate(stack.stackId, stack.status);
    const body = input.usePreviousTemplate ? stack.templateBody : await templateText(ctx, input.source);
    const previous = new Map(stack.parameters.map((parameter) => [parameter.key, parameter.value]));
    const prepared = prepareTemplate(ctx.app, body, parametersOf(input.query), input.capabilities, stack, previous);
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
