/**
 * AWS::EC2::LaunchTemplate (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-launchtemplate.html).
 * iamd's EC2 API has no launch templates, so CloudFormation keeps them itself (versions of
 * LaunchTemplateData, in its state) for AWS::EC2::Instance's LaunchTemplate property to read.
 * They are not visible through DescribeLaunchTemplates. Creating one is authorized as
 * ec2:CreateLaunchTemplate for the stack's caller. Ref is the lt- id; Fn::GetAtt LaunchTemplateId,
 * DefaultVersionNumber and LatestVersionNumber. A new LaunchTemplateData is a new version, made
 * the default.
 */
import type { App } from '../../../server/app.js';
import { objectOf, ResourceFailure, text, type Properties } from './properties.js';
import { provider, type Provisioned } from './provider.js';

export interface LaunchTemplateRecord {
  launchTemplateId: string;
  launchTemplateName: string;
  versions: Array<{ versionNumber: number; data: Record<string, unknown>; description?: string }>;
  defaultVersion: number;
}

function describe(template: LaunchTemplateRecord): Provisioned {
  const latest = Math.max(...template.versions.map((version) => version.versionNumber));
  return {
    physicalId: template.launchTemplateId,
    attributes: { LaunchTemplateId: template.launchTemplateId, DefaultVersionNumber: String(template.defaultVersion), LatestVersionNumber: String(latest) },
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
  const latest = Math.max(...template.versions.map((version) => version.versionNumber));
  const number = wanted === '$Latest' ? latest : wanted === '$Default' ? template.defaultVersion : Number(wanted);
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
    ctx.require({ action: 'ec2:CreateLaunchTemplate', resource: `arn:aws:ec2:${ctx.app.region}:${ctx.app.accountId}:launch-template/${launchTemplateId}` });
    const templates = ctx.app.cloudformation.launchTemplates;
    if (templates.list().some((template) => template.launchTemplateName === launchTemplateName)) {
      throw new ResourceFailure(`Launch template name already in use.`, 'AlreadyExists');
    }
    const record: LaunchTemplateRecord = {
      launchTemplateId, launchTemplateName, defaultVersion: 1,
      versions: [{ versionNumber: 1, data: objectOf(properties, 'LaunchTemplateData') ?? {}, ...optionalDescription(properties) }],
    };
    templates.put(record);
    return describe(record);
  },
  async update(ctx, current, properties) {
    const templates = ctx.app.cloudformation.launchTemplates;
    const record = templates.get(current.physicalId);
    if (!record) throw new ResourceFailure(`The specified launch template, with template ID ${current.physicalId}, does not exist.`, 'NotFound');
    ctx.require({ action: 'ec2:CreateLaunchTemplateVersion', resource: `arn:aws:ec2:${ctx.app.region}:${ctx.app.accountId}:launch-template/${record.launchTemplateId}` });
    const versionNumber = Math.max(...record.versions.map((version) => version.versionNumber)) + 1;
    const updated: LaunchTemplateRecord = {
      ...record,
      defaultVersion: versionNumber,
      versions: [...record.versions, { versionNumber, data: objectOf(properties, 'LaunchTemplateData') ?? {}, ...optionalDescription(properties) }],
    };
    templates.put(updated);
    return describe(updated);
  },
  async delete(ctx, current) {
    const record = ctx.app.cloudformation.launchTemplates.get(current.physicalId);
    if (!record) return;
    ctx.require({ action: 'ec2:DeleteLaunchTemplate', resource: `arn:aws:ec2:${ctx.app.region}:${ctx.app.accountId}:launch-template/${record.launchTemplateId}` });
    ctx.app.cloudformation.launchTemplates.delete(record.launchTemplateId);
  },
});

function optionalDescription(properties: Properties): { description?: string } {
  const description = text(properties, 'VersionDescription');
  return description === undefined ? {} : { description };
}
