/**
 * evaluateConditions: every condition of the Conditions section as a boolean. Conditions may use
 * parameters, pseudo parameters, mappings and other conditions (in any order of declaration),
 * never resources; a condition that (indirectly) uses itself is an error.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/conditions-section-structure.html
 */
import { evaluateBoolean } from './condition-functions.js';
import { fail, messages } from './errors.js';
import { resolveValue } from './intrinsics.js';
import type { EvaluationContext, Template } from './types.js';

export function evaluateConditions(template: Template, context: Omit<EvaluationContext, 'conditions'>): Map<string, boolean> {
  const values = new Map<string, boolean>();
  const inProgress: string[] = [];
  const operandContext: EvaluationContext = {
    ...context,
    conditions: values,
    resourceRef: (logicalId) => fail(messages.unresolvedInConditions([logicalId])),
    resourceAttribute: (logicalId) => fail(messages.unresolvedInConditions([logicalId])),
  };

  const valueOf = (name: string): boolean => {
    const known = values.get(name);
    if (known !== undefined) return known;
    if (!Object.hasOwn(template.conditions, name)) return fail(messages.conditionNotDefined(name));
    const cycleStart = inProgress.indexOf(name);
    if (cycleStart >= 0) return fail(messages.circularConditions(inProgress.slice(cycleStart)));
    inProgress.push(name);
    const value = evaluateBoolean(template.conditions[name], {
      resolveOperand: (operand) => resolveValue(operand, operandContext),
      conditionValue: valueOf,
    });
    inProgress.pop();
    values.set(name, value);
    return value;
  };

  for (const name of Object.keys(template.conditions)) valueOf(name);
  return values;
}
