/**
 * AWS's role-wide revoke, "Revoke active sessions" (IAM user guide, "Revoke IAM role temporary
 * security credentials"): an inline role policy named AWSRevokeOlderSessions that denies everything
 * to tokens issued before a point in time. The policy engine enforces it like any other policy; the
 * inventory only reads its cut-off, to show which sessions it cuts.
 *
 * iamd writes the form the console writes (an array of statements, milliseconds); both forms AWS
 * shows are read (the single-object Statement, whole seconds).
 */

export const REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

/** The document the console puts, denying every token issued before `cutoff`. */
export function revokePolicyDocument(cutoff: Date): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff.toISOString() } } }],
  });
}

/** The stored spelling of the revoke policy's name on a role (IAM names match without regard to case). */
export function revokePolicyName(inlinePolicies: Readonly<Record<string, string>>): string | undefined {
  const wanted = REVOKE_POLICY_NAME.toLowerCase();
  return Object.keys(inlinePolicies).find((name) => name.toLowerCase() === wanted);
}

const cutoffs = new Map<string, number | undefined>();
const CACHE_LIMIT = 1000;

/**
 * The cut-off (ms) of a role's AWSRevokeOlderSessions policy: the latest aws:TokenIssueTime of a
 * Deny statement's DateLessThan condition, or undefined when the role has none. Parsed once per
 * document text.
 */
export function revokeCutoff(inlinePolicies: Readonly<Record<string, string>>): number | undefined {
  const name = revokePolicyName(inlinePolicies);
  if (name === undefined) return undefined;
  const text = inlinePolicies[name]!;
  if (cutoffs.has(text)) return cutoffs.get(text);
  const cutoff = parseCutoff(text);
  if (cutoffs.size >= CACHE_LIMIT) cutoffs.clear();
  cutoffs.set(text, cutoff);
  return cutoff;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function entries(value: Json | undefined): Array<[string, Json]> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
}

function parseCutoff(text: string): number | undefined {
  let document: Json;
  try {
    document = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  const statement = entries(document).find(([key]) => key === 'Statement')?.[1];
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  let latest: number | undefined;
  for (const item of statements) {
    const fields = new Map(entries(item));
    if (fields.get('Effect') !== 'Deny') continue;
    for (const [operator, keys] of entries(fields.get('Condition'))) {
      if (operator.toLowerCase() !== 'datelessthan') continue;
      for (const [key, value] of entries(keys)) {
        if (key.toLowerCase() !== 'aws:tokenissuetime') continue;
        for (const text of Array.isArray(value) ? value : [value]) {
          const time = typeof text === 'string' ? Date.parse(text) : NaN;
          if (Number.isFinite(time) && (latest === undefined || time > latest)) latest = time;
        }
      }
    }
  }
  return latest;
}
