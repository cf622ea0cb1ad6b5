/**
 * The `iamd` command. `serve` runs the server; client commands (sessions, revoke, trail, exec ...)
 * arrive with their issues.
 */
import { UsageError } from '../server/config.js';
import { serve } from './serve.js';

const USAGE = `usage: iamd <command> [options]

commands:
  serve [--host 127.0.0.1] [--port 4566] [--data-dir ./.iamd] [--account-id 000000000000]
        [--region us-east-1] [--tls | --tls-cert FILE --tls-key FILE] [--log-level info]
        Environment: IAMD_HOST, IAMD_PORT, IAMD_DATA_DIR, IAMD_ACCOUNT_ID, IAMD_REGION,
        IAMD_ROOT_ACCESS_KEY_ID, IAMD_ROOT_SECRET_ACCESS_KEY, IAMD_LOG_LEVEL.
  help  this text
`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'serve':
        await serve(args, process.env);
        return -1; // keeps running
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
