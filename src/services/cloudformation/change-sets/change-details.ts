/**
 * Why one property of a resource changes, as a change set's Details say it: the template's text
 * for it was edited (DirectModification), a parameter it refers to has a new value
 * (ParameterReference), or a resource it refers to gets a new physical id (ResourceReference) or
 * may get new attributes (ResourceAttribute) when the change set runs. Whether the change needs a
 * new physical resource is the resource type's own rule (its schema's `replaces`, as the stack
 * runner applies it).
 */
import { changeReplaces } from '../providers/provider.js';
import { placeholderProvider, providerFor } from '../providers/registry.js';
import { findReferences } from '../template/references.js';
import type { ChangeScope, Replacement, RequiresRecreation, ResourceChangeDetail } from './types.js';

/** A resource whose physical id is not known until the change set runs: certain to change (added or replaced), or possibly (conditionally replaced). */
export type PendingResources = ReadonlyMap<string, 'certain' | 'possible'>;

export interface PropertyChange {
  name: string;
  /** the property as the new template writes it, and as the stack's template wrote it */
  written: unknown;
  previouslyWritten: unknown;
}

export interface DetailInputs {
  type: string;
  /** the stack records unimplemented types as placeholders (which update in place) */
  placeholders: boolean;
  /** parameter names whose value (or resolved value) differs from the stack's */
  changedParameters: ReadonlySet<string>;
  /** the template's parameter names (a Ref to one of them is a ParameterReference) */
  parameterNames: ReadonlySet<string>;
  pending: PendingResources;
  conditions: ReadonlyMap<string, boolean>;
}

/** Whether changing this property of this type needs a new physical resource (what the stack runner will do). */
export function requiresRecreation(type: string, property: string, placeholders: boolean): RequiresRecreation {
  const provider = providerFor(type) ?? (placeholders ? placeholderProvider(type) : undefined);
  return provider === undefined || changeReplaces(provider, property) ? 'Always' : 'Never';
}

/** The details of one changed property, each cause once. */
export function propertyDetails(change: PropertyChange, inputs: DetailInputs): ResourceChangeDetail[] {
  const recreation = requiresRecreation(inputs.type, change.name, inputs.placeholders);
  const target = { attribute: 'Properties' as const, name: change.name, requiresRecreation: recreation };
  const details: ResourceChangeDetail[] = [];
  if (JSON.stringify(change.written) !== JSON.stringify(change.previouslyWritten)) {
    details.push({ target, evaluation: 'Static', changeSource: 'DirectModification' });
  }
  const found = findReferences(change.written, { branchTaken: (condition) => inputs.conditions.get(condition) });
  for (const reference of found.references) {
    const certainty = inputs.pending.get(reference.target);
    const attribute = reference.via === 'Fn::GetAtt' || (reference.via === 'Fn::Sub' && reference.attribute !== undefined);
    if (attribute && certainty !== undefined) {
      details.push({ target, evaluation: 'Dynamic', changeSource: 'ResourceAttribute', causingEntity: `${reference.target}.${reference.attribute ?? ''}` });
    } else if (certainty !== undefined) {
      details.push({ target, evaluation: certainty === 'certain' ? 'Static' : 'Dynamic', changeSource: 'ResourceReference', causingEntity: reference.target });
    } else if (inputs.parameterNames.has(reference.target) && inputs.changedParameters.has(reference.target)) {
      details.push({ target, evaluation: 'Static', changeSource: 'ParameterReference', causingEntity: reference.target });
    }
  }
  // A value that changed with nothing in the template to blame (an SSM dynamic reference, an
  // imported value) reads as a direct modification.
  if (details.length === 0) details.push({ target, evaluation: 'Static', changeSource: 'DirectModification' });
  const unique = new Map(details.map((detail) => [JSON.stringify(detail), detail]));
  return [...unique.values()];
}

/**
 * AWS's change sets show a change to a resource's Tags property twice: as the property, and in
 * the Tags scope (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets-samples.html).
 */
export function tagScopeDetail(): ResourceChangeDetail {
  return { target: { attribute: 'Tags', requiresRecreation: 'Never' }, evaluation: 'Dynamic', changeSource: 'DirectModification' };
}

export function scopeOf(details: readonly ResourceChangeDetail[]): ChangeScope[] {
  const scopes = new Set(details.map((detail) => detail.target.attribute));
  return (['Tags', 'Properties'] as const).filter((scope) => scopes.has(scope));
}

/**
 * True when a change certainly needs a new physical resource, Conditional when it may (a value
 * known only when the change set runs), False otherwise.
 */
export function replacementOf(details: readonly ResourceChangeDetail[]): Replacement {
  const recreating = details.filter((detail) => detail.target.requiresRecreation !== 'Never');
  if (recreating.some((detail) => detail.evaluation === 'Static' && detail.target.requiresRecreation === 'Always')) return 'True';
  return recreating.length > 0 ? 'Conditional' : 'False';
}
