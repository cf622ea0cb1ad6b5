/**
 * The authenticated principal of a request: who signed it, with which key, and (for temporary
 * credentials) the session's claims. Built once per request by authenticate.ts.
 */
import type { SessionClaims } from './session-token.js';

export type CallerKind = 'root' | 'user' | 'role-session' | 'user-session' | 'root-session' | 'federated-user';

export interface Caller {
  kind: CallerKind;
  accountId: string;
  /** the principal's ARN as GetCallerIdentity reports it */
  arn: string;
  /** aws:userid: AIDA... for users, AROA...:session for role sessions, the account id for root */
  userId: string;
  accessKeyId: string;
  /** IAM user name (users, their GetSessionToken sessions, and the user behind a federated user) */
  userName?: string;
  /** role name (role sessions) */
  roleName?: string;
  /** the role's ARN for role sessions (aws:PrincipalArn) */
  roleArn?: string;
  /** temporary credentials only */
  session?: SessionClaims;
}

export function isTemporary(caller: Caller): boolean {
  return caller.session !== undefined;
}

/** aws:PrincipalArn: for a role session, the role's ARN, not the session's. */
export function principalArn(caller: Caller): string {
  return caller.roleArn ?? caller.arn;
}
