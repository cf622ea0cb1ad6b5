/**
 * IAM instance profiles: the container EC2 hands to an instance, holding at most one role
 * (InstanceSessionsPerInstanceProfile is 1 and cannot be raised). The record names its role by
 * role name; a role in a profile cannot be deleted (roles.ts), so the name always resolves.
 *
 * Adding a role passes it to EC2, so AddRoleToInstanceProfile also needs iam:PassRole on the role
 * with iam:PassedToService ec2.amazonaws.com, as the Service Authorization Reference lists.
 * Known gap: the account quota on the number of instance profiles is not enforced.
 */
import type { InstanceProfileRecord, Tag } from '../../directory/types.js';
import type { QueryInput } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import {
  IAM_ACTION, INSTANCE_PROFILE_NAME, ROLE_NAME, arnOf, byName, deleteConflict, entityAlreadyExists, iamTime, limitExceeded,
  noSuchEntity, now, pageFields, paginate, pagingInput, pathOf, withPathPrefix,
} from './common.js';
import { findRole, roleAuthorization, roleXml } from './roles.js';
import {
  mergeTags, removeTags, requestTagKeys, requiredTags, resourceTagKeys, sortedTags, tagKeysOf, tagsOf, tagsPage, tagsXml,
  type ConditionKeys,
} from './tags.js';

export function findInstanceProfile(ctx: OperationContext, name: string): InstanceProfileRecord {
  const profile = ctx.app.directory.get('instance-profile', name);
  if (!profile) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return profile;
}

/** An action on instance profile `name`: its ARN (path-less when it does not exist) and its tags. */
function profileAuthorization(ctx: OperationContext, action: string, name: string, keys: ConditionKeys = {}): Authorization {
  const profile = ctx.app.directory.get('instance-profile', name);
  return {
    action: IAM_ACTION(action),
    resource: profile?.arn ?? arnOf(ctx, 'instance-profile', '/', name),
    conditionKeys: { ...resourceTagKeys(profile?.tags ?? []), ...keys },
  };
}

/**
 * The InstanceProfile shape (https://docs.aws.amazon.com/IAM/latest/APIReference/API_InstanceProfile.html)
 * with its role described in full; list actions leave out the profile's Tags, as IAM does.
 */
export function instanceProfileXml(ctx: OperationContext, profile: InstanceProfileRecord, withTags = true): XmlObject {
  const role = profile.roleName === undefined ? undefined : ctx.app.directory.get('role', profile.roleName);
  return {
    Path: profile.path,
    InstanceProfileName: profile.instanceProfileName,
    InstanceProfileId: profile.instanceProfileId,
    Arn: profile.arn,
    CreateDate: iamTime(profile.createDate),
    Roles: role ? [roleXml(role, 'full', ctx.app.usage.role(role.roleId))] : [],
    Tags: withTags ? tagsXml(profile.tags) : undefined,
  };
}

function save(ctx: OperationContext, profile: InstanceProfileRecord): void {
  ctx.app.directory.apply([{ kind: 'instance-profile', put: profile }]);
}

const profileName = (query: QueryInput): string => query.required('InstanceProfileName', INSTANCE_PROFILE_NAME);

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html */
const CreateInstanceProfile = operation<{ name: string; path: string; tags: Tag[] }>({
  input: (query) => ({ name: profileName(query), path: pathOf(query), tags: tagsOf(query) }),
  authorize: (input, ctx) => ({
    action: IAM_ACTION('CreateInstanceProfile'),
    resource: arnOf(ctx, 'instance-profile', input.path, input.name),
    conditionKeys: requestTagKeys(input.tags),
  }),
  handle(input, ctx) {
    if (ctx.app.directory.get('instance-profile', input.name)) throw entityAlreadyExists(`Instance Profile ${input.name} already exists.`);
    const profile: InstanceProfileRecord = {
      instanceProfileId: ctx.app.ids.uniqueId('AIPA'),
      instanceProfileName: input.name,
      path: input.path,
      arn: arnOf(ctx, 'instance-profile', input.path, input.name),
      createDate: now(ctx),
      tags: input.tags,
    };
    save(ctx, profile);
    return { InstanceProfile: instanceProfileXml(ctx, profile) };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetInstanceProfile.html */
const GetInstanceProfile = operation<{ name: string }>({
  input: (query) => ({ name: profileName(query) }),
  authorize: (input, ctx) => profileAuthorization(ctx, 'GetInstanceProfile', input.name),
  handle: (input, ctx) => ({ InstanceProfile: instanceProfileXml(ctx, findInstanceProfile(ctx, input.name)) }),
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfiles.html — no resource type, so "*". */
const ListInstanceProfiles = operation<QueryInput>({
  input: (query) => pagingInput(query, { pathPrefix: true }),
  authorize: () => ({ action: IAM_ACTION('ListInstanceProfiles'), resource: '*' }),
  handle(query, ctx) {
    const profiles = withPathPrefix(ctx.app.directory.list('instance-profile'), query).sort(byName((profile) => profile.instanceProfileName));
    const page = paginate(profiles, query);
    return { InstanceProfiles: page.items.map((profile) => instanceProfileXml(ctx, profile, false)), ...pageFields(page) };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfilesForRole.html — authorized on the role. */
const ListInstanceProfilesForRole = operation<{ roleName: string; query: QueryInput }>({
  input: (query) => ({ roleName: query.required('RoleName', ROLE_NAME), query: pagingInput(query) }),
  authorize: (input, ctx) => roleAuthorization(ctx, 'ListInstanceProfilesForRole', input.roleName),
  handle(input, ctx) {
    const key = findRole(ctx, input.roleName).roleName.toLowerCase();
    const profiles = ctx.app.directory.list('instance-profile')
      .filter((profile) => profile.roleName?.toLowerCase() === key)
      .sort(byName((profile) => profile.instanceProfileName));
    const page = paginate(profiles, input.query);
    return { InstanceProfiles: page.items.map((profile) => instanceProfileXml(ctx, profile, false)), ...pageFields(page) };
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_AddRoleToInstanceProfile.html */
const AddRoleToInstanceProfile = operation<{ name: string; roleName: string }>({
  input: (query) => ({ name: profileName(query), roleName: query.required('RoleName', ROLE_NAME) }),
  authorize: (input, ctx) => profileAuthorization(ctx, 'AddRoleToInstanceProfile', input.name),
  handle(input, ctx) {
    const profile = findInstanceProfile(ctx, input.name);
    const role = findRole(ctx, input.roleName);
    ctx.require({ action: 'iam:PassRole', resource: role.arn, conditionKeys: { 'iam:PassedToService': 'ec2.amazonaws.com' } });
    if (profile.roleName !== undefined) throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
    save(ctx, { ...profile, roleName: role.roleName });
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveRoleFromInstanceProfile.html */
const RemoveRoleFromInstanceProfile = operation<{ name: string; roleName: string }>({
  input: (query) => ({ name: profileName(query), roleName: query.required('RoleName', ROLE_NAME) }),
  authorize: (input, ctx) => profileAuthorization(ctx, 'RemoveRoleFromInstanceProfile', input.name),
  handle(input, ctx) {
    const profile = findInstanceProfile(ctx, input.name);
    const role = findRole(ctx, input.roleName);
    if (profile.roleName?.toLowerCase() !== role.roleName.toLowerCase()) {
      throw noSuchEntity(`The role with name ${input.roleName} cannot be found.`);
    }
    const { roleName: _removed, ...rest } = profile;
    save(ctx, rest);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteInstanceProfile.html */
const DeleteInstanceProfile = operation<{ name: string }>({
  input: (query) => ({ name: profileName(query) }),
  authorize: (input, ctx) => profileAuthorization(ctx, 'DeleteInstanceProfile', input.name),
  handle(input, ctx) {
    const profile = findInstanceProfile(ctx, input.name);
    if (profile.roleName !== undefined) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
    ctx.app.directory.apply([{ kind: 'instance-profile', delete: profile.instanceProfileName }]);
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagInstanceProfile.html */
const TagInstanceProfile = operation<{ name: string; tags: Tag[] }>({
  input: (query) => ({ name: profileName(query), tags: requiredTags(query) }),
  authorize: (input, ctx) => profileAuthorization(ctx, 'TagInstanceProfile', input.name, requestTagKeys(input.tags)),
  handle(input, ctx) {
    const profile = findInstanceProfile(ctx, input.name);
    save(ctx, { ...profile, tags: mergeTags(profile.tags, input.tags) });
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagInstanceProfile.html */
const UntagInstanceProfile = operation<{ name: string; keys: string[] }>({
  input: (query) => ({ name: profileName(query), keys: tagKeysOf(query, 'list') }),
  authorize: (input, ctx) => profileAuthorization(ctx, 'UntagInstanceProfile', input.name, { 'aws:TagKeys': input.keys }),
  handle(input, ctx) {
    const profile = findInstanceProfile(ctx, input.name);
    save(ctx, { ...profile, tags: removeTags(profile.tags, input.keys) });
    return undefined;
  },
});

/** https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListInstanceProfileTags.html — sorted by tag key. */
const ListInstanceProfileTags = operation<{ name: string; query: QueryInput }>({
  input: (query) => ({ name: profileName(query), query: pagingInput(query) }),
  authorize: (input, ctx) => profileAuthorization(ctx, 'ListInstanceProfileTags', input.name),
  handle: (input, ctx) => tagsPage(sortedTags(findInstanceProfile(ctx, input.name).tags), input.query),
});

export const instanceProfileOperations: OperationMap = {
  CreateInstanceProfile, GetInstanceProfile, ListInstanceProfiles, ListInstanceProfilesForRole, AddRoleToInstanceProfile,
  RemoveRoleFromInstanceProfile, DeleteInstanceProfile, TagInstanceProfile, UntagInstanceProfile, ListInstanceProfileTags,
};
