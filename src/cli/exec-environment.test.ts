import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { awsWrapper, curlWrapper, findExecutable, instanceEnvironment, isCallerCredentialVariable, shellQuote, type InstanceTarget } from './exec-environment.js';

const TARGET: InstanceTarget = {
  instanceId: 'i-0123456789abcdef0', region: 'eu-west-3', apiEndpoint: 'http://127.16.32.5:4566', imdsEndpoint: 'http://127.16.32.5:1338/',
};

let work: string;
let fakeBin: string;

/** A stand-in for a real tool: prints each argument on its own line, and AWS_ENDPOINT_URL. */
function fakeTool(name: string): string {
  const path = join(fakeBin, name);
  writeFileSync(path, '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
  chmodSync(path, 0o755);
  return path;
}

function runScript(script: string, args: string[], env: Record<string, string> = {}): string[] {
  const path = join(work, `script-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, script, { mode: 0o755 });
  const result = spawnSync(path, args, { env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split('\n').slice(0, -1);
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'iamd-exec-env-test-'));
  fakeBin = join(work, 'fake-bin');
  mkdirSync(fakeBin);
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('instanceEnvironment', () => {
  const parent = {
    PATH: '/usr/local/bin:/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', PYTHONPATH: '/opt/py',
    AWS_ACCESS_KEY_ID: 'AKIACALLER', AWS_SECRET_ACCESS_KEY: 'caller-secret', AWS_SESSION_TOKEN: 'caller-token', AWS_SECURITY_TOKEN: 'legacy',
    AWS_ACCESS_KEY: 'java', AWS_SECRET_KEY: 'java-secret', AWS_PROFILE: 'admin', AWS_DEFAULT_PROFILE: 'admin',
    AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z', AWS_WEB_IDENTITY_TOKEN_FILE: '/t', AWS_ROLE_ARN: 'arn:aws:iam::1:role/x', AWS_ROLE_SESSION_NAME: 's',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://x', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok',
    AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:4566',
    AWS_SHARED_CREDENTIALS_FILE: '/home/u/.aws/credentials', AWS_CONFIG_FILE: '/home/u/.aws/config', AWS_REGION: 'us-east-1',
    IAMD_ROOT_ACCESS_KEY_ID: 'AKIAROOT', IAMD_ROOT_SECRET_ACCESS_KEY: 'root-secret',
    AWS_METADATA_SERVICE_TIMEOUT: '5', AWS_CA_BUNDLE: '/ca.pem',
  };

  it('removes every caller credential variable and keeps the rest', () => {
    const { env } = instanceEnvironment(parent, TARGET, '/tmp/iamd-exec-x');
    for (const name of Object.keys(parent)) {
      if (isCallerCredentialVariable(name) && !['AWS_ENDPOINT_URL', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_REGION'].includes(name)) {
        assert.equal(env[name], undefined, `${name} leaked`);
      }
    }
    assert.ok(!Object.values(env).some((value) => /caller|AKIACALLER|root-secret|java/.test(value)), 'a caller secret leaked');
    assert.equal(env.HOME, '/home/u');
    assert.equal(env.LANG, 'C.UTF-8');
    assert.equal(env.AWS_METADATA_SERVICE_TIMEOUT, '5');
    assert.equal(env.AWS_CA_BUNDLE, '/ca.pem');
  });

  it('points everything at the instance', () => {
    const { env, files } = instanceEnvironment(parent, TARGET, '/tmp/iamd-exec-x');
    assert.equal(env.AWS_ENDPOINT_URL, 'http://127.16.32.5:4566');
    assert.equal(env.AWS_EC2_METADATA_SERVICE_ENDPOINT, 'http://127.16.32.5:1338/');
    assert.equal(env.AWS_REGION, 'eu-west-3');
    assert.equal(env.AWS_DEFAULT_REGION, 'eu-west-3');
    assert.equal(env.AWS_SHARED_CREDENTIALS_FILE, '/tmp/iamd-exec-x/credentials');
    assert.equal(env.AWS_CONFIG_FILE, '/tmp/iamd-exec-x/config');
    assert.equal(env.PATH, '/tmp/iamd-exec-x/bin:/usr/local/bin:/usr/bin');
    assert.equal(env.PYTHONPATH, '/tmp/iamd-exec-x/python:/opt/py');
    assert.equal(env.IAMD_INSTANCE_ID, TARGET.instanceId);
    assert.equal(files.find((file) => file.path === 'config')?.content, '[default]\nregion = eu-west-3\n');
    assert.doesNotMatch(files.find((file) => file.path === 'credentials')!.content, /aws_access_key_id/);
  });

  it('writes an aws and a curl wrapper only when the real tool is on the PATH', () => {
    fakeTool('aws');
    const withAws = instanceEnvironment({ PATH: fakeBin }, TARGET, '/tmp/iamd-exec-x');
    assert.deepEqual(withAws.files.map((file) => file.path).filter((path) => path.startsWith('bin')).sort(), ['bin/aws']);
    assert.match(withAws.files.find((file) => file.path === 'bin/aws')!.content, new RegExp(`exec '${fakeBin}/aws' --endpoint-url`));
    const none = instanceEnvironment({ PATH: '/nonexistent' }, TARGET, '/tmp/iamd-exec-x');
    assert.deepEqual(none.files.filter((file) => file.path.startsWith('bin')), []);
  });
});

describe('findExecutable', () => {
  it('takes the first executable file, skipping excluded and relative directories', () => {
    const second = join(work, 'second');
    mkdirSync(second);
    writeFileSync(join(second, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(fakeBin, 'tool'), 'not executable', { mode: 0o644 });
    assert.equal(findExecutable('tool', `relative:${fakeBin}:${second}`), join(second, 'tool'));
    assert.equal(findExecutable('tool', second, [second]), undefined);
    assert.equal(findExecutable('tool', undefined), undefined);
  });
});

describe('the aws wrapper', () => {
  it('adds --endpoint-url $AWS_ENDPOINT_URL unless the command gives one', () => {
    const realAws = fakeTool('aws');
    const env = { AWS_ENDPOINT_URL: 'http://127.16.32.5:4566' };
    assert.deepEqual(runScript(awsWrapper(realAws), ['sts', 'get-caller-identity'], env), ['--endpoint-url', 'http://127.16.32.5:4566', 'sts', 'get-caller-identity']);
    assert.deepEqual(runScript(awsWrapper(realAws), ['--endpoint-url', 'http://other', 'sts', 'x y'], env), ['--endpoint-url', 'http://other', 'sts', 'x y']);
    assert.deepEqual(runScript(awsWrapper(realAws), ['sts', '--endpoint-url=http://o'], env), ['sts', '--endpoint-url=http://o']);
  });
});

describe('the curl wrapper', () => {
  it('rewrites IMDS URLs to the instance\'s metadata service and leaves every other argument alone', () => {
    const wrapper = curlWrapper(fakeTool('curl'), TARGET.imdsEndpoint);
    const cases: Array<[string, string]> = [
      ['http://169.254.169.254/latest/meta-data/iam/security-credentials/', 'http://127.16.32.5:1338/latest/meta-data/iam/security-credentials/'],
      ['http://169.254.169.254', 'http://127.16.32.5:1338'],
      ['http://169.254.169.254:80/latest/api/token', 'http://127.16.32.5:1338/latest/api/token'],
      ['169.254.169.254/latest/meta-data/', 'http://127.16.32.5:1338/latest/meta-data/'],
      ['http://[fd00:ec2::254]/latest/meta-data/', 'http://127.16.32.5:1338/latest/meta-data/'],
      ['http://169.254.169.254?x=1', 'http://127.16.32.5:1338?x=1'],
      ['http://169.254.169.2545/x', 'http://169.254.169.2545/x'],
      ['http://169.254.169.254:8080/x', 'http://169.254.169.254:8080/x'],
      ['https://example.com/169.254.169.254/', 'https://example.com/169.254.169.254/'],
      ['X-aws-ec2-metadata-token: a b  c', 'X-aws-ec2-metadata-token: a b  c'],
      ['', ''],
      ['*', '*'],
    ];
    const output = runScript(wrapper, ['-s', ...cases.map(([input]) => input)]);
    assert.deepEqual(output, ['-s', ...cases.map(([, expected]) => expected)]);
  });

  it('survives quotes in its paths', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.deepEqual(runScript(`#!/bin/sh\nprintf '%s\\n' ${shellQuote("a 'b' $c \\d")}\n`, []), ["a 'b' $c \\d"]);
  });
});
