/**
 * The Principal / NotPrincipal element of resource-based and trust policies:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 *
 * A match has a strength, because within one account the evaluation logic treats them differently
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
 * - Direct: the user ARN, the role session ARN, the federated-user ARN, a service, an identity
 *   provider or a canonical user is named. Such an Allow is enough on its own.
 * - Indirect: the role ARN of the calling session, or "*". Such an Allow stands in for an
 *   identity-based Allow and is still limited by a permissions boundary and session policies.
 * - Account: the account id or arn:aws:iam::ACCT:root. Same-account, this delegates to IAM
 *   policies: it grants nothing on its own.
 * Wildcards are not allowed in principal ARNs ("*" alone means everyone, anonymous included).
 */
import { PolicyDocumentError } from './errors.js';
import { MALFORMED } from './messages.js';
import type { PrincipalIdentity } from './types.js';

export const enum PrincipalMatch {
  None = 0,
  Account = 1,
  Indirect = 2,
  Direct = 3,
}

export interface PrincipalValues {
  AWS?: readonly string[];
  Service?: readonly string[];
  Federated?: readonly string[];
  CanonicalUser?: readonly string[];
}

const PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc):(iam|sts)::([0-9]{12}):(.+)$/;

export class CompiledPrincipals {
  private wildcard = false;
  private readonly accounts = new Set<string>();
  private readonly users = new Set<string>();
  private readonly roles = new Set<string>();
  private readonly sessions = new Set<string>();
  private readonly federatedUsers = new Set<string>();
  private readonly services = new Set<string>();
  private readonly providers = new Set<string>();
  private readonly canonicalUsers = new Set<string>();

  /** "*" or a map of principal types to values (already checked for shape); throws PolicyDocumentError. */
  constructor(value: '*' | PrincipalValues) {
    if (value === '*') {
      this.wildcard = true;
      return;
    }
    for (const aws of value.AWS ?? []) this.addAws(aws);
    for (const service of value.Service ?? []) {
      if (!/^[A-Za-z0-9.-]+$/.test(service)) throw new PolicyDocumentError(MALFORMED.invalidPrincipal('Service', service));
      this.services.add(service);
    }
    for (const provider of value.Federated ?? []) {
      if (provider === '' || /[\s*?]/.test(provider)) throw new PolicyDocumentError(MALFORMED.invalidPrincipal('Federated', provider));
      this.providers.add(provider);
    }
    for (const canonical of value.CanonicalUser ?? []) {
      if (!/^[0-9A-Za-z]+$/.test(canonical)) throw new PolicyDocumentError(MALFORMED.invalidPrincipal('CanonicalUser', canonical));
      this.canonicalUsers.add(canonical);
    }
  }

  private addAws(value: string): void {
    if (value === '*') {
      this.wildcard = true;
      return;
    }
    if (/^[0-9]{12}$/.test(value)) {
      this.accounts.add(value);
      return;
    }
    // A principal whose entity was deleted shows as its unique id (AIDA..., AROA...): it matches nothing.
    if (/^A[A-Z0-9]{15,127}$/.test(value)) return;
    const match = PRINCIPAL_ARN.exec(value);
    const rest = match?.[4] ?? '';
    if (match && !/[*?]/.test(rest)) {
      const service = match[2];
      const account = match[3];
      if (service === 'iam' && rest === 'root') {
        this.accounts.add(account);
        return;
      }
      if (service === 'iam' && /^user\/(.+\/)?[^/]+$/.test(rest)) {
        this.users.add(value);
        return;
      }
      if (service === 'iam' && /^role\/(.+\/)?[^/]+$/.test(rest)) {
        this.roles.add(value);
        return;
      }
      if (service === 'sts' && /^assumed-role\/[^/]+\/[^/]+$/.test(rest)) {
        this.sessions.add(value);
        return;
      }
      if (service === 'sts' && /^federated-user\/[^/]+$/.test(rest)) {
        this.federatedUsers.add(value);
        return;
      }
    }
    throw new PolicyDocumentError(MALFORMED.invalidPrincipal('AWS', value));
  }

  /** How strongly the principal is named (PrincipalMatch.None when it is not). */
  match(principal: PrincipalIdentity): PrincipalMatch {
    let best = this.wildcard ? PrincipalMatch.Indirect : PrincipalMatch.None;
    switch (principal.type) {
      case 'User':
        if (this.users.has(principal.arn)) return PrincipalMatch.Direct;
        break;
      case 'AssumedRole':
        if (this.sessions.has(principal.arn)) return PrincipalMatch.Direct;
        if (principal.roleArn !== undefined && this.roles.has(principal.roleArn)) best = PrincipalMatch.Indirect;
        break;
      case 'FederatedUser':
        if (this.federatedUsers.has(principal.arn)) return PrincipalMatch.Direct;
        break;
      case 'Service':
        return this.services.has(principal.arn) || this.wildcard ? PrincipalMatch.Direct : PrincipalMatch.None;
      case 'Federated':
        return this.providers.has(principal.arn) || this.wildcard ? PrincipalMatch.Direct : PrincipalMatch.None;
      case 'Anonymous':
        return this.wildcard ? PrincipalMatch.Direct : PrincipalMatch.None;
      case 'Root':
        break;
    }
    if (principal.canonicalUserId !== undefined && this.canonicalUsers.has(principal.canonicalUserId)) return PrincipalMatch.Direct;
    if (best === PrincipalMatch.None && this.accounts.has(principal.accountId)) best = PrincipalMatch.Account;
    return best;
  }
}
