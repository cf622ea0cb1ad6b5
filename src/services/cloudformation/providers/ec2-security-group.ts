/**
 * AWS::EC2::SecurityGroup (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-securitygroup.html):
 * CreateSecurityGroup, then each SecurityGroupIngress rule; when SecurityGroupEgress is given,
 * the default allow-all egress rule is revoked and the listed ones authorized, as CloudFormation
 * does. Ref is the group id when VpcId is given, else the group name (the docs' rule); Fn::GetAtt
 * GroupId and VpcId. Rule changes are applied in place (authorize new, revoke removed).
 */
import { objects, requiredText, text, type Properties } from './properties.js';
import { provider } from './provider.js';
import { ec2Params, resourceTags, stampStackTags, tagSpecification, updateTags } from './ec2-common.js';
import { authorizeRule, revokeRule, type Direction } from './ec2-security-group-rules.js';
import type { ProviderContext } from './provider.js';
import { stringAt, unlessGone } from './results.js';

const ALL_TRAFFIC_OUT: Properties = { IpProtocol: '-1', CidrIp: '0.0.0.0/0' };

const ruleKey = (rule: Properties): string => JSON.stringify(Object.entries(rule).sort(([a], [b]) => (a < b ? -1 : 1)));

async function syncRules(ctx: ProviderContext, groupId: string, direction: Direction, before: readonly Properties[], after: readonly Properties[]): Promise<void> {
  const old = new Set(before.map(ruleKey));
  const wanted = new Set(after.map(ruleKey));
  for (const rule of before) if (!wanted.has(ruleKey(rule))) await revokeRule(ctx, groupId, rule, direction);
  for (const rule of after) if (!old.has(ruleKey(rule))) await authorizeRule(ctx, groupId, rule, direction);
}

/** The egress rules a group has under CloudFormation: the listed ones, or EC2's default allow-all. */
function egressOf(properties: Properties): Properties[] {
  return properties.SecurityGroupEgress === undefined ? [ALL_TRAFFIC_OUT] : objects(properties, 'SecurityGroupEgress');
}

export const ec2SecurityGroup = provider({
  type: 'AWS::EC2::SecurityGroup',
  nameProperty: 'GroupName',
  schema: {
    GroupDescription: { type: 'string', required: true, replaces: true },
    GroupName: { type: 'string', replaces: true },
    SecurityGroupEgress: { type: 'list' },
    SecurityGroupIngress: { type: 'list' },
    Tags: { type: 'list' },
    VpcId: { type: 'string', replaces: true },
  },
  attributes: ['GroupId', 'VpcId'],
  async create(ctx, properties) {
    const created = await ctx.call('ec2', 'CreateSecurityGroup', tagSpecification(ec2Params()
      .set('GroupName', text(properties, 'GroupName') ?? ctx.physicalName(255))
      .set('GroupDescription', requiredText(properties, 'GroupDescription'))
      .set('VpcId', text(properties, 'VpcId')), 'security-group', resourceTags(ctx, properties)));
    const groupId = stringAt(created, 'groupId');
    stampStackTags(ctx, ctx.app.ec2.securityGroups, groupId);
    await syncRules(ctx, groupId, 'Ingress', [], objects(properties, 'SecurityGroupIngress'));
    await syncRules(ctx, groupId, 'Egress', [ALL_TRAFFIC_OUT], egressOf(properties));
    const group = ctx.app.ec2.securityGroups.get(groupId)!;
    return { physicalId: text(properties, 'VpcId') === undefined ? group.groupName : groupId, attributes: { GroupId: groupId, VpcId: group.vpcId } };
  },
  async update(ctx, current, properties, changed) {
    const groupId = String(current.attributes.GroupId);
    if (changed.has('SecurityGroupIngress')) await syncRules(ctx, groupId, 'Ingress', objects(current.properties, 'SecurityGroupIngress'), objects(properties, 'SecurityGroupIngress'));
    if (changed.has('SecurityGroupEgress')) await syncRules(ctx, groupId, 'Egress', egressOf(current.properties), egressOf(properties));
    if (changed.has('Tags')) await updateTags(ctx, groupId, current.properties, properties);
    return { physicalId: current.physicalId, attributes: current.attributes };
  },
  async delete(ctx, current) {
    await unlessGone(ctx.call('ec2', 'DeleteSecurityGroup', ec2Params().set('GroupId', String(current.attributes.GroupId))));
  },
});
