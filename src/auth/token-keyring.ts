/**
 * The keys that seal session tokens. Kept in the data directory (`token-keys.json`, mode 0600),
 * never in the database. Rotation adds a new active key and keeps the old ones, so tokens issued
 * before a rotation stay valid until they expire.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writePrivateFile } from '../server/private-file.js';

interface KeyringFile {
  active: string;
  keys: Record<string, string>;
}

export class TokenKeyring {
  private constructor(private readonly file: string | undefined, private state: KeyringFile) {}

  static inMemory(): TokenKeyring {
    return new TokenKeyring(undefined, newKeyringState());
  }

  static open(file: string): TokenKeyring {
    if (existsSync(file)) return new TokenKeyring(file, JSON.parse(readFileSync(file, 'utf8')) as KeyringFile);
    const keyring = new TokenKeyring(file, newKeyringState());
    keyring.save();
    return keyring;
  }

  get activeKeyId(): string {
    return this.state.active;
  }

  key(keyId: string): Buffer | undefined {
    const encoded = this.state.keys[keyId];
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64');
  }

  /** Makes a new key active; old keys keep opening the tokens they sealed. */
  rotate(): string {
    const keyId = randomBytes(4).toString('hex');
    this.state = { active: keyId, keys: { ...this.state.keys, [keyId]: randomBytes(32).toString('base64') } };
    this.save();
    return keyId;
  }

  private save(): void {
    if (this.file) writePrivateFile(this.file, JSON.stringify(this.state, null, 2) + '\n');
  }
}

function newKeyringState(): KeyringFile {
  const keyId = randomBytes(4).toString('hex');
  return { active: keyId, keys: { [keyId]: randomBytes(32).toString('base64') } };
}
