/**
 * Network identity: instance addresses listen while their instance runs and refuse connections
 * otherwise; requests through an instance's address come from its VPC (aws:SourceVpc,
 * aws:VpcSourceIp), others from the internet (aws:SourceIp); instance credentials carry where they
 * were delivered (aws:Ec2InstanceSourceVpc, ...), which AWS's recommended guard policy uses.
 */
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loopbackAddress } from '../src/network/addresses.js';
import { App } from '../src/server/app.js';
import { serveConfig, UsageError } from '../src/server/config.js';
import { silentLogger } from '../src/server/logger.js';
import { InstanceListeners } from '../src/network/instance-listeners.js';
import { listen } from '../src/server/http-server.js';
import { allow, createUserWithKey } from './helpers/iam.js';
import {
  createInstanceRole, credentialsOf, endpointsOf, fetchCredentials, nextPrivateIp, putInstance, refused, updateInstance, VPC_ID, type InstanceProfile,
} from './helpers/imds.js';
import { startServerProcess } from './helpers/process.js';
import { expectAwsError, startTestServer, type Credentials, type TestServer } from './helpers/server.js';

/** AWS's recommended guard for instance credentials, with the IP pair (IAM user guide, "aws:Ec2InstanceSourceVpc"). */
const GUARD = {
  Sid: 'InstanceCredentialsOnlyFromTheirVpc',
  Effect: 'Deny',
  Action: '*',
  Resource: '*',
  Condition: {
    StringNotEquals: { 'aws:SourceVpc': '${aws:Ec2InstanceSourceVpc}' },
    Null: { 'ec2:SourceInstanceARN': 'false' },
    BoolIfExists: { 'aws:ViaAWSService': 'false' },
  },
};

const iamAt = (endpoint: string, credentials: Credentials): IAMClient => new IAMClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

async function listRoles(endpoint: string, credentials: Credentials): Promise<void> {
  const iam = iamAt(endpoint, credentials);
  try {
    await iam.send(new ListRolesCommand({}));
  } finally {
    iam.destroy();
  }
}

describe('instance addresses', () => {
  it('map a.b.c.d to 127.b.c.d', () => {
    assert.equal(loopbackAddress('172.31.16.5'), '127.31.16.5');
    assert.equal(loopbackAddress('10.0.0.4'), '127.0.0.4');
    assert.throws(() => loopbackAddress('10.0.0'));
    assert.throws(() => loopbackAddress('10.0.0.256'));
  });
});

describe('serve settings for instances', () => {
  it('take the IMDS port from --imds-port, else IAMD_IMDS_PORT, else 1338', () => {
    assert.equal(serveConfig([], {}).imdsPort, 1338);
    assert.equal(serveConfig([], { IAMD_IMDS_PORT: '9000' }).imdsPort, 9000);
    assert.equal(serveConfig(['--imds-port', '0'], { IAMD_IMDS_PORT: '9000' }).imdsPort, 0);
    assert.throws(() => serveConfig(['--imds-port', '70000'], {}), UsageError);
  });

  it('take the instance credentials\' lifetime and refresh margin, refresh at least 5 minutes before expiry', () => {
    assert.deepEqual(serveConfig([], {}).instanceCredentials, { lifetimeSeconds: 21600, refreshBeforeSeconds: 3600 });
    assert.deepEqual(serveConfig(['--instance-credential-seconds', '3600', '--instance-credential-refresh-seconds', '600'], {}).instanceCredentials,
      { lifetimeSeconds: 3600, refreshBeforeSeconds: 600 });
    assert.equal(serveConfig([], { IAMD_INSTANCE_CREDENTIAL_SECONDS: '7200' }).instanceCredentials.lifetimeSeconds, 7200);
    assert.throws(() => serveConfig(['--instance-credential-refresh-seconds', '60'], {}), UsageError);
    assert.throws(() => serveConfig(['--instance-credential-seconds', '1800', '--instance-credential-refresh-seconds', '1800'], {}), UsageError);
  });
});

describe('instance listeners', () => {
  let server: TestServer;
  before(async () => { server = await startTestServer(); });
  after(() => server.close());

  it('listen on a running instance\'s address (IMDS and API ports) and refuse connections once it stops', async () => {
    const instance = await putInstance(server, undefined);
    const address = loopbackAddress(instance.privateIpAddress);
    const endpoints = endpointsOf(server, instance.instanceId);
    assert.equal(endpoints.imdsUrl, `http://${address}:${server.instances.imdsPort}/`);
    assert.equal(endpoints.apiUrl, `http://${address}:${server.running.port}`);
    assert.equal((await fetch(`${endpoints.imdsUrl}latest/meta-data/instance-id`)).status, 200);
    assert.equal((await fetch(`${endpoints.apiUrl}/_iamd/health`)).status, 200);

    await updateInstance(server, instance.instanceId, (record) => ({ ...record, state: 'stopping' }));
    assert.ok(await refused(endpoints.imdsUrl));
    assert.ok(await refused(endpoints.apiUrl));
    assert.equal(server.instances.endpoints(instance.instanceId), undefined);
    await updateInstance(server, instance.instanceId, (record) => ({ ...record, state: 'stopped' }));
    assert.ok(await refused(endpoints.imdsUrl));

    await updateInstance(server, instance.instanceId, (record) => ({ ...record, state: 'pending' }));
    assert.ok(await refused(endpoints.imdsUrl));
    await updateInstance(server, instance.instanceId, (record) => ({ ...record, state: 'running' }));
    assert.equal((await fetch(`${endpoints.imdsUrl}latest/meta-data/instance-id`)).status, 200);

    await updateInstance(server, instance.instanceId, (record) => ({ ...record, state: 'terminated' }));
    assert.ok(await refused(endpoints.imdsUrl));
    assert.ok(await refused(endpoints.apiUrl));
  });

  it('drop kept-alive connections when the instance stops', async () => {
    const instance = await putInstance(server, undefined);
    const { imdsUrl } = endpointsOf(server, instance.instanceId);
    // fetch keeps the connection open for reuse
    assert.equal((await fetch(`${imdsUrl}latest/meta-data/instance-id`)).status, 200);
    await updateInstance(server, instance.instanceId, (record) => ({ ...record, state: 'stopped' }));
    await assert.rejects(fetch(`${imdsUrl}latest/meta-data/instance-id`));
  });

  it('start with the instances already running, and report the ports in /_iamd/health', async () => {
    const instance = await putInstance(server, undefined);
    await server.instances.close();
    assert.ok(await refused(`http://${loopbackAddress(instance.privateIpAddress)}:${server.instances.imdsPort}/`));
    // A restarted server finds its running instances in the store.
    const imdsPort = server.instances.imdsPort;
    const restarted = await InstanceListeners.start(server.app, server.imds, { apiPort: server.running.port, imdsPort });
    try {
      assert.equal((await fetch(`${endpointsOf({ ...server, instances: restarted }, instance.instanceId).imdsUrl}latest/meta-data/instance-id`)).status, 200);
      const health = await (await fetch(`${server.url}/_iamd/health`)).json() as Record<string, unknown>;
      assert.deepEqual(health, { status: 'ok', accountId: '000000000000', region: 'us-east-1', apiPort: server.running.port, imdsPort });
    } finally {
      await restarted.close();
    }
  });
});

describe('iamd serve', () => {
  it('listens on the addresses of the instances running when it starts, reports the ports, and closes them on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamd-serve-instances-'));
    try {
      const env = { IAMD_ROOT_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', IAMD_ROOT_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
      // An instance left running by an earlier run, as the store has it.
      const { app } = App.open(serveConfig(['--data-dir', dir], env), env, silentLogger);
      const seeded = await startTestServer();
      const instance = await putInstance(seeded, undefined, { privateIpAddress: nextPrivateIp() });
      await seeded.close();
      app.ec2.instances.put(instance);
      app.close();

      const served = await startServerProcess(['--data-dir', dir, '--imds-port', '0'], env);
      const imdsPort = Number(/instance metadata on port (\d+)/.exec(served.stdout())![1]);
      const address = loopbackAddress(instance.privateIpAddress);
      assert.equal(await (await fetch(`http://${address}:${imdsPort}/latest/meta-data/instance-id`)).text(), instance.instanceId);
      const health = await (await fetch(`${served.url}/_iamd/health`)).json() as Record<string, unknown>;
      assert.equal(health.imdsPort, imdsPort);
      assert.equal(health.apiPort, Number(new URL(served.url).port));
      assert.equal((await fetch(`http://${address}:${health.apiPort}/_iamd/health`)).status, 200);
      assert.equal(await served.stop(), 0);
      assert.ok(await refused(`http://${address}:${imdsPort}/`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('request context through instance addresses', () => {
  let server: TestServer;
  let profile: InstanceProfile;
  before(async () => {
    server = await startTestServer();
    profile = await createInstanceRole(server, 'guarded', {
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*' }, GUARD] }),
    });
  });
  after(() => server.close());

  it('a request through an instance\'s address comes from its VPC; one through the public address from aws:SourceIp', async () => {
    const fromVpc = await createUserWithKey(server, 'vpc-only', JSON.stringify({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': VPC_ID } } }],
    }));
    const fromInternet = await createUserWithKey(server, 'loopback-only', JSON.stringify({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }],
    }));
    const privateIp = await createUserWithKey(server, 'private-ip', allow('iam:ListRoles'));
    const instance = await putInstance(server, undefined);
    const { apiUrl } = endpointsOf(server, instance.instanceId);

    await listRoles(apiUrl, fromVpc);
    await expectAwsError(listRoles(server.url, fromVpc), 'AccessDenied');
    await listRoles(server.url, fromInternet);
    await expectAwsError(listRoles(apiUrl, fromInternet), 'AccessDenied');
    await listRoles(apiUrl, privateIp);

    // aws:VpcSourceIp is the instance's private IP.
    const user = await createUserWithKey(server, 'exact-ip', JSON.stringify({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { IpAddress: { 'aws:VpcSourceIp': `${instance.privateIpAddress}/32` } } }],
    }));
    await listRoles(apiUrl, user);
    await expectAwsError(listRoles(server.url, user), 'AccessDenied');
  });

  it('AWS\'s guard policy lets instance credentials work through their instance and denies them from the public address', async () => {
    const instance = await putInstance(server, profile);
    const { imdsUrl, apiUrl } = endpointsOf(server, instance.instanceId);
    const credentials = credentialsOf(await fetchCredentials(imdsUrl));
    await listRoles(apiUrl, credentials);
    const denied = await expectAwsError(listRoles(server.url, credentials), 'AccessDenied');
    assert.match(denied.message, /with an explicit deny in an identity-based policy/);

    // Another VPC's instance: its address is inside another VPC, so the same credentials are denied there too.
    const elsewhere = await putInstance(server, undefined, { vpcId: 'vpc-0ffffffffffffffff' });
    await expectAwsError(listRoles(endpointsOf(server, elsewhere.instanceId).apiUrl, credentials), 'AccessDenied');
  });

  it('instance credentials carry ec2:RoleDelivery and the instance\'s ARN and private IP', async () => {
    const conditioned = await createInstanceRole(server, 'v2-only', {
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*',
          Condition: {
            NumericGreaterThanEquals: { 'ec2:RoleDelivery': '2.0' },
            ArnLike: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:us-east-1:000000000000:instance/i-*' },
            IpAddress: { 'aws:Ec2InstanceSourcePrivateIPv4': '172.31.0.0/16' },
          },
        }],
      }),
    });
    const instance = await putInstance(server, conditioned);
    const { imdsUrl, apiUrl } = endpointsOf(server, instance.instanceId);
    await listRoles(apiUrl, credentialsOf(await fetchCredentials(imdsUrl)));
    await expectAwsError(listRoles(apiUrl, credentialsOf(await fetchCredentials(imdsUrl, true))), 'AccessDenied');
  });

  it('with the public listener on a wildcard address, it serves instance addresses itself, with their VPC', async () => {
    const wildcard = await listen(server.app, { host: '0.0.0.0', port: 0 });
    const listeners = await InstanceListeners.start(server.app, server.imds, { apiPort: wildcard.port, imdsPort: 0 });
    try {
      const user = await createUserWithKey(server, 'vpc-only-wildcard', JSON.stringify({
        Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': VPC_ID } } }],
      }));
      const instance = await putInstance(server, undefined);
      await listeners.settled();
      const address = loopbackAddress(instance.privateIpAddress);
      await listRoles(`http://${address}:${wildcard.port}`, user);
      await expectAwsError(listRoles(`http://127.0.0.1:${wildcard.port}`, user), 'AccessDenied');
      assert.equal((await fetch(`http://${address}:${listeners.imdsPort}/latest/meta-data/instance-id`)).status, 200);
    } finally {
      await listeners.close();
      await wildcard.close();
    }
  });

  it('where instances get ports of their own on 127.0.0.1, requests still carry the instance\'s VPC', async () => {
    const byPort = await startTestServer({ instanceAddressing: 'ports' });
    try {
      const user = await createUserWithKey(byPort, 'vpc-only', JSON.stringify({
        Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListRoles', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': VPC_ID } } }],
      }));
      const instance = await putInstance(byPort, undefined);
      const { imdsUrl, apiUrl } = endpointsOf(byPort, instance.instanceId);
      assert.match(imdsUrl, /^http:\/\/127\.0\.0\.1:\d+\/$/);
      assert.equal(await (await fetch(`${imdsUrl}latest/meta-data/local-ipv4`)).text(), instance.privateIpAddress);
      await listRoles(apiUrl, user);
      await expectAwsError(listRoles(byPort.url, user), 'AccessDenied');
      await updateInstance(byPort, instance.instanceId, (record) => ({ ...record, state: 'stopped' }));
      assert.ok(await refused(imdsUrl));
    } finally {
      await byPort.close();
    }
  });
});
