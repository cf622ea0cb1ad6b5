/**
 * The AWS CLI v2 (/usr/bin/aws) and boto3 (/usr/bin/python3) as test clients. Locally they are
 * skipped when not installed; with IAMD_REQUIRE_REAL_CLIENTS=1 (CI) a missing client fails the run.
 * Each call gets a clean environment: no caller keys, profiles or shared files leak in.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials, TestServer } from './server.js';

export const AWS_CLI = '/usr/bin/aws';
export const PYTHON = '/usr/bin/python3';

const required = process.env.IAMD_REQUIRE_REAL_CLIENTS === '1';

function installed(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

export const hasAwsCli = installed(() => existsSync(AWS_CLI) && spawnSync(AWS_CLI, ['--version']).status === 0);
export const hasBoto3 = installed(() => existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import boto3']).status === 0);

/** node:test options: skip when the client is missing, unless CI requires it (then the test runs and fails). */
export function realClient(name: 'aws-cli' | 'boto3'): { skip: string | false } {
  const present = name === 'aws-cli' ? hasAwsCli : hasBoto3;
  if (present || required) return { skip: false };
  return { skip: `${name} is not installed (CI sets IAMD_REQUIRE_REAL_CLIENTS=1 and installs it)` };
}

let home: string | undefined;

export function cleanEnv(credentials: Credentials | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  home ??= mkdtempSync(join(tmpdir(), 'iamd-home-'));
  const env: NodeJS.ProcessEnv = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    LANG: 'C.UTF-8',
    ...extra,
  };
  if (credentials) {
    env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  }
  return env;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `aws --endpoint-url URL --output json ARGS` (asynchronously, so the in-process server keeps serving). */
export async function aws(server: TestServer, credentials: Credentials | undefined, args: readonly string[]): Promise<CliResult> {
  return run(AWS_CLI, ['--endpoint-url', server.url, '--output', 'json', ...args], cleanEnv(credentials));
}

export async function awsJson<T = Record<string, unknown>>(server: TestServer, credentials: Credentials | undefined, args: readonly string[]): Promise<T> {
  const result = await aws(server, credentials, args);
  if (result.status !== 0) throw new Error(`aws ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T;
}

/** Runs a Python script with boto3; ENDPOINT and REGION are in the environment. Prints JSON to stdout. */
export async function boto3(server: TestServer, credentials: Credentials | undefined, script: string): Promise<CliResult> {
  const prelude = 'import os, json, boto3, botocore\nENDPOINT = os.environ["ENDPOINT"]\n';
  return run(PYTHON, ['-c', prelude + script], cleanEnv(credentials, { ENDPOINT: server.url }));
}

/** Runs a command asynchronously (so an in-process server keeps serving) and collects its output. */
export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CliResult> {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
