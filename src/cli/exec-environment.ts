/**
 * The environment `iamd exec` runs a command in, so that it behaves as on the instance:
 *
 * - none of the caller's credentials: every variable a credential chain reads before it asks IMDS
 *   (keys, profiles, web identity, container credentials, service-specific endpoints) is removed,
 *   and AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE point at files of our own (the config holds
 *   the region, nothing else), so ~/.aws is never read;
 * - the instance's addresses: AWS_ENDPOINT_URL (its API address), AWS_EC2_METADATA_SERVICE_ENDPOINT
 *   (its IMDS, with the trailing slash the AWS CLI needs), AWS_REGION and AWS_DEFAULT_REGION;
 * - a private directory first on PATH with wrappers for tools that ignore those variables:
 *   `aws` (the AWS CLI 2.9 honours no endpoint variable: the wrapper adds --endpoint-url unless
 *   one is given) and `curl` (169.254.169.254 and [fd00:ec2::254] are rewritten to the instance's
 *   IMDS, so the story's `curl http://169.254.169.254/latest/meta-data/...` works verbatim);
 * - for boto3 1.26, which ignores AWS_ENDPOINT_URL, a sitecustomize.py on PYTHONPATH that makes
 *   botocore's client creation default its endpoint_url to it.
 *
 * This module only computes (environment and files); exec.ts writes the files and runs the command.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export interface InstanceTarget {
  instanceId: string;
  region: string;
  /** http://127.b.c.d:APIPORT */
  apiEndpoint: string;
  /** http://127.b.c.d:IMDSPORT/ (trailing slash included) */
  imdsEndpoint: string;
}

export interface ExecFile {
  /** relative to the private directory */
  path: string;
  content: string;
  mode: number;
}

export interface ExecSetup {
  env: Record<string, string>;
  files: ExecFile[];
}

/** Exact names removed from the caller's environment. */
const REMOVED_NAMES = new Set([
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN',
  'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', // the Java SDK's alternative spellings
  'AWS_PROFILE', 'AWS_DEFAULT_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_EC2_METADATA_DISABLED', 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  'AWS_ENDPOINT_URL', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
  'IAMD_ROOT_ACCESS_KEY_ID', 'IAMD_ROOT_SECRET_ACCESS_KEY', // `iamd serve`'s root key, if the caller exported it
]);

/** Prefixes removed: AWS_CREDENTIAL_EXPIRATION ..., AWS_ROLE_ARN / AWS_ROLE_SESSION_NAME, container credentials, per-service endpoints. */
const REMOVED_PREFIXES = ['AWS_CREDENTIAL_', 'AWS_ROLE_', 'AWS_CONTAINER_', 'AWS_ENDPOINT_URL_'];

export function isCallerCredentialVariable(name: string): boolean {
  return REMOVED_NAMES.has(name) || REMOVED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** The first executable `name` on `path`, skipping the directories in `exclude`. */
export function findExecutable(name: string, path: string | undefined, exclude: readonly string[] = []): string | undefined {
  const skipped = new Set(exclude.map((dir) => resolve(dir)));
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '' || !isAbsolute(dir) || skipped.has(resolve(dir))) continue;
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there, or not executable: keep looking
    }
  }
  return undefined;
}

/** A word safe inside a POSIX shell script: single-quoted, with embedded quotes escaped. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function awsWrapper(realAws: string): string {
  return `#!/bin/sh
# iamd exec: the AWS CLI 2.9 honours no endpoint variable, so give it the instance's API address
# (AWS_ENDPOINT_URL), unless the command names an endpoint itself.
for arg in "$@"; do
  case "$arg" in --endpoint-url|--endpoint-url=*) exec ${shellQuote(realAws)} "$@";; esac
done
exec ${shellQuote(realAws)} --endpoint-url "$AWS_ENDPOINT_URL" "$@"
`;
}

/** IMDS's link-local addresses, as a URL may spell them; longest first so that `:80` is taken with the host. */
const IMDS_URL_PREFIXES = [
  'http://169.254.169.254:80', 'http://169.254.169.254', '169.254.169.254:80', '169.254.169.254',
  'http://[fd00:ec2::254]:80', 'http://[fd00:ec2::254]', '[fd00:ec2::254]:80', '[fd00:ec2::254]',
];

export function curlWrapper(realCurl: string, imdsEndpoint: string): string {
  const imds = imdsEndpoint.replace(/\/$/, '');
  return `#!/bin/sh
# iamd exec: on an instance, IMDS answers at 169.254.169.254 (IPv6: [fd00:ec2::254]); here it is the
# instance's own address. Rewrite such URLs, pass every other argument through unchanged.
imds=${shellQuote(imds)}
for arg do
  shift
  for prefix in ${IMDS_URL_PREFIXES.map(shellQuote).join(' ')}; do
    case "$arg" in
      "$prefix"|"$prefix"/*|"$prefix"\\?*) arg="$imds\${arg#"$prefix"}"; break;;
    esac
  done
  set -- "$@" "$arg"
done
exec ${shellQuote(realCurl)} "$@"
`;
}

/**
 * boto3 1.26 (botocore < 1.31) ignores AWS_ENDPOINT_URL. Importing botocore at every Python start
 * would be slow, so a finder waits for `botocore.session` to be imported and then wraps
 * Session.create_client: an endpoint_url left out (or None) defaults to AWS_ENDPOINT_URL. Newer
 * botocore reads the variable itself; the default changes nothing there. The sitecustomize this
 * one shadows (Debian's) still runs.
 */
export const SITE_CUSTOMIZE = `# iamd exec: make boto3 1.26 (botocore < 1.31) use AWS_ENDPOINT_URL like newer SDKs do.
import os
import sys


def _default_endpoint(session_module):
    original = session_module.Session.create_client

    def create_client(self, *args, **kwargs):
        endpoint = os.environ.get('AWS_ENDPOINT_URL')
        # endpoint_url is create_client's sixth parameter after self
        if endpoint and kwargs.get('endpoint_url') is None and (len(args) < 6 or args[5] is None):
            if len(args) >= 6:
                args = args[:5] + (endpoint,) + args[6:]
            else:
                kwargs['endpoint_url'] = endpoint
        return original(self, *args, **kwargs)

    session_module.Session.create_client = create_client


class _WhenBotocoreSessionLoads:
    def find_spec(self, name, path=None, target=None):
        if name != 'botocore.session':
            return None
        sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            _default_endpoint(module)

        spec.loader.exec_module = exec_module
        return spec


sys.meta_path.insert(0, _WhenBotocoreSessionLoads())

# Run the sitecustomize this file shadows, if any (Debian's installs a crash reporter hook).
_here = os.path.dirname(os.path.abspath(__file__))
for _dir in sys.path:
    _shadowed = os.path.join(_dir, 'sitecustomize.py')
    if _dir and os.path.abspath(_dir) != _here and os.path.isfile(_shadowed):
        with open(_shadowed) as _file:
            exec(compile(_file.read(), _shadowed, 'exec'), {'__name__': 'sitecustomize', '__file__': _shadowed})
        break
`;

/**
 * The command's environment and the files of the private directory `dir` (bin/ for the wrappers,
 * python/ for sitecustomize.py, credentials and config). `parent` is the caller's environment.
 */
export function instanceEnvironment(parent: Readonly<Record<string, string | undefined>>, target: InstanceTarget, dir: string): ExecSetup {
  const binDir = join(dir, 'bin');
  const pythonDir = join(dir, 'python');
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && !isCallerCredentialVariable(name)) env[name] = value;
  }
  const files: ExecFile[] = [
    { path: 'credentials', content: '# iamd exec: no keys here; SDKs take the instance role\'s credentials from its metadata service\n', mode: 0o600 },
    { path: 'config', content: `[default]\nregion = ${target.region}\n`, mode: 0o600 },
    { path: join('python', 'sitecustomize.py'), content: SITE_CUSTOMIZE, mode: 0o644 },
  ];
  const realAws = findExecutable('aws', parent.PATH, [binDir]);
  if (realAws) files.push({ path: join('bin', 'aws'), content: awsWrapper(realAws), mode: 0o755 });
  const realCurl = findExecutable('curl', parent.PATH, [binDir]);
  if (realCurl) files.push({ path: join('bin', 'curl'), content: curlWrapper(realCurl, target.imdsEndpoint), mode: 0o755 });

  Object.assign(env, {
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'config'),
    AWS_REGION: target.region,
    AWS_DEFAULT_REGION: target.region,
    AWS_ENDPOINT_URL: target.apiEndpoint,
    AWS_EC2_METADATA_SERVICE_ENDPOINT: target.imdsEndpoint,
    IAMD_INSTANCE_ID: target.instanceId,
    PATH: parent.PATH ? `${binDir}${delimiter}${parent.PATH}` : binDir,
    PYTHONPATH: parent.PYTHONPATH ? `${pythonDir}${delimiter}${parent.PYTHONPATH}` : pythonDir,
  });
  return { env, files };
}
