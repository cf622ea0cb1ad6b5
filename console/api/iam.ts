/**
 * The IAM calls of the console, read into plain objects. Policy documents arrive URL-encoded, as
 * IAM sends them, and are decoded here.
 */
import { callQuery, everyPage, IAM } from '../lib/api.js';
import { field, list, number, optionalText, text, type XmlValue } from '../lib/xml.js';

export interface Tag {
  key: string;
  value: string;
}

export interface RoleSummary {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createDate: string;
  description?: string;
  trustPolicy: string;
}

export interface Role extends RoleSummary {
  maxSessionDuration?: number;
  permissionsBoundaryArn?: string;
  lastUsedDate?: string;
  lastUsedRegion?: string;
  tags: Tag[];
}

export interface AttachedPolicy {
  policyName: string;
  policyArn: string;
}

export interface InstanceProfile {
  instanceProfileName: string;
  instanceProfileId: string;
  arn: string;
  roleNames: string[];
}

export const REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

const decodeDocument = (encoded: string): string => {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
};

const tagsOf = (value: XmlValue | undefined): Tag[] => list(value, 'Tags').map((tag) => ({ key: text(tag, 'Key'), value: text(tag, 'Value') }));

function roleSummary(value: XmlValue | undefined): RoleSummary {
  const description = optionalText(value, 'Description');
  return {
    roleName: text(value, 'RoleName'), roleId: text(value, 'RoleId'), arn: text(value, 'Arn'), path: text(value, 'Path'),
    createDate: text(value, 'CreateDate'), trustPolicy: decodeDocument(text(value, 'AssumeRolePolicyDocument')),
    ...(description !== undefined ? { description } : {}),
  };
}

/** Every page of a Marker/IsTruncated listing. */
function allPages(action: string, params: Record<string, string>, items: (result: XmlValue) => XmlValue[]): Promise<XmlValue[]> {
  return everyPage(IAM, action, { ...params, MaxItems: '1000' }, { marker: true }, items, 100);
}

export async function listRoles(): Promise<RoleSummary[]> {
  return (await allPages('ListRoles', {}, (result) => list(result, 'Roles'))).map(roleSummary);
}

export async function getRole(roleName: string): Promise<Role> {
  const result = await callQuery(IAM, 'GetRole', { RoleName: roleName });
  const role = field(result, 'Role');
  const maxSessionDuration = number(role, 'MaxSessionDuration');
  const boundary = optionalText(role, 'PermissionsBoundary', 'PermissionsBoundaryArn');
  const lastUsedDate = optionalText(role, 'RoleLastUsed', 'LastUsedDate');
  const lastUsedRegion = optionalText(role, 'RoleLastUsed', 'Region');
  return {
    ...roleSummary(role), tags: tagsOf(role),
    ...(maxSessionDuration !== undefined ? { maxSessionDuration } : {}),
    ...(boundary !== undefined ? { permissionsBoundaryArn: boundary } : {}),
    ...(lastUsedDate !== undefined ? { lastUsedDate } : {}),
    ...(lastUsedRegion !== undefined ? { lastUsedRegion } : {}),
  };
}

export async function listRolePolicyNames(roleName: string): Promise<string[]> {
  return (await allPages('ListRolePolicies', { RoleName: roleName }, (result) => list(result, 'PolicyNames'))).map((name) => (typeof name === 'string' ? name : ''));
}

export async function getRolePolicy(roleName: string, policyName: string): Promise<string> {
  return decodeDocument(text(await callQuery(IAM, 'GetRolePolicy', { RoleName: roleName, PolicyName: policyName }), 'PolicyDocument'));
}

export async function putRolePolicy(roleName: string, policyName: string, document: string): Promise<void> {
  await callQuery(IAM, 'PutRolePolicy', { RoleName: roleName, PolicyName: policyName, PolicyDocument: document });
}

export async function listAttachedRolePolicies(roleName: string): Promise<AttachedPolicy[]> {
  return (await allPages('ListAttachedRolePolicies', { RoleName: roleName }, (result) => list(result, 'AttachedPolicies')))
    .map((policy) => ({ policyName: text(policy, 'PolicyName'), policyArn: text(policy, 'PolicyArn') }));
}

/** The default version's document of a managed policy. */
export async function managedPolicyDocument(policyArn: string): Promise<string> {
  const policy = await callQuery(IAM, 'GetPolicy', { PolicyArn: policyArn });
  const versionId = text(policy, 'Policy', 'DefaultVersionId');
  const version = await callQuery(IAM, 'GetPolicyVersion', { PolicyArn: policyArn, VersionId: versionId });
  return decodeDocument(text(version, 'PolicyVersion', 'Document'));
}

function instanceProfile(value: XmlValue): InstanceProfile {
  return {
    instanceProfileName: text(value, 'InstanceProfileName'), instanceProfileId: text(value, 'InstanceProfileId'), arn: text(value, 'Arn'),
    roleNames: list(value, 'Roles').map((role) => text(role, 'RoleName')),
  };
}

export async function listInstanceProfilesForRole(roleName: string): Promise<InstanceProfile[]> {
  return (await allPages('ListInstanceProfilesForRole', { RoleName: roleName }, (result) => list(result, 'InstanceProfiles'))).map(instanceProfile);
}

export async function listInstanceProfiles(): Promise<InstanceProfile[]> {
  return (await allPages('ListInstanceProfiles', {}, (result) => list(result, 'InstanceProfiles'))).map(instanceProfile);
}

/** The document AWS's console puts for "Revoke active sessions": deny everything to tokens issued before `cutoff`. */
export function revokeOlderSessionsDocument(cutoff: Date): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff.toISOString() } } }],
  });
}

/**
 * The cut-off of an AWSRevokeOlderSessions document: the latest aws:TokenIssueTime of its Deny
 * statements' DateLessThan conditions (AWS writes a Statement array or one object, a time or a list).
 */
export function revokeCutoff(document: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    return undefined;
  }
  const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
  const entries = (value: unknown): Array<[string, unknown]> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : []);
  let latest: string | undefined;
  for (const statement of asList((parsed as { Statement?: unknown } | null)?.Statement)) {
    const fields = new Map(entries(statement));
    if (fields.get('Effect') !== 'Deny') continue;
    for (const [operator, keys] of entries(fields.get('Condition'))) {
      if (operator.toLowerCase() !== 'datelessthan') continue;
      for (const [key, times] of entries(keys)) {
        if (key.toLowerCase() !== 'aws:tokenissuetime') continue;
        for (const time of asList(times)) {
          if (typeof time === 'string' && !Number.isNaN(Date.parse(time)) && (latest === undefined || Date.parse(time) > Date.parse(latest))) latest = time;
        }
      }
    }
  }
  return latest;
}

/** Who may assume the role, from its trust policy: "AWS service: ec2.amazonaws.com", "Account: 1234..." */
export function trustedEntities(trustPolicy: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(trustPolicy);
  } catch {
    return [];
  }
  const statements = (parsed as { Statement?: unknown }).Statement;
  const entities: string[] = [];
  for (const statement of Array.isArray(statements) ? statements : [statements]) {
    const principal = (statement as { Effect?: unknown; Principal?: unknown } | undefined);
    if (!principal || principal.Effect !== 'Allow') continue;
    const value = principal.Principal;
    if (value === '*') entities.push('Anyone (*)');
    if (typeof value !== 'object' || value === null) continue;
    for (const [kind, names] of Object.entries(value as Record<string, unknown>)) {
      const label = kind === 'Service' ? 'AWS service' : kind === 'AWS' ? 'AWS' : kind === 'Federated' ? 'Identity provider' : kind;
      for (const name of Array.isArray(names) ? names : [names]) if (typeof name === 'string') entities.push(`${label}: ${name}`);
    }
  }
  return entities;
}
