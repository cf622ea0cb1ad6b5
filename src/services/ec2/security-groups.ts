/**
 * Security groups and their rules. Rules are kept as AWS describes them (IpPermission: a protocol
 * and port range with its sources) and compared one source at a time: authorizing a rule that
 * exists is InvalidPermission.Duplicate; revoking rules none of which exist is
 * InvalidPermission.NotFound, and revoking some that do not is answered with them in
 * unknownIpPermissionSet. Both the IpPermissions.N form and the flat CidrIp/IpProtocol/FromPort/ToPort
 * form are read. Rule ids (sgr-) are derived from the rule, so they are stable without being stored.
 * Nothing filters traffic: there is no traffic to filter.
 */
import type { XmlObject } from '../../protocol/xml.js';
import { AwsError } from '../../protocol/aws-error.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import { byKey, describeAuthorization, ec2Action, ec2Arn, requestTagKeys, requireAll, resourceTagKeys, tagOnCreateAuthorization, tagsXml } from './common.js';
import { parseCidr } from './cidr.js';
import { dependencyViolation, invalidParameterValue, missingParameter } from './errors.js';
import { derivedId } from './ids.js';
import { applyFilters, Ec2Input, filtersOf, pageRequest, paginate, tagSpecificationsOf, type FilterFields } from './input.js';
import { defaultVpc, findSecurityGroup, findSecurityGroupByName, findVpc } from './lookups.js';
import type { IpPermission, SecurityGroupRecord } from './types.js';

/** One rule: a protocol, a port range and one source (or destination, for egress). */
interface Rule {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  source:
    | { kind: 'cidr'; cidrIp: string; description?: string }
    | { kind: 'cidr6'; cidrIpv6: string; description?: string }
    | { kind: 'group'; groupId: string; userId: string; description?: string }
    | { kind: 'prefix'; prefixListId: string; description?: string };
}

function sourceKey(rule: Rule): string {
  const source = rule.source;
  switch (source.kind) {
    case 'cidr': return `cidr:${source.cidrIp}`;
    case 'cidr6': return `cidr6:${source.cidrIpv6}`;
    case 'group': return `group:${source.groupId}`;
    case 'prefix': return `prefix:${source.prefixListId}`;
  }
}

const ruleKey = (rule: Rule): string => `${rule.ipProtocol}|${rule.fromPort ?? ''}|${rule.toPort ?? ''}|${sourceKey(rule)}`;

export function flattenPermissions(permissions: readonly IpPermission[]): Rule[] {
  return permissions.flatMap((permission) => {
    const base = { ipProtocol: permission.ipProtocol, fromPort: permission.fromPort, toPort: permission.toPort };
    return [
      ...permission.ipRanges.map((range): Rule => ({ ...base, source: { kind: 'cidr', ...range } })),
      ...permission.ipv6Ranges.map((range): Rule => ({ ...base, source: { kind: 'cidr6', ...range } })),
      ...permission.userIdGroupPairs.map((pair): Rule => ({ ...base, source: { kind: 'group', ...pair } })),
      ...permission.prefixListIds.map((prefix): Rule => ({ ...base, source: { kind: 'prefix', ...prefix } })),
    ];
  });
}

/** Rules back into IpPermissions, one per protocol and port range, as EC2 describes them. */
export function groupRules(rules: readonly Rule[]): IpPermission[] {
  const byRange = new Map<string, IpPermission>();
  for (const rule of rules) {
    const key = `${rule.ipProtocol}|${rule.fromPort ?? ''}|${rule.toPort ?? ''}`;
    let permission = byRange.get(key);
    if (!permission) {
      permission = {
        ipProtocol: rule.ipProtocol,
        ...(rule.fromPort !== undefined ? { fromPort: rule.fromPort } : {}),
        ...(rule.toPort !== undefined ? { toPort: rule.toPort } : {}),
        ipRanges: [], ipv6Ranges: [], userIdGroupPairs: [], prefixListIds: [],
      };
      byRange.set(key, permission);
    }
    const { kind, ...source } = rule.source;
    if (kind === 'cidr') permission.ipRanges.push(source as IpPermission['ipRanges'][number]);
    else if (kind === 'cidr6') permission.ipv6Ranges.push(source as IpPermission['ipv6Ranges'][number]);
    else if (kind === 'group') permission.userIdGroupPairs.push(source as IpPermission['userIdGroupPairs'][number]);
    else permission.prefixListIds.push(source as IpPermission['prefixListIds'][number]);
  }
  return [...byRange.values()];
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };

function protocolOf(text: string | undefined): string {
  if (text === undefined || text === '') throw missingParameter('IpProtocol');
  const lower = text.toLowerCase();
  const name = PROTOCOL_NAMES[lower] ?? lower;
  if (!['tcp', 'udp', 'icmp', 'icmpv6', '-1'].includes(name) && !/^\d{1,3}$/.test(name)) {
    throw invalidParameterValue(`Invalid value '${text}' for IP protocol. Unknown protocol.`);
  }
  return name;
}

function portsOf(protocol: string, fromPort: number | undefined, toPort: number | undefined): { fromPort?: number; toPort?: number } {
  if (protocol === '-1') return {};
  if (protocol === 'tcp' || protocol === 'udp') {
    if (fromPort === undefined || toPort === undefined) throw invalidParameterValue("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange");
    if (fromPort < 0 || toPort > 65535 || fromPort > toPort) throw invalidParameterValue(`Invalid value '${fromPort}-${toPort}' for portRange. Ports must be from 0 to 65535, and the from port no greater than the to port.`);
    return { fromPort, toPort };
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') {
    const type = fromPort ?? -1;
    const code = toPort ?? -1;
    if (type < -1 || type > 255 || code < -1 || code > 255) throw invalidParameterValue(`Invalid value '${type},${code}' for ICMP type and code.`);
    return { fromPort: type, toPort: code };
  }
  return {};
}

function cidrOf(text: string): string {
  if (!parseCidr(text)) throw invalidParameterValue(`CIDR block ${text} is malformed`);
  return text;
}

/** The rules of an Authorize/Revoke request, in either form. */
function rulesOf(ctx: OperationContext, input: Ec2Input, group: SecurityGroupRecord): Rule[] {
  const rules: Rule[] = [];
  for (const item of input.structures('IpPermissions')) {
    const ipProtocol = protocolOf(item.string('IpProtocol'));
    const base = { ipProtocol, ...portsOf(ipProtocol, item.integer('FromPort'), item.integer('ToPort')) };
    const description = (entry: Ec2Input): { description?: string } => {
      const text = entry.string('Description');
      return text === undefined ? {} : { description: text };
    };
    const sources: Rule['source'][] = [
      ...item.structures('IpRanges').map((range): Rule['source'] => ({ kind: 'cidr', cidrIp: cidrOf(range.required('CidrIp', 'IpRanges.CidrIp')), ...description(range) })),
      ...item.structures('Ipv6Ranges').map((range): Rule['source'] => ({ kind: 'cidr6', cidrIpv6: range.required('CidrIpv6', 'Ipv6Ranges.CidrIpv6'), ...description(range) })),
      ...item.structures('Groups').map((pair): Rule['source'] => {
        const id = pair.string('GroupId');
        const peer = id !== undefined ? findSecurityGroup(ctx, id) : findSecurityGroupByName(ctx, pair.required('GroupName', 'Groups.GroupId'), group.vpcId);
        return { kind: 'group', groupId: peer.groupId, userId: pair.string('UserId') ?? ctx.app.accountId, ...description(pair) };
      }),
      ...item.structures('PrefixListIds').map((prefix): Rule['source'] => ({ kind: 'prefix', prefixListId: prefix.required('PrefixListId', 'PrefixListIds.PrefixListId'), ...description(prefix) })),
    ];
    if (sources.length === 0) throw missingParameter('IpPermissions.IpRanges');
    for (const source of sources) rules.push({ ...base, source });
  }
  const flatProtocol = input.string('IpProtocol');
  const cidrIp = input.string('CidrIp');
  const sourceGroupName = input.string('SourceSecurityGroupName');
  if (flatProtocol !== undefined || cidrIp !== undefined || sourceGroupName !== undefined) {
    if (sourceGroupName !== undefined && flatProtocol === undefined && cidrIp === undefined) {
      // A whole group as the source: every protocol and port, as EC2 treats the classic form.
      const peer = findSecurityGroupByName(ctx, sourceGroupName, group.vpcId);
      for (const ipProtocol of ['tcp', 'udp']) rules.push({ ipProtocol, fromPort: 0, toPort: 65535, source: { kind: 'group', groupId: peer.groupId, userId: ctx.app.accountId } });
      rules.push({ ipProtocol: 'icmp', fromPort: -1, toPort: -1, source: { kind: 'group', groupId: peer.groupId, userId: ctx.app.accountId } });
    } else {
      const ipProtocol = protocolOf(flatProtocol);
      const base = { ipProtocol, ...portsOf(ipProtocol, input.integer('FromPort'), input.integer('ToPort')) };
      if (sourceGroupName !== undefined) {
        const peer = findSecurityGroupByName(ctx, sourceGroupName, group.vpcId);
        rules.push({ ...base, source: { kind: 'group', groupId: peer.groupId, userId: input.string('SourceSecurityGroupOwnerId') ?? ctx.app.accountId } });
      } else {
        rules.push({ ...base, source: { kind: 'cidr', cidrIp: cidrOf(cidrIp ?? '0.0.0.0/0') } });
      }
    }
  }
  return rules;
}

function ruleId(groupId: string, egress: boolean, rule: Rule): string {
  return derivedId('sgr', groupId, egress ? 'egress' : 'ingress', ruleKey(rule));
}

function ruleXml(ctx: OperationContext, group: SecurityGroupRecord, egress: boolean, rule: Rule): XmlObject {
  const source = rule.source;
  return {
    securityGroupRuleId: ruleId(group.groupId, egress, rule),
    groupId: group.groupId,
    groupOwnerId: group.ownerId,
    isEgress: egress,
    ipProtocol: rule.ipProtocol,
    fromPort: rule.fromPort ?? -1,
    toPort: rule.toPort ?? -1,
    cidrIpv4: source.kind === 'cidr' ? source.cidrIp : undefined,
    cidrIpv6: source.kind === 'cidr6' ? source.cidrIpv6 : undefined,
    prefixListId: source.kind === 'prefix' ? source.prefixListId : undefined,
    referencedGroupInfo: source.kind === 'group' ? { groupId: source.groupId, userId: source.userId } : undefined,
    description: source.description,
    tagSet: [],
    securityGroupRuleArn: ec2Arn(ctx, 'security-group-rule', ruleId(group.groupId, egress, rule)),
  };
}

function describeRule(rule: Rule): string {
  const source = rule.source;
  const peer = source.kind === 'cidr' ? source.cidrIp : source.kind === 'cidr6' ? source.cidrIpv6 : source.kind === 'group' ? source.groupId : source.prefixListId;
  const protocol = rule.ipProtocol === '-1' ? 'ALL' : rule.ipProtocol.toUpperCase();
  const ports = rule.fromPort === undefined ? '' : `, from port: ${rule.fromPort}, to port: ${rule.toPort}`;
  return `peer: ${peer}, ${protocol}${ports}, ALLOW`;
}

export function permissionXml(permission: IpPermission): XmlObject {
  return {
    ipProtocol: permission.ipProtocol,
    fromPort: permission.fromPort,
    toPort: permission.toPort,
    groups: permission.userIdGroupPairs.map((pair) => ({ description: pair.description, userId: pair.userId, groupId: pair.groupId })),
    ipRanges: permission.ipRanges.map((range) => ({ description: range.description, cidrIp: range.cidrIp })),
    ipv6Ranges: permission.ipv6Ranges.map((range) => ({ description: range.description, cidrIpv6: range.cidrIpv6 })),
    prefixListIds: permission.prefixListIds.map((prefix) => ({ description: prefix.description, prefixListId: prefix.prefixListId })),
  };
}

function groupAuthorization(ctx: OperationContext, action: string, group: SecurityGroupRecord): Authorization {
  return {
    action: ec2Action(action),
    resource: ec2Arn(ctx, 'security-group', group.groupId),
    conditionKeys: { 'ec2:Vpc': ec2Arn(ctx, 'vpc', group.vpcId), 'ec2:SecurityGroupID': group.groupId, ...resourceTagKeys(group.tags) },
  };
}

/** GroupId, or GroupName in the default VPC. */
function targetGroup(ctx: OperationContext, input: Ec2Input, allowName: boolean): SecurityGroupRecord {
  const id = input.string('GroupId');
  if (id !== undefined) return findSecurityGroup(ctx, id);
  const name = allowName ? input.string('GroupName') : undefined;
  if (name === undefined) throw missingParameter('GroupId');
  return findSecurityGroupByName(ctx, name);
}

function changeRules(egress: boolean, revoke: boolean) {
  const action = `${revoke ? 'Revoke' : 'Authorize'}SecurityGroup${egress ? 'Egress' : 'Ingress'}`;
  return operation<Ec2Input>({
    input: (query) => new Ec2Input(query),
    authorize: () => 'in-handler',
    handle(input, ctx) {
      const group = targetGroup(ctx, input, !egress);
      const ruleIds = revoke ? input.list('SecurityGroupRuleId') : [];
      const requested = rulesOf(ctx, input, group);
      const current = flattenPermissions(egress ? group.ipPermissionsEgress : group.ipPermissions);
      const byRuleId = ruleIds.map((id) => {
        const rule = current.find((candidate) => ruleId(group.groupId, egress, candidate) === id);
        if (!rule) throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`, 400);
        return rule;
      });
      const rules = [...requested, ...byRuleId];
      if (rules.length === 0) throw missingParameter('IpPermissions');
      const tags = revoke ? [] : tagSpecificationsOf(input, ['security-group-rule']).get('security-group-rule') ?? [];
      const authorization = groupAuthorization(ctx, action, group);
      requireAll(ctx, input.dryRun, [{ ...authorization, conditionKeys: { ...authorization.conditionKeys, ...requestTagKeys(tags) } }]);
      const field = egress ? 'ipPermissionsEgress' : 'ipPermissions';
      const currentKeys = new Set(current.map(ruleKey));
      if (!revoke) {
        const seen = new Set<string>();
        for (const rule of rules) {
          if (currentKeys.has(ruleKey(rule)) || seen.has(ruleKey(rule))) {
            throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(rule)}" already exists`, 400);
          }
          seen.add(ruleKey(rule));
        }
        ctx.app.ec2.securityGroups.put({ ...group, [field]: groupRules([...current, ...rules]) });
        return { return: true, securityGroupRuleSet: rules.map((rule) => ruleXml(ctx, group, egress, rule)) };
      }
      const known = rules.filter((rule) => currentKeys.has(ruleKey(rule)));
      const unknown = rules.filter((rule) => !currentKeys.has(ruleKey(rule)));
      if (known.length === 0) throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.', 400);
      const dropped = new Set(known.map(ruleKey));
      ctx.app.ec2.securityGroups.put({ ...group, [field]: groupRules(current.filter((rule) => !dropped.has(ruleKey(rule)))) });
      return {
        return: true,
        unknownIpPermissionSet: unknown.length === 0 ? undefined : groupRules(unknown).map(permissionXml),
        revokedSecurityGroupRuleSet: known.map((rule) => {
          const xml = ruleXml(ctx, group, egress, rule);
          return {
            securityGroupRuleId: xml.securityGroupRuleId, groupId: group.groupId, isEgress: egress, ipProtocol: rule.ipProtocol,
            fromPort: xml.fromPort, toPort: xml.toPort, cidrIpv4: xml.cidrIpv4, cidrIpv6: xml.cidrIpv6, prefixListId: xml.prefixListId,
            referencedGroupId: rule.source.kind === 'group' ? rule.source.groupId : undefined, description: rule.source.description,
          };
        }),
      };
    },
  });
}

const allTrafficOut = (): IpPermission => ({ ipProtocol: '-1', ipRanges: [{ cidrIp: '0.0.0.0/0' }], ipv6Ranges: [], userIdGroupPairs: [], prefixListIds: [] });

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html */
const CreateSecurityGroup = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const groupName = input.required('GroupName');
    const description = input.required('GroupDescription');
    if (groupName.length > 255) throw invalidParameterValue(`Invalid value '${groupName}' for groupName. Length exceeds maximum of 255`);
    if (description.length > 255) throw invalidParameterValue(`Invalid value '${description}' for GroupDescription. Length exceeds maximum of 255`);
    if (groupName.startsWith('sg-')) throw invalidParameterValue(`Invalid value '${groupName}' for groupName. Group names may not be in the format sg-*`);
    const vpcId = input.string('VpcId');
    const vpc = vpcId !== undefined ? findVpc(ctx, vpcId) : defaultVpc(ctx);
    if (!vpc) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user', 400);
    const tags = tagSpecificationsOf(input, ['security-group']).get('security-group') ?? [];
    const state = ctx.app.ec2;
    const group: SecurityGroupRecord = {
      groupId: state.ids.id('sg'), groupName, description, vpcId: vpc.vpcId, ownerId: ctx.app.accountId,
      ipPermissions: [], ipPermissionsEgress: [allTrafficOut()], tags,
    };
    const arn = ec2Arn(ctx, 'security-group', group.groupId);
    const vpcArn = ec2Arn(ctx, 'vpc', vpc.vpcId);
    requireAll(ctx, input.dryRun, [
      { action: ec2Action('CreateSecurityGroup'), resource: arn, conditionKeys: { 'ec2:Vpc': vpcArn, ...requestTagKeys(tags) } },
      { action: ec2Action('CreateSecurityGroup'), resource: vpcArn, conditionKeys: { 'ec2:VpcID': vpc.vpcId, ...resourceTagKeys(vpc.tags) } },
      ...tagOnCreateAuthorization(arn, 'CreateSecurityGroup', tags),
    ]);
    if (state.securityGroups.list().some((other) => other.vpcId === vpc.vpcId && other.groupName === groupName)) {
      throw new AwsError('InvalidGroup.Duplicate', `The security group '${groupName}' already exists for VPC '${vpc.vpcId}'`, 400);
    }
    state.securityGroups.put(group);
    return { groupId: group.groupId, tagSet: tags.length > 0 ? tagsXml(tags) : undefined, securityGroupArn: arn };
  },
});

const GROUP_FILTERS: FilterFields<SecurityGroupRecord> = {
  'group-id': (group) => group.groupId,
  'group-name': (group) => group.groupName,
  'vpc-id': (group) => group.vpcId,
  description: (group) => group.description,
  'owner-id': (group) => group.ownerId,
  'ip-permission.protocol': (group) => group.ipPermissions.map((permission) => permission.ipProtocol),
  'ip-permission.from-port': (group) => group.ipPermissions.map((permission) => permission.fromPort),
  'ip-permission.to-port': (group) => group.ipPermissions.map((permission) => permission.toPort),
  'ip-permission.cidr': (group) => group.ipPermissions.flatMap((permission) => permission.ipRanges.map((range) => range.cidrIp)),
  'ip-permission.group-id': (group) => group.ipPermissions.flatMap((permission) => permission.userIdGroupPairs.map((pair) => pair.groupId)),
  'egress.ip-permission.protocol': (group) => group.ipPermissionsEgress.map((permission) => permission.ipProtocol),
  'egress.ip-permission.cidr': (group) => group.ipPermissionsEgress.flatMap((permission) => permission.ipRanges.map((range) => range.cidrIp)),
};

export function securityGroupXml(ctx: OperationContext, group: SecurityGroupRecord): XmlObject {
  return {
    ownerId: group.ownerId,
    groupId: group.groupId,
    groupName: group.groupName,
    groupDescription: group.description,
    ipPermissions: group.ipPermissions.map(permissionXml),
    ipPermissionsEgress: group.ipPermissionsEgress.map(permissionXml),
    vpcId: group.vpcId,
    securityGroupArn: ec2Arn(ctx, 'security-group', group.groupId),
    tagSet: tagsXml(group.tags),
  };
}

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSecurityGroups.html */
const DescribeSecurityGroups = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const ids = input.list('GroupId');
    const names = input.list('GroupName');
    const page = pageRequest(input);
    const filters = filtersOf(input);
    const chosen = ids.length > 0 || names.length > 0
      ? [...ids.map((id) => findSecurityGroup(ctx, id)), ...names.map((name) => findSecurityGroupByName(ctx, name))]
      : ctx.app.ec2.securityGroups.list();
    requireAll(ctx, input.dryRun, [describeAuthorization('DescribeSecurityGroups')]);
    const unique = [...new Map(chosen.map((group) => [group.groupId, group])).values()];
    const matching = applyFilters(unique, filters, GROUP_FILTERS, (group) => group.tags).sort(byKey((group) => group.groupId));
    const { items, nextToken } = paginate(matching, page);
    return { securityGroupInfo: items.map((group) => securityGroupXml(ctx, group)), nextToken };
  },
});

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html */
const DeleteSecurityGroup = operation<Ec2Input>({
  input: (query) => new Ec2Input(query),
  authorize: () => 'in-handler',
  handle(input, ctx) {
    const group = targetGroup(ctx, input, true);
    requireAll(ctx, input.dryRun, [groupAuthorization(ctx, 'DeleteSecurityGroup', group)]);
    if (group.groupName === 'default') {
      throw new AwsError('CannotDelete', `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`, 400);
    }
    const state = ctx.app.ec2;
    const inUse = state.instances.list().some((instance) => instance.state !== 'terminated' && instance.securityGroupIds.includes(group.groupId))
      || state.vpcEndpoints.list().some((endpoint) => endpoint.securityGroupIds.includes(group.groupId))
      || state.securityGroups.list().some((other) => other.groupId !== group.groupId
        && flattenPermissions([...other.ipPermissions, ...other.ipPermissionsEgress]).some((rule) => rule.source.kind === 'group' && rule.source.groupId === group.groupId));
    if (inUse) throw dependencyViolation(`resource ${group.groupId} has a dependent object`);
    state.securityGroups.delete(group.groupId);
    return { return: true, groupId: group.groupId };
  },
});

export const securityGroupOperations: OperationMap = {
  CreateSecurityGroup,
  DescribeSecurityGroups,
  DeleteSecurityGroup,
  AuthorizeSecurityGroupIngress: changeRules(false, false),
  AuthorizeSecurityGroupEgress: changeRules(true, false),
  RevokeSecurityGroupIngress: changeRules(false, true),
  RevokeSecurityGroupEgress: changeRules(true, true),
};
