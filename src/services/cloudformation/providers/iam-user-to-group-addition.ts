/**
 * AWS::IAM::UserToGroupAddition (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-usertogroupaddition.html):
 * AddUserToGroup for each of Users; RemoveUserFromGroup on delete. Ref (and Fn::GetAtt Id) is a
 * name CloudFormation makes for the resource (STACK-LOGICALID-SUFFIX). GroupName and Users change
 * in place: users leave the old group and join the new one, as their lists differ.
 */
import { requiredText, strings, type Properties } from './properties.js';
import { provider, type ProviderContext } from './provider.js';
import { iamParams } from './iam-common.js';
import { unlessGone } from './results.js';

interface Membership {
  groupName: string;
  users: string[];
}

const membershipOf = (properties: Properties): Membership => ({ groupName: requiredText(properties, 'GroupName'), users: strings(properties, 'Users') });

const key = (groupName: string, userName: string): string => `${groupName}\0${userName}`;

/** Adds the memberships `after` has and `before` had not, then removes those it no longer has. */
async function syncMemberships(ctx: ProviderContext, before: Membership | undefined, after: Membership | undefined): Promise<void> {
  const old = new Set(before ? before.users.map((user) => key(before.groupName, user)) : []);
  const wanted = new Set(after ? after.users.map((user) => key(after.groupName, user)) : []);
  for (const user of after?.users ?? []) {
    if (!old.has(key(after!.groupName, user))) await ctx.call('iam', 'AddUserToGroup', iamParams().set('GroupName', after!.groupName).set('UserName', user));
  }
  for (const user of before?.users ?? []) {
    if (wanted.has(key(before!.groupName, user))) continue;
    await unlessGone(ctx.call('iam', 'RemoveUserFromGroup', iamParams().set('GroupName', before!.groupName).set('UserName', user)));
  }
}

export const iamUserToGroupAddition = provider({
  type: 'AWS::IAM::UserToGroupAddition',
  schema: {
    GroupName: { type: 'string', required: true },
    Users: { type: 'list', required: true },
  },
  attributes: ['Id'],
  async create(ctx, properties) {
    await syncMemberships(ctx, undefined, membershipOf(properties));
    const name = ctx.physicalName(255);
    return { physicalId: name, attributes: { Id: name } };
  },
  async update(ctx, current, properties) {
    await syncMemberships(ctx, membershipOf(current.properties), membershipOf(properties));
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    await syncMemberships(ctx, membershipOf(current.properties), undefined);
  },
});
