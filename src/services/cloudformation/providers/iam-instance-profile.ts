/**
 * AWS::IAM::InstanceProfile (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-instanceprofile.html):
 * CreateInstanceProfile and AddRoleToInstanceProfile (an instance profile holds at most one role).
 * Ref is the profile's name; Fn::GetAtt Arn. Changing Roles swaps the role in place.
 */
import { strings, text } from './properties.js';
import { provider, type Provisioned, type ProviderContext } from './provider.js';
import { iamParams } from './iam-common.js';
import { unlessGone } from './results.js';

function describe(ctx: ProviderContext, name: string): Provisioned {
  const profile = ctx.app.directory.get('instance-profile', name);
  if (!profile) throw new Error(`instance profile ${name} vanished while it was being created`);
  return { physicalId: profile.instanceProfileName, attributes: { Arn: profile.arn } };
}

const profileParams = (name: string) => iamParams().set('InstanceProfileName', name);

export const iamInstanceProfile = provider({
  type: 'AWS::IAM::InstanceProfile',
  nameProperty: 'InstanceProfileName',
  schema: {
    InstanceProfileName: { type: 'string', replaces: true },
    Path: { type: 'string', replaces: true },
    Roles: { type: 'list', required: true },
  },
  attributes: ['Arn'],
  async create(ctx, properties) {
    const name = text(properties, 'InstanceProfileName') ?? ctx.physicalName(128);
    await ctx.call('iam', 'CreateInstanceProfile', profileParams(name).set('Path', text(properties, 'Path')));
    for (const role of strings(properties, 'Roles')) await ctx.call('iam', 'AddRoleToInstanceProfile', profileParams(name).set('RoleName', role));
    return describe(ctx, name);
  },
  async update(ctx, current, properties) {
    const name = current.physicalId;
    const old = strings(current.properties, 'Roles');
    const wanted = strings(properties, 'Roles');
    for (const role of old) if (!wanted.includes(role)) await unlessGone(ctx.call('iam', 'RemoveRoleFromInstanceProfile', profileParams(name).set('RoleName', role)));
    for (const role of wanted) if (!old.includes(role)) await ctx.call('iam', 'AddRoleToInstanceProfile', profileParams(name).set('RoleName', role));
    return describe(ctx, name);
  },
  async delete(ctx, current) {
    const profile = ctx.app.directory.get('instance-profile', current.physicalId);
    if (!profile) return;
    if (profile.roleName !== undefined) {
      await unlessGone(ctx.call('iam', 'RemoveRoleFromInstanceProfile', profileParams(profile.instanceProfileName).set('RoleName', profile.roleName)));
    }
    await unlessGone(ctx.call('iam', 'DeleteInstanceProfile', profileParams(profile.instanceProfileName)));
  },
});
