/**
 * IAM roles and instance profiles end to end with the JS SDK v3: shapes as GetRole and
 * GetInstanceProfile describe them, AWS's errors and messages, quotas, tags, pagination, and
 * authorization of a non-root user (including iam:PassRole for AddRoleToInstanceProfile).
 */
import {
  AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand,
  DeleteInstanceProfileCommand, DeleteRoleCommand, DeleteRolePolicyCommand, DetachRolePolicyCommand, GetInstanceProfileCommand, GetRoleCommand,
  ListInstanceProfileTagsCommand, ListInstanceProfilesCommand, ListInstanceProfilesForRoleCommand, ListRoleTagsCommand,
  ListRolesCommand, PutRolePolicyCommand, PutUserPolicyCommand, RemoveRoleFromInstanceProfileCommand, TagInstanceProfileCommand,
  TagRoleCommand, UntagInstanceProfileCommand, UntagRoleCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand,
  UpdateRoleDescriptionCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allow, createUserWithKey } from './helpers/iam.js';
import { expectAwsError, iamClient, startTestServer, stsClient, type TestServer } from './helpers/server.js';

const ACCOUNT = '000000000000';
const ec2Trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const accountTrust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
});

let server: TestServer;
let iam: IAMClient;

before(async () => {
  server = await startTestServer();
  iam = iamClient(server);
});
after(() => server.close());

describe('CreateRole and GetRole', () => {
  it('creates a role with an AROA id and describes it in full', async () => {
    const created = await iam.send(new CreateRoleCommand({
      RoleName: 'web-server', Path: '/apps/', AssumeRolePolicyDocument: ec2Trust, Description: 'serves the web',
      Tags: [{ Key: 'team', Value: 'web' }],
    }));
    const role = created.Role!;
    assert.match(role.RoleId!, /^AROA[A-Z2-7]{17}$/);
    assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/apps/web-server`);
    assert.equal(role.Path, '/apps/');
    assert.ok(role.CreateDate instanceof Date);
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), ec2Trust);
    assert.deepEqual(role.Tags, [{ Key: 'team', Value: 'web' }]);

    const got = (await iam.send(new GetRoleCommand({ RoleName: 'WEB-SERVER' }))).Role!;
    assert.equal(got.RoleName, 'web-server');
    assert.equal(got.RoleId, role.RoleId);
    assert.equal(got.Arn, role.Arn);
    assert.equal(got.Description, 'serves the web');
    assert.equal(got.MaxSessionDuration, 3600);
    assert.equal(got.CreateDate!.getTime(), role.CreateDate!.getTime());
    assert.equal(got.CreateDate!.getMilliseconds(), 0);
    assert.equal(decodeURIComponent(got.AssumeRolePolicyDocument!), ec2Trust);
    assert.deepEqual(got.Tags, [{ Key: 'team', Value: 'web' }]);
    assert.deepEqual(got.RoleLastUsed, {});
    assert.equal(got.PermissionsBoundary, undefined);
  });

  it('refuses a second role of the same name, whatever its case', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: ec2Trust }));
    const error = await expectAwsError(iam.send(new CreateRoleCommand({ RoleName: 'DUP', AssumeRolePolicyDocument: ec2Trust })), 'EntityAlreadyExists');
    assert.equal(error.message, 'Role with name DUP already exists.');
    assert.equal(error.$metadata?.httpStatusCode, 409);
  });

  it('answers NoSuchEntity for a role that does not exist', async () => {
    const error = await expectAwsError(iam.send(new GetRoleCommand({ RoleName: 'ghost' })), 'NoSuchEntity');
    assert.equal(error.message, 'The role with name ghost cannot be found.');
    assert.equal(error.$metadata?.httpStatusCode, 404);
  });

  it('validates the trust policy: grammar, then the 2,048-character quota', async () => {
    await expectAwsError(iam.send(new CreateRoleCommand({ RoleName: 'bad-trust', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":' })), 'MalformedPolicyDocument');
    const principals = Array.from({ length: 80 }, (_, index) => `arn:aws:iam::${String(100000000000 + index)}:root`);
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principals }, Action: 'sts:AssumeRole' }] });
    assert.ok(big.length > 2048);
    const error = await expectAwsError(iam.send(new CreateRoleCommand({ RoleName: 'big-trust', AssumeRolePolicyDocument: big })), 'LimitExceeded');
    assert.equal(error.message, 'Cannot exceed quota for ACLSizePerRole: 2048');
    await expectAwsError(iam.send(new GetRoleCommand({ RoleName: 'big-trust' })), 'NoSuchEntity');
  });

  it('takes MaxSessionDuration between 3600 and 43200 seconds', async () => {
    const error = await expectAwsError(iam.send(new CreateRoleCommand({ RoleName: 'short', AssumeRolePolicyDocument: ec2Trust, MaxSessionDuration: 900 })), 'ValidationError');
    assert.match(error.message, /maxSessionDuration.*greater than or equal to 3600/);
    await expectAwsError(iam.send(new CreateRoleCommand({ RoleName: 'long', AssumeRolePolicyDocument: ec2Trust, MaxSessionDuration: 43201 })), 'ValidationError');
    await iam.send(new CreateRoleCommand({ RoleName: 'twelve-hours', AssumeRolePolicyDocument: ec2Trust, MaxSessionDuration: 43200 }));
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'twelve-hours' }))).Role!.MaxSessionDuration, 43200);
  });

  it('sets a permissions boundary only to an existing managed policy', async () => {
    const boundary = 'arn:aws:iam::aws:policy/PowerUserAccess';
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'bounded', AssumeRolePolicyDocument: ec2Trust, PermissionsBoundary: boundary }));
    assert.deepEqual(created.Role!.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary });
    const got = (await iam.send(new GetRoleCommand({ RoleName: 'bounded' }))).Role!;
    assert.deepEqual(got.PermissionsBoundary, { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary });
    const missing = `arn:aws:iam::${ACCOUNT}:policy/NoSuchBoundary`;
    const error = await expectAwsError(iam.send(new CreateRoleCommand({ RoleName: 'unbounded', AssumeRolePolicyDocument: ec2Trust, PermissionsBoundary: missing })), 'NoSuchEntity');
    assert.match(error.message, /NoSuchBoundary does not exist or is not attachable/);
  });
});

describe('ListRoles', () => {
  it('pages through roles under a path prefix in name order, without tags, boundary or last use', async () => {
    for (const name of ['pager-e', 'pager-b', 'Pager-d', 'pager-a', 'pager-c']) {
      await iam.send(new CreateRoleCommand({ RoleName: name, Path: '/pager/', AssumeRolePolicyDocument: ec2Trust, Tags: [{ Key: 'k', Value: 'v' }] }));
    }
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await iam.send(new ListRolesCommand({ PathPrefix: '/pager/', MaxItems: 2, Marker: marker }));
      pages++;
      assert.ok(page.Roles!.length <= 2);
      for (const role of page.Roles!) {
        names.push(role.RoleName!);
        assert.equal(role.Tags, undefined);
        assert.equal(role.RoleLastUsed, undefined);
        assert.equal(role.MaxSessionDuration, 3600);
        assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), ec2Trust);
      }
      assert.equal(page.IsTruncated, page.Marker !== undefined);
      marker = page.Marker;
    } while (marker);
    assert.equal(pages, 3);
    assert.deepEqual(names, ['pager-a', 'pager-b', 'pager-c', 'Pager-d', 'pager-e']);
    const all = await iam.send(new ListRolesCommand({}));
    assert.ok(all.Roles!.some((role) => role.RoleName === 'web-server'));
    assert.equal(all.IsTruncated, false);
  });
});

describe('UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy', () => {
  it('changes the description and maximum session duration', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'changing', AssumeRolePolicyDocument: ec2Trust }));
    await iam.send(new UpdateRoleCommand({ RoleName: 'changing', Description: 'first', MaxSessionDuration: 7200 }));
    let role = (await iam.send(new GetRoleCommand({ RoleName: 'changing' }))).Role!;
    assert.equal(role.Description, 'first');
    assert.equal(role.MaxSessionDuration, 7200);
    await iam.send(new UpdateRoleCommand({ RoleName: 'changing', MaxSessionDuration: 10800 }));
    role = (await iam.send(new GetRoleCommand({ RoleName: 'changing' }))).Role!;
    assert.equal(role.Description, 'first');
    assert.equal(role.MaxSessionDuration, 10800);
    await expectAwsError(iam.send(new UpdateRoleCommand({ RoleName: 'changing', MaxSessionDuration: 60 })), 'ValidationError');

    const described = await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'changing', Description: 'second' }));
    assert.equal(described.Role!.Description, 'second');
    assert.equal(described.Role!.RoleName, 'changing');
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'changing' }))).Role!.Description, 'second');
    await expectAwsError(iam.send(new UpdateRoleCommand({ RoleName: 'ghost', Description: 'x' })), 'NoSuchEntity');
  });

  it('replaces the trust policy with a valid one only', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'retrusted', AssumeRolePolicyDocument: ec2Trust }));
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'retrusted', PolicyDocument: accountTrust }));
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'retrusted' }))).Role!;
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), accountTrust);
    await expectAwsError(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'retrusted', PolicyDocument: 'not json' })), 'MalformedPolicyDocument');
    await expectAwsError(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'ghost', PolicyDocument: accountTrust })), 'NoSuchEntity');
  });
});

describe('role tags', () => {
  it('adds, replaces (case-insensitively), lists in key order with paging, and removes tags', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: ec2Trust, Tags: [{ Key: 'b', Value: '1' }] }));
    await iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'c', Value: '3' }, { Key: 'a', Value: '2' }, { Key: 'B', Value: 'replaced' }] }));
    const first = await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged', MaxItems: 2 }));
    assert.equal(first.IsTruncated, true);
    const second = await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged', MaxItems: 2, Marker: first.Marker }));
    assert.equal(second.IsTruncated, false);
    assert.deepEqual([...first.Tags!, ...second.Tags!], [{ Key: 'B', Value: 'replaced' }, { Key: 'a', Value: '2' }, { Key: 'c', Value: '3' }]);

    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['A', 'b'] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags, [{ Key: 'c', Value: '3' }]);
    assert.deepEqual((await iam.send(new GetRoleCommand({ RoleName: 'tagged' }))).Role!.Tags, [{ Key: 'c', Value: '3' }]);
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['c'] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags, []);
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'tagged' }))).Role!.Tags, undefined);

    await expectAwsError(iam.send(new TagRoleCommand({ RoleName: 'ghost', Tags: [{ Key: 'a', Value: 'b' }] })), 'NoSuchEntity');
    const tooMany = Array.from({ length: 51 }, (_, index) => ({ Key: `k${index}`, Value: 'v' }));
    await expectAwsError(iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: tooMany })), 'LimitExceeded');
  });
});

describe('DeleteRole', () => {
  it('refuses while the role is in an instance profile, has attached or inline policies', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'doomed', AssumeRolePolicyDocument: ec2Trust }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'doomed-profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'doomed-profile', RoleName: 'doomed' }));
    let error = await expectAwsError(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })), 'DeleteConflict');
    assert.equal(error.message, 'Cannot delete entity, must remove roles from instance profile first.');
    assert.equal(error.$metadata?.httpStatusCode, 409);
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'doomed-profile', RoleName: 'doomed' }));

    const managed = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'doomed', PolicyArn: managed }));
    error = await expectAwsError(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })), 'DeleteConflict');
    assert.equal(error.message, 'Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'doomed', PolicyArn: managed }));

    await iam.send(new PutRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'inline', PolicyDocument: allow('s3:GetObject') }));
    error = await expectAwsError(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })), 'DeleteConflict');
    assert.equal(error.message, 'Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'inline' }));

    await iam.send(new DeleteRoleCommand({ RoleName: 'DOOMED' }));
    await expectAwsError(iam.send(new GetRoleCommand({ RoleName: 'doomed' })), 'NoSuchEntity');
    await expectAwsError(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })), 'NoSuchEntity');
    // the name is free again
    await iam.send(new CreateRoleCommand({ RoleName: 'doomed', AssumeRolePolicyDocument: ec2Trust }));
  });
});

describe('instance profiles', () => {
  it('creates an AIPA profile and describes its one role in full', async () => {
    const created = (await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-profile', Path: '/apps/', Tags: [{ Key: 'env', Value: 'prod' }] }))).InstanceProfile!;
    assert.match(created.InstanceProfileId!, /^AIPA[A-Z2-7]{17}$/);
    assert.equal(created.Arn, `arn:aws:iam::${ACCOUNT}:instance-profile/apps/web-profile`);
    assert.equal(created.Path, '/apps/');
    assert.deepEqual(created.Roles, []);
    assert.deepEqual(created.Tags, [{ Key: 'env', Value: 'prod' }]);
    const duplicate = await expectAwsError(iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'WEB-PROFILE' })), 'EntityAlreadyExists');
    assert.equal(duplicate.message, 'Instance Profile WEB-PROFILE already exists.');

    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'web-server' }));
    const profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'Web-Profile' }))).InstanceProfile!;
    assert.equal(profile.InstanceProfileName, 'web-profile');
    assert.equal(profile.InstanceProfileId, created.InstanceProfileId);
    assert.equal(profile.Roles!.length, 1);
    const role = profile.Roles![0]!;
    assert.equal(role.RoleName, 'web-server');
    assert.equal(role.Arn, `arn:aws:iam::${ACCOUNT}:role/apps/web-server`);
    assert.match(role.RoleId!, /^AROA/);
    assert.equal(role.Description, 'serves the web');
    assert.equal(role.MaxSessionDuration, 3600);
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), ec2Trust);
    assert.deepEqual(role.Tags, [{ Key: 'team', Value: 'web' }]);

    await iam.send(new CreateRoleCommand({ RoleName: 'second-role', AssumeRolePolicyDocument: ec2Trust }));
    const full = await expectAwsError(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'second-role' })), 'LimitExceeded');
    assert.equal(full.message, 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
    await expectAwsError(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'web-server' })), 'LimitExceeded');
    await expectAwsError(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'ghost' })), 'NoSuchEntity');
    const noProfile = await expectAwsError(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'ghost', RoleName: 'web-server' })), 'NoSuchEntity');
    assert.equal(noProfile.message, 'Instance Profile ghost cannot be found.');

    const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'web-server' }));
    assert.deepEqual(forRole.InstanceProfiles!.map((item) => item.InstanceProfileName), ['web-profile']);
    assert.equal(forRole.InstanceProfiles![0]!.Roles![0]!.RoleName, 'web-server');
    assert.deepEqual((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'second-role' }))).InstanceProfiles, []);
    await expectAwsError(iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'ghost' })), 'NoSuchEntity');
  });

  it('removes the role, refuses to delete a profile that holds one, and deletes', async () => {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'short-lived' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'short-lived', RoleName: 'second-role' }));
    const conflict = await expectAwsError(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'short-lived' })), 'DeleteConflict');
    assert.equal(conflict.message, 'Cannot delete entity, must remove roles from instance profile first.');
    await expectAwsError(iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'short-lived', RoleName: 'web-server' })), 'NoSuchEntity');
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'short-lived', RoleName: 'second-role' }));
    assert.deepEqual((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'short-lived' }))).InstanceProfile!.Roles, []);
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'short-lived' }));
    const gone = await expectAwsError(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'short-lived' })), 'NoSuchEntity');
    assert.equal(gone.message, 'Instance Profile short-lived cannot be found.');
    await expectAwsError(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'short-lived' })), 'NoSuchEntity');
  });

  it('pages through instance profiles in name order, without their tags', async () => {
    for (const name of ['ip-c', 'ip-a', 'ip-b']) {
      await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name, Path: '/paged/', Tags: [{ Key: 'k', Value: 'v' }] }));
    }
    const first = await iam.send(new ListInstanceProfilesCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
    assert.equal(first.IsTruncated, true);
    const second = await iam.send(new ListInstanceProfilesCommand({ PathPrefix: '/paged/', MaxItems: 2, Marker: first.Marker }));
    assert.equal(second.IsTruncated, false);
    const profiles = [...first.InstanceProfiles!, ...second.InstanceProfiles!];
    assert.deepEqual(profiles.map((profile) => profile.InstanceProfileName), ['ip-a', 'ip-b', 'ip-c']);
    for (const profile of profiles) {
      assert.equal(profile.Tags, undefined);
      assert.deepEqual(profile.Roles, []);
      assert.match(profile.InstanceProfileId!, /^AIPA/);
    }
  });

  it('tags, lists tags in key order and untags', async () => {
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'web-profile', Tags: [{ Key: 'cost', Value: '42' }, { Key: 'ENV', Value: 'staging' }] }));
    assert.deepEqual((await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'web-profile' }))).Tags,
      [{ Key: 'ENV', Value: 'staging' }, { Key: 'cost', Value: '42' }]);
    await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'web-profile', TagKeys: ['env'] }));
    assert.deepEqual((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web-profile' }))).InstanceProfile!.Tags, [{ Key: 'cost', Value: '42' }]);
    await expectAwsError(iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'ghost' })), 'NoSuchEntity');
  });
});

describe('authorization', () => {
  it('denies a user without permission and allows one with an inline policy on the role ARN', async () => {
    const nobody = await createUserWithKey(server, 'nobody');
    const denied = await expectAwsError(iamClient(server, nobody).send(new GetRoleCommand({ RoleName: 'web-server' })), 'AccessDenied');
    assert.equal(denied.$metadata?.httpStatusCode, 403);
    assert.match(denied.message, /user\/nobody is not authorized to perform: iam:GetRole on resource: .*role\/apps\/web-server/);
    await expectAwsError(iamClient(server, nobody).send(new CreateRoleCommand({ RoleName: 'sneaky', AssumeRolePolicyDocument: ec2Trust })), 'AccessDenied');
    await expectAwsError(iamClient(server, nobody).send(new ListRolesCommand({})), 'AccessDenied');

    const reader = await createUserWithKey(server, 'role-reader', allow('iam:GetRole', `arn:aws:iam::${ACCOUNT}:role/apps/*`));
    const got = await iamClient(server, reader).send(new GetRoleCommand({ RoleName: 'web-server' }));
    assert.equal(got.Role!.RoleName, 'web-server');
    // the policy names the /apps/ path only
    await expectAwsError(iamClient(server, reader).send(new GetRoleCommand({ RoleName: 'second-role' })), 'AccessDenied');
  });

  it('needs iam:PassRole on the role to add it to an instance profile', async () => {
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'pass-profile' }));
    const adder = await createUserWithKey(server, 'adder', allow('iam:AddRoleToInstanceProfile'));
    const denied = await expectAwsError(
      iamClient(server, adder).send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'pass-profile', RoleName: 'second-role' })), 'AccessDenied');
    assert.match(denied.message, /iam:PassRole/);
    assert.deepEqual((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'pass-profile' }))).InstanceProfile!.Roles, []);

    await iam.send(new PutUserPolicyCommand({
      UserName: 'adder', PolicyName: 'pass', PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${ACCOUNT}:role/second-role`,
          Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        }],
      }),
    }));
    await iamClient(server, adder).send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'pass-profile', RoleName: 'second-role' }));
    const profile = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'pass-profile' }))).InstanceProfile!;
    assert.equal(profile.Roles![0]!.RoleName, 'second-role');
  });

  it('records the role\'s last use when it is assumed', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'assumable', AssumeRolePolicyDocument: accountTrust }));
    const assumer = await createUserWithKey(server, 'assumer', allow('sts:AssumeRole'));
    await stsClient(server, assumer).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/assumable`, RoleSessionName: 'once' }));
    const lastUsed = (await iam.send(new GetRoleCommand({ RoleName: 'assumable' }))).Role!.RoleLastUsed!;
    assert.ok(lastUsed.LastUsedDate instanceof Date);
    assert.ok(Math.abs(lastUsed.LastUsedDate.getTime() - Date.now()) < 60_000);
    assert.equal(lastUsed.Region, 'us-east-1');
  });
});
