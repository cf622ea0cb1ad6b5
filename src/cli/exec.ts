/**
 * `iamd exec <instance-id> -- <command> [args...]`: iamd's "session manager". Looks the instance up
 * (DescribeInstances; it must be running), prepares a private directory (exec-environment.ts says
 * what goes in it and in the environment), runs the command with stdio inherited, removes the
 * directory and exits with the command's exit code (128 + signal number when a signal ended it,
 * 127 when the command does not exist, as a shell would).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { UsageError } from '../server/config.js';
import { parseArgs } from './args.js';
import { AwsQueryClient } from './aws-client.js';
import { resolveClientSettings } from './client-config.js';
import { instanceEnvironment, type InstanceTarget } from './exec-environment.js';
import { describeInstances, instanceAddresses, instanceRegion } from './instance-lookup.js';

/** A failure of the command itself, not of a service or the configuration (exit 1). */
export class CommandError extends Error {}

export const EXEC_USAGE = 'exec <instance-id> [--endpoint-url URL] [--profile NAME] [--region REGION] -- <command> [args...]';

const CLIENT_OPTIONS = { values: new Set(['endpoint-url', 'profile', 'region']), booleans: new Set<string>() };

export async function findExecTarget(client: AwsQueryClient, instanceId: string): Promise<InstanceTarget> {
  const server = await client.serverInfo();
  const [instance] = await describeInstances(client, [instanceId]);
  if (!instance) throw new CommandError(`instance ${instanceId} was not found`);
  if (instance.state !== 'running') {
    throw new CommandError(`instance ${instanceId} is ${instance.state}; iamd exec needs a running instance (aws ec2 start-instances --instance-ids ${instanceId})`);
  }
  if (!instance.privateIpAddress) throw new CommandError(`instance ${instanceId} has no private IP address`);
  const scheme = client.settings.endpoint.protocol === 'https:' ? 'https:' : 'http:';
  const addresses = instanceAddresses(instance.privateIpAddress, server, scheme);
  return { instanceId, region: instanceRegion(instance, server), apiEndpoint: addresses.apiEndpoint, imdsEndpoint: addresses.imdsEndpoint };
}

/** Writes the private directory's files. */
function prepareDirectory(files: ReturnType<typeof instanceEnvironment>['files'], dir: string): void {
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, file.content, { mode: file.mode });
    chmodSync(path, file.mode); // the umask must not take the wrappers' execute bit away
  }
}

function runCommand(command: string, args: readonly string[], env: Record<string, string>): Promise<number> {
  return new Promise<number>((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env });
    // Ctrl-C reaches the command through the terminal's process group: iamd waits for it to finish.
    // A signal sent to iamd alone is passed on.
    const ignore = (): void => {};
    const forward = (signal: NodeJS.Signals) => (): void => { child.kill(signal); };
    const forwarders: Array<[NodeJS.Signals, () => void]> = [['SIGINT', ignore], ['SIGTERM', forward('SIGTERM')], ['SIGHUP', forward('SIGHUP')]];
    for (const [signal, handler] of forwarders) process.on(signal, handler);
    const done = (code: number): void => {
      for (const [signal, handler] of forwarders) process.removeListener(signal, handler);
      resolve(code);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      process.stderr.write(error.code === 'ENOENT' ? `iamd: ${command}: command not found\n` : `iamd: ${command}: ${error.message}\n`);
      done(error.code === 'ENOENT' ? 127 : 126);
    });
    child.on('exit', (code, signal) => {
      done(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
    });
  });
}

export async function execCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const parsed = parseArgs(args, CLIENT_OPTIONS);
  const [instanceId, ...extra] = parsed.positionals;
  if (!instanceId) throw new UsageError('exec needs an instance id');
  if (extra.length > 0 || parsed.rest === undefined) throw new UsageError('exec: put -- between the instance id and the command');
  const [command, ...commandArgs] = parsed.rest;
  if (!command) throw new UsageError('exec needs a command after --');

  const settings = resolveClientSettings({
    endpointUrl: parsed.flags.get('endpoint-url'), profile: parsed.flags.get('profile'), region: parsed.flags.get('region'),
  }, env);
  const target = await findExecTarget(new AwsQueryClient(settings, { env }), instanceId);

  const dir = mkdtempSync(join(tmpdir(), 'iamd-exec-'));
  try {
    const setup = instanceEnvironment(env, target, dir);
    prepareDirectory(setup.files, dir);
    return await runCommand(command, commandArgs, setup.env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
