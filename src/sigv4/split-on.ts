/**
 * text.split(separator) for a one-character separator, walked with indexOf. String.prototype.split
 * goes through a runtime call that costs twice as much on the short strings a signature is made of
 * (a credential, a SignedHeaders list), and parsing runs on every request.
 */
export function splitOn(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, start)) {
    parts.push(text.slice(start, at));
    start = at + 1;
  }
  parts.push(text.slice(start));
  return parts;
}
