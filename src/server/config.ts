/**
 * Server settings: command-line flags win over environment variables, which win over defaults.
 * The API binds to loopback unless told otherwise.
 */
export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  accountId: string;
  region: string;
  tls?: { certFile?: string; keyFile?: string; selfSigned: boolean };
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  maxBodyBytes: number;
  /** the instance metadata service's port on every instance address (0: any free port) */
  imdsPort: number;
  /** instance role credentials: lifetime, and how long before expiry IMDS issues the next one */
  instanceCredentials: { lifetimeSeconds: number; refreshBeforeSeconds: number };
  /** revoke an instance session at the first request that uses it away from its instance (exfiltration findings) */
  autoContain?: boolean;
  /** the audit trail: how many days records are kept (0: no trail), and an optional JSON-lines copy for a SIEM */
  audit?: { retentionDays: number; logFile?: string };
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 4566,
  dataDir: './.iamd',
  accountId: '000000000000',
  region: 'us-east-1',
  maxBodyBytes: 2 * 1024 * 1024,
  imdsPort: 1338,
  instanceCredentialSeconds: 6 * 3600,
  instanceCredentialRefreshSeconds: 3600,
  auditRetentionDays: 90,
} as const;

export class UsageError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

/** Parses `serve` flags (`--name value` or `--name=value`) over the environment. */
export function serveConfig(args: readonly string[], env: Env): ServerConfig {
  const flags = parseFlags(args, new Set(['tls', 'auto-contain']));
  const text = (flag: string, variable: string, fallback: string): string => flags.get(flag) ?? env[variable] ?? fallback;
  const port = Number(text('port', 'IAMD_PORT', String(DEFAULTS.port)));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid port: ${text('port', 'IAMD_PORT', '')}`);
  const imdsPort = Number(text('imds-port', 'IAMD_IMDS_PORT', String(DEFAULTS.imdsPort)));
  if (!Number.isInteger(imdsPort) || imdsPort < 0 || imdsPort > 65535) throw new UsageError(`invalid IMDS port: ${text('imds-port', 'IAMD_IMDS_PORT', '')}`);
  const seconds = (flag: string, variable: string, fallback: number, min: number, max: number): number => {
    const value = Number(text(flag, variable, String(fallback)));
    if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${flag} must be a whole number of seconds from ${min} to ${max}`);
    return value;
  };
  // STS's bounds for a session's lifetime; AWS makes new instance credentials available at least 5 minutes ahead.
  const lifetimeSeconds = seconds('instance-credential-seconds', 'IAMD_INSTANCE_CREDENTIAL_SECONDS', DEFAULTS.instanceCredentialSeconds, 900, 43200);
  const refreshBeforeSeconds = seconds('instance-credential-refresh-seconds', 'IAMD_INSTANCE_CREDENTIAL_REFRESH_SECONDS', DEFAULTS.instanceCredentialRefreshSeconds, 300, 43200);
  if (refreshBeforeSeconds >= lifetimeSeconds) throw new UsageError('--instance-credential-refresh-seconds must be less than --instance-credential-seconds');
  const accountId = text('account-id', 'IAMD_ACCOUNT_ID', DEFAULTS.accountId);
  if (!/^\d{12}$/.test(accountId)) throw new UsageError(`invalid account id (12 digits): ${accountId}`);
  const certFile = flags.get('tls-cert') ?? env.IAMD_TLS_CERT;
  const keyFile = flags.get('tls-key') ?? env.IAMD_TLS_KEY;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  const selfSigned = flags.has('tls') || env.IAMD_TLS === '1';
  const retentionText = text('audit-retention-days', 'IAMD_AUDIT_RETENTION_DAYS', String(DEFAULTS.auditRetentionDays));
  if (!/^\d{1,5}$/.test(retentionText)) throw new UsageError(`--audit-retention-days must be a whole number of days (0: keep no trail): ${retentionText}`);
  const auditLogFile = flags.get('audit-log') ?? env.IAMD_AUDIT_LOG;
  const logLevel = text('log-level', 'IAMD_LOG_LEVEL', 'info');
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) throw new UsageError(`invalid log level: ${logLevel}`);
  const config: ServerConfig = {
    host: text('host', 'IAMD_HOST', DEFAULTS.host),
    port,
    dataDir: text('data-dir', 'IAMD_DATA_DIR', DEFAULTS.dataDir),
    accountId,
    region: text('region', 'IAMD_REGION', DEFAULTS.region),
    logLevel: logLevel as ServerConfig['logLevel'],
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    imdsPort,
    instanceCredentials: { lifetimeSeconds, refreshBeforeSeconds },
    autoContain: flags.has('auto-contain') || env.IAMD_AUTO_CONTAIN === '1',
    audit: { retentionDays: Number(retentionText), ...(auditLogFile ? { logFile: auditLogFile } : {}) },
  };
  if (certFile !== undefined || selfSigned) config.tls = { certFile, keyFile, selfSigned: certFile === undefined };
  return config;
}

export function parseFlags(args: readonly string[], booleans: ReadonlySet<string>): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument: ${arg}`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else if (booleans.has(name)) flags.set(name, 'true');
    else {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    }
  }
  return flags;
}
