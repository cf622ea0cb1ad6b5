/**
 * The INI dialect of ~/.aws/credentials and ~/.aws/config, as far as iamd's client commands read
 * it: `[section]` headers, `key = value` (or `key: value`) lines, whole-line comments starting with
 * '#' or ';', blank lines. Keys are lower-cased (botocore's parser does the same); section names and
 * values are kept as written, surrounding spaces trimmed. An indented line continues the key above
 * it (the nested `s3 =` blocks of the config file): it is appended to that value, never read as a
 * key of its own. A later duplicate section or key wins.
 */

export type IniSection = Readonly<Record<string, string>>;
export type IniFile = Readonly<Record<string, IniSection>>;

export function parseIni(text: string): IniFile {
  const sections: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  let lastKey: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*([^\]]*?)\s*\]$/.exec(line);
    if (header) {
      section = sections[header[1]!] ??= {};
      lastKey = undefined;
      continue;
    }
    if (!section) continue; // a key before any section: not a valid file; ignored as botocore would refuse it
    if (/^[ \t]/.test(rawLine) && lastKey !== undefined) {
      section[lastKey] = section[lastKey] === '' ? line : `${section[lastKey]}\n${line}`;
      continue;
    }
    const separator = line.search(/[=:]/);
    if (separator <= 0) continue;
    lastKey = line.slice(0, separator).trim().toLowerCase();
    section[lastKey] = line.slice(separator + 1).trim();
  }
  return sections;
}
