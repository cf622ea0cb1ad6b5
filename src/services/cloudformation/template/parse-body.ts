/**
 * A template body (JSON or YAML text) into plain data. A body whose first non-blank character is
 * `{` is read as JSON, anything else as YAML, like CloudFormation; syntax errors carry AWS's
 * "not well-formed" message with the line and column.
 */
import { parseDocument } from 'yaml';
import { fail, messages } from './errors.js';
import { cloudFormationTags } from './yaml-tags.js';

export interface ParsedBody {
  format: 'JSON' | 'YAML';
  data: unknown;
}

export function parseTemplateBody(body: string): ParsedBody {
  return body.trimStart().startsWith('{') ? { format: 'JSON', data: parseJson(body) } : { format: 'YAML', data: parseYaml(body) };
}

export function parseBody(body: string): unknown {
  return parseTemplateBody(body).data;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch (error) {
    const { line, column } = jsonErrorPosition(body, error instanceof Error ? error.message : '');
    return fail(messages.jsonNotWellFormed(line, column));
  }
}

/** V8 reports either "(line L column C)" or "at position N"; both become a line and a column. */
function jsonErrorPosition(body: string, message: string): { line: number; column: number } {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : body.length;
  const before = body.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function parseYaml(body: string): unknown {
  const document = parseDocument(body, { customTags: cloudFormationTags, merge: false });
  // An unknown tag (`!Foo`) is only a warning to the yaml package; CloudFormation rejects it.
  const problem = document.errors[0] ?? document.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (problem) {
    const position = problem.linePos?.[0];
    fail(messages.yamlNotWellFormed(position?.line ?? 1, position?.col ?? 1));
  }
  return document.toJS({ maxAliasCount: 1000 }) as unknown;
}
