/**
 * AWS's own clients "on" an instance: the AWS CLI, boto3 and the JS SDK v3, each with no keys, its
 * metadata endpoint set to the instance's IMDS and its API endpoint to the instance's API address,
 * find the role's credentials by themselves (token PUT, role name, credential document) and call
 * as arn:aws:sts::ACCOUNT:assumed-role/ROLE/i-... The credentials copied out work from anywhere
 * unless a guard policy says otherwise.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ImdsEvent } from '../src/imds/router.js';
import { REPO_ROOT } from './helpers/process.js';
import {
  createInstanceRole, credentialsOf, endpointsOf, fetchCredentials, imdsGet, putInstance, type Endpoints, type InstanceProfile,
} from './helpers/imds.js';
import { AWS_CLI, cleanEnv, PYTHON, realClient, run as runCommand, type CliResult } from './helpers/real-clients.js';

const run = (command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> => runCommand(command, args, env, REPO_ROOT);
import { startTestServer, type Credentials, type TestServer } from './helpers/server.js';

const GUARD_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' },
    {
      Effect: 'Deny', Action: '*', Resource: '*',
      Condition: {
        StringNotEquals: { 'aws:SourceVpc': '${aws:Ec2InstanceSourceVpc}' },
        Null: { 'ec2:SourceInstanceARN': 'false' },
        BoolIfExists: { 'aws:ViaAWSService': 'false' },
      },
    },
  ],
});

/** The environment of a process "on" the instance: no keys, IMDS at the instance's address (trailing slash: the CLI needs it). */
function onInstance(endpoints: Endpoints, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return cleanEnv(undefined, {
    AWS_EC2_METADATA_DISABLED: 'false',
    AWS_EC2_METADATA_SERVICE_ENDPOINT: endpoints.imdsUrl,
    AWS_REGION: 'us-east-1',
    ENDPOINT: endpoints.apiUrl,
    ...extra,
  });
}


function json(result: CliResult): Record<string, unknown> {
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const awsOn = (endpoints: Endpoints, args: readonly string[]) => run(AWS_CLI, ['--endpoint-url', endpoints.apiUrl, '--output', 'json', ...args], onInstance(endpoints));

const BOTO3_CALLER = 'import os, json, boto3\nprint(json.dumps(boto3.client("sts", endpoint_url=os.environ["ENDPOINT"]).get_caller_identity()))';

const JS_CALLER = `
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const sts = new STSClient({ endpoint: process.env.ENDPOINT, maxAttempts: 1 });
const identity = await sts.send(new GetCallerIdentityCommand({}));
console.log(JSON.stringify({ Arn: identity.Arn }));
`;

describe('AWS clients on an instance', () => {
  let server: TestServer;
  let profile: InstanceProfile;
  let events: ImdsEvent[] = [];

  before(async () => {
    server = await startTestServer();
    profile = await createInstanceRole(server, 'app-role', { policy: GUARD_POLICY });
    server.imds.observe((event) => events.push(event));
  });
  after(() => server.close());

  /** Runs `call` and checks the metadata requests it made: the SDKs' credential fetch, once. */
  async function fetchesCredentials(instanceId: string, call: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
    events = [];
    const result = await call();
    const seen = events.filter((event) => event.instanceId === instanceId).map((event) => `${event.method} ${event.path} ${event.statusCode}`);
    assert.deepEqual(seen, [
      'PUT /latest/api/token 200',
      'GET /latest/meta-data/iam/security-credentials/ 200',
      'GET /latest/meta-data/iam/security-credentials/app-role 200',
    ]);
    return result;
  }

  it('the JS SDK v3 finds the instance credentials through its default chain', async () => {
    const instance = await putInstance(server, profile);
    const endpoints = endpointsOf(server, instance.instanceId);
    const identity = await fetchesCredentials(instance.instanceId, async () => json(await run(process.execPath, ['--input-type=module', '-e', JS_CALLER], onInstance(endpoints))));
    assert.equal(identity.Arn, `arn:aws:sts::000000000000:assumed-role/app-role/${instance.instanceId}`);
  });

  it('the AWS CLI finds them, also with HttpTokens=required (IMDSv2)', realClient('aws-cli'), async () => {
    const instance = await putInstance(server, profile, {
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', instanceMetadataTags: 'disabled' },
    });
    const endpoints = endpointsOf(server, instance.instanceId);
    assert.equal((await imdsGet(endpoints.imdsUrl, '/latest/meta-data/iam/security-credentials/')).status, 401);
    const identity = await fetchesCredentials(instance.instanceId, async () => json(await awsOn(endpoints, ['sts', 'get-caller-identity'])));
    assert.equal(identity.Arn, `arn:aws:sts::000000000000:assumed-role/app-role/${instance.instanceId}`);
    // The instance's own calls pass the guard.
    assert.ok(Array.isArray(json(await awsOn(endpoints, ['iam', 'list-roles'])).Roles));
  });

  it('boto3 finds them', realClient('boto3'), async () => {
    const instance = await putInstance(server, profile);
    const endpoints = endpointsOf(server, instance.instanceId);
    const identity = await fetchesCredentials(instance.instanceId, async () => json(await run(PYTHON, ['-c', BOTO3_CALLER], onInstance(endpoints))));
    assert.equal(identity.Arn, `arn:aws:sts::000000000000:assumed-role/app-role/${instance.instanceId}`);
  });

  it('credentials copied off the instance work from elsewhere, except where the guard policy applies', realClient('aws-cli'), async () => {
    const instance = await putInstance(server, profile);
    const copied: Credentials = credentialsOf(await fetchCredentials(endpointsOf(server, instance.instanceId).imdsUrl));
    const outside = (args: readonly string[]) => run(AWS_CLI, ['--endpoint-url', server.url, '--output', 'json', ...args], cleanEnv(copied));
    const identity = json(await outside(['sts', 'get-caller-identity']));
    assert.equal(identity.Arn, `arn:aws:sts::000000000000:assumed-role/app-role/${instance.instanceId}`);
    const denied = await outside(['iam', 'list-roles']);
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /AccessDenied/);
  });
});
