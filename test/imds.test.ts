/**
 * The instance metadata service over HTTP on an instance's own address: the metadata tree, IMDSv2
 * tokens and the rules around them, and the instance role's credentials (issue, reuse, rotation,
 * stop/start, trust failures).
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isoSeconds } from '../src/domain/clock.js';
import {
  createInstanceRole, endpointsOf, fetchCredentials, credentialsOf, imdsGet, imdsToken, putInstance, raw, updateInstance,
  type InstanceProfile,
} from './helpers/imds.js';
import { iamClient, stsClient, startTestServer, type TestServer } from './helpers/server.js';
import { CreateInstanceProfileCommand, DeleteInstanceProfileCommand, GetRoleCommand, RemoveRoleFromInstanceProfileCommand } from '@aws-sdk/client-iam';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('instance metadata service', () => {
  // Real time (the SDKs sign with it) plus an offset that tests move forward and put back.
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };
  let server: TestServer;
  let profile: InstanceProfile;

  before(async () => {
    server = await startTestServer({ clock });
    profile = await createInstanceRole(server, 'web-role');
  });
  after(() => server.close());

  describe('the metadata tree', () => {
    it('lists the categories and answers the instance\'s values as text/plain', async () => {
      const instance = await putInstance(server, profile, { userData: Buffer.from('#!/bin/sh\necho hi\n').toString('base64') });
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      const token = await imdsToken(imdsUrl);

      const listing = await imdsGet(imdsUrl, '/latest/meta-data/', token);
      assert.equal(listing.status, 200);
      assert.equal(listing.headers['content-type'], 'text/plain');
      assert.equal(listing.body, [
        'ami-id', 'ami-launch-index', 'ami-manifest-path', 'block-device-mapping/', 'hostname', 'iam/', 'instance-action', 'instance-id',
        'instance-life-cycle', 'instance-type', 'local-hostname', 'local-ipv4', 'mac', 'network/', 'placement/', 'profile', 'reservation-id',
        'security-groups', 'services/',
      ].join('\n'));
      // The same listing without the trailing slash; the version level lists without slashes.
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data', token)).body, listing.body);
      assert.equal((await imdsGet(imdsUrl, '/latest/', token)).body, 'dynamic\nmeta-data\nuser-data');
      assert.ok((await imdsGet(imdsUrl, '/', token)).body.split('\n').includes('latest'));

      const value = async (path: string): Promise<string> => {
        const answer = await imdsGet(imdsUrl, `/latest/meta-data/${path}`, token);
        assert.equal(answer.status, 200, path);
        return answer.body;
      };
      assert.equal(await value('ami-id'), instance.imageId);
      assert.equal(await value('ami-launch-index'), '0');
      assert.equal(await value('instance-id'), instance.instanceId);
      assert.equal(await value('instance-type'), 't3.micro');
      assert.equal(await value('local-ipv4'), instance.privateIpAddress);
      assert.equal(await value('hostname'), instance.privateDnsName);
      assert.equal(await value('local-hostname'), instance.privateDnsName);
      assert.equal(await value('mac'), instance.macAddress);
      assert.equal(await value('reservation-id'), instance.reservationId);
      assert.equal(await value('security-groups'), 'web');
      assert.equal(await value('placement/'), 'availability-zone\navailability-zone-id\nregion');
      assert.equal(await value('placement/region'), 'us-east-1');
      assert.equal(await value('placement/availability-zone'), 'us-east-1a');
      assert.equal(await value('placement/availability-zone-id'), 'use1-az4');
      assert.equal(await value('network/interfaces/macs/'), `${instance.macAddress}/`);
      const mac = `network/interfaces/macs/${instance.macAddress}`;
      assert.equal(await value(`${mac}/vpc-id`), instance.vpcId);
      assert.equal(await value(`${mac}/subnet-id`), instance.subnetId);
      assert.equal(await value(`${mac}/local-ipv4s`), instance.privateIpAddress);
      assert.equal(await value(`${mac}/mac`), instance.macAddress);
      assert.equal(await value(`${mac}/interface-id`), instance.networkInterfaceId);
      assert.equal(await value(`${mac}/security-group-ids`), instance.securityGroupIds.join('\n'));
      assert.equal(await value(`${mac}/vpc-ipv4-cidr-block`), '172.31.0.0/16');
      assert.equal(await value('services/domain'), 'amazonaws.com');

      const userData = await imdsGet(imdsUrl, '/latest/user-data', token);
      assert.equal(userData.body, '#!/bin/sh\necho hi\n');

      const identity = await imdsGet(imdsUrl, '/latest/dynamic/instance-identity/document', token);
      assert.equal(identity.status, 200);
      assert.match(identity.body, /^\{\n {2}"accountId" : "000000000000",\n {2}"architecture" : "x86_64",\n/);
      assert.deepEqual(JSON.parse(identity.body), {
        accountId: '000000000000', architecture: 'x86_64', availabilityZone: 'us-east-1a', billingProducts: null, devpayProductCodes: null,
        marketplaceProductCodes: null, imageId: instance.imageId, instanceId: instance.instanceId, instanceType: 't3.micro', kernelId: null,
        pendingTime: isoSeconds(new Date(instance.pendingTime)), privateIp: instance.privateIpAddress, ramdiskId: null, region: 'us-east-1', version: '2017-09-30',
      });
    });

    it('answers 404 for unknown paths, user-data that is not there and the extended credentials path', async () => {
      const instance = await putInstance(server, profile);
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      for (const path of ['/latest/meta-data/nothing', '/latest/user-data', '/latest/meta-data/ami-id/', '/9999-01-01/meta-data/',
        '/latest/meta-data/iam/security-credentials-extended/', '/latest/meta-data/iam/security-credentials/other-role', '/latest/meta-data/tags/instance/']) {
        const answer = await imdsGet(imdsUrl, path);
        assert.equal(answer.status, 404, path);
        assert.equal(answer.headers['content-type'], 'text/html');
        assert.match(answer.body, /<title>404 - Not Found<\/title>/);
      }
      assert.equal((await imdsGet(imdsUrl, '/latest/')).body, 'dynamic\nmeta-data');
    });

    it('serves instance tags under tags/instance/ when InstanceMetadataTags is enabled', async () => {
      const instance = await putInstance(server, undefined, {
        tags: [{ Key: 'Name', Value: 'web-1' }, { Key: 'team', Value: 'blue' }],
        metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', instanceMetadataTags: 'enabled' },
      });
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      assert.ok((await imdsGet(imdsUrl, '/latest/meta-data/')).body.split('\n').includes('tags/'));
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/tags/instance/')).body, 'Name\nteam');
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/tags/instance/team')).body, 'blue');
    });

    it('has no iam/ tree for an instance without an instance profile', async () => {
      const instance = await putInstance(server, undefined);
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      assert.ok(!(await imdsGet(imdsUrl, '/latest/meta-data/')).body.split('\n').includes('iam/'));
      for (const path of ['iam/', 'iam/info', 'iam/security-credentials/']) {
        assert.equal((await imdsGet(imdsUrl, `/latest/meta-data/${path}`)).status, 404, path);
      }
    });

    it('answers HEAD like GET, without a body', async () => {
      const instance = await putInstance(server, profile);
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      const head = await raw(new URL('/latest/meta-data/instance-id', imdsUrl).href, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], String(instance.instanceId.length));
      assert.equal(head.body, '');
    });
  });

  describe('IMDSv2 tokens', () => {
    it('issues a token for a TTL of 1 to 21600 seconds and refuses anything else with 400', async () => {
      const instance = await putInstance(server, profile);
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      const url = new URL('/latest/api/token', imdsUrl).href;
      const put = (headers: Record<string, string>) => raw(url, { method: 'PUT', headers });
      const good = await put({ 'x-aws-ec2-metadata-token-ttl-seconds': '21600' });
      assert.equal(good.status, 200);
      assert.equal(good.headers['x-aws-ec2-metadata-token-ttl-seconds'], '21600');
      assert.equal(good.headers['content-type'], 'text/plain');
      assert.equal((await put({ 'x-aws-ec2-metadata-token-ttl-seconds': '1' })).status, 200);
      for (const ttl of ['0', '21601', 'abc', '-5', '1.5', '']) {
        assert.equal((await put({ 'x-aws-ec2-metadata-token-ttl-seconds': ttl })).status, 400, `ttl ${JSON.stringify(ttl)}`);
      }
      assert.equal((await put({})).status, 400);
      // A token request through a proxy is refused; so is a GET of the token path.
      assert.equal((await put({ 'x-aws-ec2-metadata-token-ttl-seconds': '21600', 'x-forwarded-for': '203.0.113.9' })).status, 403);
      assert.equal((await raw(url)).status, 405);
      assert.equal((await raw(new URL('/latest/meta-data/', imdsUrl).href, { method: 'POST' })).status, 405);
    });

    it('refuses an invalid, expired or other instance\'s token with 401, even when tokens are optional', async () => {
      const first = await putInstance(server, profile);
      const second = await putInstance(server, profile);
      const firstUrl = endpointsOf(server, first.instanceId).imdsUrl;
      const secondUrl = endpointsOf(server, second.instanceId).imdsUrl;
      const token = await imdsToken(firstUrl, '60');
      assert.equal((await imdsGet(firstUrl, '/latest/meta-data/instance-id', token)).status, 200);
      assert.equal((await imdsGet(secondUrl, '/latest/meta-data/instance-id', token)).status, 401);
      assert.equal((await imdsGet(firstUrl, '/latest/meta-data/instance-id', 'not-a-token')).status, 401);
      const flipped = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
      assert.equal((await imdsGet(firstUrl, '/latest/meta-data/instance-id', flipped)).status, 401);
      offset = 60_000;
      const expired = await imdsGet(firstUrl, '/latest/meta-data/instance-id', token);
      offset = 0;
      assert.equal(expired.status, 401);
      assert.match(expired.body, /401 - Unauthorized/);
    });

    it('refuses tokenless (IMDSv1) requests with 401 when HttpTokens is required, and serves IMDSv2', async () => {
      const instance = await putInstance(server, profile, {
        metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', instanceMetadataTags: 'disabled' },
      });
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/iam/security-credentials/')).status, 401);
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/iam/security-credentials/', await imdsToken(imdsUrl))).body, 'web-role');
      const document = await fetchCredentials(imdsUrl);
      assert.equal(document.Code, 'Success');
    });

    it('answers 403 to everything when HttpEndpoint is disabled', async () => {
      const instance = await putInstance(server, profile, {
        metadataOptions: { httpTokens: 'optional', httpPutResponseHopLimit: 2, httpEndpoint: 'disabled', instanceMetadataTags: 'disabled' },
      });
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/')).status, 403);
      const put = await raw(new URL('/latest/api/token', imdsUrl).href, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } });
      assert.equal(put.status, 403);
    });
  });

  describe('instance credentials', () => {
    it('serves the role\'s credentials: iam/info, the role name and the credential document, as EC2 writes them', async () => {
      const instance = await putInstance(server, profile);
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      const token = await imdsToken(imdsUrl);
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/iam/', token)).body, 'info\nsecurity-credentials/');
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/iam/security-credentials/', token)).body, 'web-role');

      const answer = await imdsGet(imdsUrl, '/latest/meta-data/iam/security-credentials/web-role', token);
      assert.equal(answer.status, 200);
      assert.equal(answer.headers['content-type'], 'text/plain');
      const document = JSON.parse(answer.body) as Record<string, string>;
      assert.deepEqual(Object.keys(document), ['Code', 'LastUpdated', 'Type', 'AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);
      assert.match(answer.body, /^\{\n {2}"Code" : "Success",\n {2}"LastUpdated" : "/);
      assert.equal(document.Code, 'Success');
      assert.equal(document.Type, 'AWS-HMAC');
      assert.match(document.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
      assert.match(document.LastUpdated!, TIMESTAMP);
      assert.match(document.Expiration!, TIMESTAMP);
      assert.equal(Date.parse(document.Expiration!) - Date.parse(document.LastUpdated!), 6 * 3600_000);

      const info = await imdsGet(imdsUrl, '/latest/meta-data/iam/info', token);
      assert.deepEqual(JSON.parse(info.body), {
        Code: 'Success', LastUpdated: document.LastUpdated, InstanceProfileArn: profile.profileArn, InstanceProfileId: profile.profileId,
      });

      // The credential is a session of the role named after the instance, and it is kept on the record.
      const sts = stsClient(server, credentialsOf(document as never));
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      sts.destroy();
      assert.equal(identity.Arn, `arn:aws:sts::000000000000:assumed-role/web-role/${instance.instanceId}`);
      const stored = server.app.ec2.instances.get(instance.instanceId)!.credential!;
      assert.equal(stored.accessKeyId, document.AccessKeyId);
      const claims = server.app.tokens.open(stored.sessionToken)!;
      assert.deepEqual(claims.ec2, {
        instanceId: instance.instanceId, instanceArn: `arn:aws:ec2:us-east-1:000000000000:instance/${instance.instanceId}`,
        vpcId: instance.vpcId, privateIp: instance.privateIpAddress, roleDelivery: '2.0',
      });
      assert.equal(claims.issuedTo, `arn:aws:ec2:us-east-1:000000000000:instance/${instance.instanceId}`);

      // The role's last use is recorded.
      const iam = iamClient(server);
      const role = (await iam.send(new GetRoleCommand({ RoleName: 'web-role' }))).Role!;
      iam.destroy();
      assert.equal(role.RoleLastUsed?.Region, 'us-east-1');
    });

    it('serves the same credential until it is due for rotation, then a new one', async () => {
      const instance = await putInstance(server, profile);
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      const first = await fetchCredentials(imdsUrl);
      offset = 4 * 3600_000;
      const again = await fetchCredentials(imdsUrl);
      assert.equal(again.AccessKeyId, first.AccessKeyId);
      assert.equal(again.Token, first.Token);
      // Less than an hour left: a new credential, expiring hours ahead again.
      offset = 5 * 3600_000 + 1000;
      const rotated = await fetchCredentials(imdsUrl);
      const now = clock.now().getTime();
      offset = 0;
      assert.notEqual(rotated.AccessKeyId, first.AccessKeyId);
      assert.ok(Date.parse(rotated.Expiration) - now > 5 * 3600_000);
    });

    it('gives IMDSv1 and IMDSv2 fetches distinct credentials, with their ec2:RoleDelivery', async () => {
      const instance = await putInstance(server, profile);
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      const v2 = await fetchCredentials(imdsUrl);
      const v1 = await fetchCredentials(imdsUrl, true);
      assert.notEqual(v1.AccessKeyId, v2.AccessKeyId);
      assert.equal((await fetchCredentials(imdsUrl, true)).AccessKeyId, v1.AccessKeyId);
      assert.equal(server.app.tokens.open(v1.Token)!.ec2!.roleDelivery, '1.0');
      assert.equal(server.app.tokens.open(v2.Token)!.ec2!.roleDelivery, '2.0');
    });

    it('issues a new credential once it is cleared (stop/start, a new association), or the instance booted again', async () => {
      const instance = await putInstance(server, profile);
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      const first = await fetchCredentials(imdsUrl);
      await updateInstance(server, instance.instanceId, (record) => ({ ...record, credential: undefined }));
      const second = await fetchCredentials(imdsUrl);
      assert.notEqual(second.AccessKeyId, first.AccessKeyId);
      await updateInstance(server, instance.instanceId, (record) => ({ ...record, bootCount: record.bootCount + 1 }));
      const third = await fetchCredentials(imdsUrl);
      assert.notEqual(third.AccessKeyId, second.AccessKeyId);
      await updateInstance(server, instance.instanceId, (record) => ({
        ...record, profileAssociation: { ...record.profileAssociation!, generation: record.profileAssociation!.generation + 1 },
      }));
      const fourth = await fetchCredentials(imdsUrl);
      assert.notEqual(fourth.AccessKeyId, third.AccessKeyId);
      // A reboot (nothing of the above) keeps it.
      assert.equal((await fetchCredentials(imdsUrl)).AccessKeyId, fourth.AccessKeyId);
    });

    it('says AssumeRoleUnauthorizedAccess when the role does not trust ec2.amazonaws.com', async () => {
      const untrusting = await createInstanceRole(server, 'lambda-only', {
        trust: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      });
      const instance = await putInstance(server, untrusting);
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/iam/security-credentials/')).body, 'lambda-only');
      const answer = await imdsGet(imdsUrl, '/latest/meta-data/iam/security-credentials/lambda-only');
      assert.equal(answer.status, 200);
      const document = JSON.parse(answer.body) as Record<string, string>;
      assert.deepEqual(Object.keys(document), ['Code', 'Message', 'LastUpdated']);
      assert.equal(document.Code, 'AssumeRoleUnauthorizedAccess');
      assert.match(document.Message!, /^EC2 cannot assume the role lambda-only\. {2}Please see documentation at /);
      assert.equal(server.app.ec2.instances.get(instance.instanceId)!.credential, undefined);
    });

    it('reports a profile without a role, and a profile that no longer exists, in iam/info', async () => {
      const iam = iamClient(server);
      const empty = await createInstanceRole(server, 'emptied');
      await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'emptied', RoleName: 'emptied' }));
      const instance = await putInstance(server, empty);
      const { imdsUrl } = endpointsOf(server, instance.instanceId);
      const info = JSON.parse((await imdsGet(imdsUrl, '/latest/meta-data/iam/info')).body) as Record<string, string>;
      assert.equal(info.Code, 'Success');
      assert.match(info.Message!, /^Instance Profile does not contain a role/);
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/iam/security-credentials/')).status, 404);

      // Deleted and created again under the same name: another profile id, so not the instance's.
      await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'emptied' }));
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'emptied' }));
      iam.destroy();
      const gone = JSON.parse((await imdsGet(imdsUrl, '/latest/meta-data/iam/info')).body) as Record<string, string>;
      assert.equal(gone.Code, 'InstanceProfileNotFound');
      assert.equal((await imdsGet(imdsUrl, '/latest/meta-data/iam/')).body, 'info');
    });
  });
});
