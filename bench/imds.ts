/**
 * (c) A full instance credential fetch from the metadata service, as every AWS SDK does it: token PUT,
 * role-name GET, credential GET. `iamd serve` runs in its own process with one running instance
 * (seeded into its data directory before it starts, so it also proves the listeners pick up the
 * instances already running); a load generator in a third process keeps N connections busy with
 * that sequence. Reported: fetches per second and the p99 latency of a whole fetch, over kept-alive
 * connections (target >= 5,000/s), and with a new connection for every request. For scale on a
 * shared, noisy machine, a bare node:http server answering the same three requests with fixed
 * bodies is measured in alternation with iamd, and the median pair's ratio reported.
 *
 * The generator speaks HTTP/1.1 over raw sockets: node:http's client costs more CPU per request than
 * the server under test, and on a two-core machine it would measure itself.
 *
 * usage (generator): node imds.js generate '{"host":...,"port":...,"roleName":...,"seconds":3,"connections":16,"keepAlive":true}'
 *       (baseline):  node imds.js bare
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App } from '../src/server/app.js';
import { serveConfig } from '../src/server/config.js';
import { silentLogger } from '../src/server/logger.js';
import type { BenchLine } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const ROOT = { IAMD_ROOT_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', IAMD_ROOT_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const PRIVATE_IP = '172.31.250.10';
const ADDRESS = '127.31.250.10';
const BARE_ADDRESS = '127.31.250.11';
const ROLE = 'bench-role';

interface FetchSpec {
  host: string;
  port: number;
  roleName: string;
  seconds: number;
  connections: number;
  keepAlive: boolean;
}

interface FetchResult {
  fetches: number;
  errors: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
}

/** A data directory with a role, its instance profile and one running instance in a VPC. */
function seed(dataDir: string): void {
  const { app } = App.open(serveConfig(['--data-dir', dataDir], ROOT), ROOT, silentLogger);
  try {
    const created = new Date().toISOString();
    const roleId = app.ids.uniqueId('AROA');
    const profileId = app.ids.uniqueId('AIPA');
    app.directory.apply([
      {
        kind: 'role',
        put: {
          roleId, roleName: ROLE, path: '/', arn: `arn:aws:iam::${app.accountId}:role/${ROLE}`, createDate: created, maxSessionDuration: 3600, tags: [],
          assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
          inlinePolicies: {}, attachedPolicyArns: [],
        },
      },
      {
        kind: 'instance-profile',
        put: { instanceProfileId: profileId, instanceProfileName: ROLE, path: '/', arn: `arn:aws:iam::${app.accountId}:instance-profile/${ROLE}`, createDate: created, roleName: ROLE, tags: [] },
      },
    ]);
    app.ec2.vpcs.put({
      vpcId: 'vpc-0be0c0be0c0be0c0b', cidrBlock: '172.31.0.0/16', additionalCidrBlocks: [], isDefault: true, state: 'available',
      dhcpOptionsId: 'dopt-0be0c0be0c0be0c0b', instanceTenancy: 'default', enableDnsSupport: true, enableDnsHostnames: true, tags: [],
    });
    app.ec2.instances.put({
      instanceId: 'i-0be0c0be0c0be0c0b', imageId: 'ami-0c02fb55956c7d316', instanceType: 't3.micro', state: 'running', stateTransitionReason: '',
      launchTime: created, pendingTime: created, availabilityZone: 'us-east-1a', vpcId: 'vpc-0be0c0be0c0be0c0b', subnetId: 'subnet-0be0c0be0c0be0c0b',
      privateIpAddress: PRIVATE_IP, privateDnsName: 'ip-172-31-250-10.ec2.internal', macAddress: '0e:be:0c:be:0c:be', networkInterfaceId: 'eni-0be0c0be0c0be0c0b',
      securityGroupIds: [], architecture: 'x86_64', amiLaunchIndex: 0, reservationId: 'r-0be0c0be0c0be0c0b', ownerId: app.accountId, tags: [],
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', instanceMetadataTags: 'disabled' },
      profileAssociation: { associationId: 'iip-assoc-0be0c0be0c0be0c0b', instanceProfileArn: `arn:aws:iam::${app.accountId}:instance-profile/${ROLE}`, instanceProfileId: profileId, state: 'associated', generation: 1 },
      bootCount: 1,
    });
  } finally {
    app.close();
  }
}

function startIamd(dataDir: string): Promise<{ child: ChildProcess; imdsPort: number }> {
  const child = spawn(process.execPath, [join(repo, 'bin', 'iamd'), 'serve', '--port', '0', '--imds-port', '0', '--data-dir', dataDir], {
    env: { PATH: process.env.PATH, ...ROOT }, stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /instance metadata on port (\d+)/.exec(out);
      if (match) resolve({ child, imdsPort: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`iamd exited with ${code}`)));
  });
}

function startBare(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'bare'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on port (\d+)/.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.on('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

function measure(spec: FetchSpec): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'generate', JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as FetchResult) : reject(new Error(`IMDS load generator exited ${code}`))));
  });
}

export async function run(): Promise<BenchLine[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'iamd-bench-imds-'));
  seed(dataDir);
  const iamd = await startIamd(dataDir);
  const bare = await startBare();
  try {
    const common = { roleName: ROLE, connections: 16, keepAlive: true };
    const iamdSpec = { ...common, host: ADDRESS, port: iamd.imdsPort };
    const bareSpec = { ...common, host: BARE_ADDRESS, port: bare.port };
    await measure({ ...iamdSpec, seconds: 1 });
    await measure({ ...bareSpec, seconds: 1 });
    const pairs: Array<{ iamd: FetchResult; bare: FetchResult; ratio: number }> = [];
    for (let round = 0; round < 3; round++) {
      const bareResult = await measure({ ...bareSpec, seconds: 3 });
      const iamdResult = await measure({ ...iamdSpec, seconds: 3 });
      if (iamdResult.errors > 0) throw new Error(`the metadata service failed ${iamdResult.errors} fetches`);
      pairs.push({ iamd: iamdResult, bare: bareResult, ratio: iamdResult.perSecond / bareResult.perSecond });
    }
    pairs.sort((a, b) => a.ratio - b.ratio);
    const median = pairs[1]!;
    const fresh = await measure({ ...iamdSpec, seconds: 3, keepAlive: false });
    if (fresh.errors > 0) throw new Error(`the metadata service failed ${fresh.errors} fetches`);
    return [
      {
        name: 'IMDS credential fetch (PUT token + 2 GETs, keep-alive)', value: median.iamd.perSecond, unit: 'fetch/s',
        note: `p99 ${median.iamd.p99ms.toFixed(2)} ms, p50 ${median.iamd.p50ms.toFixed(2)} ms; target >= 5,000`,
      },
      { name: 'bare node:http, same 3 requests, fixed bodies', value: median.bare.perSecond, unit: 'fetch/s', note: `p99 ${median.bare.p99ms.toFixed(2)} ms` },
      { name: 'IMDS / bare node:http (median of 3 pairs)', value: median.ratio, unit: 'ratio', note: `pairs ${pairs.map((pair) => pair.ratio.toFixed(2)).join(', ')}` },
      { name: 'IMDS credential fetch (a connection per request)', value: fresh.perSecond, unit: 'fetch/s', note: `p99 ${fresh.p99ms.toFixed(2)} ms` },
    ];
  } finally {
    iamd.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The baseline: node:http answering the token PUT, the role name and a credential document of the usual size, fixed. */
function bareServer(): void {
  const token = Buffer.from('A'.repeat(52));
  const role = Buffer.from(ROLE);
  const document = Buffer.from(JSON.stringify({
    Code: 'Success', LastUpdated: '2026-11-28T10:00:00Z', Type: 'AWS-HMAC', AccessKeyId: 'ASIAAAAAAAAAAAAAAAAA', SecretAccessKey: 'S'.repeat(40),
    Token: 'T'.repeat(600), Expiration: '2026-11-28T16:00:00Z',
  }, null, 2).replace(/": /g, '" : '));
  const server = createServer((req, res) => {
    req.resume();
    const body = req.method === 'PUT' ? token : req.url!.endsWith('/') ? role : document;
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, BARE_ADDRESS, () => process.stdout.write(`listening on port ${(server.address() as AddressInfo).port}\n`));
}

// --- the load generator (its own process)

interface Answer {
  status: number;
  body: string;
}

/** One HTTP/1.1 connection, one request at a time; answers are read by Content-Length. */
class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((answer: Answer) => void) | undefined;
  private failing: ((error: Error) => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    socket.on('error', (error) => this.failing?.(error));
    socket.on('close', () => this.failing?.(new Error('connection closed')));
  }

  static open(host: string, port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }

  send(request: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failing = reject;
      this.socket.write(request);
    });
  }

  close(): void {
    this.failing = undefined;
    this.socket.destroy();
  }

  private parse(): void {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? '0');
    if (this.buffer.length < end + 4 + length) return;
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4 + length);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ status: Number(head.slice(9, 12)), body });
  }
}

async function generate(spec: FetchSpec): Promise<FetchResult> {
  const hostHeader = `${spec.host}:${spec.port}`;
  const connection = spec.keepAlive ? 'keep-alive' : 'close';
  const tokenRequest = `PUT /latest/api/token HTTP/1.1\r\nHost: ${hostHeader}\r\nX-aws-ec2-metadata-token-ttl-seconds: 21600\r\nContent-Length: 0\r\nConnection: ${connection}\r\n\r\n`;
  const get = (path: string, token: string): string => `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nX-aws-ec2-metadata-token: ${token}\r\nConnection: ${connection}\r\n\r\n`;
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + spec.seconds * 1000;

  const worker = async (): Promise<void> => {
    let kept: Connection | undefined;
    const exchange = async (request: string): Promise<Answer> => {
      if (!spec.keepAlive) {
        const once = await Connection.open(spec.host, spec.port);
        try {
          return await once.send(request);
        } finally {
          once.close();
        }
      }
      kept ??= await Connection.open(spec.host, spec.port);
      return kept.send(request);
    };
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const token = await exchange(tokenRequest);
        const role = await exchange(get('/latest/meta-data/iam/security-credentials/', token.body));
        const document = await exchange(get(`/latest/meta-data/iam/security-credentials/${role.body}`, token.body));
        if (token.status === 200 && role.status === 200 && role.body === spec.roleName && document.status === 200 && document.body.includes('"Code" : "Success"')) {
          latencies.push(performance.now() - started);
        } else errors++;
      } catch {
        errors++;
        kept?.close();
        kept = undefined;
      }
    }
    kept?.close();
  };
  const begun = performance.now();
  await Promise.all(Array.from({ length: spec.connections }, worker));
  const seconds = (performance.now() - begun) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { fetches: latencies.length, errors, perSecond: latencies.length / seconds, p50ms: at(0.5), p99ms: at(0.99) };
}

const main = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (main && process.argv[2] === 'bare') bareServer();
if (main && process.argv[2] === 'generate') {
  generate(JSON.parse(process.argv[3]!) as FetchSpec).then((result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
  }, (error: unknown) => {
    process.stderr.write(String(error) + '\n');
    process.exit(1);
  });
}
