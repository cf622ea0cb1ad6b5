/**
 * Policy variables (policy language 2012-10-17 only):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * - `${aws:username}`, `${aws:PrincipalTag/team}`, any context key, matched case-insensitively;
 * - `${*}`, `${?}`, `${$}` stand for a literal `*`, `?`, `$` (never a wildcard);
 * - `${key, 'default'}` gives the value used when the key is absent.
 * A key that is absent (or multi-valued: AWS allows only single-valued keys as variables) and has
 * no default leaves the variable unresolved, and the policy value that holds it matches nothing.
 * Text that is not a well-formed variable is kept literally.
 */
import type { ContextValue } from './types.js';

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'char'; char: string }
  | { kind: 'variable'; key: string; name: string; fallback?: string };

export function parseTemplate(text: string, variables: boolean): TemplatePart[] {
  if (!variables || !text.includes('${')) return text === '' ? [] : [{ kind: 'text', text }];
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    const close = open < 0 ? -1 : text.indexOf('}', open + 2);
    if (open < 0 || close < 0) {
      literal += text.slice(i);
      break;
    }
    literal += text.slice(i, open);
    const part = parseVariable(text.slice(open + 2, close));
    if (part) {
      if (literal !== '') parts.push({ kind: 'text', text: literal });
      literal = '';
      parts.push(part);
    } else {
      literal += text.slice(open, close + 1);
    }
    i = close + 1;
  }
  if (literal !== '') parts.push({ kind: 'text', text: literal });
  return parts;
}

function parseVariable(body: string): TemplatePart | undefined {
  if (body === '*' || body === '?' || body === '$') return { kind: 'char', char: body };
  const comma = body.indexOf(',');
  const name = (comma < 0 ? body : body.slice(0, comma)).trim();
  if (name === '' || /\s/.test(name)) return undefined;
  if (comma < 0) return { kind: 'variable', key: name.toLowerCase(), name };
  const fallback = body.slice(comma + 1).trim();
  if (fallback.length < 2 || !fallback.startsWith("'") || !fallback.endsWith("'")) return undefined;
  return { kind: 'variable', key: name.toLowerCase(), name, fallback: fallback.slice(1, -1) };
}

export function hasVariables(parts: readonly TemplatePart[]): boolean {
  return parts.some((part) => part.kind === 'variable');
}

/** The value of a variable, or undefined when it cannot be resolved. */
export function resolveVariable(part: { key: string; fallback?: string }, keys: ReadonlyMap<string, ContextValue>): string | undefined {
  const value = keys.get(part.key);
  if (typeof value === 'string') return value;
  if (value !== undefined && value.length === 1) return value[0];
  return part.fallback;
}
