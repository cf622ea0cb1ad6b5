/**
 * A resource type's properties: which exist, of what type, which are required, and which need a
 * new physical resource when they change (AWS's "Update requires: Replacement"). Resolved template
 * properties are checked against the schema before a provider sees them, with the messages AWS's
 * resource handlers give ("Properties validation failed for resource X with message: #: required
 * key [CidrBlock] not found"). Template values arrive loosely typed (a parameter is always a
 * string), so numbers and booleans are also accepted as strings, as CloudFormation accepts them.
 */
import type { Tag } from '../../../directory/types.js';

export type Properties = Readonly<Record<string, unknown>>;

export type PropertyType = 'string' | 'number' | 'boolean' | 'list' | 'object' | 'json';

export interface PropertySpec {
  type: PropertyType;
  required?: boolean;
  /** a change needs a new physical resource */
  replaces?: boolean;
  /** accepted, but iamd does nothing with it (why, for the documentation) */
  ignored?: string;
}

export type PropertySchema = Readonly<Record<string, PropertySpec>>;

/** A resource the stack cannot provision as asked; the message becomes its CREATE_FAILED reason. */
export class ResourceFailure extends Error {
  constructor(message: string, readonly handlerErrorCode = 'InvalidRequest') {
    super(message);
    this.name = 'ResourceFailure';
  }
}

const JSON_TYPE: Record<string, string> = { string: 'String', number: 'Number', boolean: 'Boolean', list: 'JSONArray', object: 'JSONObject', json: 'JSONObject' };

function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'JSONArray';
  if (value === null) return 'Null';
  if (typeof value === 'object') return 'JSONObject';
  if (typeof value === 'number') return 'Integer';
  if (typeof value === 'boolean') return 'Boolean';
  return 'String';
}

function fits(type: PropertyType, value: unknown): boolean {
  switch (type) {
    case 'string': return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    case 'number': return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
    case 'boolean': return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'list': return Array.isArray(value);
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'json': return typeof value === 'string' || (typeof value === 'object' && value !== null);
  }
}

/** Throws ResourceFailure for a missing required property, an unknown one, or one of the wrong type. */
export function validateProperties(logicalId: string, schema: PropertySchema, properties: Properties): void {
  const fail = (detail: string): never => {
    throw new ResourceFailure(`Properties validation failed for resource ${logicalId} with message:\n${detail}`);
  };
  for (const [name, spec] of Object.entries(schema)) {
    if (spec.required && properties[name] === undefined) fail(`#: required key [${name}] not found`);
  }
  for (const [name, value] of Object.entries(properties)) {
    const spec = schema[name];
    if (!spec) fail(`#: extraneous key [${name}] is not permitted`);
    else if (value !== undefined && !fits(spec.type, value)) fail(`#/${name}: expected type: ${JSON_TYPE[spec.type]}, found: ${jsonTypeOf(value)}`);
  }
}

/** The top-level properties whose resolved values differ. */
export function changedProperties(before: Properties, after: Properties): Set<string> {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return new Set([...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name])));
}

// --- typed reads (after validation)

export function text(properties: Properties, name: string): string | undefined {
  const value = properties[name];
  return value === undefined || value === null ? undefined : String(value);
}

export function requiredText(properties: Properties, name: string): string {
  const value = text(properties, name);
  if (value === undefined) throw new ResourceFailure(`#: required key [${name}] not found`);
  return value;
}

export function numberOf(properties: Properties, name: string): number | undefined {
  const value = properties[name];
  return value === undefined || value === null ? undefined : Number(value);
}

export function flag(properties: Properties, name: string): boolean | undefined {
  const value = properties[name];
  return value === undefined || value === null ? undefined : value === true || value === 'true';
}

export function strings(properties: Properties, name: string): string[] {
  const value = properties[name];
  return Array.isArray(value) ? value.map((item) => String(item)) : [];
}

export function objects(properties: Properties, name: string): Array<Record<string, unknown>> {
  const value = properties[name];
  return Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null) : [];
}

export function objectOf(properties: Properties, name: string): Record<string, unknown> | undefined {
  const value = properties[name];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

/** A policy document given as an object or as a JSON string, as the API wants it: a JSON string. */
export function jsonDocument(properties: Properties, name: string): string | undefined {
  const value = properties[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `Tags: [{Key, Value}]` */
export function tagsOf(properties: Properties, name = 'Tags'): Tag[] {
  return objects(properties, name).map((tag) => ({ Key: String(tag.Key ?? ''), Value: String(tag.Value ?? '') }));
}
