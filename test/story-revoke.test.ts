/**
 * The user story (../shared/seed/revoking-temporary-credentials.md), end to end, three times.
 *
 * The cast: two instances of one role, each running a workload through `bin/iamd exec` (a boto3
 * loop on the first, a JS SDK v3 loop on the second); long-running processes, so they keep the
 * credentials their SDK fetched until its own refresh window, as CLIENTS.md measured. The admin and
 * the attacker both use the AWS CLI (/usr/bin/aws). The attacker "connected to the session manager"
 * of the first instance and copied its credentials with the story's very curl command (tokenless:
 * IMDSv1, whose credential AWS delivers apart from the SDKs' IMDSv2 one), then uses them from the
 * host. "Next fetch" of an instance is a fresh process on it: SDKs fetch at start.
 *
 * 1. AWS-identical: `aws iam put-role-policy ... AWSRevokeOlderSessions` denies the attacker and the
 *    instances; IMDS keeps serving the denied credential; after stop/start the instances work and
 *    the attacker stays out.
 * 2. Targeted: `iamd sessions revoke <copied key>`: the attacker is out, the workloads are never
 *    interrupted, and the instance's metadata service hands out a fresh IMDSv1 credential.
 * 3. Recover: `iamd revoke-sessions --role R --reissue`: as 1, but the instances recover at their
 *    next fetch, with no stop/start; the attacker stays out.
 * Each step also checks the audit trail. Skipped locally without the AWS CLI or boto3 (CI has both).
 */
import {
  AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, type InstanceStateName } from '@aws-sdk/client-ec2';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { callerEnv, iamdExec, runIamd } from './helpers/cli.js';
import { IAMD_BIN } from './helpers/process.js';
import { aws, PYTHON, realClient, type CliResult } from './helpers/real-clients.js';
import { iamClient, startTestServer, type Credentials, type TestServer } from './helpers/server.js';

const ROLE = 'story-role';
const ACCOUNT = '000000000000';
const AMAZON_LINUX_2 = 'ami-03c951bbe993ea087';
const CREDENTIALS_URL = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';
const IAM_MODULE = createRequire(import.meta.url).resolve('@aws-sdk/client-iam');
const cliSkip = realClient('aws-cli').skip;
const botoSkip = realClient('boto3').skip;
const needs = { skip: cliSkip || botoSkip };

/** What a workload step reports: whether its GetRole worked, the error code if not, and the key it signed with. */
interface Outcome {
  ok: boolean;
  code?: string;
  key: string;
}

const BOTO3_STEP = `
def step(session, iam):
    key = session.get_credentials().get_frozen_credentials().access_key
    try:
        iam.get_role(RoleName=${JSON.stringify(ROLE)})
        return {"ok": True, "key": key}
    except botocore.exceptions.ClientError as error:
        return {"ok": False, "code": error.response["Error"]["Code"], "key": key}
`;
/** boto3, long-running: one session (its credentials fetched once from IMDS), a step per input line. */
const BOTO3_LOOP = `import sys, json, boto3, botocore
${BOTO3_STEP}
session = boto3.session.Session()
iam = session.client("iam")
for line in sys.stdin:
    print(json.dumps(step(session, iam)), flush=True)
`;
const BOTO3_ONCE = `import json, boto3, botocore
${BOTO3_STEP}
session = boto3.session.Session()
print(json.dumps(step(session, session.client("iam"))))
`;

const JS_STEP = `const { IAMClient, GetRoleCommand } = require(${JSON.stringify(IAM_MODULE)});
async function step(client) {
  const { accessKeyId: key } = await client.config.credentials();
  try {
    await client.send(new GetRoleCommand({ RoleName: ${JSON.stringify(ROLE)} }));
    return { ok: true, key };
  } catch (error) {
    return { ok: false, code: error.Code ?? error.name, key };
  }
}
`;
/** The JS SDK v3, long-running: one client (its credential provider memoized), a step per input line. */
const JS_LOOP = `${JS_STEP}
const client = new IAMClient({ maxAttempts: 1 });
let queue = Promise.resolve();
require('node:readline').createInterface({ input: process.stdin }).on('line', () => {
  queue = queue.then(async () => { console.log(JSON.stringify(await step(client))); });
});
`;
const JS_ONCE = `${JS_STEP}
step(new IAMClient({ maxAttempts: 1 })).then((outcome) => console.log(JSON.stringify(outcome)));
`;

/** A long-running workload on an instance (`iamd exec <id> -- ...`), stepped one line at a time. */
class Workload {
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | undefined;
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(line);
      } else this.lines.push(line);
    });
    child.stderr!.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
  }

  static start(instanceId: string, command: readonly string[], env: Record<string, string>): Workload {
    return new Workload(spawn(process.execPath, [IAMD_BIN, 'exec', instanceId, '--', ...command], { env, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  async step(): Promise<Outcome> {
    this.child.stdin!.write('step\n');
    const line = this.lines.shift() ?? await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`workload did not answer: ${this.stderr}`)), 30_000);
      this.waiting = (text) => { clearTimeout(timer); resolve(text); };
    });
    return JSON.parse(line) as Outcome;
  }

  /** The instance stopped: its processes are gone. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.on('exit', () => resolve()));
    this.child.kill('SIGTERM');
    await exited;
  }
}

interface CredentialDocument {
  Code: string;
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
}

/** One story's world: a server, the role, two running instances and their workloads. */
class Story {
  server!: TestServer;
  caller!: Record<string, string>;
  instances: string[] = [];
  workloads: Workload[] = [];
  copied!: Credentials;
  private ec2!: EC2Client;

  async setUp(): Promise<void> {
    this.server = await startTestServer();
    this.caller = callerEnv(this.server.url, this.server.root);
    this.ec2 = new EC2Client({ endpoint: this.server.url, region: 'us-east-1', credentials: this.server.root, maxAttempts: 1 });
    const iam = iamClient(this.server);
    await iam.send(new CreateRoleCommand({
      RoleName: ROLE,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }));
    await iam.send(new PutRolePolicyCommand({
      RoleName: ROLE, PolicyName: 'read',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'ec2:Describe*'], Resource: '*' }] }),
    }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: ROLE }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: ROLE, RoleName: ROLE }));
    const run = await this.ec2.send(new RunInstancesCommand({
      ImageId: AMAZON_LINUX_2, InstanceType: 't3.micro', MinCount: 2, MaxCount: 2,
      IamInstanceProfile: { Name: ROLE }, MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
    }));
    this.instances = run.Instances!.map((instance) => instance.InstanceId!);
    for (const id of this.instances) await this.waitFor(id, 'running');
  }

  async tearDown(): Promise<void> {
    for (const workload of this.workloads) await workload.stop();
    this.ec2?.destroy();
    await this.server?.close();
  }

  /** The boto3 loop on the first instance, the JS SDK loop on the second. */
  startWorkloads(): void {
    this.workloads = [
      Workload.start(this.instances[0]!, [PYTHON, '-u', '-c', BOTO3_LOOP], this.caller),
      Workload.start(this.instances[1]!, [process.execPath, '-e', JS_LOOP], this.caller),
    ];
  }

  async stepWorkloads(): Promise<Outcome[]> {
    return Promise.all(this.workloads.map((workload) => workload.step()));
  }

  /** A fresh process on each instance ("the next fetch"): boto3 on the first, the JS SDK on the second. */
  async freshProcesses(): Promise<Outcome[]> {
    const run = async (id: string, command: string[]): Promise<Outcome> => {
      const result = await iamdExec(id, command, this.caller);
      assert.equal(result.status, 0, result.stderr);
      return JSON.parse(result.stdout) as Outcome;
    };
    return Promise.all([run(this.instances[0]!, [PYTHON, '-c', BOTO3_ONCE]), run(this.instances[1]!, [process.execPath, '-e', JS_ONCE])]);
  }

  /** The story's curl on the first instance: the credential document IMDS serves (IMDSv1). */
  async curlCredentials(): Promise<CredentialDocument> {
    const result = await iamdExec(this.instances[0]!, ['curl', '-s', `${CREDENTIALS_URL}${ROLE}`], this.caller);
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout) as CredentialDocument;
  }

  /** The attacker copies the credentials (as in the story) and keeps them. */
  async steal(): Promise<void> {
    const document = await this.curlCredentials();
    assert.equal(document.Code, 'Success');
    this.copied = { accessKeyId: document.AccessKeyId, secretAccessKey: document.SecretAccessKey, sessionToken: document.Token };
  }

  /** The attacker, from the host, with the copied credentials. */
  attacker(args: readonly string[]): Promise<CliResult> {
    return aws(this.server, this.copied, args);
  }

  admin(args: readonly string[]): Promise<CliResult> {
    return aws(this.server, this.server.root, args);
  }

  async adminOk(args: readonly string[]): Promise<string> {
    const result = await this.admin(args);
    assert.equal(result.status, 0, `aws ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  async iamd(args: readonly string[]): Promise<string> {
    const result = await runIamd(args, this.caller);
    assert.equal(result.status, 0, `iamd ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  }

  /** Audit records of requests signed with `accessKeyId`, since `since` records. */
  trail(accessKeyId: string, since = 0) {
    return this.server.audit.records.slice(since).filter((event) => event.userIdentity.accessKeyId === accessKeyId);
  }

  async waitFor(id: string, wanted: InstanceStateName): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const answer = await this.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      const state = answer.Reservations?.[0]?.Instances?.[0]?.State?.Name;
      if (state === wanted) break;
      if (Date.now() > deadline) assert.fail(`instance ${id} stayed ${state}, expected ${wanted}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await this.server.instances.settled();
  }
}

const assumedRoleArn = (instanceId: string): string => `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/${instanceId}`;

/** The story's opening, common to all three: everything works, including the stolen credentials. */
async function beforeTheRevoke(story: Story): Promise<Outcome[]> {
  await story.steal();
  story.startWorkloads();
  const outcomes = await story.stepWorkloads();
  for (const outcome of outcomes) assert.deepEqual({ ok: outcome.ok, code: outcome.code }, { ok: true, code: undefined });
  // The SDKs fetched their own (IMDSv2) credentials, not the copied IMDSv1 one.
  for (const outcome of outcomes) assert.notEqual(outcome.key, story.copied.accessKeyId);
  const identity = await story.attacker(['sts', 'get-caller-identity']);
  assert.equal(identity.status, 0, identity.stderr);
  assert.equal((JSON.parse(identity.stdout) as { Arn: string }).Arn, assumedRoleArn(story.instances[0]!));
  const role = await story.attacker(['iam', 'get-role', '--role-name', ROLE]);
  assert.equal(role.status, 0, role.stderr);
  assert.ok(story.trail(story.copied.accessKeyId).some((event) => event.eventName === 'GetRole' && event.errorCode === undefined && event.sourceIPAddress === '127.0.0.1'));
  return outcomes;
}

function assertDenied(outcomes: readonly Outcome[], code: string): void {
  for (const outcome of outcomes) assert.deepEqual({ ok: outcome.ok, code: outcome.code }, { ok: false, code });
}

function assertWorking(outcomes: readonly Outcome[]): void {
  for (const outcome of outcomes) assert.deepEqual({ ok: outcome.ok, code: outcome.code }, { ok: true, code: undefined });
}

describe('the story, as on AWS: "Revoke active sessions", then stop/start', needs, () => {
  const story = new Story();
  let keysBefore: string[];
  before(() => story.setUp());
  after(() => story.tearDown());

  it('before the revoke, the workloads and the attacker all work', async () => {
    keysBefore = (await beforeTheRevoke(story)).map((outcome) => outcome.key);
  });

  it('after `aws iam put-role-policy ... AWSRevokeOlderSessions`, the attacker and both instances are denied', async () => {
    const mark = story.server.audit.records.length;
    const cutoff = new Date().toISOString();
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'], Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff } } }],
    });
    await story.adminOk(['iam', 'put-role-policy', '--role-name', ROLE, '--policy-name', 'AWSRevokeOlderSessions', '--policy-document', document]);

    const attacked = await story.attacker(['iam', 'get-role', '--role-name', ROLE]);
    assert.equal(attacked.status, 254);
    assert.match(attacked.stderr, new RegExp(`\\(AccessDenied\\) when calling the GetRole operation: User: ${assumedRoleArn(story.instances[0]!)} is not authorized to perform: iam:GetRole on resource: .* with an explicit deny in an identity-based policy`));
    assertDenied(await story.stepWorkloads(), 'AccessDenied');
    assert.ok(story.trail(story.copied.accessKeyId, mark).some((event) => event.errorCode === 'AccessDenied'));
    for (const key of keysBefore) assert.ok(story.trail(key, mark).some((event) => event.errorCode === 'AccessDenied'), `the trail shows ${key} denied`);
  });

  it('the metadata service keeps serving the denied credential: a fresh process on each instance is denied too', async () => {
    assert.equal((await story.curlCredentials()).AccessKeyId, story.copied.accessKeyId);
    const fresh = await story.freshProcesses();
    assertDenied(fresh, 'AccessDenied');
    assert.deepEqual(fresh.map((outcome) => outcome.key), keysBefore);
    // the inventory shows why
    const sessions = JSON.parse(await story.iamd(['sessions', '--role', ROLE, '--json'])) as { Sessions: Array<{ AccessKeyId: string; RevokedBy?: string }> };
    const copied = sessions.Sessions.find((row) => row.AccessKeyId === story.copied.accessKeyId);
    assert.equal(copied?.RevokedBy, 'role');
  });

  it('after stop/start (`aws ec2 stop-instances`, `start-instances`) the instances work again; the attacker stays out', async () => {
    await story.adminOk(['ec2', 'stop-instances', '--instance-ids', ...story.instances]);
    for (const workload of story.workloads) await workload.stop(); // the instances stopped: their processes are gone
    for (const id of story.instances) await story.waitFor(id, 'stopped');
    await story.adminOk(['ec2', 'start-instances', '--instance-ids', ...story.instances]);
    for (const id of story.instances) await story.waitFor(id, 'running');

    story.startWorkloads();
    const outcomes = await story.stepWorkloads();
    assertWorking(outcomes);
    for (const outcome of outcomes) assert.ok(!keysBefore.includes(outcome.key), 'a new credential after stop/start');
    assert.notEqual((await story.curlCredentials()).AccessKeyId, story.copied.accessKeyId);
    const attacked = await story.attacker(['iam', 'get-role', '--role-name', ROLE]);
    assert.equal(attacked.status, 254);
    assert.match(attacked.stderr, /\(AccessDenied\)/);
  });
});

describe('the story with a targeted revoke: the attacker is out, the instances are never interrupted', needs, () => {
  const story = new Story();
  let keysBefore: string[];
  before(() => story.setUp());
  after(() => story.tearDown());

  it('before the revoke, the workloads and the attacker all work', async () => {
    keysBefore = (await beforeTheRevoke(story)).map((outcome) => outcome.key);
  });

  it('`iamd sessions --role` shows the copied session used from outside its instance', async () => {
    const table = await story.iamd(['sessions', '--role', ROLE]);
    const line = table.split('\n').find((row) => row.startsWith(story.copied.accessKeyId));
    assert.ok(line, table);
    assert.match(line, new RegExp(`assumed-role/${ROLE}/${story.instances[0]}\\s+${story.instances[0]}\\s.*\\s127\\.0\\.0\\.1\\s+\\d+\\s+no$`));
    for (const key of keysBefore) assert.match(table, new RegExp(`${key}.*\\si-[0-9a-f]+ \\(\\d+\\.\\d+\\.\\d+\\.\\d+\\)`), 'the workloads\' sessions are used from inside their instances');
  });

  it('after `iamd sessions revoke <copied key>` the attacker gets InvalidClientTokenId; both workloads carry on with the same credentials', async () => {
    const mark = story.server.audit.records.length;
    const out = await story.iamd(['sessions', 'revoke', story.copied.accessKeyId]);
    assert.match(out, /^revoked 1 session /);

    const attacked = await story.attacker(['iam', 'get-role', '--role-name', ROLE]);
    assert.equal(attacked.status, 254);
    assert.match(attacked.stderr, /\(InvalidClientTokenId\) when calling the GetRole operation: The security token included in the request is invalid\./);
    const outcomes = await story.stepWorkloads();
    assertWorking(outcomes);
    assert.deepEqual(outcomes.map((outcome) => outcome.key), keysBefore);
    assertWorking(await story.freshProcesses());

    assert.ok(story.trail(story.copied.accessKeyId, mark).some((event) => event.errorCode === 'InvalidClientTokenId' && event.sourceIPAddress === '127.0.0.1'));
    for (const key of keysBefore) assert.ok(story.trail(key, mark).every((event) => event.errorCode === undefined));
  });

  it('the metadata service hands the instance a fresh IMDSv1 credential; the copy stays refused', async () => {
    const fresh = await story.curlCredentials();
    assert.notEqual(fresh.AccessKeyId, story.copied.accessKeyId);
    const works = await aws(story.server, { accessKeyId: fresh.AccessKeyId, secretAccessKey: fresh.SecretAccessKey, sessionToken: fresh.Token }, ['iam', 'get-role', '--role-name', ROLE]);
    assert.equal(works.status, 0, works.stderr);
    assert.equal((await story.attacker(['sts', 'get-caller-identity'])).status, 254);
    // no stop/start happened
    const described = JSON.parse(await story.adminOk(['ec2', 'describe-instances', '--instance-ids', ...story.instances])) as { Reservations: Array<{ Instances: Array<{ State: { Name: string } }> }> };
    assert.deepEqual(described.Reservations.flatMap((reservation) => reservation.Instances.map((instance) => instance.State.Name)), ['running', 'running']);
  });
});

describe('the story with --reissue: the instances recover at their next fetch, no stop/start', needs, () => {
  const story = new Story();
  let keysBefore: string[];
  before(() => story.setUp());
  after(() => story.tearDown());

  it('before the revoke, the workloads and the attacker all work', async () => {
    keysBefore = (await beforeTheRevoke(story)).map((outcome) => outcome.key);
  });

  it('a dry run lists the sessions it would cut, by instance and caller, and changes nothing', async () => {
    const out = await story.iamd(['revoke-sessions', '--role', ROLE, '--reissue', '--dry-run']);
    assert.match(out, /^dry run: AWSRevokeOlderSessions on role story-role would deny every session issued before /);
    for (const key of [story.copied.accessKeyId, ...keysBefore]) assert.ok(out.includes(key), `${key} is listed`);
    for (const id of story.instances) assert.match(out, new RegExp(`\\s${id}\\s`));
    assertWorking(await story.stepWorkloads());
    const policies = JSON.parse(await story.adminOk(['iam', 'list-role-policies', '--role-name', ROLE])) as { PolicyNames: string[] };
    assert.deepEqual(policies.PolicyNames, ['read']);
  });

  it('after `iamd revoke-sessions --role --reissue` the attacker is denied, and so is what the workloads still hold', async () => {
    const out = await story.iamd(['revoke-sessions', '--role', ROLE, '--reissue']);
    assert.match(out, /^AWSRevokeOlderSessions on role story-role denies every session issued before \d{4}-\d\d-\d\dT[\d:.]+Z\n/);
    assert.match(out, new RegExp(`instances ${story.instances.slice().sort().join(', ')} serve a fresh credential at the next fetch`));
    // The same policy AWS's console puts.
    const policy = JSON.parse(await story.adminOk(['iam', 'get-role-policy', '--role-name', ROLE, '--policy-name', 'AWSRevokeOlderSessions'])) as { PolicyDocument: { Statement: Array<{ Effect: string; Condition: { DateLessThan: Record<string, string> } }> } };
    assert.equal(policy.PolicyDocument.Statement[0]!.Effect, 'Deny');
    assert.match(policy.PolicyDocument.Statement[0]!.Condition.DateLessThan['aws:TokenIssueTime']!, /\.\d{3}Z$/);

    const attacked = await story.attacker(['iam', 'get-role', '--role-name', ROLE]);
    assert.equal(attacked.status, 254);
    assert.match(attacked.stderr, /\(AccessDenied\)/);
    // Long-running processes keep their credential until their SDK's refresh window (as on AWS).
    assertDenied(await story.stepWorkloads(), 'AccessDenied');
  });

  it('at their next fetch the instances get fresh credentials that work, with no stop/start; the copy stays denied', async () => {
    const fresh = await story.freshProcesses();
    assertWorking(fresh);
    for (const outcome of fresh) assert.ok(!keysBefore.includes(outcome.key), 'a fresh credential');
    for (const workload of story.workloads) await workload.stop();
    story.startWorkloads();
    assertWorking(await story.stepWorkloads());
    assert.notEqual((await story.curlCredentials()).AccessKeyId, story.copied.accessKeyId);
    const attacked = await story.attacker(['iam', 'get-role', '--role-name', ROLE]);
    assert.match(attacked.stderr, /\(AccessDenied\)/);
    const described = JSON.parse(await story.adminOk(['ec2', 'describe-instances', '--instance-ids', ...story.instances])) as { Reservations: Array<{ Instances: Array<{ State: { Name: string } }> }> };
    assert.deepEqual(described.Reservations.flatMap((reservation) => reservation.Instances.map((instance) => instance.State.Name)), ['running', 'running']);
  });
});
