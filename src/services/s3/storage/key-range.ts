/**
 * Object keys in S3's order. S3 sorts keys as UTF-8 bytes, which is SQLite's BINARY collation on
 * TEXT and also Unicode code point order (UTF-8 preserves it), but not JavaScript's `<`, which
 * compares UTF-16 code units: '\u{1F600}' < '\uFFFD' in UTF-16, the other way round in UTF-8.
 *
 * A listing is one index range scan: `key >= prefix AND key < upper`, where `upper` is the
 * smallest string greater than every string that starts with `prefix`. It is computed on code
 * points, so a prefix ending in U+FFFF (bytes EF BF BF) is bounded by U+10000 (F0 90 80 80), and a
 * prefix ending in U+10FFFF, the last code point, carries over to the one before it.
 */

const LAST_CODE_POINT = 0x10ffff;
const LAST_BEFORE_SURROGATES = 0xd7ff;
const FIRST_AFTER_SURROGATES = 0xe000;

export interface KeyRange {
  lower: string;
  /** whether `lower` itself is in the range (a prefix is; an `after` key is not) */
  lowerInclusive: boolean;
  /** exclusive; none when every key from `lower` on is in the range */
  upper?: string;
}

/**
 * Whether a key can be stored as itself. A lone surrogate has no UTF-8 form: SQLite would be handed
 * replacement bytes, and two different keys could end up as one.
 */
export function isWellFormedKey(key: string): boolean {
  return !/\p{Surrogate}/u.test(key);
}

/** Lone surrogates replaced by U+FFFD, as any UTF-8 encoder would write them. */
export function toWellFormed(text: string): string {
  return isWellFormedKey(text) ? text : Buffer.from(text, 'utf8').toString('utf8');
}

/** Negative, zero or positive as `a` sorts before, with or after `b` in UTF-8 byte order. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The smallest string above every string starting with `prefix`; none when no string is. */
export function prefixUpperBound(prefix: string): string | undefined {
  const codePoints = Array.from(toWellFormed(prefix), (character) => character.codePointAt(0)!);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!;
    if (last < LAST_CODE_POINT) {
      const next = last === LAST_BEFORE_SURROGATES ? FIRST_AFTER_SURROGATES : last + 1;
      return String.fromCodePoint(...codePoints, next);
    }
  }
  return undefined;
}

/** The keys a listing covers: those starting with `prefix` and strictly after `after`. */
export function keyRange(prefix: string | undefined, after: string | undefined): KeyRange {
  const start = toWellFormed(prefix ?? '');
  const upper = start === '' ? undefined : prefixUpperBound(start);
  if (after !== undefined) {
    const afterKey = toWellFormed(after);
    if (compareKeys(afterKey, start) >= 0) return { lower: afterKey, lowerInclusive: false, upper };
  }
  return { lower: start, lowerInclusive: true, upper };
}
