/**
 * One parameter value checked against its declaration: the type (numbers for Number and
 * List<Number>) and the constraints AllowedValues, AllowedPattern, MinLength/MaxLength and
 * MinValue/MaxValue. A ConstraintDescription replaces the built-in reason in the message.
 */
import { fail, messages } from './errors.js';
import { parameterKind, splitList } from './parameter-types.js';
import type { ParameterDeclaration } from './types.js';

export function checkParameterValue(key: string, declaration: ParameterDeclaration, value: string): void {
  const violation = findViolation(key, declaration, value);
  if (violation === undefined) return;
  fail(declaration.constraintDescription === undefined ? violation : messages.parameterConstraint(key, declaration.constraintDescription));
}

function findViolation(key: string, declaration: ParameterDeclaration, value: string): string | undefined {
  const kind = parameterKind(declaration.type);
  const items = kind?.list ? splitList(value) : [value];
  if (declaration.allowedValues && !declaration.allowedValues.includes(value)) return messages.parameterNotAllowed(key);
  if (declaration.allowedPattern !== undefined) {
    const pattern = wholeMatch(key, declaration.allowedPattern);
    if (!items.every((item) => pattern.test(item))) return messages.parameterPattern(key, declaration.allowedPattern);
  }
  if (declaration.minLength !== undefined && value.length < declaration.minLength) return messages.parameterMinLength(key, declaration.minLength);
  if (declaration.maxLength !== undefined && value.length > declaration.maxLength) return messages.parameterMaxLength(key, declaration.maxLength);
  if (kind?.numeric) return numberViolation(key, declaration, items);
  return undefined;
}

function numberViolation(key: string, declaration: ParameterDeclaration, items: string[]): string | undefined {
  for (const item of items) {
    const number = Number(item);
    if (item.trim() === '' || !Number.isFinite(number)) return messages.parameterNotNumber(key);
    if (declaration.minValue !== undefined && number < declaration.minValue) return messages.parameterMinValue(key, declaration.minValue);
    if (declaration.maxValue !== undefined && number > declaration.maxValue) return messages.parameterMaxValue(key, declaration.maxValue);
  }
  return undefined;
}

/** AllowedPattern must match the whole value. */
function wholeMatch(key: string, pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return fail(messages.parameterPatternInvalid(key));
  }
}
