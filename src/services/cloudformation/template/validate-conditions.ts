/**
 * The Conditions section checked without evaluating it: every condition is a boolean operation
 * (Fn::Equals/And/Or/Not, Condition) on parameters, pseudo parameters, mappings and other
 * conditions; named conditions exist; no condition depends on itself.
 */
import { isConditionFunction } from './condition-functions.js';
import { fail, messages } from './errors.js';
import { findReferences } from './references.js';
import { targetKind } from './reference-targets.js';
import type { Template } from './types.js';
import { asFunctionCall } from './values.js';

const OPERAND_MESSAGES: Readonly<Record<string, () => string>> = {
  'Fn::And': messages.andShape,
  'Fn::Or': messages.orShape,
  'Fn::Not': messages.notShape,
};

export function validateConditions(template: Template): void {
  const uses = new Map<string, string[]>();
  for (const [name, body] of Object.entries(template.conditions)) {
    if (!isConditionFunction(body)) fail(messages.conditionsOnlyBoolean());
    checkBooleanOperands(body);
    const found = findReferences(body, { inConditions: true, checkShapes: true });
    const notParameters = found.references
      .filter((reference) => reference.attribute !== undefined || !['parameter', 'pseudo'].includes(targetKind(template, reference.target)))
      .map((reference) => reference.target);
    if (notParameters.length > 0) fail(messages.unresolvedInConditions([...new Set(notParameters)]));
    const named = found.conditions.map((reference) => reference.name);
    for (const other of named) if (!Object.hasOwn(template.conditions, other)) fail(messages.conditionNotDefined(other));
    uses.set(name, named);
  }
  rejectCycles(uses);
}

/** Fn::And, Fn::Or and Fn::Not take condition functions only (not Refs or literals). */
function checkBooleanOperands(body: unknown): void {
  const call = asFunctionCall(body, true);
  if (!call) return;
  const message = OPERAND_MESSAGES[call.name];
  if (!message || !Array.isArray(call.argument)) return;
  for (const operand of call.argument) {
    if (!isConditionFunction(operand)) fail(message());
    checkBooleanOperands(operand);
  }
}

function rejectCycles(uses: ReadonlyMap<string, string[]>): void {
  const finished = new Set<string>();
  const path: string[] = [];
  const visit = (name: string): void => {
    if (finished.has(name)) return;
    const start = path.indexOf(name);
    if (start >= 0) fail(messages.circularConditions(path.slice(start)));
    path.push(name);
    for (const other of uses.get(name) ?? []) visit(other);
    path.pop();
    finished.add(name);
  };
  for (const name of uses.keys()) visit(name);
}
