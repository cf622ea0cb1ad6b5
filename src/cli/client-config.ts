/**
 * Where iamd's client commands send their requests, and with whose keys, found the way the AWS CLI
 * finds them:
 * - endpoint: `--endpoint-url`, else AWS_ENDPOINT_URL, else http://127.0.0.1:4566;
 * - credentials: with an explicit `--profile`, that profile only (the CLI then ignores environment
 *   keys too); otherwise AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), else the
 *   profile named by AWS_DEFAULT_PROFILE or AWS_PROFILE (botocore reads them in that order), else
 *   `default`. A profile's keys come from the shared credentials file, then the config file
 *   (AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE, default ~/.aws/credentials and ~/.aws/config);
 * - region: `--region`, AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, us-east-1.
 *
 * Known gaps: profiles that assume a role (role_arn/source_profile), SSO, credential_process and
 * IMDS are not credential sources here; such a profile is a configuration error naming the key.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SigningCredentials } from '../sigv4/sign.js';
import { UsageError } from '../server/config.js';
import { parseIni, type IniFile, type IniSection } from './ini.js';

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:4566';
export const DEFAULT_REGION = 'us-east-1';

/** Missing or unusable configuration (credentials, profile): exit code 253, as the AWS CLI. */
export class ConfigurationError extends Error {}

export interface ClientFlags {
  endpointUrl?: string;
  profile?: string;
  region?: string;
}

export interface ClientSettings {
  endpoint: URL;
  region: string;
  credentials: SigningCredentials;
  /** where the credentials came from, for error messages: 'environment' or 'profile NAME' */
  credentialSource: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads a file, or undefined when it does not exist (a missing shared file is normal). */
export type FileReader = (path: string) => string | undefined;

export const readOptionalFile: FileReader = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigurationError(`cannot read ${path}: ${(error as Error).message}`);
  }
};

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path;
}

export function parseEndpoint(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`invalid endpoint URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`endpoint URL must be http or https: ${text}`);
  return url;
}

/** The shared files, read once: the credentials file's `[name]` and the config file's `[profile name]` (or `[default]`). */
class SharedFiles {
  private readonly credentials: IniFile;
  private readonly config: IniFile;

  constructor(env: Env, home: string, read: FileReader) {
    const credentialsPath = expandHome(nonEmpty(env.AWS_SHARED_CREDENTIALS_FILE) ?? join(home, '.aws', 'credentials'), home);
    const configPath = expandHome(nonEmpty(env.AWS_CONFIG_FILE) ?? join(home, '.aws', 'config'), home);
    this.credentials = parseIni(read(credentialsPath) ?? '');
    this.config = parseIni(read(configPath) ?? '');
  }

  credentialsSection(profile: string): IniSection | undefined {
    return this.credentials[profile];
  }

  configSection(profile: string): IniSection | undefined {
    return this.config[`profile ${profile}`] ?? (profile === 'default' ? this.config.default : undefined);
  }

  has(profile: string): boolean {
    return this.credentialsSection(profile) !== undefined || this.configSection(profile) !== undefined;
  }
}

const UNSUPPORTED_PROFILE_KEYS = ['role_arn', 'source_profile', 'credential_process', 'sso_start_url', 'sso_session', 'web_identity_token_file'];

function keysOf(section: IniSection | undefined): SigningCredentials | undefined {
  const accessKeyId = nonEmpty(section?.aws_access_key_id);
  const secretAccessKey = nonEmpty(section?.aws_secret_access_key);
  if (accessKeyId === undefined || secretAccessKey === undefined) return undefined;
  const sessionToken = nonEmpty(section?.aws_session_token) ?? nonEmpty(section?.aws_security_token);
  return sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken };
}

function profileCredentials(files: SharedFiles, profile: string): SigningCredentials {
  const keys = keysOf(files.credentialsSection(profile)) ?? keysOf(files.configSection(profile));
  if (keys) return keys;
  const config = files.configSection(profile) ?? {};
  const unsupported = UNSUPPORTED_PROFILE_KEYS.find((key) => config[key] !== undefined);
  if (unsupported) {
    throw new ConfigurationError(`profile ${profile} gets its credentials through ${unsupported}, which iamd's client commands do not support; give it aws_access_key_id and aws_secret_access_key, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`);
  }
  throw new ConfigurationError(`Unable to locate credentials (profile ${profile} has no aws_access_key_id and aws_secret_access_key). Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --profile.`);
}

export function resolveClientSettings(flags: ClientFlags, env: Env, options: { home?: string; read?: FileReader } = {}): ClientSettings {
  const home = options.home ?? (nonEmpty(env.HOME) ?? homedir());
  const files = new SharedFiles(env, home, options.read ?? readOptionalFile);
  const endpoint = parseEndpoint(nonEmpty(flags.endpointUrl) ?? nonEmpty(env.AWS_ENDPOINT_URL) ?? DEFAULT_ENDPOINT);

  const explicitProfile = nonEmpty(flags.profile);
  const profile = explicitProfile ?? nonEmpty(env.AWS_DEFAULT_PROFILE) ?? nonEmpty(env.AWS_PROFILE) ?? 'default';
  if (profile !== 'default' && !files.has(profile)) throw new ConfigurationError(`The config profile (${profile}) could not be found`);

  let credentials: SigningCredentials;
  let credentialSource: string;
  const envKeyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const envSecret = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (explicitProfile === undefined && envKeyId !== undefined && envSecret !== undefined) {
    const sessionToken = nonEmpty(env.AWS_SESSION_TOKEN) ?? nonEmpty(env.AWS_SECURITY_TOKEN);
    credentials = sessionToken === undefined ? { accessKeyId: envKeyId, secretAccessKey: envSecret } : { accessKeyId: envKeyId, secretAccessKey: envSecret, sessionToken };
    credentialSource = 'environment';
  } else {
    credentials = profileCredentials(files, profile);
    credentialSource = `profile ${profile}`;
  }

  const region = nonEmpty(flags.region) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? nonEmpty(files.configSection(profile)?.region) ?? DEFAULT_REGION;
  return { endpoint, region, credentials, credentialSource };
}
