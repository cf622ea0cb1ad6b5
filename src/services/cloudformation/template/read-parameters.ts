/**
 * The Parameters section into `ParameterDeclaration`s. Scalars are kept as CloudFormation keeps
 * them, as text (a YAML `Default: 8080` is the string "8080", `Default: false` is "false").
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
 */
import { fail, messages } from './errors.js';
import { parameterKind } from './parameter-types.js';
import type { ParameterDeclaration } from './types.js';
import { isPlainObject, scalarText, type PlainObject } from './values.js';

const PARAMETER_PROPERTIES: ReadonlySet<string> = new Set([
  'Type', 'Default', 'Description', 'AllowedValues', 'AllowedPattern', 'MinLength', 'MaxLength',
  'MinValue', 'MaxValue', 'NoEcho', 'ConstraintDescription',
]);
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

export function readParameters(section: unknown): Record<string, ParameterDeclaration> {
  if (section === undefined || section === null) return {};
  if (!isPlainObject(section)) return fail(messages.sectionNotObject('Parameters'));
  const parameters: Record<string, ParameterDeclaration> = {};
  for (const [name, declaration] of Object.entries(section)) {
    if (!LOGICAL_ID.test(name)) fail(messages.parameterNameNotAlphanumeric(name));
    parameters[name] = readParameter(declaration);
  }
  return parameters;
}

function readParameter(declaration: unknown): ParameterDeclaration {
  if (!isPlainObject(declaration)) return fail(messages.parameterWithoutType());
  for (const key of Object.keys(declaration)) {
    if (!PARAMETER_PROPERTIES.has(key)) fail(messages.invalidParameterProperty(key));
  }
  if (declaration.Type === undefined) fail(messages.parameterWithoutType());
  const type = text(declaration, 'Type');
  if (type === undefined || !parameterKind(type)) return fail(messages.unrecognizedParameterType(String(type)));

  const parameter: ParameterDeclaration = { type, noEcho: text(declaration, 'NoEcho')?.toLowerCase() === 'true' };
  const optionalText = ['Default', 'Description', 'AllowedPattern', 'ConstraintDescription'] as const;
  const fields = { Default: 'default', Description: 'description', AllowedPattern: 'allowedPattern', ConstraintDescription: 'constraintDescription' } as const;
  for (const key of optionalText) {
    const value = text(declaration, key);
    if (value !== undefined) parameter[fields[key]] = value;
  }
  const numbers = { MinLength: 'minLength', MaxLength: 'maxLength', MinValue: 'minValue', MaxValue: 'maxValue' } as const;
  for (const [key, field] of Object.entries(numbers)) {
    const value = number(declaration, key);
    if (value !== undefined) parameter[field] = value;
  }
  if (declaration.AllowedValues !== undefined) parameter.allowedValues = allowedValues(declaration.AllowedValues);
  return parameter;
}

function text(declaration: PlainObject, key: string): string | undefined {
  const value = declaration[key];
  if (value === undefined) return undefined;
  return scalarText(value) ?? fail(messages.memberMustBeString(key));
}

function number(declaration: PlainObject, key: string): number | undefined {
  const value = text(declaration, key);
  if (value === undefined) return undefined;
  const parsed = Number(value);
  return value.trim() !== '' && Number.isFinite(parsed) ? parsed : fail(messages.memberMustBeNumber(key));
}

function allowedValues(value: unknown): string[] {
  if (!Array.isArray(value)) return fail(messages.memberMustBeList('AllowedValues'));
  return value.map((item) => scalarText(item) ?? fail(messages.memberMustBeString('AllowedValues')));
}
