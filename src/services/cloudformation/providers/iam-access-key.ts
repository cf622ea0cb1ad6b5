/**
 * AWS::IAM::AccessKey (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-accesskey.html):
 * CreateAccessKey for UserName. Ref is the access key id; Fn::GetAtt SecretAccessKey is read from
 * the IAM directory when it is asked for, so the secret is never copied into the stack's records
 * (and never into its events). Status is updated in place; a new Serial or UserName makes a new key.
 */
import { requiredText, text } from './properties.js';
import { provider } from './provider.js';
import { iamParams } from './iam-common.js';
import { stringAt, unlessGone } from './results.js';

export const iamAccessKey = provider({
  type: 'AWS::IAM::AccessKey',
  schema: {
    Serial: { type: 'number', replaces: true },
    Status: { type: 'string' },
    UserName: { type: 'string', required: true, replaces: true },
  },
  attributes: ['SecretAccessKey'],
  async create(ctx, properties) {
    const userName = requiredText(properties, 'UserName');
    const created = await ctx.call('iam', 'CreateAccessKey', iamParams().set('UserName', userName));
    const accessKeyId = stringAt(created, 'AccessKey', 'AccessKeyId');
    const status = text(properties, 'Status');
    if (status === 'Inactive') await ctx.call('iam', 'UpdateAccessKey', iamParams().set('UserName', userName).set('AccessKeyId', accessKeyId).set('Status', status));
    return { physicalId: accessKeyId, attributes: {} };
  },
  async update(ctx, current, properties) {
    await ctx.call('iam', 'UpdateAccessKey', iamParams()
      .set('UserName', requiredText(properties, 'UserName'))
      .set('AccessKeyId', current.physicalId)
      .set('Status', text(properties, 'Status') ?? 'Active'));
    return { physicalId: current.physicalId, attributes: {} };
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('iam', 'DeleteAccessKey', iamParams().set('UserName', requiredText(current.properties, 'UserName')).set('AccessKeyId', current.physicalId)));
  },
  secretAttribute(app, current, name) {
    return name === 'SecretAccessKey' ? app.directory.get('access-key', current.physicalId)?.secretAccessKey : undefined;
  },
});
