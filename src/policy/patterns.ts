/**
 * Compiled policy values that are compared as text: Resource/NotResource entries, String* and Arn*
 * condition values. A value without policy variables compiles to a Glob once; a value with
 * variables keeps its parts and builds the token list per evaluation (only such values allocate).
 *
 * Resource and StringLike compare the whole string, so `*` crosses `:` and `/`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
 * ArnLike/ArnEquals compare the six colon-delimited parts of an ARN separately, the last part
 * being the rest of the string
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN).
 */
import type { ContextValue } from './types.js';
import { resolveVariable, hasVariables, parseTemplate, type TemplatePart } from './variables.js';
import { Glob, matchTokens, tokenize, type GlobToken } from './wildcard.js';

/** 1: matches; 0: does not match; -1: cannot be evaluated (an unresolved variable, a request value that is not an ARN). */
export type Tri = 1 | 0 | -1;

export interface TextPattern {
  /** context keys the pattern's variables read */
  readonly variableKeys: readonly { key: string; name: string }[];
  /** the one string the pattern matches, when it has no wildcard and no variable */
  readonly literal: string | undefined;
  /** `input` must already be lowercased by the caller when the pattern ignores case */
  match(input: string, keys: ReadonlyMap<string, ContextValue>): Tri;
  matchRange(input: string, from: number, to: number, keys: ReadonlyMap<string, ContextValue>): Tri;
}

interface PatternOptions {
  wildcards: boolean;
  variables: boolean;
  ignoreCase: boolean;
}

class StaticPattern implements TextPattern {
  readonly variableKeys = [] as const;
  readonly literal: string | undefined;
  constructor(readonly glob: Glob) {
    this.literal = glob.literalText;
  }
  match(input: string): Tri {
    return this.glob.matchesRange(input, 0, input.length) ? 1 : 0;
  }
  matchRange(input: string, from: number, to: number): Tri {
    return this.glob.matchesRange(input, from, to) ? 1 : 0;
  }
}

const scratch: GlobToken[] = [];

type CompiledPart = { kind: 'tokens'; tokens: GlobToken[] } | { kind: 'variable'; key: string; name: string; fallback?: string };

class TemplatePattern implements TextPattern {
  readonly variableKeys: readonly { key: string; name: string }[];
  readonly literal = undefined;
  constructor(private readonly parts: readonly CompiledPart[], private readonly ignoreCase: boolean) {
    this.variableKeys = parts.flatMap((part) => (part.kind === 'variable' ? [{ key: part.key, name: part.name }] : []));
  }

  match(input: string, keys: ReadonlyMap<string, ContextValue>): Tri {
    return this.matchRange(input, 0, input.length, keys);
  }

  matchRange(input: string, from: number, to: number, keys: ReadonlyMap<string, ContextValue>): Tri {
    // Matching is synchronous and never re-entered, so one scratch list serves every pattern.
    const tokens = scratch;
    tokens.length = 0;
    for (const part of this.parts) {
      if (part.kind === 'tokens') {
        for (const token of part.tokens) tokens.push(token);
        continue;
      }
      const value = resolveVariable(part, keys);
      if (value === undefined) return -1;
      tokens.push(this.ignoreCase ? value.toLowerCase() : value);
    }
    const matched = matchTokens(tokens, input, from, to);
    tokens.length = 0;
    return matched ? 1 : 0;
  }
}

function compileParts(parts: readonly TemplatePart[], options: PatternOptions): TextPattern {
  const fold = (text: string): string => (options.ignoreCase ? text.toLowerCase() : text);
  const toTokens = (part: TemplatePart): GlobToken[] =>
    part.kind === 'text' ? tokenize(fold(part.text), options.wildcards) : part.kind === 'char' ? [part.char] : [];
  if (!hasVariables(parts)) return new StaticPattern(new Glob(parts.flatMap(toTokens)));
  const compiled: CompiledPart[] = parts.map((part) =>
    part.kind === 'variable'
      ? { kind: 'variable', key: part.key, name: part.name, ...(part.fallback !== undefined ? { fallback: part.fallback } : {}) }
      : { kind: 'tokens', tokens: toTokens(part) },
  );
  return new TemplatePattern(compiled, options.ignoreCase);
}

/** A Resource entry or a String* condition value. */
export function compileTextPattern(text: string, options: PatternOptions): TextPattern {
  return compileParts(parseTemplate(text, options.variables), options);
}

/** An ArnEquals/ArnLike value: six parts matched separately (a value with fewer parts is matched whole). */
export class ArnPattern {
  readonly variableKeys: readonly { key: string; name: string }[];
  private readonly segments: readonly TextPattern[] | undefined;
  private readonly whole: TextPattern | undefined;

  constructor(text: string, variables: boolean) {
    const options = { wildcards: true, variables, ignoreCase: false };
    const segments = splitArnParts(parseTemplate(text, variables));
    if (segments) {
      this.segments = segments.map((parts) => compileParts(parts, options));
      this.variableKeys = this.segments.flatMap((segment) => segment.variableKeys);
    } else {
      this.whole = compileTextPattern(text, options);
      this.variableKeys = this.whole.variableKeys;
    }
  }

  match(input: string, keys: ReadonlyMap<string, ContextValue>): Tri {
    if (this.whole) return this.whole.match(input, keys);
    // A request value with fewer than six parts is not an ARN: it cannot be compared.
    let colons = 0;
    for (let i = 0; i < input.length && colons < 5; i++) if (input.charCodeAt(i) === 58) colons++;
    if (colons < 5) return -1;
    const segments = this.segments!;
    let from = 0;
    let unresolved = false;
    for (let index = 0; index < 6; index++) {
      const to = index === 5 ? input.length : input.indexOf(':', from);
      const result = segments[index].matchRange(input, from, to, keys);
      if (result === 0) return 0;
      if (result < 0) unresolved = true;
      from = to + 1;
    }
    return unresolved ? -1 : 1;
  }
}

/** Splits template parts on the first five colons outside variables; undefined when there are fewer. */
function splitArnParts(parts: readonly TemplatePart[]): TemplatePart[][] | undefined {
  const segments: TemplatePart[][] = [[]];
  for (const part of parts) {
    if (part.kind !== 'text') {
      segments[segments.length - 1].push(part);
      continue;
    }
    let rest = part.text;
    while (segments.length < 6) {
      const colon = rest.indexOf(':');
      if (colon < 0) break;
      if (colon > 0) segments[segments.length - 1].push({ kind: 'text', text: rest.slice(0, colon) });
      segments.push([]);
      rest = rest.slice(colon + 1);
    }
    if (rest !== '') segments[segments.length - 1].push({ kind: 'text', text: rest });
  }
  return segments.length === 6 ? segments : undefined;
}
