/**
 * The `iamd` command. `serve` runs the server; client commands (sessions, revoke, trail, exec ...)
 * arrive with their issues.
 */
import { join } from 'node:path';
import { TokenKeyring } from '../auth/token-keyring.js';
import { DEFAULTS, parseFlags, UsageError } from '../server/config.js';
import { prepareDataDir } from '../server/data-dir.js';
import { serve } from './serve.js';

const USAGE = `usage: iamd <command> [options]

commands:
  serve [--host 127.0.0.1] [--port 4566] [--data-dir ./.iamd] [--account-id 000000000000]
        [--region us-east-1] [--tls | --tls-cert FILE --tls-key FILE] [--log-level info]
        Environment: IAMD_HOST, IAMD_PORT, IAMD_DATA_DIR, IAMD_ACCOUNT_ID, IAMD_REGION,
        IAMD_ROOT_ACCESS_KEY_ID, IAMD_ROOT_SECRET_ACCESS_KEY, IAMD_LOG_LEVEL.
  rotate-token-key [--data-dir ./.iamd]
        Makes a new key seal session tokens from the next start on; tokens sealed with older keys
        stay valid until they expire.
  help  this text
`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'serve':
        await serve(args, process.env);
        return -1; // keeps running
      case 'rotate-token-key': {
        const dataDir = parseFlags(args, new Set()).get('data-dir') ?? process.env.IAMD_DATA_DIR ?? DEFAULTS.dataDir;
        prepareDataDir(dataDir);
        const keyId = TokenKeyring.open(join(dataDir, 'token-keys.json')).rotate();
        process.stdout.write(`new session-token key ${keyId} is active from the next start of iamd serve\n`);
        return 0;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`iamd: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    process.stderr.write(`iamd: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
