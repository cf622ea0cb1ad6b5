/**
 * Helpers for the engine's tests (not exported by index.ts): policies from objects, principals,
 * request contexts, and a seeded random generator for the property tests.
 */
import { compilePolicy } from './compile.js';
import { contextKeys } from './context.js';
import type { CompiledPolicy, ContextValue, PolicyKind, PolicySource, PrincipalIdentity, RequestContext } from './types.js';

export const ACCOUNT = '111122223333';

export function policy(document: object | string, kind: PolicyKind = 'identity', source?: PolicySource): CompiledPolicy {
  return compilePolicy(typeof document === 'string' ? document : JSON.stringify(document), kind, source);
}

/** A 2012-10-17 policy of the given statements. */
export function statements(...list: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: list });
}

export function user(name: string, account = ACCOUNT): PrincipalIdentity {
  return { type: 'User', arn: `arn:aws:iam::${account}:user/${name}`, accountId: account };
}

export function roleSession(role: string, sessionName: string, account = ACCOUNT): PrincipalIdentity {
  return {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${sessionName}`,
    accountId: account,
    roleArn: `arn:aws:iam::${account}:role/${role}`,
  };
}

export function root(account = ACCOUNT): PrincipalIdentity {
  return { type: 'Root', arn: `arn:aws:iam::${account}:root`, accountId: account };
}

export function request(
  action: string,
  resource: string,
  principal: PrincipalIdentity,
  keys: Readonly<Record<string, ContextValue | undefined>> = {},
): RequestContext {
  return { action, resource, principal, keys: contextKeys(keys) };
}

/** mulberry32: a small seeded generator, so property tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

export function randomString(random: () => number, alphabet: string, maxLength: number): string {
  const length = Math.floor(random() * (maxLength + 1));
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}
