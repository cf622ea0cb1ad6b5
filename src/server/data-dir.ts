/**
 * The data directory: the SQLite database, and beside it (never inside it) the keys: the master
 * key that seals secrets at rest, the session-token keyring, and the root user's credentials when
 * iamd generated them. Every file here is owner-only.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePrivateFile } from './private-file.js';

export interface RootCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** true when generated on this start: print them once */
  generated: boolean;
}

export function prepareDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export function masterKey(dir: string): Buffer {
  const file = join(dir, 'master.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  writePrivateFile(file, key.toString('base64') + '\n');
  return key;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The root user's key: from IAMD_ROOT_ACCESS_KEY_ID / IAMD_ROOT_SECRET_ACCESS_KEY when set,
 * else the saved one, else a new one (saved with mode 0600).
 */
export function rootCredentials(dir: string, env: Env, generate: () => { accessKeyId: string; secretAccessKey: string }): RootCredentials {
  const fromEnvId = env.IAMD_ROOT_ACCESS_KEY_ID;
  const fromEnvSecret = env.IAMD_ROOT_SECRET_ACCESS_KEY;
  if (fromEnvId && fromEnvSecret) return { accessKeyId: fromEnvId, secretAccessKey: fromEnvSecret, generated: false };
  if (fromEnvId || fromEnvSecret) throw new Error('set both IAMD_ROOT_ACCESS_KEY_ID and IAMD_ROOT_SECRET_ACCESS_KEY, or neither');
  const file = join(dir, 'root-credentials.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    return { ...saved, generated: false };
  }
  const created = generate();
  writePrivateFile(file, JSON.stringify(created, null, 2) + '\n');
  return { ...created, generated: true };
}
