/** parseTemplate: a JSON or YAML template body into the `Template` model. */
import { parseBody } from './parse-body.js';
import { readTemplate } from './read-template.js';
import type { Template } from './types.js';

export function parseTemplate(body: string): Template {
  return readTemplate(parseBody(body));
}
