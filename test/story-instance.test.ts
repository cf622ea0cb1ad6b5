/**
 * The first half of the user story (../shared/seed/revoking-temporary-credentials.md), end to end:
 * as root, a role that EC2 may assume with a read policy, its instance profile and an instance
 * launched with it; then, "connected" to the instance with `bin/iamd exec`, the story's two curl
 * commands, and the AWS CLI, boto3 and the JS SDK finding the role's credentials on their own; the
 * copied credentials working from the host; stop/start changing the credential served;
 * HttpTokens=required refusing IMDSv1 (401) while the v2 token flow works; and AWS's recommended
 * aws:SourceVpc guard letting the instance through while denying the copied credentials.
 *
 * The AWS CLI and boto3 parts skip locally when those clients are missing (CI requires them).
 */
import {
  DescribeInstancesCommand, EC2Client, ModifyInstanceMetadataOptionsCommand, RunInstancesCommand, StartInstancesCommand,
  StopInstancesCommand, type InstanceStateName,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { callerEnv, iamdExec, needsCurl, runIamd, type IamdResult } from './helpers/cli.js';
import { PYTHON, realClient } from './helpers/real-clients.js';
import { expectAwsError, iamClient, startTestServer, stsClient, type Credentials, type TestServer } from './helpers/server.js';

const ROLE = 'story-instance-role';
const PROFILE = 'story-instance-profile';
const ACCOUNT = '000000000000';
const AMAZON_LINUX_2 = 'ami-03c951bbe993ea087';
const CREDENTIALS_URL = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';
const requireFromTest = createRequire(import.meta.url);
const STS_MODULE = requireFromTest.resolve('@aws-sdk/client-sts');
const IAM_MODULE = requireFromTest.resolve('@aws-sdk/client-iam');

interface CredentialDocument {
  Code: string;
  LastUpdated: string;
  Type: string;
  AccessKeyId: string;
  SecretAccessKey: string;
  Token: string;
  Expiration: string;
}

let server: TestServer;
let ec2: EC2Client;
let instanceId: string;
let caller: Record<string, string>;

async function instanceState(id: string): Promise<InstanceStateName | undefined> {
  const answer = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return answer.Reservations?.[0]?.Instances?.[0]?.State?.Name;
}

async function waitForState(id: string, wanted: InstanceStateName): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (let state = await instanceState(id); state !== wanted; state = await instanceState(id)) {
    if (Date.now() > deadline) assert.fail(`instance ${id} stayed ${state}, expected ${wanted}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await server.instances.settled(); // the instance's listeners have opened (or closed)
}

/** `iamd exec <instance> -- command...`, which must succeed; its stdout. */
async function onInstance(...command: string[]): Promise<string> {
  const result: IamdResult = await iamdExec(instanceId, command, caller);
  assert.equal(result.status, 0, `${command.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

async function credentialDocument(): Promise<CredentialDocument> {
  return JSON.parse(await onInstance('curl', '-s', `${CREDENTIALS_URL}${ROLE}`)) as CredentialDocument;
}

const assumedRoleArn = () => `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/${instanceId}`;

before(async () => {
  server = await startTestServer();
  ec2 = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials: server.root, maxAttempts: 1 });
  // The caller of `iamd exec`: root's keys in the environment, which must not reach the instance.
  caller = callerEnv(server.url, server.root);

  const iam = iamClient(server);
  await iam.send(new CreateRoleCommand({
    RoleName: ROLE,
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: ROLE,
    PolicyName: 'read',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*', 'ec2:Describe*'], Resource: '*' }] }),
  }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: PROFILE }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: PROFILE, RoleName: ROLE }));

  const run = await ec2.send(new RunInstancesCommand({
    ImageId: AMAZON_LINUX_2, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
    IamInstanceProfile: { Name: PROFILE },
    MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
  }));
  instanceId = run.Instances![0]!.InstanceId!;
  await waitForState(instanceId, 'running');
});

after(async () => {
  ec2?.destroy();
  await server?.close();
});

describe('the story on an instance (iamd exec)', () => {
  let copied: CredentialDocument;

  it('iamd instances lists the instance with its role and metadata address', async () => {
    const result = await runIamd(['instances', '--json'], caller);
    assert.equal(result.status, 0, result.stderr);
    const { Instances } = JSON.parse(result.stdout) as { Instances: Array<Record<string, string>> };
    const row = Instances.find((instance) => instance.InstanceId === instanceId);
    assert.ok(row, result.stdout);
    assert.equal(row.State, 'running');
    assert.equal(row.RoleName, ROLE);
    const loopback = `127.${row.PrivateIpAddress!.split('.').slice(1).join('.')}`;
    assert.match(row.ImdsEndpoint!, new RegExp(`^http://${loopback.replace(/\./g, '\\.')}:\\d+/$`));
  });

  it('curl http://169.254.169.254/latest/meta-data/iam/security-credentials/ prints the role name', needsCurl(), async () => {
    assert.equal(await onInstance('curl', '-s', CREDENTIALS_URL), ROLE);
  });

  it('curl .../security-credentials/<role> prints the role\'s credential document', needsCurl(), async () => {
    copied = await credentialDocument();
    assert.equal(copied.Code, 'Success');
    assert.equal(copied.Type, 'AWS-HMAC');
    assert.match(copied.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(copied.SecretAccessKey.length >= 40);
    assert.ok(copied.Token.length > 0);
    assert.match(copied.Expiration, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Date.parse(copied.Expiration) - Date.now() > 60 * 60_000, 'instance credentials should expire hours ahead');
  });

  it('the AWS CLI on the instance is the instance\'s role, with no keys given', realClient('aws-cli'), async () => {
    // `aws` on the instance's PATH is iamd's wrapper around the real CLI (/usr/bin/aws first on the
    // caller's PATH), which gives it the instance's API address.
    assert.match(await onInstance('aws', '--version'), /^aws-cli\/2\./);
    const identity = JSON.parse(await onInstance('aws', 'sts', 'get-caller-identity', '--output', 'json')) as { Arn: string };
    assert.equal(identity.Arn, assumedRoleArn());
  });

  it('boto3 on the instance is the instance\'s role, with no keys given', realClient('boto3'), async () => {
    const arn = await onInstance(PYTHON, '-c', 'import boto3; print(boto3.client("sts").get_caller_identity()["Arn"])');
    assert.equal(arn.trim(), assumedRoleArn());
  });

  it('the JS SDK v3 on the instance is the instance\'s role, with no keys given', async () => {
    const script = `const { STSClient, GetCallerIdentityCommand } = require(${JSON.stringify(STS_MODULE)});
new STSClient({}).send(new GetCallerIdentityCommand({})).then((answer) => console.log(answer.Arn), (error) => { console.error(error); process.exit(1); });`;
    assert.equal((await onInstance(process.execPath, '-e', script)).trim(), assumedRoleArn());
  });

  it('the copied credentials work from outside the instance (the host, 127.0.0.1)', needsCurl(), async () => {
    const stolen: Credentials = { accessKeyId: copied.AccessKeyId, secretAccessKey: copied.SecretAccessKey, sessionToken: copied.Token };
    const identity = await stsClient(server, stolen).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, assumedRoleArn());
  });

  it('stop/start makes the metadata service serve a new access key; the copied one still works (as on AWS)', needsCurl(), async () => {
    await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
    await waitForState(instanceId, 'stopped');
    const stopped = await iamdExec(instanceId, ['true'], caller);
    assert.equal(stopped.status, 1);
    assert.match(stopped.stderr, /is stopped; iamd exec needs a running instance/);

    await ec2.send(new StartInstancesCommand({ InstanceIds: [instanceId] }));
    await waitForState(instanceId, 'running');
    const fresh = await credentialDocument();
    assert.notEqual(fresh.AccessKeyId, copied.AccessKeyId);
    const stolen: Credentials = { accessKeyId: copied.AccessKeyId, secretAccessKey: copied.SecretAccessKey, sessionToken: copied.Token };
    assert.equal((await stsClient(server, stolen).send(new GetCallerIdentityCommand({}))).Arn, assumedRoleArn());
  });

  it('with HttpTokens=required, curl without a token gets 401 and the IMDSv2 flow works', needsCurl(), async () => {
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: instanceId, HttpTokens: 'required', HttpEndpoint: 'enabled' }));
    const status = await onInstance('curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', CREDENTIALS_URL);
    assert.equal(status, '401');
    const v2 = await onInstance('sh', '-c',
      'TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 21600") && ' +
      `curl -s -H "X-aws-ec2-metadata-token: $TOKEN" ${CREDENTIALS_URL}`);
    assert.equal(v2, ROLE);
  });

  it('AWS\'s guard policy: the instance still works through its own address, the copied credentials are denied from the host', needsCurl(), async () => {
    const iam = iamClient(server);
    await iam.send(new PutRolePolicyCommand({
      RoleName: ROLE,
      PolicyName: 'instance-credentials-guard',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Deny', Action: '*', Resource: '*',
          Condition: {
            StringNotEquals: { 'aws:SourceVpc': '${aws:Ec2InstanceSourceVpc}' },
            Null: { 'ec2:SourceInstanceARN': 'false' },
            BoolIfExists: { 'aws:ViaAWSService': 'false' },
          },
        }],
      }),
    }));
    try {
      const script = `const { IAMClient, GetRoleCommand } = require(${JSON.stringify(IAM_MODULE)});
new IAMClient({}).send(new GetRoleCommand({ RoleName: ${JSON.stringify(ROLE)} })).then((answer) => console.log(answer.Role.RoleName), (error) => { console.error(error.name); process.exit(1); });`;
      assert.equal((await onInstance(process.execPath, '-e', script)).trim(), ROLE);
      const stolen: Credentials = { accessKeyId: copied.AccessKeyId, secretAccessKey: copied.SecretAccessKey, sessionToken: copied.Token };
      await expectAwsError(iamClient(server, stolen).send(new GetRoleCommand({ RoleName: ROLE })), 'AccessDenied');
    } finally {
      await iam.send(new DeleteRolePolicyCommand({ RoleName: ROLE, PolicyName: 'instance-credentials-guard' }));
    }
  });
});
