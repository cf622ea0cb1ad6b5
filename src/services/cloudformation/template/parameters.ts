/**
 * resolveParameters: the value of every declared parameter for one stack operation, from the
 * given values, the previous stack's values (UsePreviousValue) or the declared defaults; checked
 * against the declaration; SSM-backed types looked up in the parameter store.
 */
import { fail, messages } from './errors.js';
import { parameterKind, splitList } from './parameter-types.js';
import { checkParameterValue } from './parameter-values.js';
import type { ParameterValueInput, ResolvedParameter, ResolvedParameters, Template } from './types.js';

export interface ParameterLookups {
  ssmParameter(name: string): string | undefined;
  previous?: ReadonlyMap<string, string>;
}

export function resolveParameters(template: Template, given: readonly ParameterValueInput[], lookups: ParameterLookups): ResolvedParameters {
  const inputs = new Map(given.map((input) => [input.key, input]));
  const unknownKeys = [...inputs.keys()].filter((key) => !Object.hasOwn(template.parameters, key));
  if (unknownKeys.length > 0) fail(messages.parametersNotInTemplate(unknownKeys));

  const rawValues = new Map<string, string>();
  const missing: string[] = [];
  for (const [key, declaration] of Object.entries(template.parameters)) {
    const value = chosenValue(key, inputs.get(key), lookups.previous) ?? declaration.default;
    if (value === undefined) missing.push(key);
    else rawValues.set(key, value);
  }
  if (missing.length > 0) fail(messages.parametersWithoutValues(missing));

  const resolved = new Map<string, ResolvedParameter>();
  const ssmMissing: string[] = [];
  for (const [key, value] of rawValues) {
    const declaration = template.parameters[key]!;
    checkParameterValue(key, declaration, value);
    const kind = parameterKind(declaration.type)!;
    const parameter: ResolvedParameter = { value: kind.list && !kind.ssm ? splitList(value) : value, noEcho: declaration.noEcho, type: declaration.type };
    if (kind.ssm) {
      const stored = lookups.ssmParameter(value);
      if (stored === undefined) ssmMissing.push(value);
      else parameter.resolvedValue = stored;
    }
    resolved.set(key, parameter);
  }
  if (ssmMissing.length > 0) fail(messages.ssmParametersNotFound(ssmMissing));
  return resolved;
}

function chosenValue(key: string, input: ParameterValueInput | undefined, previous: ReadonlyMap<string, string> | undefined): string | undefined {
  if (!input?.usePreviousValue) return input?.value;
  if (input.value !== undefined && input.value !== '') return fail(messages.usePreviousWithValue(key));
  return previous?.get(key) ?? fail(messages.usePreviousWithoutPrevious(key));
}
