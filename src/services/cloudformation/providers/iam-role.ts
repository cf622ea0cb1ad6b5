/**
 * AWS::IAM::Role (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html):
 * CreateRole, then its inline policies (PutRolePolicy) and managed policies (AttachRolePolicy),
 * AWS-managed ones included. Ref is the role name; Fn::GetAtt Arn and RoleId. RoleName and Path
 * replace the role; everything else is updated in place. Deleting strips the role's policies first,
 * as CloudFormation does.
 */
import { jsonDocument, numberOf, requiredText, tagsOf, text } from './properties.js';
import { provider, type Provisioned, type ProviderContext } from './provider.js';
import { iamParams, strip, syncInlinePolicies, syncManagedPolicies, tagChanges, withTags } from './iam-common.js';
import { unlessGone } from './results.js';

async function describe(ctx: ProviderContext, roleName: string): Promise<Provisioned> {
  const role = ctx.app.directory.get('role', roleName);
  if (!role) throw new Error(`role ${roleName} vanished while it was being created`);
  return { physicalId: role.roleName, attributes: { Arn: role.arn, RoleId: role.roleId } };
}

export const iamRole = provider({
  type: 'AWS::IAM::Role',
  nameProperty: 'RoleName',
  schema: {
    AssumeRolePolicyDocument: { type: 'json', required: true },
    Description: { type: 'string' },
    ManagedPolicyArns: { type: 'list' },
    MaxSessionDuration: { type: 'number' },
    Path: { type: 'string', replaces: true },
    PermissionsBoundary: { type: 'string' },
    Policies: { type: 'list' },
    RoleName: { type: 'string', replaces: true },
    Tags: { type: 'list' },
  },
  attributes: ['Arn', 'RoleId'],
  async create(ctx, properties) {
    const roleName = text(properties, 'RoleName') ?? ctx.physicalName(64);
    await ctx.call('iam', 'CreateRole', withTags(iamParams()
      .set('RoleName', roleName)
      .set('Path', text(properties, 'Path'))
      .set('AssumeRolePolicyDocument', jsonDocument(properties, 'AssumeRolePolicyDocument') ?? requiredText(properties, 'AssumeRolePolicyDocument'))
      .set('Description', text(properties, 'Description'))
      .set('MaxSessionDuration', numberOf(properties, 'MaxSessionDuration'))
      .set('PermissionsBoundary', text(properties, 'PermissionsBoundary')), tagsOf(properties)));
    await syncInlinePolicies(ctx, 'Role', roleName, {}, properties);
    await syncManagedPolicies(ctx, 'Role', roleName, {}, properties);
    return describe(ctx, roleName);
  },
  async update(ctx, current, properties, changed) {
    const roleName = current.physicalId;
    const role = () => iamParams().set('RoleName', roleName);
    if (changed.has('AssumeRolePolicyDocument')) {
      await ctx.call('iam', 'UpdateAssumeRolePolicy', role().set('PolicyDocument', jsonDocument(properties, 'AssumeRolePolicyDocument')));
    }
    if (changed.has('Description') || changed.has('MaxSessionDuration')) {
      await ctx.call('iam', 'UpdateRole', role()
        .set('Description', text(properties, 'Description') ?? '')
        .set('MaxSessionDuration', numberOf(properties, 'MaxSessionDuration') ?? 3600));
    }
    if (changed.has('PermissionsBoundary')) {
      const boundary = text(properties, 'PermissionsBoundary');
      if (boundary === undefined) await unlessGone(ctx.call('iam', 'DeleteRolePermissionsBoundary', role()));
      else await ctx.call('iam', 'PutRolePermissionsBoundary', role().set('PermissionsBoundary', boundary));
    }
    if (changed.has('Policies')) await syncInlinePolicies(ctx, 'Role', roleName, current.properties, properties);
    if (changed.has('ManagedPolicyArns')) await syncManagedPolicies(ctx, 'Role', roleName, current.properties, properties);
    if (changed.has('Tags')) {
      const { put, removed } = tagChanges(tagsOf(current.properties), tagsOf(properties));
      if (put.length > 0) await ctx.call('iam', 'TagRole', withTags(role(), put));
      if (removed.length > 0) await ctx.call('iam', 'UntagRole', role().list('TagKeys', removed));
    }
    return describe(ctx, roleName);
  },
  async delete(ctx, current) {
    const role = ctx.app.directory.get('role', current.physicalId);
    if (!role) return;
    await strip(ctx, 'Role', role.roleName, Object.keys(role.inlinePolicies), role.attachedPolicyArns);
    await unlessGone(ctx.call('iam', 'DeleteRole', iamParams().set('RoleName', role.roleName)));
  },
});
