/**
 * Fn::ImportValue checked before any resource is touched, as CloudFormation does: a stack that
 * imports an export no stack has fails at once ("No export named X found. Rollback requested by
 * user."). Import names that depend on resources are left to evaluation time.
 */
import { findReferences, resolveValue } from '../template/index.js';
import { evaluationContext, findExport } from './evaluation.js';
import type { StackRun } from './stack-run.js';

/** The first export name the template imports that no other stack exports. */
export function missingImport(run: StackRun): string | undefined {
  const { template, conditions } = run.template;
  const values: unknown[] = [];
  for (const resource of Object.values(template.resources)) {
    if (resource.condition === undefined || conditions.get(resource.condition)) values.push(resource.properties);
  }
  for (const output of Object.values(template.outputs)) {
    if (output.condition === undefined || conditions.get(output.condition)) values.push(output.value);
  }
  const context = evaluationContext(run.app, () => run.op.stack, run.template);
  for (const argument of findReferences(values).imports) {
    let name: unknown;
    try {
      name = resolveValue(argument, context);
    } catch {
      continue;
    }
    if (typeof name !== 'string') continue;
    const found = findExport(run.app, name);
    if (!found || found.stack.stackId === run.op.stack.stackId) return name;
  }
  return undefined;
}
