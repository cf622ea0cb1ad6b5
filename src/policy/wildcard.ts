/**
 * Wildcard matching for Action, Resource, StringLike and ArnLike: `*` is any run of characters
 * (including none, and including `:` and `/`), `?` is exactly one character. A pattern is compiled
 * once into literal chunks and wildcards, and common shapes (exact, prefix*, *suffix, *middle*, *)
 * get a direct test. A pattern with `*` but no `?` is matched by anchoring its first and last
 * chunks and finding the others leftmost in turn (native indexOf), which is exact for such
 * patterns. The general case (`?`) is the backtracking matcher that only ever resumes at the most
 * recent `*`, which is complete for glob patterns. No regular expressions, no allocation.
 *
 * Case-insensitive callers (Action) lowercase both sides before matching.
 */

/** `*` in a token list */
export const STAR = 0;
/** `?` in a token list */
export const QMARK = 1;
/** a literal chunk (non-empty), or a wildcard */
export type GlobToken = string | typeof STAR | typeof QMARK;

const NO_CHUNKS: readonly string[] = Object.freeze([]);

const enum Shape {
  Exact,
  Any,
  Prefix,
  Suffix,
  Contains,
  Stars,
  General,
}

export class Glob {
  private readonly shape: Shape;
  private readonly literal: string;
  private readonly tokens: readonly GlobToken[];
  /** Stars shape: the literal chunks, and whether the pattern starts / ends with one */
  private readonly chunks: readonly string[] = NO_CHUNKS;
  private readonly anchoredStart: boolean = false;
  private readonly anchoredEnd: boolean = false;
  /** true when the pattern has no wildcard: it matches one string only */
  readonly isLiteral: boolean;
  /** that string, when isLiteral */
  readonly literalText: string | undefined;

  constructor(tokens: readonly GlobToken[]) {
    this.tokens = normalize(tokens);
    const t = this.tokens;
    this.isLiteral = t.every((token) => typeof token === 'string');
    this.literalText = !this.isLiteral ? undefined : typeof t[0] === 'string' ? t[0] : '';
    this.literal = '';
    if (t.length === 0) this.shape = Shape.Exact;
    else if (t.length === 1 && typeof t[0] === 'string') {
      this.shape = Shape.Exact;
      this.literal = t[0];
    } else if (t.length === 1 && t[0] === STAR) this.shape = Shape.Any;
    else if (t.length === 2 && typeof t[0] === 'string' && t[1] === STAR) {
      this.shape = Shape.Prefix;
      this.literal = t[0];
    } else if (t.length === 2 && t[0] === STAR && typeof t[1] === 'string') {
      this.shape = Shape.Suffix;
      this.literal = t[1];
    } else if (t.length === 3 && t[0] === STAR && typeof t[1] === 'string' && t[2] === STAR) {
      this.shape = Shape.Contains;
      this.literal = t[1];
    } else if (!t.includes(QMARK)) {
      this.shape = Shape.Stars;
      this.chunks = t.filter((token): token is string => typeof token === 'string');
      this.anchoredStart = typeof t[0] === 'string';
      this.anchoredEnd = typeof t[t.length - 1] === 'string';
    } else this.shape = Shape.General;
  }

  /** Parses pattern text: with wildcards on, `*` and `?` are wildcards; otherwise all is literal. */
  static fromText(text: string, wildcards = true): Glob {
    return new Glob(tokenize(text, wildcards));
  }

  matches(input: string): boolean {
    return this.matchesRange(input, 0, input.length);
  }

  /** Whether input[from, to) matches the whole pattern. */
  matchesRange(input: string, from: number, to: number): boolean {
    const length = to - from;
    const literal = this.literal;
    switch (this.shape) {
      case Shape.Exact:
        return length === literal.length && input.startsWith(literal, from);
      case Shape.Any:
        return true;
      case Shape.Prefix:
        return length >= literal.length && input.startsWith(literal, from);
      case Shape.Suffix:
        return length >= literal.length && input.startsWith(literal, to - literal.length);
      case Shape.Contains: {
        if (length < literal.length) return false;
        const found = input.indexOf(literal, from);
        return found >= 0 && found + literal.length <= to;
      }
      case Shape.Stars:
        return this.matchStars(input, from, to);
      default:
        return matchTokens(this.tokens, input, from, to);
    }
  }

  private matchStars(input: string, from: number, to: number): boolean {
    const chunks = this.chunks;
    let first = 0;
    let last = chunks.length;
    let position = from;
    let end = to;
    if (this.anchoredStart) {
      const chunk = chunks[first++];
      if (position + chunk.length > end || !input.startsWith(chunk, position)) return false;
      position += chunk.length;
    }
    if (this.anchoredEnd) {
      const chunk = chunks[--last];
      if (end - chunk.length < position || !input.startsWith(chunk, end - chunk.length)) return false;
      end -= chunk.length;
    }
    for (let i = first; i < last; i++) {
      const chunk = chunks[i];
      const found = input.indexOf(chunk, position);
      if (found < 0 || found + chunk.length > end) return false;
      position = found + chunk.length;
    }
    return true;
  }
}

/** Splits pattern text into tokens. */
export function tokenize(text: string, wildcards: boolean): GlobToken[] {
  if (!wildcards) return text === '' ? [] : [text];
  const tokens: GlobToken[] = [];
  let chunkStart = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '*' && char !== '?') continue;
    if (i > chunkStart) tokens.push(text.slice(chunkStart, i));
    tokens.push(char === '*' ? STAR : QMARK);
    chunkStart = i + 1;
  }
  if (chunkStart < text.length) tokens.push(text.slice(chunkStart));
  return tokens;
}

/** Merges adjacent literals, drops empty ones and collapses runs of `*`. */
export function normalize(tokens: readonly GlobToken[]): GlobToken[] {
  const out: GlobToken[] = [];
  for (const token of tokens) {
    const last = out.length > 0 ? out[out.length - 1] : undefined;
    if (typeof token === 'string') {
      if (token === '') continue;
      if (typeof last === 'string') out[out.length - 1] = last + token;
      else out.push(token);
    } else if (!(token === STAR && last === STAR)) {
      out.push(token);
    }
  }
  return out;
}

/** Length of the character at index (2 for a surrogate pair), so `?` matches one code point. */
function charLength(input: string, index: number, to: number): number {
  const code = input.charCodeAt(index);
  if (code >= 0xd800 && code <= 0xdbff && index + 1 < to) {
    const next = input.charCodeAt(index + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return 2;
  }
  return 1;
}

/** The general matcher over a token list (adjacent literals and empty literals are allowed). */
export function matchTokens(tokens: readonly GlobToken[], input: string, from: number, to: number): boolean {
  const count = tokens.length;
  let ti = 0;
  let si = from;
  let starTi = -1;
  let starSi = 0;
  for (;;) {
    if (ti < count) {
      const token = tokens[ti];
      if (token === STAR) {
        starTi = ti++;
        starSi = si;
        continue;
      }
      if (token === QMARK) {
        if (si < to) {
          si += charLength(input, si, to);
          ti++;
          continue;
        }
      } else if (si + token.length <= to && input.startsWith(token, si)) {
        si += token.length;
        ti++;
        continue;
      }
    } else if (si === to) {
      return true;
    }
    // Mismatch: let the most recent `*` swallow one more character, or fail.
    if (starTi < 0 || starSi >= to) return false;
    starSi += charLength(input, starSi, to);
    si = starSi;
    ti = starTi + 1;
  }
}
