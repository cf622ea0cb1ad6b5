import { chmodSync, renameSync, writeFileSync } from 'node:fs';

/** Writes a file readable by its owner only (mode 0600), atomically (write, then rename). */
export function writePrivateFile(file: string, content: string | Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
