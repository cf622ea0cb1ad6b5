/**
 * Runs `bin/iamd <args>` as a user would (a child process, asynchronously so that an in-process
 * server keeps serving), with an environment of the test's choosing: nothing of the developer's
 * own (no ~/.aws, no keys) leaks in unless the test puts it there.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { IAMD_BIN } from './process.js';
import type { Credentials } from './server.js';

export interface IamdResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export const CURL = '/usr/bin/curl';

/** node:test options for tests that run curl: skipped where it is missing, unless CI requires the real clients. */
export function needsCurl(): { skip: string | false } {
  if (existsSync(CURL) || process.env.IAMD_REQUIRE_REAL_CLIENTS === '1') return { skip: false };
  return { skip: 'curl is not installed (CI installs it)' };
}

let home: string | undefined;

/** A HOME of its own (empty), created once per test process. */
export function testHome(): string {
  home ??= mkdtempSync(join(tmpdir(), 'iamd-cli-home-'));
  return home;
}

/**
 * PATH for commands run through `iamd exec`: the system's tools first (curl, and the AWS CLI v2 at
 * /usr/bin/aws, never a pyenv shim's older one), then this node's directory.
 */
export const SYSTEM_PATH = `/usr/bin:/bin:/usr/local/bin:${dirname(process.execPath)}`;

/** The caller's environment: an endpoint and keys (or none), a clean HOME, the system PATH, plus `extra`. */
export function callerEnv(endpoint: string | undefined, credentials: Credentials | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { PATH: SYSTEM_PATH, HOME: testHome(), LANG: 'C.UTF-8', AWS_PAGER: '' };
  if (endpoint !== undefined) env.AWS_ENDPOINT_URL = endpoint;
  if (credentials) {
    env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  }
  return { ...env, ...extra };
}

export function runIamd(args: readonly string[], env: Record<string, string>, options: { input?: string; timeoutMs?: number } = {}): Promise<IamdResult> {
  return new Promise<IamdResult>((resolve, reject) => {
    const child = spawn(process.execPath, [IAMD_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** `iamd exec <id> -- <command...>`, with the caller's environment. */
export function iamdExec(instanceId: string, command: readonly string[], env: Record<string, string>, options: { input?: string } = {}): Promise<IamdResult> {
  return runIamd(['exec', instanceId, '--', ...command], env, options);
}
