/**
 * Reading CloudFormation's request parameters: stack names, the template (TemplateBody or
 * TemplateURL), Parameters, Capabilities and Tags, with the API's validation messages.
 */
import type { Tag } from '../../../directory/types.js';
import type { QueryInput } from '../../../protocol/query-input.js';
import { constraintError } from '../../../protocol/query-input.js';
import type { OperationContext } from '../../service.js';
import { bothTemplates, noTemplate, validationError } from '../errors.js';
import type { ParameterValueInput } from '../template/index.js';
import { readTemplateUrl } from './template-url.js';

const STACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]*$/;
const STACK_ARN = /^arn:[-a-zA-Z0-9:/._+]*$/;
const MAX_TEMPLATE_BODY = 51200;
const MAX_STACK_NAME = 128;

export const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'] as const;

/** A new stack's name: a letter, then letters, digits and hyphens, at most 128 characters. */
export function newStackName(query: QueryInput): string {
  const name = query.required('StackName');
  if (name.length > MAX_STACK_NAME) throw constraintError('StackName', name, `Member must have length less than or equal to ${MAX_STACK_NAME}`);
  if (!STACK_NAME.test(name)) throw constraintError('StackName', name, 'Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*');
  return name;
}

/** An existing stack's name or id (its ARN). */
export function stackNameOrId(query: QueryInput, name = 'StackName'): string {
  const value = query.required(name);
  if (!STACK_NAME.test(value) && !STACK_ARN.test(value)) {
    throw constraintError(name, value, 'Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*');
  }
  return value;
}

export interface TemplateSource {
  body?: string;
  url?: string;
}

/** TemplateBody or TemplateURL, exactly one unless `optional` (UpdateStack's UsePreviousTemplate, GetTemplateSummary's StackName). */
export function templateSource(query: QueryInput, optional = false): TemplateSource {
  const body = query.optional('TemplateBody', { min: 1 });
  const url = query.optional('TemplateURL', { min: 1, max: 1024 });
  if (body !== undefined && url !== undefined) throw bothTemplates();
  if (body === undefined && url === undefined && !optional) throw noTemplate();
  if (body !== undefined && body.length > MAX_TEMPLATE_BODY) {
    throw validationError(`1 validation error detected: Value '${body.slice(0, 40)}...' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TEMPLATE_BODY}`);
  }
  return { ...(body !== undefined ? { body } : {}), ...(url !== undefined ? { url } : {}) };
}

/**
 * The template of an update (UpdateStack, CreateChangeSet): TemplateBody or TemplateURL, or
 * UsePreviousTemplate instead of both.
 */
export function updateTemplateOf(query: QueryInput): { source: TemplateSource; usePreviousTemplate: boolean } {
  const usePreviousTemplate = query.boolean('UsePreviousTemplate') ?? false;
  const source = templateSource(query, true);
  if (usePreviousTemplate && (source.body !== undefined || source.url !== undefined)) {
    throw validationError('You cannot specify both usePreviousTemplate and Template Body/Template Url.');
  }
  if (!usePreviousTemplate && source.body === undefined && source.url === undefined) throw noTemplate();
  return { source, usePreviousTemplate };
}

/** The template's text: the body as given, or the object TemplateURL names (read as the caller). */
export async function templateText(ctx: OperationContext, source: TemplateSource): Promise<string> {
  if (source.body !== undefined) return source.body;
  return readTemplateUrl(ctx, source.url!);
}

export function parametersOf(query: QueryInput): ParameterValueInput[] {
  return query.structures('Parameters').map((item) => {
    const key = item.required('ParameterKey');
    const value = item.optional('ParameterValue');
    const usePreviousValue = item.boolean('UsePreviousValue');
    return { key, ...(value !== undefined ? { value } : {}), ...(usePreviousValue !== undefined ? { usePreviousValue } : {}) };
  });
}

export function capabilitiesOf(query: QueryInput): string[] {
  const capabilities = query.list('Capabilities');
  for (const capability of capabilities) {
    if (!(CAPABILITIES as readonly string[]).includes(capability)) {
      throw validationError(`1 validation error detected: Value '[${capabilities.join(', ')}]' at 'capabilities' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${CAPABILITIES.join(', ')}]]`);
    }
  }
  return capabilities;
}

export function tagsOf(query: QueryInput): Tag[] {
  const tags = query.structures('Tags').map((item) => ({ Key: item.required('Key', { min: 1, max: 128 }), Value: item.optional('Value', { max: 256 }) ?? '' }));
  if (tags.length > 50) throw validationError('1 validation error detected: Value at \'tags\' failed to satisfy constraint: Member must have length less than or equal to 50');
  return tags;
}

/** NotificationARNs are kept and shown; iamd has no SNS to notify. */
export function notificationArnsOf(query: QueryInput): string[] {
  return query.list('NotificationARNs');
}
