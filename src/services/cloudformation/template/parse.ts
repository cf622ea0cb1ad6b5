/** parseTemplate: a JSON or YAML template body into the `Template` model. */
import { parseTemplateBody } from './parse-body.js';
import { readTemplate } from './read-template.js';
import type { Template } from './types.js';

export function parseTemplate(body: string): Template {
  const { format, data } = parseTemplateBody(body);
  return readTemplate(data, format);
}
