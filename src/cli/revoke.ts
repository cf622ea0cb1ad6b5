/**
 * `iamd revoke-sessions --role NAME [--reissue] [--dry-run] [--json]`: what the console's "Revoke
 * active sessions" button does (the AWSRevokeOlderSessions inline policy, cut-off now, to the
 * millisecond; running it again moves the cut-off forward), through iamd's API (RevokeRoleSessions).
 * With --reissue every instance of the role serves a fresh credential at its next fetch, so its
 * workloads recover without a stop/start while copies of the old credentials stay denied.
 * --dry-run lists the sessions it would cut, by instance and caller, and changes nothing.
 */
import { UsageError } from '../server/config.js';
import { parseArgs } from './args.js';
import { argSpec, clientFor, describeCut, IAMD_API, readSessions, resultOf } from './sessions.js';
import { child, childrenNamed, textAt } from '../protocol/xml-reader.js';

export const REVOKE_SESSIONS_USAGE = 'revoke-sessions --role NAME [--reissue] [--dry-run] [--json]';

export async function revokeSessionsCommand(args: readonly string[], env: NodeJS.ProcessEnv, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const parsed = parseArgs(args, argSpec(['role'], ['reissue', 'dry-run', 'json']));
  if (parsed.positionals.length > 0 || parsed.rest !== undefined) throw new UsageError(`revoke-sessions takes no arguments: ${parsed.positionals.join(' ')}`);
  const role = parsed.flags.get('role');
  if (role === undefined) throw new UsageError(`revoke-sessions needs --role: iamd ${REVOKE_SESSIONS_USAGE}`);
  const dryRun = parsed.flags.has('dry-run');
  const reissue = parsed.flags.has('reissue');
  const params: Record<string, string> = { RoleName: role };
  if (reissue) params.Reissue = 'true';
  if (dryRun) params.DryRun = 'true';
  const result = resultOf(await clientFor(parsed, env).call(IAMD_API, 'RevokeRoleSessions', params), 'RevokeRoleSessions');
  const sessions = readSessions(child(result, 'Sessions'));
  const reissued = childrenNamed(child(result, 'ReissuedInstances'), 'member').map((member) => member.text.trim());
  const cutoff = textAt(result, 'CutOff') ?? '';
  const roleName = textAt(result, 'RoleName') ?? role;
  if (parsed.flags.has('json')) {
    out.write(JSON.stringify({
      DryRun: dryRun, RoleName: roleName, RoleArn: textAt(result, 'RoleArn'), PolicyName: textAt(result, 'PolicyName'), CutOff: cutoff,
      Sessions: sessions, ReissuedInstances: reissued,
    }, null, 2) + '\n');
    return 0;
  }
  const policy = textAt(result, 'PolicyName') ?? 'AWSRevokeOlderSessions';
  out.write(dryRun
    ? `dry run: ${policy} on role ${roleName} would deny every session issued before ${cutoff}\n`
    : `${policy} on role ${roleName} denies every session issued before ${cutoff}\n`);
  out.write(describeCut(dryRun, sessions, `of role ${roleName}`));
  if (reissue) {
    const verb = dryRun ? 'would serve' : 'serve';
    out.write(reissued.length === 0
      ? `no running instance has role ${roleName}\n`
      : `${reissued.length === 1 ? 'instance' : 'instances'} ${reissued.join(', ')} ${verb} a fresh credential at the next fetch\n`);
  } else if (!dryRun) {
    out.write('instances of the role keep serving their denied credential until they are stopped and started (as on AWS); --reissue makes them recover at their next fetch\n');
  }
  return 0;
}
