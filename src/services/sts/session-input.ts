/**
 * What AssumeRole and GetFederationToken share: session tags, session policies (inline Policy and
 * PolicyArns) with their validation, and the packed-size share AWS reports for them.
 */
import type { Tag } from '../../directory/types.js';
import { AwsError } from '../../protocol/aws-error.js';
import type { QueryInput, StringRule } from '../../protocol/query-input.js';
import { PolicyDocumentError } from '../../policy/index.js';
import type { OperationContext } from '../service.js';
import { packedPolicyTooLarge, stsValidation } from './errors.js';

const TAG_KEY: StringRule = { min: 1, max: 128, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' };
const TAG_VALUE: StringRule = { min: 0, max: 256, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' };
/** Session policies and tags are packed into a budget; AWS reports the share used. */
const PACKED_BUDGET = 2048;

export interface SessionPolicyInput {
  policy?: string;
  policyArns: string[];
  tags: Tag[];
}

export function sessionPolicyInput(query: QueryInput): SessionPolicyInput {
  const tags = query.structures('Tags').map((item) => ({ Key: item.required('Key', TAG_KEY), Value: item.optional('Value', TAG_VALUE) ?? '' }));
  if (tags.length > 50) throw stsValidation("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
  const seen = new Set<string>();
  for (const tag of tags) {
    if (seen.has(tag.Key.toLowerCase())) throw new AwsError('InvalidParameterValue', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);
    seen.add(tag.Key.toLowerCase());
  }
  const policyArns = query.structures('PolicyArns').map((item) => item.required('arn', { min: 20, max: 2048 }));
  if (policyArns.length > 10) throw stsValidation("1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10");
  return { policy: query.optional('Policy', { min: 1, max: 2048 }), policyArns, tags };
}

/** The condition keys of a request that sets session tags. */
export function sessionTagKeys(tags: readonly Tag[]): Record<string, string | string[] | undefined> {
  return {
    'aws:TagKeys': tags.length > 0 ? tags.map((tag) => tag.Key) : undefined,
    ...Object.fromEntries(tags.map((tag) => [`aws:RequestTag/${tag.Key}`, tag.Value])),
  };
}

/** Validates the session policies and returns the packed share (percent) when there is one. */
export function packedSize(ctx: OperationContext, input: SessionPolicyInput): number | undefined {
  if (input.policy === undefined && input.tags.length === 0 && input.policyArns.length === 0) return undefined;
  let size = 0;
  if (input.policy !== undefined) size += sessionPolicySize(ctx, input.policy);
  for (const arn of input.policyArns) {
    if (!ctx.app.library.isManagedPolicy(arn)) throw new AwsError('InvalidParameterValue', `Policy ${arn} does not exist or is not attachable.`, 400);
    size += arn.length;
  }
  for (const tag of input.tags) size += tag.Key.length + tag.Value.length;
  const percent = Math.ceil((size / PACKED_BUDGET) * 100);
  if (percent > 100) throw packedPolicyTooLarge(percent);
  return percent;
}

function sessionPolicySize(ctx: OperationContext, text: string): number {
  try {
    return ctx.app.library.compile(text, 'session', { kind: 'session', name: 'session policy' }).sizeWithoutWhitespace;
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw new AwsError('MalformedPolicyDocument', error.message, 400);
    throw error;
  }
}
