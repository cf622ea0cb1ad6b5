/**
 * Parsed template data into the `Template` model: top-level sections checked against the ones
 * CloudFormation knows, each section read into its typed form. References between sections are
 * checked later, by validateTemplate.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
 */
import { fail, messages } from './errors.js';
import { readOutputs } from './read-outputs.js';
import { readParameters } from './read-parameters.js';
import { readResources } from './read-resources.js';
import type { Template } from './types.js';
import { isPlainObject } from './values.js';

const TOP_LEVEL_SECTIONS: ReadonlySet<string> = new Set([
  'AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings',
  'Conditions', 'Transform', 'Resources', 'Outputs',
]);
const FORMAT_VERSION = '2010-09-09';

export function readTemplate(data: unknown, format: 'JSON' | 'YAML'): Template {
  if (!isPlainObject(data)) return fail(messages.notAnObject(format));
  const unknownSections = Object.keys(data).filter((key) => !TOP_LEVEL_SECTIONS.has(key));
  if (unknownSections.length > 0) fail(messages.invalidTopLevel(unknownSections));

  const template: Template = {
    parameters: readParameters(data.Parameters),
    mappings: readMappings(data.Mappings),
    conditions: readConditions(data.Conditions),
    resources: readResources(data.Resources),
    outputs: readOutputs(data.Outputs),
  };
  if (data.AWSTemplateFormatVersion !== undefined) {
    if (data.AWSTemplateFormatVersion !== FORMAT_VERSION) fail(messages.unsupportedVersion());
    template.formatVersion = FORMAT_VERSION;
  }
  if (data.Description !== undefined) {
    if (typeof data.Description !== 'string') fail(messages.memberMustBeString('Description'));
    template.description = data.Description;
  }
  if (data.Metadata !== undefined) template.metadata = data.Metadata;
  if (data.Transform !== undefined) template.transform = data.Transform;
  return template;
}

function readConditions(section: unknown): Record<string, unknown> {
  if (section === undefined || section === null) return {};
  return isPlainObject(section) ? { ...section } : fail(messages.sectionNotObject('Conditions'));
}

/** Mappings: map name → top-level key → second-level key → a string or a list. */
function readMappings(section: unknown): Template['mappings'] {
  if (section === undefined || section === null) return {};
  if (!isPlainObject(section)) return fail(messages.sectionNotObject('Mappings'));
  const mappings: Template['mappings'] = {};
  for (const [name, mapping] of Object.entries(section)) {
    if (!isPlainObject(mapping)) return fail(messages.mappingMustBeMap(name));
    const keys: Record<string, Record<string, unknown>> = {};
    for (const [key, attributes] of Object.entries(mapping)) {
      if (!isPlainObject(attributes)) return fail(messages.mappingMustBeMap(`${name}/${key}`));
      for (const value of Object.values(attributes)) {
        const isList = Array.isArray(value);
        if (!isList && (typeof value === 'object' || value === null)) fail(messages.mappingValueShape());
      }
      keys[key] = { ...attributes };
    }
    mappings[name] = keys;
  }
  return mappings;
}
