/** A role and what hangs on it, loaded together for the role page. */
import {
  getRole, getRolePolicy, listAttachedRolePolicies, listInstanceProfilesForRole, listRolePolicyNames, REVOKE_POLICY_NAME, revokeCutoff,
  type AttachedPolicy, type InstanceProfile, type Role,
} from '../../api/iam.js';

export interface RoleBundle {
  role: Role;
  inline: Array<{ name: string; document: string }>;
  attached: AttachedPolicy[];
  profiles: InstanceProfile[];
}

export async function loadBundle(roleName: string): Promise<RoleBundle> {
  const [role, names, attached, profiles] = await Promise.all([
    getRole(roleName), listRolePolicyNames(roleName), listAttachedRolePolicies(roleName), listInstanceProfilesForRole(roleName),
  ]);
  const inline = await Promise.all(names.map(async (name) => ({ name, document: await getRolePolicy(roleName, name) })));
  return { role, inline, attached, profiles };
}

/** The cut-off of the role's AWSRevokeOlderSessions policy, if it has one. */
export function cutoffOf(bundle: RoleBundle): string | undefined {
  const policy = bundle.inline.find((item) => item.name.toLowerCase() === REVOKE_POLICY_NAME.toLowerCase());
  return policy ? revokeCutoff(policy.document) : undefined;
}
