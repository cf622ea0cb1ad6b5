/**
 * outputValues: the stack's outputs once its resources exist. Outputs whose Condition is false
 * are left out; a kept output that names a resource left out by its condition is CloudFormation's
 * "Unresolved resource dependencies … in the Outputs block" error. Values and export names must
 * come out as text.
 */
import { isCreated } from './dependencies.js';
import { fail, messages } from './errors.js';
import { resolveValue } from './intrinsics.js';
import { findReferences } from './references.js';
import type { EvaluationContext, OutputValue, Template } from './types.js';
import { scalarText } from './values.js';

export function outputValues(template: Template, context: EvaluationContext): OutputValue[] {
  const kept = Object.entries(template.outputs)
    .filter(([, output]) => output.condition === undefined || context.conditions.get(output.condition) === true);
  const missing = new Set<string>();
  for (const [, output] of kept) {
    const found = findReferences(output.value, { branchTaken: (condition) => context.conditions.get(condition) });
    for (const { target } of found.references) {
      const resource = template.resources[target];
      if (resource && !isCreated(resource, context.conditions)) missing.add(target);
    }
  }
  if (missing.size > 0) fail(messages.unresolvedInOutputs(missing));

  return kept.map(([key, output]) => {
    const value: OutputValue = { key, value: scalarText(resolveValue(output.value, context)) ?? fail(messages.outputNotString()) };
    if (output.description !== undefined) value.description = output.description;
    if (output.exportName !== undefined) {
      value.exportName = scalarText(resolveValue(output.exportName, context)) ?? fail(messages.outputMalformed(key));
    }
    return value;
  });
}
