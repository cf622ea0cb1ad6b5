/**
 * The CanonicalQueryString line: every name and value decoded and re-encoded strictly (so `%7e`, `~`
 * and `%7E` all become `~`, and a space is `%20`, never '+'), sorted by encoded name and then by
 * encoded value (repeated names are kept, each pair once), empty values kept as `name=`.
 */
import { queryPairs } from './raw-request.js';
import { reencode } from './uri-encode.js';

const NOTHING_EXCLUDED: ReadonlySet<string> = new Set();

function compareCodeUnits(left: string, right: string): number {
  // Encoded text is ASCII, so code-unit order is the byte order AWS sorts by.
  return left < right ? -1 : left > right ? 1 : 0;
}

/** `excluded` names (decoded) are left out, e.g. X-Amz-Signature in the presigned form. */
export function canonicalQuery(rawQuery: string, excluded: ReadonlySet<string> = NOTHING_EXCLUDED): string {
  if (rawQuery === '') return '';
  return queryPairs(rawQuery)
    .filter((pair) => !excluded.has(pair.name))
    .map((pair) => [reencode(pair.rawName), reencode(pair.rawValue)] as const)
    .sort(([leftName, leftValue], [rightName, rightValue]) => compareCodeUnits(leftName, rightName) || compareCodeUnits(leftValue, rightValue))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}
