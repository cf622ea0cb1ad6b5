/**
 * The `iamd` command. `serve` runs the server; the client commands (`instances`, `exec`, and
 * sessions, revoke, trail ... with their issues) talk to a running server as the AWS CLI would.
 *
 * Exit codes follow the AWS CLI's: 0 success; 2 usage error; 253 missing or invalid configuration
 * (no credentials, unknown profile); 254 the service answered with an error (printed as
 * `iamd: <Code>: <Message>`); 255 the server could not be reached or answered something unreadable;
 * 1 any other failure (e.g. `exec` on an instance that is not running). `exec` otherwise exits with
 * its command's code.
 */
import { join } from 'node:path';
import { DEFAULTS, parseFlags, UsageError } from '../server/config.js';
import { ConnectionError, ServiceError } from './aws-client.js';
import { ConfigurationError } from './client-config.js';
import { EXEC_USAGE, execCommand } from './exec.js';
import { INSTANCES_USAGE, instancesCommand } from './instances.js';

const USAGE = `usage: iamd <command> [options]

commands:
  serve [--host 127.0.0.1] [--port 4566] [--imds-port 1338] [--data-dir ./.iamd]
        [--account-id 000000000000] [--region us-east-1] [--tls | --tls-cert FILE --tls-key FILE]
        [--log-level info]
        Environment: IAMD_HOST, IAMD_PORT, IAMD_IMDS_PORT, IAMD_DATA_DIR, IAMD_ACCOUNT_ID,
        IAMD_REGION, IAMD_ROOT_ACCESS_KEY_ID, IAMD_ROOT_SECRET_ACCESS_KEY, IAMD_LOG_LEVEL.
  rotate-token-key [--data-dir ./.iamd]
        Makes a new key seal session tokens from the next start on; tokens sealed with older keys
        stay valid until they expire.
  ${INSTANCES_USAGE}
        Lists instances: state, private IP, VPC, role and metadata service address.
  ${EXEC_USAGE}
        Runs a command "on" a running instance: no caller keys, SDKs and the aws/curl commands
        pointed at the instance's metadata service and API address.
        Client commands find the server through --endpoint-url, AWS_ENDPOINT_URL, else
        http://127.0.0.1:4566, and sign with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile
        (--profile, AWS_PROFILE, ~/.aws/credentials), like the AWS CLI.
  help  this text
`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      // The server's modules (store, policy catalog ...) load only for the commands that need them:
      // client commands start fast and depend on none of it.
      case 'serve': {
        const { serve } = await import('./serve.js');
        await serve(args, process.env);
        return -1; // keeps running
      }
      case 'rotate-token-key': {
        const { TokenKeyring } = await import('../auth/token-keyring.js');
        const { prepareDataDir } = await import('../server/data-dir.js');
        const dataDir = parseFlags(args, new Set()).get('data-dir') ?? process.env.IAMD_DATA_DIR ?? DEFAULTS.dataDir;
        prepareDataDir(dataDir);
        const keyId = TokenKeyring.open(join(dataDir, 'token-keys.json')).rotate();
        process.stdout.write(`new session-token key ${keyId} is active from the next start of iamd serve\n`);
        return 0;
      }
      case 'instances':
        return await instancesCommand(args, process.env);
      case 'exec':
        return await execCommand(args, process.env);
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
    if (error instanceof ServiceError) {
      process.stderr.write(`iamd: ${error.code}: ${error.message}\n`);
      return 254;
    }
    if (error instanceof ConfigurationError) {
      process.stderr.write(`iamd: ${error.message}\n`);
      return 253;
    }
    if (error instanceof ConnectionError) {
      process.stderr.write(`iamd: ${error.message}\n`);
      return 255;
    }
    process.stderr.write(`iamd: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
