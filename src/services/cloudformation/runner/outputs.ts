/**
 * Outputs and exports at the end of a create or update: the template's Outputs evaluated against
 * the stack's resources, with the export rules AWS enforces across stacks (a name is exported by
 * one stack only; an export another stack imports cannot be removed or changed).
 */
import type { App } from '../../../server/app.js';
import { outputValues, TemplateError } from '../template/index.js';
import type { StackOutput, StackRecord } from '../types.js';
import { evaluationContext, findExport } from './evaluation.js';
import type { StackRun } from './stack-run.js';

/** The live stacks (other than `stackId`) that import `exportName`. */
export function importersOf(app: App, exportName: string, stackId?: string): StackRecord[] {
  return app.cloudformation.stacks.list().filter((stack) => stack.stackId !== stackId && stack.status !== 'DELETE_COMPLETE' && stack.imports.includes(exportName));
}

export function namesOf(stacks: readonly StackRecord[]): string {
  return stacks.map((stack) => stack.stackName).join(' and ');
}

/** Evaluates the outputs; throws TemplateError with AWS's message when an export rule is broken. */
export function evaluateOutputs(run: StackRun, previous: readonly StackOutput[]): StackOutput[] {
  const { app, op } = run;
  const context = evaluationContext(app, () => op.stack, run.template, { onImport: (name) => run.imports.add(name) });
  const outputs: StackOutput[] = outputValues(run.template.template, context).map((output) => ({
    key: output.key,
    value: output.value,
    ...(output.description !== undefined ? { description: output.description } : {}),
    ...(output.exportName !== undefined ? { exportName: output.exportName } : {}),
  }));
  const stackId = op.stack.stackId;
  for (const output of outputs) {
    if (output.exportName === undefined) continue;
    // Export names are unique, so the stack findExport finds is the only one exporting it.
    const other = findExport(app, output.exportName)?.stack;
    if (other && other.stackId !== stackId) throw new TemplateError(`Export with name ${output.exportName} is already exported by stack ${other.stackName}`);
  }
  for (const old of previous) {
    if (old.exportName === undefined) continue;
    const importers = importersOf(app, old.exportName, stackId);
    if (importers.length === 0) continue;
    const now = outputs.find((output) => output.exportName === old.exportName);
    if (!now) throw new TemplateError(`Export ${old.exportName} cannot be deleted as it is in use by ${namesOf(importers)}`);
    if (now.value !== old.value) throw new TemplateError(`Export ${old.exportName} cannot be updated as it is in use by ${namesOf(importers)}`);
  }
  return outputs;
}

/** "MESSAGE. Rollback requested by user." */
export function withRollback(message: string): string {
  const sentence = message.trimEnd();
  return `${sentence.endsWith('.') ? sentence : `${sentence}.`} Rollback requested by user.`;
}
