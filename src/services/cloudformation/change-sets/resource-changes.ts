/**
 * What a change set would do to a stack's resources, computed as the stack runner would apply the
 * template (runner/update-stack.ts): a resource the stack does not have is added; one it has is
 * modified when a resolved property differs from what it was provisioned with (in place, or
 * replaced when the type's schema says the property needs a new resource); one the template no
 * longer has (or whose condition no longer holds) is removed.
 *
 * Properties are resolved against the stack as it is. A property that refers to a resource that
 * will be added or replaced cannot be known before the change set runs: it counts as changed,
 * evaluated Dynamic, the way AWS reports it.
 *
 * Known gaps: stack-level tag changes (propagated to resources on AWS) and changes of Metadata,
 * DeletionPolicy, CreationPolicy and UpdatePolicy are not listed as resource changes.
 */
import type { StackEvaluation } from '../runner/evaluation.js';
import { creationOrder, resolveValue, type EvaluationContext, type Template } from '../template/index.js';
import type { StackParameter, StackResourceRecord } from '../types.js';
import { propertyDetails, replacementOf, scopeOf, tagScopeDetail, type DetailInputs, type PendingResources } from './change-details.js';
import type { ResourceChange, ResourceChangeDetail } from './types.js';

export interface ChangeSetInputs {
  /** the stack's resources now (none for a stack still to be created) */
  resources: Readonly<Record<string, StackResourceRecord>>;
  /** the stack's template and parameters now (none for a stack still to be created) */
  previousTemplate?: Template;
  previousParameters: readonly StackParameter[];
  /** the template submitted, evaluated with the submitted parameters */
  next: StackEvaluation;
  nextParameters: readonly StackParameter[];
  /** evaluates the submitted template against the stack as it is now */
  context: EvaluationContext;
  placeholders: boolean;
}

/** Thrown while resolving a value that depends on a resource the change set adds or replaces. */
class KnownOnlyWhenExecuted extends Error {}

function pendingAware(context: EvaluationContext, pending: PendingResources): EvaluationContext {
  return {
    ...context,
    resourceRef(logicalId) {
      if (pending.has(logicalId)) throw new KnownOnlyWhenExecuted(logicalId);
      return context.resourceRef(logicalId);
    },
    resourceAttribute(logicalId, attribute) {
      if (pending.has(logicalId)) throw new KnownOnlyWhenExecuted(logicalId);
      return context.resourceAttribute(logicalId, attribute);
    },
  };
}

function changedParameters(before: readonly StackParameter[], after: readonly StackParameter[]): Set<string> {
  const previous = new Map(before.map((parameter) => [parameter.key, parameter]));
  return new Set(after.filter((parameter) => {
    const old = previous.get(parameter.key);
    return old === undefined || old.value !== parameter.value || old.resolvedValue !== parameter.resolvedValue;
  }).map((parameter) => parameter.key));
}

/** A resolved property value, or `unknown` when it is known only once the change set runs. */
function resolveProperty(written: unknown, context: EvaluationContext): { value: unknown } | 'unknown' {
  try {
    return { value: resolveValue(written, context) };
  } catch (error) {
    if (error instanceof KnownOnlyWhenExecuted) return 'unknown';
    throw error;
  }
}

function modification(inputs: ChangeSetInputs, logicalId: string, existing: StackResourceRecord, detailInputs: DetailInputs, context: EvaluationContext): ResourceChange | undefined {
  const declaration = inputs.next.template.resources[logicalId]!;
  if (declaration.type !== existing.type) {
    return { action: 'Modify', logicalId, physicalId: existing.physicalId!, type: declaration.type, replacement: 'True', scope: [], details: [] };
  }
  const previouslyWritten = inputs.previousTemplate?.resources[logicalId]?.properties ?? {};
  const names = new Set([...Object.keys(declaration.properties), ...Object.keys(existing.properties)]);
  const details: ResourceChangeDetail[] = [];
  for (const name of names) {
    const written = declaration.properties[name];
    const resolved = resolveProperty(written, context);
    if (resolved !== 'unknown' && JSON.stringify(resolved.value) === JSON.stringify(existing.properties[name])) continue;
    if (name === 'Tags') details.push(tagScopeDetail());
    details.push(...propertyDetails({ name, written, previouslyWritten: previouslyWritten[name] }, detailInputs));
  }
  if (details.length === 0) return undefined;
  return { action: 'Modify', logicalId, physicalId: existing.physicalId!, type: declaration.type, replacement: replacementOf(details), scope: scopeOf(details), details };
}

/** The resource changes, in the template's order, then the removals. */
export function resourceChanges(inputs: ChangeSetInputs): ResourceChange[] {
  const { next } = inputs;
  const pending = new Map<string, 'certain' | 'possible'>();
  const context = pendingAware(inputs.context, pending);
  const shared = {
    placeholders: inputs.placeholders,
    changedParameters: changedParameters(inputs.previousParameters, inputs.nextParameters),
    parameterNames: new Set(Object.keys(next.template.parameters)),
    pending,
    conditions: next.conditions,
  };
  const detailInputs = (type: string): DetailInputs => ({ ...shared, type });
  const found = new Map<string, ResourceChange>();
  for (const logicalId of creationOrder(next.dependencies).flat()) {
    const existing = inputs.resources[logicalId];
    const type = next.template.resources[logicalId]!.type;
    if (existing?.physicalId === undefined || existing.status === 'DELETE_COMPLETE') {
      found.set(logicalId, { action: 'Add', logicalId, type });
      pending.set(logicalId, 'certain');
      continue;
    }
    const change = modification(inputs, logicalId, existing, detailInputs(type), context);
    if (!change) continue;
    found.set(logicalId, change);
    if (change.action === 'Modify' && change.replacement !== 'False') pending.set(logicalId, change.replacement === 'True' ? 'certain' : 'possible');
  }
  const inTemplateOrder = Object.keys(next.template.resources).flatMap((logicalId) => found.get(logicalId) ?? []);
  const removed: ResourceChange[] = Object.values(inputs.resources)
    .filter((record) => !next.dependencies.has(record.logicalId) && record.status !== 'DELETE_COMPLETE')
    .map((record) => ({ action: 'Remove', logicalId: record.logicalId, type: record.type, ...(record.physicalId !== undefined ? { physicalId: record.physicalId } : {}) }));
  return [...inTemplateOrder, ...removed];
}
