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
import { STACKS_USAGE, stacksCommand } from './stacks.js';
import { TRAIL_USAGE, trailCommand } from './trail.js';
import { REVOKE_SESSIONS_USAGE, revokeSessionsCommand } from './revoke.js';
import { SESSIONS_REVOKE_USAGE, SESSIONS_USAGE, sessionsCommand } from './sessions.js';
import { FINDINGS_CONTAIN_USAGE, FINDINGS_USAGE, findingsCommand } from './findings.js';

const USAGE = `usage: iamd <command> [options]

commands:
  serve [--host 127.0.0.1] [--port 4566] [--imds-port 1338] [--data-dir ./.iamd]
        [--account-id 000000000000] [--region us-east-1] [--tls | --tls-cert FILE --tls-key FILE]
        [--log-level info] [--audit-retention-days 90] [--audit-log FILE] [--auto-contain]
        Environment: IAMD_HOST, IAMD_PORT, IAMD_IMDS_PORT, IAMD_DATA_DIR, IAMD_ACCOUNT_ID,
        IAMD_REGION, IAMD_ROOT_ACCESS_KEY_ID, IAMD_ROOT_SECRET_ACCESS_KEY, IAMD_LOG_LEVEL,
        IAMD_AUDIT_RETENTION_DAYS (0: keep no trail), IAMD_AUDIT_LOG (a JSON-lines copy for a SIEM),
        IAMD_CFN_SIGNAL_INSTANCES (0: CloudFormation does not signal running instances itself;
        a CreationPolicy then waits for SignalResource).
  rotate-token-key [--data-dir ./.iamd]
        Makes a new key seal session tokens from the next start on; tokens sealed with older keys
        stay valid until they expire.
  ${INSTANCES_USAGE}
        Lists instances: state, private IP, VPC, role and metadata service address.
  ${STACKS_USAGE}
        CloudFormation stacks with their status; with a name, its resources and its events, oldest
        first.
  ${EXEC_USAGE}
        Runs a command "on" a running instance: no caller keys, SDKs and the aws/curl commands
        pointed at the instance's metadata service and API address.
  ${TRAIL_USAGE}
        The audit trail (CloudTrail LookupEvents, needs cloudtrail:LookupEvents): every call,
        allowed, denied or failed, newest first, one filter at a time. Times: ISO 8601, epoch
        seconds or an age (15m, 2h, 7d). --max-items 0 reads every page.
  ${SESSIONS_USAGE}
        Lists live sessions (temporary credentials): principal, source, issue and expiry, last use
        and where from, request count, revoked or not and by what. --all adds recently expired ones.
  ${SESSIONS_REVOKE_USAGE}
        Revokes exactly one session, or every session issued to one instance (which gets a fresh
        credential at its next fetch). Effective on the very next request; survives restarts.
  ${REVOKE_SESSIONS_USAGE}
        The console's "Revoke active sessions" (AWSRevokeOlderSessions); --reissue lets the role's
        instances recover at their next credential fetch, without a stop/start.
        --dry-run on every revoke lists the sessions it would cut and changes nothing.
  ${FINDINGS_USAGE}
        Exfiltration findings (GuardDuty's InstanceCredentialExfiltration.OutsideAWS/InsideAWS):
        instance credentials used away from their instance, one per session, with first and last
        seen, count and containment. serve --auto-contain (IAMD_AUTO_CONTAIN=1) revokes such a
        session at its first request from elsewhere, and refuses that request.
  ${FINDINGS_CONTAIN_USAGE}
        Revokes the finding's session (only that one); --dry-run shows it and changes nothing.
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
      case 'stacks':
        return await stacksCommand(args, process.env);
      case 'exec':
        return await execCommand(args, process.env);
      case 'trail':
        return await trailCommand(args, process.env);
      case 'sessions':
        return await sessionsCommand(args, process.env);
      case 'findings':
        return await findingsCommand(args, process.env);
      case 'revoke-sessions':
        return await revokeSessionsCommand(args, process.env);
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
