/**
 * Which resources each resource waits for, and the order that follows from it.
 *
 * A resource depends on every resource it names through Ref, Fn::GetAtt, Fn::Sub (in Properties
 * or Metadata) or DependsOn. Only resources whose Condition holds take part, and only the Fn::If
 * branches actually taken count. A created resource that names a resource left out by its
 * condition is CloudFormation's "Unresolved resource dependencies" error.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-dependson.html
 */
import { fail, messages } from './errors.js';
import { findReferences } from './references.js';
import type { ResourceDeclaration, Template } from './types.js';

export function isCreated(resource: ResourceDeclaration, conditions: ReadonlyMap<string, boolean>): boolean {
  return resource.condition === undefined || conditions.get(resource.condition) === true;
}

/** The resources a declaration names; `branchTaken` undefined follows both Fn::If branches. */
export function namedResources(template: Template, resource: ResourceDeclaration, branchTaken?: (condition: string) => boolean | undefined): string[] {
  const found = findReferences([resource.properties, resource.metadata], branchTaken ? { branchTaken } : {});
  const targets = [...found.references.map((reference) => reference.target), ...resource.dependsOn];
  return [...new Set(targets.filter((target) => Object.hasOwn(template.resources, target)))];
}

export function resourceDependencies(template: Template, conditions: ReadonlyMap<string, boolean>): Map<string, Set<string>> {
  const dependencies = new Map<string, Set<string>>();
  const unresolved = new Set<string>();
  for (const resource of Object.values(template.resources)) {
    if (!isCreated(resource, conditions)) continue;
    const named = namedResources(template, resource, (condition) => conditions.get(condition));
    for (const target of named) {
      if (!isCreated(template.resources[target]!, conditions)) unresolved.add(target);
    }
    dependencies.set(resource.logicalId, new Set(named));
  }
  if (unresolved.size > 0) fail(messages.unresolvedResources(unresolved));
  return dependencies;
}

/**
 * Waves of resources: every resource in a wave depends only on resources of earlier waves, so a
 * wave can be created concurrently (and deleted concurrently, in reverse order of waves).
 * Dependencies on ids outside the map are ignored. A cycle is CloudFormation's circular
 * dependency error, naming the resources on the cycle(s).
 */
export function creationOrder(dependencies: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const waves: string[][] = [];
  const placed = new Set<string>();
  let waiting = [...dependencies.keys()];
  while (waiting.length > 0) {
    const ready = waiting.filter((id) => [...dependencies.get(id)!].every((target) => placed.has(target) || !dependencies.has(target)));
    if (ready.length === 0) fail(messages.circularResources(resourcesOnCycles(dependencies, waiting)));
    waves.push(ready);
    for (const id of ready) placed.add(id);
    waiting = waiting.filter((id) => !placed.has(id));
  }
  return waves;
}

/** Members of strongly connected components with a cycle (Tarjan), in the order given. */
function resourcesOnCycles(dependencies: ReadonlyMap<string, ReadonlySet<string>>, candidates: string[]): string[] {
  const pending = new Set(candidates);
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onCycle = new Set<string>();
  const visit = (id: string): void => {
    index.set(id, index.size);
    lowLink.set(id, index.get(id)!);
    stack.push(id);
    for (const target of dependencies.get(id) ?? []) {
      if (!pending.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        lowLink.set(id, Math.min(lowLink.get(id)!, lowLink.get(target)!));
      } else if (stack.includes(target)) {
        lowLink.set(id, Math.min(lowLink.get(id)!, index.get(target)!));
      }
    }
    if (lowLink.get(id) !== index.get(id)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      component.push(member);
    } while (member !== id);
    const selfLoop = dependencies.get(id)?.has(id) === true;
    if (component.length > 1 || selfLoop) for (const node of component) onCycle.add(node);
  };
  for (const id of candidates) if (!index.has(id)) visit(id);
  return candidates.filter((id) => onCycle.has(id));
}
