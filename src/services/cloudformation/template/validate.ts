/**
 * validateTemplate: what CloudFormation checks before it creates anything (ValidateTemplate,
 * CreateStack, UpdateStack, CreateChangeSet): at least one resource; every function known and
 * well-formed; every Ref / Fn::GetAtt / Fn::Sub / DependsOn target declared; every condition
 * named by a resource, output or Fn::If declared; the Conditions section well-formed; defaults
 * within their parameter's constraints; export names independent of resources; no circular
 * dependency between resources (counting both branches of every Fn::If).
 */
import { creationOrder, namedResources } from './dependencies.js';
import { fail, messages } from './errors.js';
import { checkParameterValue } from './parameter-values.js';
import { findReferences, type FoundReferences } from './references.js';
import { targetKind } from './reference-targets.js';
import type { Template } from './types.js';
import { validateConditions } from './validate-conditions.js';

export function validateTemplate(template: Template): void {
  if (Object.keys(template.resources).length === 0) fail(messages.noResources());
  for (const [key, declaration] of Object.entries(template.parameters)) {
    if (declaration.default !== undefined) checkParameterValue(key, declaration, declaration.default);
  }
  validateConditions(template);
  validateResources(template);
  validateOutputs(template);
  rejectCircularResources(template);
}

/** Names that resolve to nothing; throws at once for a GetAtt or Sub attribute of a non-resource. */
function unresolvedNames(template: Template, found: FoundReferences): string[] {
  const unresolved: string[] = [];
  for (const reference of found.references) {
    const kind = targetKind(template, reference.target);
    if (reference.via === 'Fn::GetAtt' && kind !== 'resource') fail(messages.getAttUndefined(reference.target));
    if (reference.via === 'Fn::Sub' && reference.attribute !== undefined && kind !== 'resource') {
      fail(messages.subInvalidAttribute(`${reference.target}.${reference.attribute}`));
    }
    if (kind === 'unknown') unresolved.push(reference.target);
  }
  return unresolved;
}

function checkConditionNames(template: Template, found: FoundReferences, declared?: string): void {
  if (declared !== undefined && !Object.hasOwn(template.conditions, declared)) fail(messages.conditionNotDefined(declared));
  for (const reference of found.conditions) {
    if (!Object.hasOwn(template.conditions, reference.name)) fail(messages.ifUnresolvedCondition(reference.name));
  }
}

function validateResources(template: Template): void {
  const unresolved = new Set<string>();
  for (const resource of Object.values(template.resources)) {
    const found = findReferences([resource.properties, resource.metadata], { checkShapes: true });
    checkConditionNames(template, found, resource.condition);
    for (const name of unresolvedNames(template, found)) unresolved.add(name);
    for (const target of resource.dependsOn) if (targetKind(template, target) !== 'resource') unresolved.add(target);
  }
  if (unresolved.size > 0) fail(messages.unresolvedResources(unresolved));
}

const EXPORT_NAME_FORBIDDEN: ReadonlySet<string> = new Set(['Fn::GetAtt', 'Fn::ImportValue', 'Fn::GetAZs']);

function validateOutputs(template: Template): void {
  const unresolved = new Set<string>();
  for (const [name, output] of Object.entries(template.outputs)) {
    const found = findReferences(output.value, { checkShapes: true });
    checkConditionNames(template, found, output.condition);
    for (const target of unresolvedNames(template, found)) unresolved.add(target);
    if (output.exportName === undefined) continue;
    const inName = findReferences(output.exportName, { checkShapes: true });
    const dependsOnResources = inName.references.some((reference) => targetKind(template, reference.target) === 'resource')
      || inName.functions.some((fn) => EXPORT_NAME_FORBIDDEN.has(fn));
    if (dependsOnResources) fail(messages.exportNameDependsOnResources(name));
    for (const target of unresolvedNames(template, inName)) unresolved.add(target);
  }
  if (unresolved.size > 0) fail(messages.unresolvedInOutputs(unresolved));
}

function rejectCircularResources(template: Template): void {
  const graph = new Map<string, Set<string>>();
  for (const resource of Object.values(template.resources)) {
    graph.set(resource.logicalId, new Set(namedResources(template, resource)));
  }
  creationOrder(graph);
}
