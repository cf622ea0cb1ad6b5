/**
 * Managed policies, attachments and permissions boundaries, end to end with the JS SDK: what is
 * created comes back from Get/List, AWS's errors, pagination, and that attaching, detaching,
 * switching versions and setting boundaries change what a user may do on the very next request.
 */
import {
  AttachGroupPolicyCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, CreatePolicyCommand, CreatePolicyVersionCommand,
  DeletePolicyCommand, DeletePolicyVersionCommand, DeleteRolePermissionsBoundaryCommand, DeleteUserPermissionsBoundaryCommand,
  DetachGroupPolicyCommand, DetachRolePolicyCommand, DetachUserPolicyCommand, GetPolicyCommand, GetPolicyVersionCommand,
  ListAttachedGroupPoliciesCommand, ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand, ListEntitiesForPolicyCommand,
  ListPoliciesCommand, ListPolicyTagsCommand, ListPolicyVersionsCommand, PutRolePermissionsBoundaryCommand,
  PutUserPermissionsBoundaryCommand, SetDefaultPolicyVersionCommand, TagPolicyCommand, UntagPolicyCommand,
  AddUserToGroupCommand, CreateGroupCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand,
  GetUserCommand, ListUsersCommand, PutUserPolicyCommand,
  type Group, type IAMClient, type Policy, type Role, type User,
} from '@aws-sdk/client-iam';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createUserWithKey } from './helpers/iam.js';
import { expectAwsError, iamClient, startTestServer, type Credentials, type TestServer } from './helpers/server.js';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const IAM_READ_ONLY = 'arn:aws:iam::aws:policy/IAMReadOnlyAccess';
const S3_READ_ONLY = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
const SSM_CORE = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

const allow = (...actions: string[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });

let server: TestServer;
let root: IAMClient;
let account: string;

before(async () => {
  server = await startTestServer();
  root = iamClient(server);
  account = server.app.accountId;
});

after(async () => {
  root.destroy();
  await server.close();
});

// --- fixtures, created through the API as root

async function putUser(name: string, inlinePolicies: Record<string, string> = {}): Promise<User> {
  const user = (await root.send(new CreateUserCommand({ UserName: name }))).User!;
  for (const [policyName, document] of Object.entries(inlinePolicies)) {
    await root.send(new PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument: document }));
  }
  return user;
}

/** A user with an access key, and an SDK client signing as that user. */
async function userClient(name: string, inlinePolicies: Record<string, string> = {}): Promise<{ client: IAMClient; credentials: Credentials }> {
  const credentials = await createUserWithKey(server, name, inlinePolicies);
  return { client: iamClient(server, credentials), credentials };
}

async function putGroup(name: string, members: string[]): Promise<Group> {
  const group = (await root.send(new CreateGroupCommand({ GroupName: name }))).Group!;
  for (const member of members) await root.send(new AddUserToGroupCommand({ GroupName: name, UserName: member }));
  return group;
}

async function putRole(name: string, path = '/'): Promise<Role> {
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  return (await root.send(new CreateRoleCommand({ RoleName: name, Path: path, AssumeRolePolicyDocument: trust }))).Role!;
}

async function createPolicy(name: string, document: string, extra: { Path?: string; Description?: string } = {}): Promise<Policy> {
  const result = await root.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document, ...extra }));
  assert.ok(result.Policy);
  return result.Policy;
}

/** Every page of a Marker/MaxItems listing. */
async function allPages<T>(fetch: (marker: string | undefined) => Promise<{ items: T[]; IsTruncated?: boolean; Marker?: string }>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let marker: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await fetch(marker);
    pages++;
    items.push(...page.items);
    if (!page.IsTruncated) return { items, pages };
    assert.ok(page.Marker, 'a truncated page carries a Marker');
    marker = page.Marker;
  }
}

describe('customer-managed policies', () => {
  it('CreatePolicy returns the policy, GetPolicy and ListPolicies agree, GetPolicyVersion returns the URL-encoded document', async () => {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ReadS3', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }] }, null, 2);
    const created = await root.send(new CreatePolicyCommand({
      PolicyName: 'ReadBucket', Path: '/team/', PolicyDocument: document, Description: 'Reads the bucket',
      Tags: [{ Key: 'owner', Value: 'data' }],
    }));
    const policy = created.Policy!;
    assert.equal(policy.PolicyName, 'ReadBucket');
    assert.equal(policy.Arn, `arn:aws:iam::${account}:policy/team/ReadBucket`);
    assert.equal(policy.Path, '/team/');
    assert.match(policy.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
    assert.equal(policy.DefaultVersionId, 'v1');
    assert.equal(policy.AttachmentCount, 0);
    assert.equal(policy.PermissionsBoundaryUsageCount, 0);
    assert.equal(policy.IsAttachable, true);
    assert.ok(policy.CreateDate instanceof Date);
    assert.deepEqual(policy.Tags, [{ Key: 'owner', Value: 'data' }]);

    const got = (await root.send(new GetPolicyCommand({ PolicyArn: policy.Arn }))).Policy!;
    assert.equal(got.PolicyId, policy.PolicyId);
    assert.equal(got.Description, 'Reads the bucket');
    assert.equal(got.CreateDate?.getTime(), policy.CreateDate?.getTime());
    assert.equal(got.UpdateDate?.getTime(), policy.CreateDate?.getTime());

    const listed = await root.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/team/' }));
    assert.deepEqual(listed.Policies?.map((item) => item.Arn), [policy.Arn]);
    assert.equal(listed.Policies?.[0]?.Description, undefined, 'ListPolicies does not return descriptions');
    assert.equal(listed.Policies?.[0]?.Tags, undefined, 'ListPolicies does not return tags');
    assert.equal(listed.IsTruncated, false);

    const version = (await root.send(new GetPolicyVersionCommand({ PolicyArn: policy.Arn, VersionId: 'v1' }))).PolicyVersion!;
    assert.equal(version.IsDefaultVersion, true);
    assert.equal(version.VersionId, 'v1');
    assert.notEqual(version.Document, document, 'IAM returns the document URL-encoded');
    assert.equal(decodeURIComponent(version.Document!), document);
  });

  it('refuses duplicate names (any case), malformed documents, oversized documents and bad parameters', async () => {
    await createPolicy('Dup', allow('s3:ListBucket'));
    const duplicate = await expectAwsError(root.send(new CreatePolicyCommand({ PolicyName: 'dUP', Path: '/other/', PolicyDocument: allow('s3:ListBucket') })), 'EntityAlreadyExists');
    assert.equal(duplicate.message, 'A policy called dUP already exists. Duplicate names are not allowed.');
    await expectAwsError(root.send(new CreatePolicyCommand({ PolicyName: 'Broken', PolicyDocument: '{"Version":"2012-10-17","Statement":' })), 'MalformedPolicyDocument');

    const actions = Array.from({ length: 400 }, (_, index) => `s3:Action${String(index).padStart(4, '0')}`);
    const big = await expectAwsError(root.send(new CreatePolicyCommand({ PolicyName: 'TooBig', PolicyDocument: allow(...actions) })), 'LimitExceeded');
    assert.equal(big.message, 'Cannot exceed quota for PolicySize: 6144');

    await expectAwsError(root.send(new CreatePolicyCommand({ PolicyName: 'bad name!', PolicyDocument: allow('s3:*') })), 'ValidationError');
    await expectAwsError(root.send(new ListPoliciesCommand({ Scope: 'Mine' as 'All' })), 'ValidationError');
    await expectAwsError(root.send(new GetPolicyCommand({ PolicyArn: 'not-an-arn-but-long-enough' })), 'InvalidInput');
    const missing = await expectAwsError(root.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${account}:policy/Nope` })), 'NoSuchEntity');
    assert.equal(missing.message, `Policy arn:aws:iam::${account}:policy/Nope was not found.`);
  });

  it('requires policy language version 2012-10-17 in managed policies, not in inline ones', async () => {
    // AWS's answer to CreatePolicy with "Version":"2008-10-17" or no Version (recorded in moto's test_iam_policies.py).
    const message = 'Policy document must be version 2012-10-17 or greater.';
    const statement = { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::example_bucket' };
    const old = JSON.stringify({ Version: '2008-10-17', Statement: statement });
    const unversioned = JSON.stringify({ Statement: statement });

    const created = await expectAwsError(root.send(new CreatePolicyCommand({ PolicyName: 'OldVersion', PolicyDocument: old })), 'MalformedPolicyDocument');
    assert.equal(created.message, message);
    assert.equal(created.$metadata?.httpStatusCode, 400);
    const none = await expectAwsError(root.send(new CreatePolicyCommand({ PolicyName: 'NoVersion', PolicyDocument: unversioned })), 'MalformedPolicyDocument');
    assert.equal(none.message, message);
    await expectAwsError(root.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${account}:policy/OldVersion` })), 'NoSuchEntity');

    const arn = (await createPolicy('CurrentVersion', allow('s3:ListBucket'))).Arn!;
    const version = await expectAwsError(root.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: old, SetAsDefault: true })), 'MalformedPolicyDocument');
    assert.equal(version.message, message);
    const versions = (await root.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
    assert.deepEqual(versions.map((entry) => entry.VersionId), ['v1']);

    // Inline policies may still say 2008-10-17.
    await putUser('old-inline', { Old: old });
  });

  it('keeps up to five versions, switches the default, and deletes versions and the policy as IAM allows', async () => {
    const policy = await createPolicy('Versioned', allow('s3:GetObject'));
    const arn = policy.Arn!;
    for (let n = 2; n <= 5; n++) {
      const created = (await root.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow(`s3:Action${n}`), SetAsDefault: n === 3 }))).PolicyVersion!;
      assert.equal(created.VersionId, `v${n}`);
      assert.equal(created.IsDefaultVersion, n === 3);
      assert.equal(created.Document, undefined, 'CreatePolicyVersion does not return the document');
    }
    const sixth = await expectAwsError(root.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:Six') })), 'LimitExceeded');
    assert.equal(sixth.message, 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');

    const versions = (await root.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions!;
    assert.deepEqual(versions.map((version) => [version.VersionId, version.IsDefaultVersion]), [['v5', false], ['v4', false], ['v3', true], ['v2', false], ['v1', false]]);
    const paged = await allPages(async (marker) => {
      const page = await root.send(new ListPolicyVersionsCommand({ PolicyArn: arn, MaxItems: 2, Marker: marker }));
      return { items: page.Versions ?? [], IsTruncated: page.IsTruncated, Marker: page.Marker };
    });
    assert.equal(paged.pages, 3);
    assert.deepEqual(paged.items.map((version) => version.VersionId), ['v5', 'v4', 'v3', 'v2', 'v1']);
    assert.equal((await root.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId, 'v3');

    const defaultVersion = await expectAwsError(root.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })), 'DeleteConflict');
    assert.equal(defaultVersion.message, 'Cannot delete the default version of a policy.');
    await expectAwsError(root.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })), 'NoSuchEntity');
    await expectAwsError(root.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })), 'NoSuchEntity');

    await root.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
    await root.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
    const next = (await root.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('s3:Six') }))).PolicyVersion!;
    assert.equal(next.VersionId, 'v6', 'version ids are never reused');

    const manyVersions = await expectAwsError(root.send(new DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflict');
    assert.equal(manyVersions.message, "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
    for (const versionId of ['v1', 'v2', 'v4', 'v6']) await root.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }));
    await root.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await expectAwsError(root.send(new GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntity');
  });

  it('tags policies', async () => {
    const arn = (await createPolicy('Tagged', allow('s3:ListBucket'))).Arn!;
    await root.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a' }] }));
    await root.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: 'ENV', Value: 'dev' }] }));
    const tags = (await root.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags!;
    assert.deepEqual(tags, [{ Key: 'ENV', Value: 'dev' }, { Key: 'team', Value: 'a' }]);
    await root.send(new UntagPolicyCommand({ PolicyArn: arn, TagKeys: ['team'] }));
    assert.deepEqual((await root.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.Tags, [{ Key: 'ENV', Value: 'dev' }]);
    await expectAwsError(root.send(new TagPolicyCommand({ PolicyArn: `arn:aws:iam::${account}:policy/Nope`, Tags: [{ Key: 'a', Value: 'b' }] })), 'NoSuchEntity');
  });

  it('ListPolicies pages through local policies', async () => {
    for (const name of ['PageC', 'PageA', 'PageB']) await createPolicy(name, allow('s3:ListBucket'), { Path: '/paging/' });
    const paged = await allPages(async (marker) => {
      const page = await root.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/paging/', MaxItems: 2, Marker: marker }));
      return { items: page.Policies ?? [], IsTruncated: page.IsTruncated, Marker: page.Marker };
    });
    assert.equal(paged.pages, 2);
    assert.deepEqual(paged.items.map((policy) => policy.PolicyName), ['PageA', 'PageB', 'PageC']);
  });
});

describe('AWS-managed policies', () => {
  it('ListPolicies Scope=AWS pages through every policy of the catalog', async () => {
    const catalog = server.app.library.awsManaged;
    assert.ok(catalog.size > 1000, `the catalog holds ${catalog.size} policies`);
    const paged = await allPages(async (marker) => {
      const page = await root.send(new ListPoliciesCommand({ Scope: 'AWS', Marker: marker }));
      return { items: page.Policies ?? [], IsTruncated: page.IsTruncated, Marker: page.Marker };
    });
    assert.equal(paged.pages, Math.ceil(catalog.size / 100));
    const arns = paged.items.map((policy) => policy.Arn!);
    assert.equal(arns.length, catalog.size);
    assert.equal(new Set(arns).size, arns.length, 'no policy is listed twice');
    assert.ok(arns.every((arn) => arn.startsWith('arn:aws:iam::aws:policy/')));
    assert.ok(arns.includes(SSM_CORE));
    assert.ok(arns.includes(S3_READ_ONLY));
    const serviceRole = paged.items.find((policy) => policy.Path === '/service-role/');
    assert.ok(serviceRole, 'policies under /service-role/ are listed with their path');
    assert.ok(serviceRole.Arn!.startsWith('arn:aws:iam::aws:policy/service-role/'));
  });

  it('GetPolicy and GetPolicyVersion return the catalog entry and the real default document', async () => {
    const policy = (await root.send(new GetPolicyCommand({ PolicyArn: S3_READ_ONLY }))).Policy!;
    assert.equal(policy.PolicyName, 'AmazonS3ReadOnlyAccess');
    assert.equal(policy.Path, '/');
    assert.match(policy.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
    assert.equal(policy.IsAttachable, true);
    const defaultVersion = policy.DefaultVersionId!;
    const version = (await root.send(new GetPolicyVersionCommand({ PolicyArn: S3_READ_ONLY, VersionId: defaultVersion }))).PolicyVersion!;
    assert.equal(version.IsDefaultVersion, true);
    const document = JSON.parse(decodeURIComponent(version.Document!)) as { Statement: Array<{ Action: string[] | string }> };
    assert.ok(JSON.stringify(document.Statement).includes('s3:Get'), 'the real AmazonS3ReadOnlyAccess document');

    const versions = (await root.send(new ListPolicyVersionsCommand({ PolicyArn: S3_READ_ONLY }))).Versions!;
    assert.equal(versions[0]?.VersionId, defaultVersion);
    const older = versions.find((item) => !item.IsDefaultVersion);
    assert.ok(older, 'AmazonS3ReadOnlyAccess has older versions');
    const noDocument = await expectAwsError(root.send(new GetPolicyVersionCommand({ PolicyArn: S3_READ_ONLY, VersionId: older.VersionId })), 'NoSuchEntity');
    assert.match(noDocument.message, /only the document of the default version/);
    await expectAwsError(root.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/NoSuchAwsPolicy' })), 'NoSuchEntity');
  });

  it('cannot be changed, tagged or deleted, not even by the root user', async () => {
    const denied = await expectAwsError(root.send(new DeletePolicyCommand({ PolicyArn: ADMIN })), 'AccessDenied');
    assert.match(denied.message, /iam:DeletePolicy on resource: arn:aws:iam::aws:policy\/AdministratorAccess/);
    await expectAwsError(root.send(new CreatePolicyVersionCommand({ PolicyArn: ADMIN, PolicyDocument: allow('s3:*') })), 'AccessDenied');
    await expectAwsError(root.send(new SetDefaultPolicyVersionCommand({ PolicyArn: S3_READ_ONLY, VersionId: 'v1' })), 'AccessDenied');
    await expectAwsError(root.send(new DeletePolicyVersionCommand({ PolicyArn: S3_READ_ONLY, VersionId: 'v1' })), 'AccessDenied');
    await expectAwsError(root.send(new TagPolicyCommand({ PolicyArn: ADMIN, Tags: [{ Key: 'a', Value: 'b' }] })), 'AccessDenied');
    assert.equal((await root.send(new GetPolicyCommand({ PolicyArn: ADMIN }))).Policy?.DefaultVersionId, 'v1');
  });
});

describe('attachments', () => {
  it('an attached AWS-managed policy takes effect, and a detach removes it on the very next request', async () => {
    const { client: alice } = await userClient('alice');
    await expectAwsError(alice.send(new ListUsersCommand({})), 'AccessDenied');

    await root.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: IAM_READ_ONLY }));
    const users = (await alice.send(new ListUsersCommand({}))).Users!;
    assert.ok(users.some((user) => user.UserName === 'alice'));
    const readOnly = await expectAwsError(alice.send(new CreateUserCommand({ UserName: 'made-by-alice' })), 'AccessDenied');
    assert.match(readOnly.message, new RegExp(`User: arn:aws:iam::${account}:user/alice is not authorized to perform: iam:CreateUser`));

    await root.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: ADMIN }));
    const made = await alice.send(new CreateUserCommand({ UserName: 'made-by-alice' }));
    assert.equal(made.User?.UserName, 'made-by-alice');

    const attached = (await root.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }))).AttachedPolicies!;
    assert.deepEqual(attached, [{ PolicyName: 'AdministratorAccess', PolicyArn: ADMIN }, { PolicyName: 'IAMReadOnlyAccess', PolicyArn: IAM_READ_ONLY }]);
    assert.equal((await root.send(new GetPolicyCommand({ PolicyArn: ADMIN }))).Policy?.AttachmentCount, 1);

    await root.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: ADMIN }));
    await expectAwsError(alice.send(new CreateUserCommand({ UserName: 'made-by-alice-2' })), 'AccessDenied');
    await alice.send(new ListUsersCommand({}));
    await root.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: IAM_READ_ONLY }));
    await expectAwsError(alice.send(new ListUsersCommand({})), 'AccessDenied');
    alice.destroy();
  });

  it('a user without permission is denied; an allowing inline policy lets another user attach', async () => {
    const { client: mallory } = await userClient('mallory');
    await putUser('target');
    const denied = await expectAwsError(mallory.send(new AttachUserPolicyCommand({ UserName: 'target', PolicyArn: ADMIN })), 'AccessDenied');
    assert.match(denied.message, new RegExp(`iam:AttachUserPolicy on resource: arn:aws:iam::${account}:user/target`));
    assert.deepEqual((await root.send(new ListAttachedUserPoliciesCommand({ UserName: 'target' }))).AttachedPolicies, []);

    const scoped = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Action: ['iam:AttachUserPolicy', 'iam:ListAttachedUserPolicies'], Resource: `arn:aws:iam::${account}:user/target`,
        Condition: { ArnEquals: { 'iam:PolicyARN': S3_READ_ONLY } },
      }],
    });
    const { client: operator } = await userClient('operator', { AttachS3ReadOnly: scoped });
    await operator.send(new AttachUserPolicyCommand({ UserName: 'target', PolicyArn: S3_READ_ONLY }));
    await expectAwsError(operator.send(new AttachUserPolicyCommand({ UserName: 'target', PolicyArn: ADMIN })), 'AccessDenied');
    assert.deepEqual((await root.send(new ListAttachedUserPoliciesCommand({ UserName: 'target' }))).AttachedPolicies, [{ PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: S3_READ_ONLY }]);
    mallory.destroy();
    operator.destroy();
  });

  it('attaching twice is a no-op, at most 10 policies attach, and unknown policies and entities are NoSuchEntity', async () => {
    await putUser('collector');
    const arns: string[] = [];
    for (let n = 0; n < 10; n++) arns.push((await createPolicy(`Quota${n}`, allow(`s3:Action${n}`))).Arn!);
    for (const arn of arns) await root.send(new AttachUserPolicyCommand({ UserName: 'collector', PolicyArn: arn }));
    await root.send(new AttachUserPolicyCommand({ UserName: 'collector', PolicyArn: arns[0] }));
    const overQuota = await expectAwsError(root.send(new AttachUserPolicyCommand({ UserName: 'collector', PolicyArn: ADMIN })), 'LimitExceeded');
    assert.equal(overQuota.message, 'Cannot exceed quota for PoliciesPerUser: 10');

    const paged = await allPages(async (marker) => {
      const page = await root.send(new ListAttachedUserPoliciesCommand({ UserName: 'collector', MaxItems: 4, Marker: marker }));
      return { items: page.AttachedPolicies ?? [], IsTruncated: page.IsTruncated, Marker: page.Marker };
    });
    assert.equal(paged.pages, 3);
    assert.deepEqual(paged.items.map((policy) => policy.PolicyArn).sort(), [...arns].sort());

    const unknown = `arn:aws:iam::${account}:policy/Unknown`;
    const notAttachable = await expectAwsError(root.send(new AttachUserPolicyCommand({ UserName: 'collector', PolicyArn: unknown })), 'NoSuchEntity');
    assert.equal(notAttachable.message, `Policy ${unknown} does not exist or is not attachable.`);
    const notAttached = await expectAwsError(root.send(new DetachUserPolicyCommand({ UserName: 'collector', PolicyArn: ADMIN })), 'NoSuchEntity');
    assert.equal(notAttached.message, `Policy ${ADMIN} was not found.`);
    const noUser = await expectAwsError(root.send(new AttachUserPolicyCommand({ UserName: 'nobody', PolicyArn: ADMIN })), 'NoSuchEntity');
    assert.equal(noUser.message, 'The user with name nobody cannot be found.');
    await expectAwsError(root.send(new ListAttachedUserPoliciesCommand({ UserName: 'nobody' })), 'NoSuchEntity');

    const inUse = await expectAwsError(root.send(new DeletePolicyCommand({ PolicyArn: arns[0] })), 'DeleteConflict');
    assert.equal(inUse.message, 'Cannot delete a policy attached to entities.');
  });

  it('policy versions switch effect with SetDefaultPolicyVersion', async () => {
    const { client: vic } = await userClient('vic');
    const arn = (await createPolicy('Switching', allow('iam:GetPolicy'))).Arn!;
    await root.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('iam:ListPolicies') }));
    await root.send(new AttachUserPolicyCommand({ UserName: 'vic', PolicyArn: arn }));

    await vic.send(new GetPolicyCommand({ PolicyArn: arn }));
    await expectAwsError(vic.send(new ListPoliciesCommand({ Scope: 'Local' })), 'AccessDenied');
    await root.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
    await vic.send(new ListPoliciesCommand({ Scope: 'Local' }));
    await expectAwsError(vic.send(new GetPolicyCommand({ PolicyArn: arn })), 'AccessDenied');
    await root.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await vic.send(new GetPolicyCommand({ PolicyArn: arn }));
    vic.destroy();
  });

  it('groups: an attached policy applies to the members', async () => {
    const { client: gina } = await userClient('gina');
    await putGroup('readers', ['gina']);
    await expectAwsError(gina.send(new ListPoliciesCommand({ Scope: 'Local' })), 'AccessDenied');
    await root.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: IAM_READ_ONLY }));
    await gina.send(new ListPoliciesCommand({ Scope: 'Local' }));
    assert.deepEqual((await root.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'readers' }))).AttachedPolicies, [{ PolicyName: 'IAMReadOnlyAccess', PolicyArn: IAM_READ_ONLY }]);
    await root.send(new DetachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: IAM_READ_ONLY }));
    await expectAwsError(gina.send(new ListPoliciesCommand({ Scope: 'Local' })), 'AccessDenied');
    const noGroup = await expectAwsError(root.send(new AttachGroupPolicyCommand({ GroupName: 'nogroup', PolicyArn: ADMIN })), 'NoSuchEntity');
    assert.equal(noGroup.message, 'The group with name nogroup cannot be found.');
    gina.destroy();
  });

  it('roles: attach, list with PathPrefix, the role quota, detach', async () => {
    await putRole('app-role', '/apps/');
    await root.send(new AttachRolePolicyCommand({ RoleName: 'app-role', PolicyArn: SSM_CORE }));
    await root.send(new AttachRolePolicyCommand({ RoleName: 'app-role', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM' }));
    const all = (await root.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role' }))).AttachedPolicies!;
    assert.deepEqual(all.map((policy) => policy.PolicyName), ['AmazonEC2RoleforSSM', 'AmazonSSMManagedInstanceCore']);
    const serviceRole = (await root.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role', PathPrefix: '/service-role/' }))).AttachedPolicies!;
    assert.deepEqual(serviceRole.map((policy) => policy.PolicyName), ['AmazonEC2RoleforSSM']);

    const fillers = server.app.library.awsManaged.list().slice(0, 8).map((policy) => policy.arn);
    for (const arn of fillers) await root.send(new AttachRolePolicyCommand({ RoleName: 'app-role', PolicyArn: arn }));
    const overQuota = await expectAwsError(root.send(new AttachRolePolicyCommand({ RoleName: 'app-role', PolicyArn: ADMIN })), 'LimitExceeded');
    assert.equal(overQuota.message, 'Cannot exceed quota for PoliciesPerRole: 10');
    for (const arn of fillers) await root.send(new DetachRolePolicyCommand({ RoleName: 'app-role', PolicyArn: arn }));
    await root.send(new DetachRolePolicyCommand({ RoleName: 'app-role', PolicyArn: SSM_CORE }));
    assert.deepEqual((await root.send(new ListAttachedRolePoliciesCommand({ RoleName: 'app-role' }))).AttachedPolicies?.map((policy) => policy.PolicyName), ['AmazonEC2RoleforSSM']);
    const noRole = await expectAwsError(root.send(new AttachRolePolicyCommand({ RoleName: 'norole', PolicyArn: ADMIN })), 'NoSuchEntity');
    assert.equal(noRole.message, 'The role with name norole cannot be found.');
  });

  it('ListEntitiesForPolicy lists groups, users and roles, filtered and paged', async () => {
    const arn = (await createPolicy('Shared', allow('s3:ListBucket'))).Arn!;
    await putUser('ent-user-b');
    await putUser('ent-user-a');
    await putGroup('ent-group', []);
    const role = await putRole('ent-role');
    for (const user of ['ent-user-b', 'ent-user-a']) await root.send(new AttachUserPolicyCommand({ UserName: user, PolicyArn: arn }));
    await root.send(new AttachGroupPolicyCommand({ GroupName: 'ent-group', PolicyArn: arn }));
    await root.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'ent-role', PermissionsBoundary: arn }));

    const all = await root.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    assert.deepEqual(all.PolicyGroups?.map((group) => group.GroupName), ['ent-group']);
    assert.deepEqual(all.PolicyUsers?.map((user) => user.UserName), ['ent-user-a', 'ent-user-b']);
    assert.deepEqual(all.PolicyRoles, [{ RoleName: 'ent-role', RoleId: role.RoleId }]);
    assert.equal(all.IsTruncated, false);

    const usersOnly = await root.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'User' }));
    assert.deepEqual(usersOnly.PolicyGroups, []);
    assert.equal(usersOnly.PolicyUsers?.length, 2);
    const boundaries = await root.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, PolicyUsageFilter: 'PermissionsBoundary' }));
    assert.deepEqual([boundaries.PolicyGroups?.length, boundaries.PolicyUsers?.length, boundaries.PolicyRoles?.length], [0, 0, 1]);

    const paged = await allPages(async (marker) => {
      const page = await root.send(new ListEntitiesForPolicyCommand({ PolicyArn: arn, MaxItems: 2, Marker: marker }));
      return { items: [...page.PolicyGroups!.map((g) => g.GroupName), ...page.PolicyUsers!.map((u) => u.UserName), ...page.PolicyRoles!.map((r) => r.RoleName)], IsTruncated: page.IsTruncated, Marker: page.Marker };
    });
    assert.equal(paged.pages, 2);
    assert.deepEqual(paged.items, ['ent-group', 'ent-user-a', 'ent-user-b', 'ent-role']);

    const policy = (await root.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
    assert.equal(policy.AttachmentCount, 3);
    assert.equal(policy.PermissionsBoundaryUsageCount, 1);
    const attachedOnly = await root.send(new ListPoliciesCommand({ Scope: 'Local', OnlyAttached: true }));
    assert.ok(attachedOnly.Policies?.some((item) => item.Arn === arn));
    assert.ok(!attachedOnly.Policies?.some((item) => item.AttachmentCount === 0));
    await expectAwsError(root.send(new ListEntitiesForPolicyCommand({ PolicyArn: `arn:aws:iam::${account}:policy/Nope` })), 'NoSuchEntity');
  });
});

describe('permissions boundaries', () => {
  it('a boundary limits an AdministratorAccess user to what the boundary allows', async () => {
    const { client: bob } = await userClient('bob');
    const boundary = (await createPolicy('BobBoundary', allow('iam:ListPolicies', 'iam:GetPolicy'))).Arn!;
    await root.send(new AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: ADMIN }));
    await bob.send(new CreatePolicyCommand({ PolicyName: 'ByBobBefore', PolicyDocument: allow('s3:*') }));

    await root.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bob', PermissionsBoundary: boundary }));
    await bob.send(new ListPoliciesCommand({ Scope: 'Local' }));
    await bob.send(new GetPolicyCommand({ PolicyArn: boundary }));
    const limited = await expectAwsError(bob.send(new CreatePolicyCommand({ PolicyName: 'ByBob', PolicyDocument: allow('s3:*') })), 'AccessDenied');
    assert.match(limited.message, /permissions boundary/);
    await expectAwsError(bob.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bob' })), 'AccessDenied');

    const inUse = await expectAwsError(root.send(new DeletePolicyCommand({ PolicyArn: boundary })), 'DeleteConflict');
    assert.equal(inUse.message, 'Cannot delete a policy attached to entities.');
    assert.deepEqual((await root.send(new ListEntitiesForPolicyCommand({ PolicyArn: boundary }))).PolicyUsers?.map((user) => user.UserName), ['bob']);

    await root.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'bob' }));
    await bob.send(new CreatePolicyCommand({ PolicyName: 'ByBob', PolicyDocument: allow('s3:*') }));
    await root.send(new DeletePolicyCommand({ PolicyArn: boundary }));
    bob.destroy();
  });

  it('an AWS-managed policy can be a boundary; the boundary must exist; roles take boundaries too', async () => {
    const { client: carol } = await userClient('carol');
    await root.send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: ADMIN }));
    await root.send(new PutUserPermissionsBoundaryCommand({ UserName: 'carol', PermissionsBoundary: IAM_READ_ONLY }));
    await carol.send(new ListAttachedUserPoliciesCommand({ UserName: 'carol' }));
    await expectAwsError(carol.send(new CreatePolicyCommand({ PolicyName: 'ByCarol', PolicyDocument: allow('s3:*') })), 'AccessDenied');
    assert.equal((await root.send(new GetPolicyCommand({ PolicyArn: IAM_READ_ONLY }))).Policy?.PermissionsBoundaryUsageCount, 1);
    assert.deepEqual((await root.send(new GetUserCommand({ UserName: 'carol' }))).User?.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: IAM_READ_ONLY });

    const missing = `arn:aws:iam::${account}:policy/NoBoundary`;
    const scope = await expectAwsError(root.send(new PutUserPermissionsBoundaryCommand({ UserName: 'carol', PermissionsBoundary: missing })), 'NoSuchEntity');
    assert.equal(scope.message, `Scope ARN: ${missing} does not exist or is not attachable.`);
    await expectAwsError(root.send(new PutUserPermissionsBoundaryCommand({ UserName: 'nobody', PermissionsBoundary: IAM_READ_ONLY })), 'NoSuchEntity');

    await putRole('bounded-role');
    await root.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded-role', PermissionsBoundary: S3_READ_ONLY }));
    assert.deepEqual((await root.send(new GetRoleCommand({ RoleName: 'bounded-role' }))).Role?.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: S3_READ_ONLY });
    await root.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded-role' }));
    assert.equal((await root.send(new GetRoleCommand({ RoleName: 'bounded-role' }))).Role?.PermissionsBoundary, undefined);
    await root.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded-role' }));
    await expectAwsError(root.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'norole' })), 'NoSuchEntity');
    carol.destroy();
  });
});
