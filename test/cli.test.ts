/**
 * `iamd instances` and `iamd exec` against a stand-in server: a small HTTP server that checks our
 * signatures with our verifier and answers DescribeInstances / GetInstanceProfile with fixed XML in
 * AWS's shapes, and a stand-in metadata service on an instance's loopback address. This proves the
 * client side (endpoint and credential resolution, signing, pagination, errors and exit codes, the
 * exec environment and its wrappers) on its own; test/story-instance.test.ts runs the real thing.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseSignature, verifySignature } from '../src/sigv4/index.js';
import { sha256Hex } from '../src/sigv4/string-to-sign.js';
import { callerEnv, iamdExec, needsCurl, runIamd } from './helpers/cli.js';
import { hasBoto3, PYTHON, realClient } from './helpers/real-clients.js';

const CALLER = { accessKeyId: 'AKIAFAKECALLER000001', secretAccessKey: 'caller/secret+key' };
const PROFILE_KEYS = { accessKeyId: 'AKIAFAKEPROFILE00002', secretAccessKey: 'profile-secret' };
const SECRETS = new Map([[CALLER.accessKeyId, CALLER.secretAccessKey], [PROFILE_KEYS.accessKeyId, PROFILE_KEYS.secretAccessKey]]);
const INSTANCE_IP = '10.99.0.7'; // answers on 127.99.0.7
const INSTANCE_LOOPBACK = '127.99.0.7';

interface SeenRequest {
  action: string;
  accessKeyId: string;
  region: string;
  service: string;
  params: URLSearchParams;
}

const item = (id: string, state: string, extra = '') =>
  `<item><instanceId>${id}</instanceId><instanceState><code>0</code><name>${state}</name></instanceState>${extra}</item>`;
const RUNNING = item('i-0running000000001', 'running',
  `<privateIpAddress>${INSTANCE_IP}</privateIpAddress><vpcId>vpc-0fake</vpcId><placement><availabilityZone>eu-west-3a</availabilityZone></placement>` +
  '<iamInstanceProfile><arn>arn:aws:iam::000000000000:instance-profile/app/web-profile</arn><id>AIPAFAKE</id></iamInstanceProfile>');
const STOPPED = item('i-0stopped000000002', 'stopped', '<privateIpAddress>10.99.0.8</privateIpAddress><vpcId>vpc-0fake</vpcId>');
const TERMINATED = item('i-0terminated000003', 'terminated');
const reservation = (...items: string[]) => `<item><reservationId>r-1</reservationId><ownerId>000000000000</ownerId><instancesSet>${items.join('')}</instancesSet></item>`;
const describeAnswer = (reservations: string, nextToken?: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req</requestId><reservationSet>${reservations}</reservationSet>${nextToken ? `<nextToken>${nextToken}</nextToken>` : ''}</DescribeInstancesResponse>`;
const ec2Error = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>req</RequestID></Response>`;

class FakeApi {
  readonly seen: SeenRequest[] = [];
  server!: Server;
  imds!: Server;
  url = '';
  imdsPort = 0;

  async start(): Promise<void> {
    // The instance's metadata service, on its own loopback address, as the network identity would run it.
    this.imds = createServer((req, res) => {
      const answers: Record<string, string> = {
        '/latest/meta-data/iam/security-credentials/': 'web-role',
        '/latest/meta-data/iam/security-credentials/web-role': '{"Code":"Success","AccessKeyId":"ASIAFAKE"}',
      };
      const body = answers[req.url ?? ''];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' }).end(body ?? 'Not Found');
    });
    await new Promise<void>((resolve) => this.imds.listen(0, INSTANCE_LOOPBACK, resolve));
    this.imdsPort = (this.imds.address() as { port: number }).port;

    this.server = createServer((req, res) => { void this.handle(req, res); });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
    await new Promise((resolve) => this.imds.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'GET' && req.url === '/_iamd/health') {
      const port = (this.server.address() as { port: number }).port;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', accountId: '000000000000', region: 'us-east-1', apiPort: port, imdsPort: this.imdsPort }));
      return;
    }
    const headers: Array<[string, string]> = [];
    for (let index = 0; index < req.rawHeaders.length; index += 2) headers.push([req.rawHeaders[index]!, req.rawHeaders[index + 1]!]);
    const wire = { method: req.method ?? 'GET', rawPath: '/', rawQuery: '', headers };
    const signature = parseSignature(wire);
    const secret = signature ? SECRETS.get(signature.accessKeyId) : undefined;
    const verified = signature && secret !== undefined && verifySignature(wire, signature, secret, { payloadHash: sha256Hex(body), normalizePath: true, now: new Date() }).ok;
    if (!signature || !verified) {
      res.writeHead(401, { 'content-type': 'text/xml' }).end(ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials'));
      return;
    }
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    this.seen.push({ action, accessKeyId: signature.accessKeyId, region: signature.region, service: signature.service, params });
    res.setHeader('content-type', 'text/xml;charset=UTF-8');
    if (action === 'DescribeInstances') {
      const ids = [...params.keys()].filter((name) => name.startsWith('InstanceId.')).map((name) => params.get(name)!);
      if (ids.length === 0) {
        // Two pages, as a server with many instances would answer.
        res.end(params.get('NextToken') === 'page-2' ? describeAnswer(reservation(STOPPED, TERMINATED)) : describeAnswer(reservation(RUNNING), 'page-2'));
        return;
      }
      const known: Record<string, string> = { 'i-0running000000001': RUNNING, 'i-0stopped000000002': STOPPED };
      const unknown = ids.find((id) => !known[id]);
      if (unknown) {
        res.statusCode = 400;
        res.end(ec2Error('InvalidInstanceID.NotFound', `The instance ID '${unknown}' does not exist`));
        return;
      }
      res.end(describeAnswer(reservation(...ids.map((id) => known[id]!))));
      return;
    }
    if (action === 'GetInstanceProfile' && params.get('InstanceProfileName') === 'web-profile') {
      res.end('<GetInstanceProfileResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetInstanceProfileResult><InstanceProfile><Path>/app/</Path><InstanceProfileName>web-profile</InstanceProfileName>' +
        '<Roles><member><RoleName>web-role</RoleName><Arn>arn:aws:iam::000000000000:role/web-role</Arn></member></Roles></InstanceProfile></GetInstanceProfileResult></GetInstanceProfileResponse>');
      return;
    }
    res.statusCode = 400;
    res.end(ec2Error('InvalidAction', `unexpected ${action}`));
  }
}

const api = new FakeApi();
let work: string;

before(async () => {
  await api.start();
  work = mkdtempSync(join(tmpdir(), 'iamd-cli-test-'));
});
after(async () => {
  await api.stop();
  rmSync(work, { recursive: true, force: true });
});

const RUNNING_ID = 'i-0running000000001';

describe('iamd instances', () => {
  it('lists every page of instances with state, private IP, VPC, role and IMDS address', async () => {
    // AWS_CA_BUNDLE matters for https only: a missing bundle does not stop a call over http.
    const result = await runIamd(['instances'], callerEnv(api.url, CALLER, { AWS_CA_BUNDLE: join(work, 'no-such-bundle.pem') }));
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^INSTANCE +STATE +PRIVATE IP +VPC +ROLE +IMDS$/);
    assert.match(lines[1]!, new RegExp(`^${RUNNING_ID} +running +10\\.99\\.0\\.7 +vpc-0fake +web-role +http://127\\.99\\.0\\.7:${api.imdsPort}/$`));
    assert.match(lines[2]!, new RegExp(`^i-0stopped000000002 +stopped +10\\.99\\.0\\.8 +vpc-0fake +- +http://127\\.99\\.0\\.8:${api.imdsPort}/$`));
    assert.match(lines[3]!, /^i-0terminated000003 +terminated +- +- +- +-$/);
    assert.equal(lines.length, 4);
  });

  it('--json gives the same in a machine-readable form', async () => {
    const result = await runIamd(['instances', '--json'], callerEnv(api.url, CALLER));
    assert.equal(result.status, 0, result.stderr);
    const { Instances } = JSON.parse(result.stdout) as { Instances: Array<Record<string, string>> };
    assert.equal(Instances.length, 3);
    assert.deepEqual(Instances[0], {
      InstanceId: RUNNING_ID, State: 'running', PrivateIpAddress: INSTANCE_IP, VpcId: 'vpc-0fake',
      InstanceProfileArn: 'arn:aws:iam::000000000000:instance-profile/app/web-profile', RoleName: 'web-role',
      ApiEndpoint: `${api.url.replace('127.0.0.1', INSTANCE_LOOPBACK)}`, ImdsEndpoint: `http://${INSTANCE_LOOPBACK}:${api.imdsPort}/`,
    });
  });

  it('signs with a profile from the shared files, and --endpoint-url and --region win over the environment', async () => {
    const credentialsFile = join(work, 'credentials');
    const configFile = join(work, 'config');
    writeFileSync(credentialsFile, `[ops]\naws_access_key_id = ${PROFILE_KEYS.accessKeyId}\naws_secret_access_key = ${PROFILE_KEYS.secretAccessKey}\n`);
    writeFileSync(configFile, '[profile ops]\nregion = ap-southeast-2\n');
    const env = callerEnv('http://127.0.0.1:1', CALLER, { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile });
    api.seen.length = 0;
    const result = await runIamd(['instances', '--profile', 'ops', `--endpoint-url=${api.url}`], env);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(api.seen.length >= 2);
    for (const request of api.seen) {
      assert.equal(request.accessKeyId, PROFILE_KEYS.accessKeyId);
      assert.equal(request.region, 'ap-southeast-2');
    }
    assert.deepEqual(api.seen.map((request) => `${request.service}:${request.action}`), ['ec2:DescribeInstances', 'ec2:DescribeInstances', 'iam:GetInstanceProfile']);

    api.seen.length = 0;
    const withProfileVariable = await runIamd(['instances', '--region', 'sa-east-1'], { ...env, AWS_ENDPOINT_URL: api.url, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'ops' });
    assert.equal(withProfileVariable.status, 0, withProfileVariable.stderr);
    assert.equal(api.seen[0]?.accessKeyId, PROFILE_KEYS.accessKeyId);
    assert.equal(api.seen[0]?.region, 'sa-east-1');
  });

  it('exits like the AWS CLI: 254 for a service error, 253 without credentials, 255 when unreachable, 2 for usage', async () => {
    const wrongSecret = await runIamd(['instances'], callerEnv(api.url, { ...CALLER, secretAccessKey: 'wrong' }));
    assert.equal(wrongSecret.status, 254);
    assert.equal(wrongSecret.stderr, 'iamd: AuthFailure: AWS was not able to validate the provided access credentials\n');

    const noKeys = await runIamd(['instances'], callerEnv(api.url, undefined));
    assert.equal(noKeys.status, 253);
    assert.match(noKeys.stderr, /^iamd: Unable to locate credentials/);

    const unknownProfile = await runIamd(['instances', '--profile', 'nope'], callerEnv(api.url, CALLER));
    assert.equal(unknownProfile.status, 253);
    assert.match(unknownProfile.stderr, /The config profile \(nope\) could not be found/);

    const unreachable = await runIamd(['instances'], callerEnv('http://127.0.0.1:1', CALLER));
    assert.equal(unreachable.status, 255);
    assert.match(unreachable.stderr, /^iamd: Could not connect to the endpoint URL: "http:\/\/127\.0\.0\.1:1\/"/);

    const usage = await runIamd(['instances', '--bogus'], callerEnv(api.url, CALLER));
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /unknown option: --bogus/);
  });
});

describe('iamd exec', () => {
  /** Runs `env` on the instance and returns the environment the command saw. */
  async function instanceEnv(parent: Record<string, string>): Promise<Record<string, string>> {
    const result = await iamdExec(RUNNING_ID, ['env'], parent);
    assert.equal(result.status, 0, result.stderr);
    return Object.fromEntries(result.stdout.trimEnd().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  }

  it('gives the command none of the caller\'s keys, and the instance\'s addresses, region and own shared files', async () => {
    // The caller's own shared files hold a profile `admin` (which the caller's AWS_PROFILE names).
    const callerCredentials = join(work, 'caller-credentials');
    writeFileSync(callerCredentials, `[admin]\naws_access_key_id = ${PROFILE_KEYS.accessKeyId}\naws_secret_access_key = ${PROFILE_KEYS.secretAccessKey}\n`);
    const parent = callerEnv(api.url, CALLER, {
      AWS_SHARED_CREDENTIALS_FILE: callerCredentials, AWS_PROFILE: 'admin', AWS_DEFAULT_PROFILE: 'admin', AWS_ROLE_ARN: 'arn:aws:iam::000000000000:role/admin', AWS_WEB_IDENTITY_TOKEN_FILE: '/token',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/creds', AWS_CREDENTIAL_EXPIRATION: '2099-01-01T00:00:00Z', AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_STS: api.url, IAMD_ROOT_SECRET_ACCESS_KEY: 'root-secret', AWS_DEFAULT_REGION: 'us-west-1', KEEP_ME: 'kept',
    });
    const env = await instanceEnv(parent);
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ROLE_ARN',
      'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_EC2_METADATA_DISABLED',
      'AWS_ENDPOINT_URL_STS', 'IAMD_ROOT_SECRET_ACCESS_KEY']) {
      assert.equal(env[name], undefined, `${name} reached the command`);
    }
    assert.ok(!Object.values(env).some((value) => [CALLER.secretAccessKey, CALLER.accessKeyId, callerCredentials].some((secret) => value.includes(secret))));
    const apiPort = new URL(api.url).port;
    assert.equal(env.AWS_ENDPOINT_URL, `http://${INSTANCE_LOOPBACK}:${apiPort}`);
    assert.equal(env.AWS_EC2_METADATA_SERVICE_ENDPOINT, `http://${INSTANCE_LOOPBACK}:${api.imdsPort}/`);
    assert.equal(env.AWS_REGION, 'eu-west-3'); // the instance's zone, eu-west-3a
    assert.equal(env.AWS_DEFAULT_REGION, 'eu-west-3');
    assert.equal(env.IAMD_INSTANCE_ID, RUNNING_ID);
    assert.equal(env.KEEP_ME, 'kept');
    assert.match(env.PATH!, /^\/[^:]*iamd-exec-[^:]*\/bin:/);
    assert.match(env.AWS_CONFIG_FILE!, /iamd-exec-[^/]*\/config$/);
    assert.match(env.AWS_SHARED_CREDENTIALS_FILE!, /iamd-exec-[^/]*\/credentials$/);
  });

  it('the command reads a config with the region only and no credentials, and the directory is gone afterwards', async () => {
    const script = 'cat "$AWS_CONFIG_FILE"; grep -c aws_access_key_id "$AWS_SHARED_CREDENTIALS_FILE"; dirname "$AWS_CONFIG_FILE"';
    const result = await iamdExec(RUNNING_ID, ['sh', '-c', script], callerEnv(api.url, CALLER));
    const [section, region, keyCount, dir] = result.stdout.trimEnd().split('\n');
    assert.equal(section, '[default]');
    assert.equal(region, 'region = eu-west-3');
    assert.equal(keyCount, '0');
    assert.ok(dir && !existsSync(dir), `${dir} was left behind`);
  });

  it('passes stdin, stdout, stderr and the exit code through', async () => {
    const result = await iamdExec(RUNNING_ID, ['sh', '-c', 'read line; echo "got $line"; echo oops >&2; exit 7'], callerEnv(api.url, CALLER), { input: 'hello\n' });
    assert.equal(result.status, 7);
    assert.equal(result.stdout, 'got hello\n');
    assert.equal(result.stderr, 'oops\n');
    const killed = await iamdExec(RUNNING_ID, ['sh', '-c', 'kill -TERM $$'], callerEnv(api.url, CALLER));
    assert.equal(killed.status, 128 + 15);
    const missing = await iamdExec(RUNNING_ID, ['no-such-command-here'], callerEnv(api.url, CALLER));
    assert.equal(missing.status, 127);
    assert.match(missing.stderr, /no-such-command-here: command not found/);
  });

  it('curl on the instance reaches its metadata service at 169.254.169.254, as in the story', needsCurl(), async () => {
    const env = callerEnv(api.url, CALLER);
    const role = await iamdExec(RUNNING_ID, ['curl', '-s', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'], env);
    assert.equal(role.status, 0, role.stderr);
    assert.equal(role.stdout, 'web-role');
    const document = await iamdExec(RUNNING_ID, ['curl', '-s', `http://169.254.169.254/latest/meta-data/iam/security-credentials/${role.stdout}`], env);
    assert.equal(JSON.parse(document.stdout).AccessKeyId, 'ASIAFAKE');
  });

  it('boto3 clients default to the instance\'s API address (boto3 1.26 ignores AWS_ENDPOINT_URL)', realClient('boto3'), async () => {
    assert.ok(hasBoto3);
    const script = 'import boto3; print(boto3.client("sts").meta.endpoint_url); print(boto3.client("iam", endpoint_url="http://explicit:1").meta.endpoint_url); print(boto3.session.Session().region_name)';
    const result = await iamdExec(RUNNING_ID, [PYTHON, '-c', script], callerEnv(api.url, CALLER));
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.stdout.trimEnd().split('\n'), [`http://${INSTANCE_LOOPBACK}:${new URL(api.url).port}`, 'http://explicit:1', 'eu-west-3']);
  });

  it('refuses an instance that is not running, or unknown, with a clear message', async () => {
    const stopped = await iamdExec('i-0stopped000000002', ['true'], callerEnv(api.url, CALLER));
    assert.equal(stopped.status, 1);
    assert.match(stopped.stderr, /^iamd: instance i-0stopped000000002 is stopped; iamd exec needs a running instance/);
    const unknown = await iamdExec('i-0000000000000dead', ['true'], callerEnv(api.url, CALLER));
    assert.equal(unknown.status, 254);
    assert.equal(unknown.stderr, "iamd: InvalidInstanceID.NotFound: The instance ID 'i-0000000000000dead' does not exist\n");
  });

  it('usage errors: no --, no command, no instance id', async () => {
    for (const args of [['exec', RUNNING_ID, 'true'], ['exec', RUNNING_ID, '--'], ['exec']]) {
      const result = await runIamd(args, callerEnv(api.url, CALLER));
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, /^iamd: exec/);
    }
  });
});
