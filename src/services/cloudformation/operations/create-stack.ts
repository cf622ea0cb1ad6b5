/**
 * CreateStack (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html):
 * everything that can be refused is checked before the answer (name, template, capabilities,
 * parameters); the stack then exists in CREATE_IN_PROGRESS with its first event, and its resources
 * are created in the background (runner/create-stack.ts) as the caller.
 *
 * Authorized as cloudformation:CreateStack on arn:...:stack/NAME/* with cloudformation:TemplateUrl,
 * cloudformation:ResourceTypes and the request's tags. The tag iamd:placeholders=true makes the
 * stack record resource types iamd does not implement as placeholders instead of failing.
 * TemplateURL names an object in iamd's S3 (template-url.ts).
 * Known gaps: RoleARN (a service role) is refused; StackPolicyBody/URL, RollbackConfiguration and
 * TimeoutInMinutes are kept or ignored without effect.
 */
import type { Tag } from '../../../directory/types.js';
import type { QueryInput } from '../../../protocol/query-input.js';
import { operation } from '../../service.js';
import { alreadyExists, validationError } from '../errors.js';
import { stackArn } from '../runner/names.js';
import type { OnFailure, StackRecord } from '../types.js';
import { capabilitiesOf, newStackName, notificationArnsOf, parametersOf, tagsOf, templateSource, templateText, type TemplateSource } from './input.js';
import { prepareTemplate } from './prepare-template.js';
import { cfnAction, findStack } from './stacks.js';
import { requestTagKeys } from '../../iam/tags.js';
import { templateConditionKeys } from './common.js';
import { startCreate } from './stack-starts.js';

const ON_FAILURE: readonly OnFailure[] = ['DO_NOTHING', 'ROLLBACK', 'DELETE'];

interface CreateStackInput {
  stackName: string;
  source: TemplateSource;
  query: QueryInput;
  tags: Tag[];
  capabilities: string[];
  onFailure: OnFailure;
  disableRollback: boolean;
}

function onFailureOf(query: QueryInput): { onFailure: OnFailure; disableRollback: boolean } {
  const disableRollback = query.boolean('DisableRollback');
  if (query.has('OnFailure') && disableRollback !== undefined) throw validationError('You cannot specify both DisableRollback and OnFailure.');
  const onFailure = query.oneOf('OnFailure', ON_FAILURE);
  if (disableRollback) return { onFailure: 'DO_NOTHING', disableRollback: true };
  return { onFailure: onFailure ?? 'ROLLBACK', disableRollback: onFailure === 'DO_NOTHING' };
}

export const CreateStack = operation<CreateStackInput>({
  input: (query) => ({
    stackName: newStackName(query),
    source: templateSource(query),
    query,
    tags: tagsOf(query),
    capabilities: capabilitiesOf(query),
    ...onFailureOf(query),
  }),
  authorize: (input, ctx) => ({
    action: cfnAction('CreateStack'),
    resource: `arn:aws:cloudformation:${ctx.app.region}:${ctx.app.accountId}:stack/${input.stackName}/*`,
    conditionKeys: {
      ...templateConditionKeys(input.source),
      ...requestTagKeys(input.tags),
    },
  }),
  async handle(input, ctx) {
    if (input.query.has('RoleARN')) throw validationError('iamd does not support service roles (RoleARN): stacks act with the permissions of their caller.');
    const body = await templateText(ctx, input.source);
    if (findStack(ctx.app, input.stackName)) throw alreadyExists(input.stackName);
    const now = ctx.app.clock.now().toISOString();
    const stack: StackRecord = {
      stackId: stackArn(ctx.app.region, ctx.app.accountId, input.stackName, ctx.app.ids.requestId()),
      stackName: input.stackName,
      templateBody: body,
      parameters: [],
      capabilities: input.capabilities,
      tags: input.tags,
      notificationArns: notificationArnsOf(input.query),
      status: 'CREATE_IN_PROGRESS',
      creationTime: now,
      disableRollback: input.disableRollback,
      onFailure: input.onFailure,
      enableTerminationProtection: input.query.boolean('EnableTerminationProtection') ?? false,
      outputs: [],
      resources: {},
      imports: [],
    };
    const timeout = input.query.integer('TimeoutInMinutes', { min: 1 });
    if (timeout !== undefined) stack.timeoutInMinutes = timeout;
    const prepared = prepareTemplate(ctx.app, body, parametersOf(input.query), input.capabilities, stack);
    if (prepared.template.description !== undefined) stack.description = prepared.template.description;
    stack.parameters = prepared.stackParameters;
    const token = input.query.optional('ClientRequestToken');
    startCreate(ctx, stack, prepared, token !== undefined ? { clientRequestToken: token } : {});
    return { StackId: stack.stackId };
  },
});
