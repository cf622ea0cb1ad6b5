/**
 * AWS::IAM::Policy (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-policy.html):
 * one inline policy put on each of its Roles, Users and Groups (PutRolePolicy, PutUserPolicy,
 * PutGroupPolicy). Ref and Fn::GetAtt Id are a generated physical id. A change re-puts the policy
 * and removes it from principals no longer listed.
 */
import { jsonDocument, ResourceFailure, strings, text, type Properties } from './properties.js';
import { provider, type ProviderContext } from './provider.js';
import { principalParams, type IamPrincipalKind } from './iam-common.js';
import { unlessGone } from './results.js';

const TARGETS: ReadonlyArray<[IamPrincipalKind, string]> = [['Role', 'Roles'], ['User', 'Users'], ['Group', 'Groups']];

function targetsOf(properties: Properties): Array<[IamPrincipalKind, string]> {
  return TARGETS.flatMap(([kind, property]) => strings(properties, property).map((name): [IamPrincipalKind, string] => [kind, name]));
}

async function putAll(ctx: ProviderContext, properties: Properties): Promise<void> {
  const targets = targetsOf(properties);
  if (targets.length === 0) throw new ResourceFailure('At least one of [Groups,Roles,Users] must be non-empty.');
  const policyName = text(properties, 'PolicyName')!;
  const document = jsonDocument(properties, 'PolicyDocument')!;
  for (const [kind, name] of targets) await ctx.call('iam', `Put${kind}Policy`, principalParams(kind, name).set('PolicyName', policyName).set('PolicyDocument', document));
}

async function removeFrom(ctx: ProviderContext, policyName: string, targets: ReadonlyArray<[IamPrincipalKind, string]>): Promise<void> {
  for (const [kind, name] of targets) await unlessGone(ctx.call('iam', `Delete${kind}Policy`, principalParams(kind, name).set('PolicyName', policyName)));
}

export const iamPolicy = provider({
  type: 'AWS::IAM::Policy',
  schema: {
    PolicyDocument: { type: 'json', required: true },
    PolicyName: { type: 'string', required: true },
    Roles: { type: 'list' },
    Users: { type: 'list' },
    Groups: { type: 'list' },
  },
  attributes: ['Id'],
  async create(ctx, properties) {
    await putAll(ctx, properties);
    const physicalId = ctx.physicalName(128);
    return { physicalId, attributes: { Id: physicalId } };
  },
  async update(ctx, current, properties) {
    const oldName = text(current.properties, 'PolicyName')!;
    const wanted = new Set(targetsOf(properties).map(([kind, name]) => `${kind}:${name}`));
    const renamed = oldName !== text(properties, 'PolicyName');
    await removeFrom(ctx, oldName, targetsOf(current.properties).filter(([kind, name]) => renamed || !wanted.has(`${kind}:${name}`)));
    await putAll(ctx, properties);
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    await removeFrom(ctx, text(current.properties, 'PolicyName')!, targetsOf(current.properties));
  },
});
