/**
 * JSON documents as the EC2 metadata service writes them (iam/info, credentials, the identity
 * document): one member per line, two spaces of indentation, ` : ` between name and value, no
 * newline after the closing brace. Members keep the order given.
 */
export type ImdsJsonValue = string | number | null;

export function imdsJson(members: Readonly<Record<string, ImdsJsonValue | undefined>>): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(members)) {
    if (value !== undefined) lines.push(`  ${JSON.stringify(name)} : ${JSON.stringify(value)}`);
  }
  return `{\n${lines.join(',\n')}\n}`;
}
