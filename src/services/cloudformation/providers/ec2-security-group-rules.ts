/**
 * Security group rules as CloudFormation writes them (one object per rule: IpProtocol, FromPort,
 * ToPort and one peer: CidrIp, CidrIpv6, a security group or a prefix list) turned into the
 * IpPermissions of AuthorizeSecurityGroupIngress / Egress, and the standalone rule resources
 * AWS::EC2::SecurityGroupIngress and AWS::EC2::SecurityGroupEgress (Ref and Fn::GetAtt Id: the
 * rule's sgr- id). A standalone rule's change makes a new rule, as on AWS (only Description is
 * mutable there; iamd replaces for that too).
 */
import { ResourceFailure, text, type Properties, type PropertySchema } from './properties.js';
import { provider, type ProviderContext, type ResourceProvider } from './provider.js';
import { ec2Params } from './ec2-common.js';
import type { QueryParams } from './query-params.js';
import { stringAt, unlessGone } from './results.js';

export type Direction = 'Ingress' | 'Egress';

/** The rule as the 1st element of IpPermissions (`IpPermissions.1.IpProtocol`, `...IpRanges.1.CidrIp`, ...). */
export function setPermission(params: QueryParams, rule: Properties, direction: Direction): QueryParams {
  const prefix = 'IpPermissions.1.';
  const description = text(rule, 'Description');
  params.set(`${prefix}IpProtocol`, text(rule, 'IpProtocol')).set(`${prefix}FromPort`, text(rule, 'FromPort')).set(`${prefix}ToPort`, text(rule, 'ToPort'));
  const cidr = text(rule, 'CidrIp');
  const cidr6 = text(rule, 'CidrIpv6');
  const group = text(rule, direction === 'Ingress' ? 'SourceSecurityGroupId' : 'DestinationSecurityGroupId');
  const groupName = direction === 'Ingress' ? text(rule, 'SourceSecurityGroupName') : undefined;
  const prefixList = text(rule, direction === 'Ingress' ? 'SourcePrefixListId' : 'DestinationPrefixListId');
  if (cidr !== undefined) params.set(`${prefix}IpRanges.1.CidrIp`, cidr).set(`${prefix}IpRanges.1.Description`, description);
  else if (cidr6 !== undefined) params.set(`${prefix}Ipv6Ranges.1.CidrIpv6`, cidr6).set(`${prefix}Ipv6Ranges.1.Description`, description);
  else if (group !== undefined || groupName !== undefined) {
    params.set(`${prefix}Groups.1.GroupId`, group).set(`${prefix}Groups.1.GroupName`, groupName)
      .set(`${prefix}Groups.1.UserId`, text(rule, 'SourceSecurityGroupOwnerId')).set(`${prefix}Groups.1.Description`, description);
  } else if (prefixList !== undefined) params.set(`${prefix}PrefixListIds.1.PrefixListId`, prefixList).set(`${prefix}PrefixListIds.1.Description`, description);
  else throw new ResourceFailure(`Either CidrIp, CidrIpv6, ${direction === 'Ingress' ? 'SourceSecurityGroupId, SourceSecurityGroupName or SourcePrefixListId' : 'DestinationSecurityGroupId or DestinationPrefixListId'} must be specified.`);
  return params;
}

/** Authorizes one rule on a group; the new rule's id. */
export async function authorizeRule(ctx: ProviderContext, groupId: string, rule: Properties, direction: Direction): Promise<string> {
  const result = await ctx.call('ec2', `AuthorizeSecurityGroup${direction}`, setPermission(ec2Params().set('GroupId', groupId), rule, direction));
  return stringAt(result, 'securityGroupRuleSet', 0, 'securityGroupRuleId');
}

export async function revokeRule(ctx: ProviderContext, groupId: string, rule: Properties, direction: Direction): Promise<void> {
  await unlessGone(ctx.call('ec2', `RevokeSecurityGroup${direction}`, setPermission(ec2Params().set('GroupId', groupId), rule, direction)));
}

const RULE_FIELDS: PropertySchema = {
  IpProtocol: { type: 'string', required: true, replaces: true },
  FromPort: { type: 'number', replaces: true },
  ToPort: { type: 'number', replaces: true },
  CidrIp: { type: 'string', replaces: true },
  CidrIpv6: { type: 'string', replaces: true },
  Description: { type: 'string', replaces: true },
  GroupId: { type: 'string', replaces: true },
};

function standaloneRule(direction: Direction): ResourceProvider {
  const peerFields: PropertySchema = direction === 'Ingress'
    ? {
      GroupName: { type: 'string', replaces: true },
      SourcePrefixListId: { type: 'string', replaces: true },
      SourceSecurityGroupId: { type: 'string', replaces: true },
      SourceSecurityGroupName: { type: 'string', replaces: true },
      SourceSecurityGroupOwnerId: { type: 'string', replaces: true },
    }
    : {
      DestinationPrefixListId: { type: 'string', replaces: true },
      DestinationSecurityGroupId: { type: 'string', replaces: true },
    };
  const groupOf = (ctx: ProviderContext, properties: Properties): string => {
    const id = text(properties, 'GroupId');
    if (id !== undefined) return id;
    const name = text(properties, 'GroupName');
    const group = name === undefined ? undefined : ctx.app.ec2.securityGroups.list().find((candidate) => candidate.groupName === name);
    if (!group) throw new ResourceFailure(`Properties validation failed for resource ${ctx.logicalId} with message:\n#: required key [GroupId] not found`);
    return group.groupId;
  };
  return provider({
    type: `AWS::EC2::SecurityGroup${direction}`,
    schema: { ...RULE_FIELDS, ...peerFields, ...(direction === 'Egress' ? { GroupId: { type: 'string', required: true, replaces: true } } : {}) },
    attributes: ['Id'],
    async create(ctx, properties) {
      const ruleId = await authorizeRule(ctx, groupOf(ctx, properties), properties, direction);
      return { physicalId: ruleId, attributes: { Id: ruleId } };
    },
    async delete(ctx, current) {
      const groupId = text(current.properties, 'GroupId') ?? ctx.app.ec2.securityGroups.list().find((group) => group.groupName === text(current.properties, 'GroupName'))?.groupId;
      if (groupId === undefined) return;
      await unlessGone(ctx.call('ec2', `RevokeSecurityGroup${direction}`, ec2Params().set('GroupId', groupId).list('SecurityGroupRuleId', [current.physicalId])));
    },
  });
}

export const ec2SecurityGroupIngress = standaloneRule('Ingress');
export const ec2SecurityGroupEgress = standaloneRule('Egress');

