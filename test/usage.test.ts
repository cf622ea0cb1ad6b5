/** "Last used" of access keys and roles, recorded by the request path without a write per request. */
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, GetAccessKeyLastUsedCommand, GetRoleCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { iamClient, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
before(async () => { server = await startTestServer(); });
after(() => server.close());

it('records the service, region and time an access key and a role were last used', async () => {
  const iam = iamClient(server);
  await iam.send(new CreateUserCommand({ UserName: 'worker' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'worker', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'worker' }))).AccessKey!;
  const fresh = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId! }));
  assert.deepEqual(fresh.AccessKeyLastUsed, { ServiceName: 'N/A', Region: 'N/A' });

  const credentials = { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
  const before = Date.now();
  const sts = new STSClient({ endpoint: server.url, region: 'eu-west-1', credentials, maxAttempts: 1 });
  await sts.send(new GetCallerIdentityCommand({}));
  const used = (await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId! }))).AccessKeyLastUsed!;
  assert.equal(used.ServiceName, 'sts');
  assert.equal(used.Region, 'eu-west-1');
  assert.ok(used.LastUsedDate!.getTime() >= before - 1000 && used.LastUsedDate!.getTime() <= Date.now());

  await iam.send(new CreateRoleCommand({ RoleName: 'used', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"000000000000"},"Action":"sts:AssumeRole"}]}' }));
  assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'used' }))).Role!.RoleLastUsed?.LastUsedDate, undefined);
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/used', RoleSessionName: 'once' }));
  const session = { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! };
  await new STSClient({ endpoint: server.url, region: 'ap-south-1', credentials: session, maxAttempts: 1 }).send(new GetCallerIdentityCommand({}));
  const role = (await iam.send(new GetRoleCommand({ RoleName: 'used' }))).Role!;
  assert.equal(role.RoleLastUsed?.Region, 'ap-south-1');
  assert.ok(role.RoleLastUsed?.LastUsedDate instanceof Date);

  // recorded in memory; written to the store on flush, without touching the directory
  const generation = server.app.directory.generation;
  server.app.usage.flush();
  assert.equal(server.app.directory.generation, generation);
  assert.ok(server.app.store.loadAll('usage').some((record) => record.key === `key:${key.AccessKeyId}`));
});
