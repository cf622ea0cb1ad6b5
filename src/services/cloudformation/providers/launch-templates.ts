/**
 * AWS::EC2::LaunchTemplate (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-launchtemplate.html).
 * iamd's EC2 API has no launch templates, so CloudFormation keeps them itself (versions of
 * LaunchTemplateData, in its state) for AWS::EC2::Instance's LaunchTemplate property to read.
 * They are not visible through DescribeLaunchTemplates. The CreateLaunchTemplate,
 * CreateLaunchTemplateVersion and DeleteLaunchTemplate calls are the invoker's `perform`:
 * authorized for the stack's caller through CloudFormation and recorded in the trail (UserData
 * hidden) like its other EC2 calls. Ref is the lt- id; Fn::GetAtt LaunchTemplateId,
 * DefaultVersionNumber and LatestVersionNumber. A new LaunchTemplateData is a new version, made
 * the default.
 */
import { AwsError } from '../../../protocol/aws-error.js';
import type { App } from '../../../server/app.js';
import { objectOf, ResourceFailure, text, type Properties } from './properties.js';
import { provider, type ProviderContext, type Provisioned } from './provider.js';

export interface LaunchTemplateRecord {
  launchTemplateId: string;
  launchTemplateName: string;
  versions: Array<{ versionNumber: number; data: Record<string, unknown>; description?: string }>;
  defaultVersion: number;
}

function latestVersion(template: LaunchTemplateRecord): number {
  return Math.max(...template.versions.map((version) => version.versionNumber));
}

function describe(template: LaunchTemplateRecord): Provisioned {
  return {
    physicalId: template.launchTemplateId,
    attributes: { LaunchTemplateId: template.launchTemplateId, DefaultVersionNumber: String(template.defaultVersion), LatestVersionNumber: String(latestVersion(template)) },
  };
}

function launchTemplateArn(ctx: ProviderContext, launchTemplateId: string): string {
  return `arn:aws:ec2:${ctx.app.region}:${ctx.app.accountId}:launch-template/${launchTemplateId}`;
}

/** A launch template as EC2's responses name it (without its data). */
function launchTemplateShape(template: LaunchTemplateRecord): Record<string, string | number> {
  return {
    LaunchTemplateId: template.launchTemplateId, LaunchTemplateName: template.launchTemplateName,
    DefaultVersionNumber: template.defaultVersion, LatestVersionNumber: latestVersion(template),
  };
}

/** The launch data an instance's `LaunchTemplate: {LaunchTemplateId | LaunchTemplateName, Version}` names. */
export function launchTemplateData(app: App, spec: Properties): Record<string, unknown> {
  const templates = app.cloudformation.launchTemplates;
  const id = text(spec, 'LaunchTemplateId');
  const name = text(spec, 'LaunchTemplateName');
  const template = id !== undefined ? templates.get(id) : templates.list().find((candidate) => candidate.launchTemplateName === name);
  if (!template) {
    throw new ResourceFailure(id !== undefined
      ? `The specified launch template, with template ID ${id}, does not exist.`
      : `The specified launch template, with template name ${name ?? ''}, does not exist.`);
  }
  const wanted = text(spec, 'Version') ?? '$Default';
  const number = wanted === '$Latest' ? latestVersion(template) : wanted === '$Default' ? template.defaultVersion : Number(wanted);
  const version = template.versions.find((candidate) => candidate.versionNumber === number);
  if (!version) throw new ResourceFailure(`The specified launch template version ${wanted} does not exist.`);
  return version.data;
}

export const ec2LaunchTemplate = provider({
  type: 'AWS::EC2::LaunchTemplate',
  nameProperty: 'LaunchTemplateName',
  schema: {
    LaunchTemplateData: { type: 'object', required: true },
    LaunchTemplateName: { type: 'string', replaces: true },
    TagSpecifications: { type: 'list', ignored: 'iamd keeps launch templates without tags' },
    VersionDescription: { type: 'string' },
  },
  attributes: ['LaunchTemplateId', 'DefaultVersionNumber', 'LatestVersionNumber'],
  async create(ctx, properties) {
    const launchTemplateId = `lt-${ctx.app.ids.requestId().replace(/-/g, '').slice(0, 17)}`;
    const launchTemplateName = text(properties, 'LaunchTemplateName') ?? ctx.physicalName(128);
    const templates = ctx.app.cloudformation.launchTemplates;
    const version = newVersion(1, properties);
    const record: LaunchTemplateRecord = { launchTemplateId, launchTemplateName, defaultVersion: 1, versions: [version] };
    const authorization = { action: 'ec2:CreateLaunchTemplate', resource: launchTemplateArn(ctx, launchTemplateId) };
    await ctx.perform('ec2', 'CreateLaunchTemplate', { authorization, requestParameters: { LaunchTemplateName: launchTemplateName, ...versionRequest(version) } }, () => {
      // EC2 checks the name after authorization: a refused caller learns nothing of other templates' names.
      if (templates.list().some((template) => template.launchTemplateName === launchTemplateName)) {
        throw new AwsError('InvalidLaunchTemplateName.AlreadyExistsException', 'Launch template name already in use.', 400);
      }
      templates.put(record);
      return { LaunchTemplate: launchTemplateShape(record) };
    });
    return describe(record);
  },
  async update(ctx, current, properties) {
    const templates = ctx.app.cloudformation.launchTemplates;
    const record = templates.get(current.physicalId);
    if (!record) throw new ResourceFailure(`The specified launch template, with template ID ${current.physicalId}, does not exist.`, 'NotFound');
    const version = newVersion(latestVersion(record) + 1, properties);
    const updated: LaunchTemplateRecord = { ...record, defaultVersion: version.versionNumber, versions: [...record.versions, version] };
    const authorization = { action: 'ec2:CreateLaunchTemplateVersion', resource: launchTemplateArn(ctx, record.launchTemplateId) };
    await ctx.perform('ec2', 'CreateLaunchTemplateVersion', { authorization, requestParameters: { LaunchTemplateId: record.launchTemplateId, ...versionRequest(version) } }, () => {
      templates.put(updated);
      return {
        LaunchTemplateVersion: {
          LaunchTemplateId: record.launchTemplateId, LaunchTemplateName: record.launchTemplateName, VersionNumber: version.versionNumber,
          ...(version.description !== undefined ? { VersionDescription: version.description } : {}),
        },
      };
    });
    return describe(updated);
  },
  async delete(ctx, current) {
    const templates = ctx.app.cloudformation.launchTemplates;
    const record = templates.get(current.physicalId);
    if (!record) return;
    const authorization = { action: 'ec2:DeleteLaunchTemplate', resource: launchTemplateArn(ctx, record.launchTemplateId) };
    await ctx.perform('ec2', 'DeleteLaunchTemplate', { authorization, requestParameters: { LaunchTemplateId: record.launchTemplateId } }, () => {
      templates.delete(record.launchTemplateId);
      return { LaunchTemplate: launchTemplateShape(record) };
    });
  },
});

type LaunchTemplateVersion = LaunchTemplateRecord['versions'][number];

function newVersion(versionNumber: number, properties: Properties): LaunchTemplateVersion {
  const description = text(properties, 'VersionDescription');
  return { versionNumber, data: objectOf(properties, 'LaunchTemplateData') ?? {}, ...(description === undefined ? {} : { description }) };
}

/** A version's members of CreateLaunchTemplate / CreateLaunchTemplateVersion (the trail hides the data's UserData). */
function versionRequest(version: LaunchTemplateVersion): Record<string, unknown> {
  return { ...(version.description !== undefined ? { VersionDescription: version.description } : {}), LaunchTemplateData: version.data };
}
