/**
 * AWS::IAM::ManagedPolicy (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-managedpolicy.html):
 * CreatePolicy, then attached to its Roles, Users and Groups. Ref is the policy's ARN; Fn::GetAtt
 * PolicyArn, PolicyId, DefaultVersionId, AttachmentCount, IsAttachable, CreateDate, UpdateDate and
 * PermissionsBoundaryUsageCount. A new document is a new default version (the oldest non-default
 * version is deleted first when the policy has five, as CloudFormation does).
 */
import type { ManagedPolicyRecord } from '../../../directory/types.js';
import { jsonDocument, strings, text, type Properties } from './properties.js';
import { provider, type Provisioned, type ProviderContext } from './provider.js';
import { iamParams, principalParams, type IamPrincipalKind } from './iam-common.js';
import { stringAt, unlessGone } from './results.js';

const TARGETS: ReadonlyArray<[IamPrincipalKind, string]> = [['Role', 'Roles'], ['User', 'Users'], ['Group', 'Groups']];
const MAX_VERSIONS = 5;

function attachmentCount(ctx: ProviderContext, arn: string): number {
  const { directory } = ctx.app;
  return directory.list('role').filter((role) => role.attachedPolicyArns.includes(arn)).length
    + directory.list('user').filter((user) => user.attachedPolicyArns.includes(arn)).length
    + directory.list('group').filter((group) => group.attachedPolicyArns.includes(arn)).length;
}

function boundaryUses(ctx: ProviderContext, arn: string): number {
  const { directory } = ctx.app;
  return directory.list('role').filter((role) => role.permissionsBoundaryArn === arn).length
    + directory.list('user').filter((user) => user.permissionsBoundaryArn === arn).length;
}

function findPolicy(ctx: ProviderContext, arn: string): ManagedPolicyRecord | undefined {
  return ctx.app.directory.list('policy').find((policy) => policy.arn === arn);
}

function describe(ctx: ProviderContext, arn: string): Provisioned {
  const policy = findPolicy(ctx, arn);
  if (!policy) throw new Error(`policy ${arn} vanished while it was being created`);
  return {
    physicalId: policy.arn,
    attributes: {
      PolicyArn: policy.arn,
      PolicyId: policy.policyId,
      DefaultVersionId: policy.defaultVersionId,
      AttachmentCount: String(attachmentCount(ctx, arn)),
      IsAttachable: 'true',
      CreateDate: policy.createDate,
      UpdateDate: policy.updateDate,
      PermissionsBoundaryUsageCount: String(boundaryUses(ctx, arn)),
    },
  };
}

function targetsOf(properties: Properties): Array<[IamPrincipalKind, string]> {
  return TARGETS.flatMap(([kind, property]) => strings(properties, property).map((name): [IamPrincipalKind, string] => [kind, name]));
}

async function syncAttachments(ctx: ProviderContext, arn: string, before: Properties, after: Properties): Promise<void> {
  const key = ([kind, name]: [IamPrincipalKind, string]): string => `${kind}:${name}`;
  const old = new Set(targetsOf(before).map(key));
  const wanted = targetsOf(after);
  const wantedKeys = new Set(wanted.map(key));
  for (const target of wanted) if (!old.has(key(target))) await ctx.call('iam', `Attach${target[0]}Policy`, principalParams(...target).set('PolicyArn', arn));
  for (const target of targetsOf(before)) {
    if (!wantedKeys.has(key(target))) await unlessGone(ctx.call('iam', `Detach${target[0]}Policy`, principalParams(...target).set('PolicyArn', arn)));
  }
}

export const iamManagedPolicy = provider({
  type: 'AWS::IAM::ManagedPolicy',
  nameProperty: 'ManagedPolicyName',
  schema: {
    Description: { type: 'string', replaces: true },
    Groups: { type: 'list' },
    ManagedPolicyName: { type: 'string', replaces: true },
    Path: { type: 'string', replaces: true },
    PolicyDocument: { type: 'json', required: true },
    Roles: { type: 'list' },
    Users: { type: 'list' },
  },
  attributes: ['PolicyArn', 'PolicyId', 'DefaultVersionId', 'AttachmentCount', 'IsAttachable', 'CreateDate', 'UpdateDate', 'PermissionsBoundaryUsageCount'],
  async create(ctx, properties) {
    const created = await ctx.call('iam', 'CreatePolicy', iamParams()
      .set('PolicyName', text(properties, 'ManagedPolicyName') ?? ctx.physicalName(128))
      .set('Path', text(properties, 'Path'))
      .set('Description', text(properties, 'Description'))
      .set('PolicyDocument', jsonDocument(properties, 'PolicyDocument')));
    const arn = stringAt(created, 'Policy', 'Arn');
    await syncAttachments(ctx, arn, {}, properties);
    return describe(ctx, arn);
  },
  async update(ctx, current, properties, changed) {
    const arn = current.physicalId;
    if (changed.has('PolicyDocument')) {
      const policy = findPolicy(ctx, arn);
      if (policy && policy.versions.length >= MAX_VERSIONS) {
        const oldest = [...policy.versions].filter((version) => version.versionId !== policy.defaultVersionId)
          .sort((a, b) => (a.createDate < b.createDate ? -1 : 1))[0];
        if (oldest) await ctx.call('iam', 'DeletePolicyVersion', iamParams().set('PolicyArn', arn).set('VersionId', oldest.versionId));
      }
      await ctx.call('iam', 'CreatePolicyVersion', iamParams().set('PolicyArn', arn).set('PolicyDocument', jsonDocument(properties, 'PolicyDocument')).set('SetAsDefault', true));
    }
    await syncAttachments(ctx, arn, current.properties, properties);
    return describe(ctx, arn);
  },
  async delete(ctx, current) {
    const arn = current.physicalId;
    const policy = findPolicy(ctx, arn);
    if (!policy) return;
    const { directory } = ctx.app;
    for (const role of directory.list('role')) if (role.attachedPolicyArns.includes(arn)) await unlessGone(ctx.call('iam', 'DetachRolePolicy', principalParams('Role', role.roleName).set('PolicyArn', arn)));
    for (const user of directory.list('user')) if (user.attachedPolicyArns.includes(arn)) await unlessGone(ctx.call('iam', 'DetachUserPolicy', principalParams('User', user.userName).set('PolicyArn', arn)));
    for (const group of directory.list('group')) if (group.attachedPolicyArns.includes(arn)) await unlessGone(ctx.call('iam', 'DetachGroupPolicy', principalParams('Group', group.groupName).set('PolicyArn', arn)));
    for (const version of policy.versions) {
      if (version.versionId !== policy.defaultVersionId) await unlessGone(ctx.call('iam', 'DeletePolicyVersion', iamParams().set('PolicyArn', arn).set('VersionId', version.versionId)));
    }
    await unlessGone(ctx.call('iam', 'DeletePolicy', iamParams().set('PolicyArn', arn)));
  },
});
