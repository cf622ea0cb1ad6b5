/**
 * Read-only helpers over a SignedHttpRequest: header lookup by case-insensitive name in arrival order,
 * and the query string split into name/value pairs both raw (for canonicalisation) and decoded (for
 * reading X-Amz-* parameters).
 */
import type { SignedHttpRequest } from './types.js';
import { percentDecode } from './uri-encode.js';

/**
 * A request's headers with their names lower-cased once. A verification looks up several headers
 * (Authorization, X-Amz-Date, the token, every signed header); lower-casing every name on every
 * lookup cost more than the lookups themselves.
 */
export class HeaderIndex {
  private readonly names: string[];

  constructor(private readonly headers: SignedHttpRequest['headers']) {
    this.names = new Array<string>(headers.length);
    for (let index = 0; index < headers.length; index++) this.names[index] = headers[index]![0].toLowerCase();
  }

  /** Every value of a header, in arrival order; `name` must be lower-case. */
  values(name: string): string[] {
    const values: string[] = [];
    for (let index = 0; index < this.names.length; index++) {
      if (this.names[index] === name) values.push(this.headers[index]![1]);
    }
    return values;
  }

  /** The first value of a header; `name` must be lower-case. */
  first(name: string): string | undefined {
    const index = this.names.indexOf(name);
    return index < 0 ? undefined : this.headers[index]![1];
  }
}

export interface QueryPair {
  rawName: string;
  rawValue: string;
  name: string;
  value: string;
}

const NO_PAIRS: readonly QueryPair[] = Object.freeze([]);

/**
 * Splits on '&' and the first '='. Empty pieces (`a=1&&b=2`, a trailing '&') carry nothing and are
 * skipped; a piece without '=' is a name with an empty value, as the SigV4 spec says.
 */
export function queryPairs(rawQuery: string): readonly QueryPair[] {
  // Most signed requests (every query-protocol POST) have no query at all: nothing to split or decode.
  if (rawQuery === '') return NO_PAIRS;
  const pairs: QueryPair[] = [];
  for (const piece of rawQuery.split('&')) {
    if (piece === '') continue;
    const equals = piece.indexOf('=');
    const rawName = equals < 0 ? piece : piece.slice(0, equals);
    const rawValue = equals < 0 ? '' : piece.slice(equals + 1);
    pairs.push({ rawName, rawValue, name: percentDecode(rawName).toString('utf8'), value: percentDecode(rawValue).toString('utf8') });
  }
  return pairs;
}

/** The first value of a decoded query parameter (names are case-sensitive, as AWS's are). */
export function queryParam(pairs: readonly QueryPair[], name: string): string | undefined {
  return pairs.find((pair) => pair.name === name)?.value;
}
