/**
 * AWS::IAM::User (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-user.html):
 * CreateUser, group memberships (AddUserToGroup), inline and managed policies. Ref is the user
 * name; Fn::GetAtt Arn. iamd has no console passwords, so LoginProfile is accepted and ignored.
 */
import { strings, tagsOf, text } from './properties.js';
import { provider, type Provisioned, type ProviderContext } from './provider.js';
import { iamParams, strip, syncInlinePolicies, syncManagedPolicies, tagChanges, withTags } from './iam-common.js';
import { unlessGone } from './results.js';

function describe(ctx: ProviderContext, userName: string): Provisioned {
  const user = ctx.app.directory.get('user', userName);
  if (!user) throw new Error(`user ${userName} vanished while it was being created`);
  return { physicalId: user.userName, attributes: { Arn: user.arn } };
}

const userParams = (name: string) => iamParams().set('UserName', name);

async function syncGroups(ctx: ProviderContext, userName: string, before: readonly string[], after: readonly string[]): Promise<void> {
  for (const group of after) if (!before.includes(group)) await ctx.call('iam', 'AddUserToGroup', userParams(userName).set('GroupName', group));
  for (const group of before) if (!after.includes(group)) await unlessGone(ctx.call('iam', 'RemoveUserFromGroup', userParams(userName).set('GroupName', group)));
}

export const iamUser = provider({
  type: 'AWS::IAM::User',
  nameProperty: 'UserName',
  schema: {
    Groups: { type: 'list' },
    LoginProfile: { type: 'object', ignored: 'iamd has no console sign-in, so no login profiles' },
    ManagedPolicyArns: { type: 'list' },
    Path: { type: 'string' },
    PermissionsBoundary: { type: 'string' },
    Policies: { type: 'list' },
    Tags: { type: 'list' },
    UserName: { type: 'string', replaces: true },
  },
  attributes: ['Arn'],
  async create(ctx, properties) {
    const userName = text(properties, 'UserName') ?? ctx.physicalName(64);
    await ctx.call('iam', 'CreateUser', withTags(userParams(userName)
      .set('Path', text(properties, 'Path'))
      .set('PermissionsBoundary', text(properties, 'PermissionsBoundary')), tagsOf(properties)));
    await syncGroups(ctx, userName, [], strings(properties, 'Groups'));
    await syncInlinePolicies(ctx, 'User', userName, {}, properties);
    await syncManagedPolicies(ctx, 'User', userName, {}, properties);
    return describe(ctx, userName);
  },
  async update(ctx, current, properties, changed) {
    const userName = current.physicalId;
    if (changed.has('Path')) await ctx.call('iam', 'UpdateUser', userParams(userName).set('NewPath', text(properties, 'Path') ?? '/'));
    if (changed.has('PermissionsBoundary')) {
      const boundary = text(properties, 'PermissionsBoundary');
      if (boundary === undefined) await unlessGone(ctx.call('iam', 'DeleteUserPermissionsBoundary', userParams(userName)));
      else await ctx.call('iam', 'PutUserPermissionsBoundary', userParams(userName).set('PermissionsBoundary', boundary));
    }
    if (changed.has('Groups')) await syncGroups(ctx, userName, strings(current.properties, 'Groups'), strings(properties, 'Groups'));
    if (changed.has('Policies')) await syncInlinePolicies(ctx, 'User', userName, current.properties, properties);
    if (changed.has('ManagedPolicyArns')) await syncManagedPolicies(ctx, 'User', userName, current.properties, properties);
    if (changed.has('Tags')) {
      const { put, removed } = tagChanges(tagsOf(current.properties), tagsOf(properties));
      if (put.length > 0) await ctx.call('iam', 'TagUser', withTags(userParams(userName), put));
      if (removed.length > 0) await ctx.call('iam', 'UntagUser', userParams(userName).list('TagKeys', removed));
    }
    return describe(ctx, userName);
  },
  async delete(ctx, current) {
    const user = ctx.app.directory.get('user', current.physicalId);
    if (!user) return;
    const groups = ctx.app.directory.list('group').filter((group) => group.members.some((member) => member.toLowerCase() === user.userName.toLowerCase()));
    await syncGroups(ctx, user.userName, groups.map((group) => group.groupName), []);
    await strip(ctx, 'User', user.userName, Object.keys(user.inlinePolicies), user.attachedPolicyArns);
    await unlessGone(ctx.call('iam', 'DeleteUser', userParams(user.userName)));
  },
});
