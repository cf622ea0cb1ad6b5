/**
 * AWS::IAM::Group (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-group.html):
 * CreateGroup with inline and managed policies. Ref is the group name; Fn::GetAtt Arn.
 */
import { text } from './properties.js';
import { provider, type Provisioned, type ProviderContext } from './provider.js';
import { iamParams, strip, syncInlinePolicies, syncManagedPolicies } from './iam-common.js';
import { unlessGone } from './results.js';

function describe(ctx: ProviderContext, groupName: string): Provisioned {
  const group = ctx.app.directory.get('group', groupName);
  if (!group) throw new Error(`group ${groupName} vanished while it was being created`);
  return { physicalId: group.groupName, attributes: { Arn: group.arn } };
}

const groupParams = (name: string) => iamParams().set('GroupName', name);

export const iamGroup = provider({
  type: 'AWS::IAM::Group',
  nameProperty: 'GroupName',
  schema: {
    GroupName: { type: 'string', replaces: true },
    ManagedPolicyArns: { type: 'list' },
    Path: { type: 'string' },
    Policies: { type: 'list' },
  },
  attributes: ['Arn'],
  async create(ctx, properties) {
    const groupName = text(properties, 'GroupName') ?? ctx.physicalName(128);
    await ctx.call('iam', 'CreateGroup', groupParams(groupName).set('Path', text(properties, 'Path')));
    await syncInlinePolicies(ctx, 'Group', groupName, {}, properties);
    await syncManagedPolicies(ctx, 'Group', groupName, {}, properties);
    return describe(ctx, groupName);
  },
  async update(ctx, current, properties, changed) {
    const groupName = current.physicalId;
    if (changed.has('Path')) await ctx.call('iam', 'UpdateGroup', groupParams(groupName).set('NewPath', text(properties, 'Path') ?? '/'));
    if (changed.has('Policies')) await syncInlinePolicies(ctx, 'Group', groupName, current.properties, properties);
    if (changed.has('ManagedPolicyArns')) await syncManagedPolicies(ctx, 'Group', groupName, current.properties, properties);
    return describe(ctx, groupName);
  },
  async delete(ctx, current) {
    const group = ctx.app.directory.get('group', current.physicalId);
    if (!group) return;
    for (const member of group.members) await unlessGone(ctx.call('iam', 'RemoveUserFromGroup', groupParams(group.groupName).set('UserName', member)));
    await strip(ctx, 'Group', group.groupName, Object.keys(group.inlinePolicies), group.attachedPolicyArns);
    await unlessGone(ctx.call('iam', 'DeleteGroup', groupParams(group.groupName)));
  },
});
