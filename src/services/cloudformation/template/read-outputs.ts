/**
 * The Outputs section into `OutputDeclaration`s: every output needs a Value; Export must be an
 * object with a Name; only Value, Description, Export and Condition are allowed.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html
 */
import { fail, messages } from './errors.js';
import type { OutputDeclaration } from './types.js';
import { isPlainObject, scalarText } from './values.js';

const OUTPUT_PROPERTIES: ReadonlySet<string> = new Set(['Value', 'Description', 'Export', 'Condition']);

export function readOutputs(section: unknown): Record<string, OutputDeclaration> {
  if (section === undefined || section === null) return {};
  if (!isPlainObject(section)) return fail(messages.sectionNotObject('Outputs'));
  const outputs: Record<string, OutputDeclaration> = {};
  for (const [name, declaration] of Object.entries(section)) outputs[name] = readOutput(name, declaration);
  return outputs;
}

function readOutput(name: string, declaration: unknown): OutputDeclaration {
  if (!isPlainObject(declaration) || declaration.Value === undefined || declaration.Value === null) {
    return fail(messages.outputWithoutValue());
  }
  for (const key of Object.keys(declaration)) {
    if (!OUTPUT_PROPERTIES.has(key)) fail(messages.invalidOutputProperty(key));
  }
  const output: OutputDeclaration = { value: declaration.Value };
  if (declaration.Description !== undefined) {
    output.description = scalarText(declaration.Description) ?? fail(messages.memberMustBeString('Description'));
  }
  if (declaration.Condition !== undefined) {
    if (typeof declaration.Condition !== 'string') fail(messages.conditionNotString());
    output.condition = declaration.Condition;
  }
  if (declaration.Export !== undefined) {
    const exported = declaration.Export;
    if (!isPlainObject(exported) || exported.Name === undefined || Object.keys(exported).length !== 1) {
      fail(messages.outputMalformed(name));
    }
    output.exportName = exported.Name;
  }
  return output;
}
