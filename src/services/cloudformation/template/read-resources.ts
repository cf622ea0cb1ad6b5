/**
 * The Resources section into `ResourceDeclaration`s, rejecting what CloudFormation rejects before
 * it looks at references: non-alphanumeric names, missing or non-string Type, unknown resource
 * attributes, malformed DependsOn / Condition / DeletionPolicy / CreationPolicy.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-product-attribute-reference.html
 */
import { fail, messages } from './errors.js';
import type { ResourceDeclaration } from './types.js';
import { isPlainObject, scalarText, type PlainObject } from './values.js';

const RESOURCE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy',
  'CreationPolicy', 'UpdatePolicy', 'Metadata', 'Version', 'Description',
]);
const DELETION_POLICIES = ['Delete', 'Retain', 'Snapshot'] as const;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

export function readResources(section: unknown): Record<string, ResourceDeclaration> {
  if (section === undefined || section === null) return {};
  if (!isPlainObject(section)) return fail(messages.sectionNotObject('Resources'));
  const resources: Record<string, ResourceDeclaration> = {};
  for (const [logicalId, declaration] of Object.entries(section)) {
    resources[logicalId] = readResource(logicalId, declaration);
  }
  return resources;
}

function readResource(logicalId: string, declaration: unknown): ResourceDeclaration {
  if (!LOGICAL_ID.test(logicalId)) fail(messages.resourceNameNotAlphanumeric(logicalId));
  if (!isPlainObject(declaration)) return fail(messages.resourceNotObject(logicalId));
  for (const key of Object.keys(declaration)) {
    if (!RESOURCE_ATTRIBUTES.has(key)) fail(messages.invalidResourceProperty(key));
  }
  if (!('Type' in declaration)) fail(messages.resourceWithoutType());
  if (typeof declaration.Type !== 'string') fail(messages.typeNotString(logicalId));
  const properties = declaration.Properties ?? {};
  if (!isPlainObject(properties)) fail(messages.propertiesNotObject(logicalId));

  const resource: ResourceDeclaration = {
    logicalId,
    type: declaration.Type,
    properties,
    dependsOn: readDependsOn(declaration.DependsOn),
    deletionPolicy: readDeletionPolicy(logicalId, declaration.DeletionPolicy),
  };
  if (declaration.Condition !== undefined) {
    if (typeof declaration.Condition !== 'string') fail(messages.conditionNotString());
    resource.condition = declaration.Condition;
  }
  if (declaration.UpdateReplacePolicy !== undefined) {
    resource.updateReplacePolicy = readPolicyName(logicalId, declaration.UpdateReplacePolicy);
  }
  if (declaration.CreationPolicy !== undefined) resource.creationPolicy = readCreationPolicy(declaration.CreationPolicy);
  if (declaration.Metadata !== undefined) resource.metadata = declaration.Metadata;
  return resource;
}

function readDependsOn(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) return [...value];
  return fail(messages.dependsOnShape());
}

function readPolicyName(logicalId: string, value: unknown): (typeof DELETION_POLICIES)[number] {
  const policy = DELETION_POLICIES.find((name) => name === value);
  return policy ?? fail(messages.deletionPolicy(logicalId, String(value)));
}

function readDeletionPolicy(logicalId: string, value: unknown): ResourceDeclaration['deletionPolicy'] {
  return value === undefined ? 'Delete' : readPolicyName(logicalId, value);
}

/** CreationPolicy.ResourceSignal: Count defaults to 1, Timeout (ISO 8601, e.g. PT15M) to PT5M. */
function readCreationPolicy(value: unknown): ResourceDeclaration['creationPolicy'] {
  if (!isPlainObject(value)) return fail(messages.memberMustBeString('CreationPolicy'));
  const signal = value.ResourceSignal;
  if (signal === undefined) return {};
  if (!isPlainObject(signal)) return fail(messages.memberMustBeString('ResourceSignal'));
  return { resourceSignal: { count: readCount(signal), timeoutSeconds: readTimeout(signal) } };
}

function readCount(signal: PlainObject): number {
  if (signal.Count === undefined) return 1;
  const count = Number(scalarText(signal.Count));
  return Number.isInteger(count) && count >= 0 ? count : fail(messages.memberMustBeNumber('Count'));
}

function readTimeout(signal: PlainObject): number {
  const text = signal.Timeout === undefined ? 'PT5M' : scalarText(signal.Timeout);
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text ?? '');
  if (!match || text === 'PT') return fail(messages.memberMustBeString('Timeout'));
  const [hours, minutes, seconds] = [match[1], match[2], match[3]].map((part) => Number(part ?? 0));
  return hours! * 3600 + minutes! * 60 + seconds!;
}
