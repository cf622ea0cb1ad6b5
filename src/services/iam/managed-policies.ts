/**
 * Managed policies: customer-managed policies (ManagedPolicyRecord in the directory, up to five
 * versions each) and the read-only AWS-managed catalog (arn:aws:iam::aws:policy/...), seen through
 * one view so Get/List/versions treat both alike. Attachment and boundary counts are not stored:
 * they are computed from the users, groups and roles that name the policy (cached per directory
 * generation), so they can never drift.
 *
 * Known gaps: AWS-managed policies have ids derived from their ARN (not AWS's), no description,
 * and only their default version's document; asking for an older version's document is a
 * NoSuchEntity that says so. AWS's exact error for writing an AWS-managed policy is not
 * documented; iamd answers AccessDenied naming the action and the policy (see readOnlyAwsPolicy).
 * ListPolicies' PolicyUsageFilter is read as "in use that way" (AWS documents it loosely).
 */
import type { Directory } from '../../directory/directory.js';
import type { ManagedPolicyRecord, PolicyVersionRecord, Tag } from '../../directory/types.js';
import { AwsError } from '../../protocol/aws-error.js';
import type { StringRule } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation, type Authorization, type OperationContext, type OperationMap } from '../service.js';
import type { AwsManagedPolicySummary } from './aws-managed-policies.js';
import {
  DESCRIPTION, IAM_ACTION, PATH_PREFIX, POLICY_DOCUMENT, POLICY_NAME, arnOf, checkPolicyDocument, compareNames, deleteConflict,
  encodeDocument, entityAlreadyExists, iamTime, limitExceeded, malformedPolicyDocument, noSuchEntity, now, pageFields,
  paginate, pathOf, policyArnParam,
} from './common.js';
import {
  mergeTags, removeTags, requestTagKeys, requiredTags, resourceTagKeys, tagKeysOf, tagsOf, tagsPage, tagsXml, type ConditionKeys,
} from './tags.js';

// --- the managed-policy view, shared with attached-policies.ts

export const AWS_MANAGED_PREFIX = 'arn:aws:iam::aws:policy/';
/** Characters without whitespace a managed policy document may have (IAM and STS character quotas). */
export const MANAGED_POLICY_QUOTA = 6144;
/** A managed policy keeps at most this many versions. */
export const MAX_POLICY_VERSIONS = 5;

const VERSION_ID: StringRule = { pattern: /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/, patternText: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' };

/** A managed policy, customer or AWS, as the API shows it. */
export interface ManagedPolicyView {
  readonly arn: string;
  readonly name: string;
  readonly path: string;
  readonly policyId: string;
  readonly defaultVersionId: string;
  readonly createDate: string;
  readonly updateDate: string;
  readonly description?: string;
  readonly tags: readonly Tag[];
  /** the directory record of a customer-managed policy; undefined for AWS-managed ones */
  readonly record?: ManagedPolicyRecord;
  /** the catalog entry of an AWS-managed policy */
  readonly aws?: AwsManagedPolicySummary;
}

export function isAwsManagedArn(arn: string): boolean {
  return arn.startsWith(AWS_MANAGED_PREFIX);
}

export function findManagedPolicy(ctx: OperationContext, arn: string): ManagedPolicyView | undefined {
  const record = ctx.app.directory.get('policy', arn);
  if (record) return customerView(record);
  const aws = ctx.app.library.awsManaged.get(arn);
  return aws ? awsView(aws) : undefined;
}

/** NoSuchEntity as GetPolicy, DetachUserPolicy and the version operations word it. */
export function policyNotFound(arn: string): AwsError {
  return noSuchEntity(`Policy ${arn} was not found.`);
}

/** NoSuchEntity as the Attach* operations word it. */
export function policyNotAttachable(arn: string): AwsError {
  return noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
}

/** The name at the end of a policy ARN (for ARNs whose policy no longer resolves). */
export function policyNameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The path of a policy ARN: arn:aws:iam::aws:policy/service-role/X has /service-role/. */
export function policyPathOfArn(arn: string): string {
  const start = arn.indexOf(':policy/') + ':policy'.length;
  return arn.slice(start, arn.lastIndexOf('/') + 1);
}

/**
 * AWS-managed policies belong to AWS, not to the account: no caller, root included, may change,
 * tag or delete them.
 */
export function readOnlyAwsPolicy(ctx: OperationContext, action: string, arn: string): AwsError {
  return new AwsError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: ${action} on resource: ${arn} because AWS managed policies cannot be modified`, 403);
}

export interface PolicyUsage {
  /** policy ARN -> number of users, groups and roles it is attached to */
  readonly attachments: ReadonlyMap<string, number>;
  /** policy ARN -> number of users and roles that use it as permissions boundary */
  readonly boundaries: ReadonlyMap<string, number>;
}

const usageCache = new WeakMap<Directory, { generation: number; usage: PolicyUsage }>();

/** How every managed policy is used in this account, recomputed only when the directory changes. */
export function policyUsage(ctx: OperationContext): PolicyUsage {
  const directory = ctx.app.directory;
  const cached = usageCache.get(directory);
  if (cached && cached.generation === directory.generation) return cached.usage;
  const attachments = new Map<string, number>();
  const boundaries = new Map<string, number>();
  const count = (map: Map<string, number>, arn: string | undefined): void => {
    if (arn !== undefined) map.set(arn, (map.get(arn) ?? 0) + 1);
  };
  for (const user of directory.list('user')) {
    for (const arn of user.attachedPolicyArns) count(attachments, arn);
    count(boundaries, user.permissionsBoundaryArn);
  }
  for (const group of directory.list('group')) for (const arn of group.attachedPolicyArns) count(attachments, arn);
  for (const role of directory.list('role')) {
    for (const arn of role.attachedPolicyArns) count(attachments, arn);
    count(boundaries, role.permissionsBoundaryArn);
  }
  const usage: PolicyUsage = { attachments, boundaries };
  usageCache.set(directory, { generation: directory.generation, usage });
  return usage;
}

// --- views and response shapes

function customerView(record: ManagedPolicyRecord): ManagedPolicyView {
  return {
    arn: record.arn, name: record.policyName, path: record.path, policyId: record.policyId,
    defaultVersionId: record.defaultVersionId, createDate: record.createDate, updateDate: record.updateDate,
    ...(record.description !== undefined ? { description: record.description } : {}),
    tags: record.tags, record,
  };
}

function awsView(aws: AwsManagedPolicySummary): ManagedPolicyView {
  return {
    arn: aws.arn, name: aws.name, path: aws.path, policyId: aws.policyId, defaultVersionId: aws.defaultVersionId,
    createDate: aws.createDate, updateDate: aws.updateDate, tags: [], aws,
  };
}

/** The Policy structure (https://docs.aws.amazon.com/IAM/latest/APIReference/API_Policy.html); `detail` adds Description and Tags (GetPolicy, CreatePolicy; never ListPolicies). */
function policyXml(view: ManagedPolicyView, usage: PolicyUsage, detail: boolean): XmlObject {
  return {
    PolicyName: view.name,
    PolicyId: view.policyId,
    Arn: view.arn,
    Path: view.path,
    DefaultVersionId: view.defaultVersionId,
    AttachmentCount: usage.attachments.get(view.arn) ?? 0,
    PermissionsBoundaryUsageCount: usage.boundaries.get(view.arn) ?? 0,
    IsAttachable: true,
    Description: detail ? view.description : undefined,
    CreateDate: iamTime(view.createDate),
    UpdateDate: iamTime(view.updateDate),
    Tags: detail ? tagsXml(view.tags) : undefined,
  };
}

/** The PolicyVersion structure; Document only where the API returns it (GetPolicyVersion). */
function versionXml(versionId: string, createDate: string, isDefault: boolean, document?: string): XmlObject {
  return {
    Document: document === undefined ? undefined : encodeDocument(document),
    VersionId: versionId,
    IsDefaultVersion: isDefault,
    CreateDate: iamTime(createDate),
  };
}

// --- helpers of the operations below

/** A customer-managed policy to change: AWS-managed ones are refused, unknown ones are NoSuchEntity. */
function writablePolicy(ctx: OperationContext, action: string, arn: string): ManagedPolicyRecord {
  const record = ctx.app.directory.get('policy', arn);
  if (record) return record;
  if (isAwsManagedArn(arn) && ctx.app.library.awsManaged.get(arn)) throw readOnlyAwsPolicy(ctx, action, arn);
  throw policyNotFound(arn);
}

function existingPolicy(ctx: OperationContext, arn: string): ManagedPolicyView {
  const view = findManagedPolicy(ctx, arn);
  if (!view) throw policyNotFound(arn);
  return view;
}

/**
 * Grammar and policy language version 2012-10-17 (AWS refuses 2008-10-17, or no Version, in a
 * managed policy), then the managed-policy quota (counted without whitespace).
 */
function checkManagedDocument(ctx: OperationContext, text: string): void {
  if (text.trim() === '') throw malformedPolicyDocument('Syntax errors in policy.');
  const size = checkPolicyDocument(ctx, text, 'managed');
  if (size > MANAGED_POLICY_QUOTA) throw limitExceeded(`Cannot exceed quota for PolicySize: ${MANAGED_POLICY_QUOTA}`);
}

function versionNotFound(arn: string, versionId: string): AwsError {
  return noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
}

/** UpdateDate is the creation date of the newest version (the creation date while there is one version). */
function newestVersionDate(versions: readonly PolicyVersionRecord[], fallback: string): string {
  let newest = fallback;
  for (const version of versions) if (version.createDate > newest) newest = version.createDate;
  return newest;
}

/**
 * An action on policy `arn`, with aws:ResourceTag/<key> of a customer-managed policy (no
 * iam:ResourceTag: it is not a condition key of the policy resource type), then `extra`.
 */
function onPolicy(ctx: OperationContext, name: string, arn: string, extra: ConditionKeys = {}): Authorization {
  const tags = ctx.app.directory.get('policy', arn)?.tags ?? [];
  return { action: IAM_ACTION(name), resource: arn, conditionKeys: { ...resourceTagKeys(tags, { iamKeys: false }), ...extra } };
}

type Scope = 'All' | 'AWS' | 'Local';
type PolicyUsageFilter = 'PermissionsPolicy' | 'PermissionsBoundary';

// --- operations

export const managedPolicyOperations: OperationMap = {
  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html
  CreatePolicy: operation({
    input: (query) => ({
      policyName: query.required('PolicyName', POLICY_NAME),
      path: pathOf(query),
      document: query.required('PolicyDocument', POLICY_DOCUMENT),
      description: query.optional('Description', DESCRIPTION),
      tags: tagsOf(query),
    }),
    authorize: (input, ctx) => ({
      action: IAM_ACTION('CreatePolicy'),
      resource: arnOf(ctx, 'policy', input.path, input.policyName),
      conditionKeys: requestTagKeys(input.tags),
    }),
    handle: (input, ctx) => {
      const lower = input.policyName.toLowerCase();
      if (ctx.app.directory.list('policy').some((policy) => policy.policyName.toLowerCase() === lower)) {
        throw entityAlreadyExists(`A policy called ${input.policyName} already exists. Duplicate names are not allowed.`);
      }
      checkManagedDocument(ctx, input.document);
      const created = now(ctx);
      const record: ManagedPolicyRecord = {
        policyId: ctx.app.ids.uniqueId('ANPA'),
        policyName: input.policyName,
        path: input.path,
        arn: arnOf(ctx, 'policy', input.path, input.policyName),
        ...(input.description !== undefined && input.description !== '' ? { description: input.description } : {}),
        createDate: created,
        updateDate: created,
        defaultVersionId: 'v1',
        versions: [{ versionId: 'v1', document: input.document, createDate: created }],
        nextVersionNumber: 2,
        tags: input.tags,
      };
      ctx.app.directory.apply([{ kind: 'policy', put: record }]);
      return { Policy: policyXml(customerView(record), policyUsage(ctx), true) };
    },
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicy.html
  GetPolicy: operation({
    input: (query) => ({ arn: policyArnParam(query) }),
    authorize: (input, ctx) => onPolicy(ctx, 'GetPolicy', input.arn),
    handle: (input, ctx) => ({ Policy: policyXml(existingPolicy(ctx, input.arn), policyUsage(ctx), true) }),
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicies.html
  ListPolicies: operation({
    input: (query) => ({
      query,
      scope: query.oneOf<Scope>('Scope', ['All', 'AWS', 'Local']) ?? 'All',
      onlyAttached: query.boolean('OnlyAttached') ?? false,
      pathPrefix: query.optional('PathPrefix', PATH_PREFIX) ?? '/',
      usageFilter: query.oneOf<PolicyUsageFilter>('PolicyUsageFilter', ['PermissionsPolicy', 'PermissionsBoundary']),
    }),
    authorize: () => ({ action: IAM_ACTION('ListPolicies'), resource: '*' }),
    handle: (input, ctx) => {
      const usage = policyUsage(ctx);
      const views: ManagedPolicyView[] = [];
      if (input.scope !== 'AWS') for (const record of ctx.app.directory.list('policy')) views.push(customerView(record));
      if (input.scope !== 'Local') for (const aws of ctx.app.library.awsManaged.list()) views.push(awsView(aws));
      // OnlyAttached keeps policies attached to a user, group or role; PolicyUsageFilter keeps
      // those in use that way (PermissionsPolicy: attached; PermissionsBoundary: set as a boundary).
      const keep = (view: ManagedPolicyView): boolean => {
        if (input.usageFilter === 'PermissionsBoundary') return (usage.boundaries.get(view.arn) ?? 0) > 0;
        if (input.usageFilter === 'PermissionsPolicy' || input.onlyAttached) return (usage.attachments.get(view.arn) ?? 0) > 0;
        return true;
      };
      const filtered = views
        .filter((view) => view.path.startsWith(input.pathPrefix) && keep(view))
        .sort(byPolicyName);
      const page = paginate(filtered, input.query);
      return { Policies: page.items.map((view) => policyXml(view, usage, false)), ...pageFields(page) };
    },
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html
  GetPolicyVersion: operation({
    input: (query) => ({ arn: policyArnParam(query), versionId: query.required('VersionId', VERSION_ID) }),
    authorize: (input, ctx) => onPolicy(ctx, 'GetPolicyVersion', input.arn),
    handle: (input, ctx) => {
      const view = existingPolicy(ctx, input.arn);
      if (view.record) {
        const version = view.record.versions.find((candidate) => candidate.versionId === input.versionId);
        if (!version) throw versionNotFound(input.arn, input.versionId);
        return { PolicyVersion: versionXml(version.versionId, version.createDate, version.versionId === view.defaultVersionId, version.document) };
      }
      const known = view.aws?.versions.find((candidate) => candidate.versionId === input.versionId);
      if (!known) throw versionNotFound(input.arn, input.versionId);
      if (known.versionId !== view.defaultVersionId) {
        throw noSuchEntity(`Policy ${input.arn} version ${input.versionId} exists on AWS, but iamd's catalog of AWS managed policies holds only the document of the default version (${view.defaultVersionId}).`);
      }
      const document = ctx.app.library.awsManaged.document(input.arn);
      if (document === undefined) throw versionNotFound(input.arn, input.versionId);
      return { PolicyVersion: versionXml(known.versionId, known.createDate, true, document) };
    },
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicyVersions.html
  ListPolicyVersions: operation({
    input: (query) => ({ query, arn: policyArnParam(query) }),
    authorize: (input, ctx) => onPolicy(ctx, 'ListPolicyVersions', input.arn),
    handle: (input, ctx) => {
      const view = existingPolicy(ctx, input.arn);
      // Newest first, as IAM lists them.
      const versions = view.record
        ? [...view.record.versions].sort((a, b) => versionNumber(b.versionId) - versionNumber(a.versionId))
        : [...(view.aws?.versions ?? [])];
      const page = paginate(versions, input.query);
      return {
        Versions: page.items.map((version) => versionXml(version.versionId, version.createDate, version.versionId === view.defaultVersionId)),
        ...pageFields(page),
      };
    },
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicyVersion.html
  CreatePolicyVersion: operation({
    input: (query) => ({
      arn: policyArnParam(query),
      document: query.required('PolicyDocument', POLICY_DOCUMENT),
      setAsDefault: query.boolean('SetAsDefault') ?? false,
    }),
    authorize: (input, ctx) => onPolicy(ctx, 'CreatePolicyVersion', input.arn),
    handle: (input, ctx) => {
      const record = writablePolicy(ctx, 'iam:CreatePolicyVersion', input.arn);
      if (record.versions.length >= MAX_POLICY_VERSIONS) {
        throw limitExceeded(`A managed policy can have up to ${MAX_POLICY_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
      }
      checkManagedDocument(ctx, input.document);
      const created = now(ctx);
      const version: PolicyVersionRecord = { versionId: `v${record.nextVersionNumber}`, document: input.document, createDate: created };
      const updated: ManagedPolicyRecord = {
        ...record,
        versions: [...record.versions, version],
        nextVersionNumber: record.nextVersionNumber + 1,
        defaultVersionId: input.setAsDefault ? version.versionId : record.defaultVersionId,
        updateDate: created,
      };
      ctx.app.directory.apply([{ kind: 'policy', put: updated }]);
      return { PolicyVersion: versionXml(version.versionId, version.createDate, input.setAsDefault) };
    },
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_SetDefaultPolicyVersion.html
  SetDefaultPolicyVersion: operation({
    input: (query) => ({ arn: policyArnParam(query), versionId: query.required('VersionId', VERSION_ID) }),
    authorize: (input, ctx) => onPolicy(ctx, 'SetDefaultPolicyVersion', input.arn),
    handle: (input, ctx) => {
      const record = writablePolicy(ctx, 'iam:SetDefaultPolicyVersion', input.arn);
      if (!record.versions.some((version) => version.versionId === input.versionId)) throw versionNotFound(input.arn, input.versionId);
      if (record.defaultVersionId !== input.versionId) {
        ctx.app.directory.apply([{ kind: 'policy', put: { ...record, defaultVersionId: input.versionId } }]);
      }
      return undefined;
    },
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicyVersion.html
  DeletePolicyVersion: operation({
    input: (query) => ({ arn: policyArnParam(query), versionId: query.required('VersionId', VERSION_ID) }),
    authorize: (input, ctx) => onPolicy(ctx, 'DeletePolicyVersion', input.arn),
    handle: (input, ctx) => {
      const record = writablePolicy(ctx, 'iam:DeletePolicyVersion', input.arn);
      if (!record.versions.some((version) => version.versionId === input.versionId)) throw versionNotFound(input.arn, input.versionId);
      if (record.defaultVersionId === input.versionId) throw deleteConflict('Cannot delete the default version of a policy.');
      const versions = record.versions.filter((version) => version.versionId !== input.versionId);
      ctx.app.directory.apply([{ kind: 'policy', put: { ...record, versions, updateDate: newestVersionDate(versions, record.createDate) } }]);
      return undefined;
    },
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeletePolicy.html
  DeletePolicy: operation({
    input: (query) => ({ arn: policyArnParam(query) }),
    authorize: (input, ctx) => onPolicy(ctx, 'DeletePolicy', input.arn),
    handle: (input, ctx) => {
      const record = writablePolicy(ctx, 'iam:DeletePolicy', input.arn);
      const usage = policyUsage(ctx);
      if ((usage.attachments.get(record.arn) ?? 0) > 0 || (usage.boundaries.get(record.arn) ?? 0) > 0) {
        throw deleteConflict('Cannot delete a policy attached to entities.');
      }
      if (record.versions.length > 1) {
        throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
      }
      ctx.app.directory.apply([{ kind: 'policy', delete: record.arn }]);
      return undefined;
    },
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_TagPolicy.html
  TagPolicy: operation({
    input: (query) => ({ arn: policyArnParam(query), tags: requiredTags(query) }),
    authorize: (input, ctx) => onPolicy(ctx, 'TagPolicy', input.arn, requestTagKeys(input.tags)),
    handle: (input, ctx) => {
      const record = writablePolicy(ctx, 'iam:TagPolicy', input.arn);
      ctx.app.directory.apply([{ kind: 'policy', put: { ...record, tags: mergeTags(record.tags, input.tags) } }]);
      return undefined;
    },
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_UntagPolicy.html
  UntagPolicy: operation({
    input: (query) => {
      const keys = tagKeysOf(query, 'member');
      return { arn: policyArnParam(query), keys };
    },
    authorize: (input, ctx) => onPolicy(ctx, 'UntagPolicy', input.arn, { 'aws:TagKeys': input.keys }),
    handle: (input, ctx) => {
      const record = writablePolicy(ctx, 'iam:UntagPolicy', input.arn);
      ctx.app.directory.apply([{ kind: 'policy', put: { ...record, tags: removeTags(record.tags, input.keys) } }]);
      return undefined;
    },
  }),

  // https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListPolicyTags.html
  ListPolicyTags: operation({
    input: (query) => ({ query, arn: policyArnParam(query) }),
    authorize: (input, ctx) => onPolicy(ctx, 'ListPolicyTags', input.arn),
    handle: (input, ctx) => tagsPage(existingPolicy(ctx, input.arn).tags, input.query),
  }),
};

function byPolicyName(a: ManagedPolicyView, b: ManagedPolicyView): number {
  return compareNames(a.name, b.name) || (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0);
}

function versionNumber(versionId: string): number {
  return Number.parseInt(versionId.slice(1), 10) || 0;
}
