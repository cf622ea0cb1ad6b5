/**
 * What a template value refers to: the targets of Ref, Fn::GetAtt and Fn::Sub variables, the
 * exports Fn::ImportValue reads, and the conditions named by Fn::If (or by `Condition` inside the Conditions section). With a
 * `branchTaken` answer, only the Fn::If branch actually taken is followed, the way CloudFormation
 * ignores references in branches it does not take.
 */
import { checkFunctionShape, getAttParts } from './function-shapes.js';
import { splitSubVariable, subVariables } from './sub.js';
import { asFunctionCall, isPlainObject } from './values.js';

export interface Reference {
  target: string;
  attribute?: string;
  via: 'Ref' | 'Fn::GetAtt' | 'Fn::Sub';
}

export interface ConditionReference {
  name: string;
  via: 'Fn::If' | 'Condition';
}

export interface FoundReferences {
  references: Reference[];
  conditions: ConditionReference[];
  /** names of every function met, in order (for checks such as "no Fn::GetAZs in an export name") */
  functions: string[];
  /** the argument of every Fn::ImportValue, as written (an export name once resolved) */
  imports: unknown[];
}

export interface FindOptions {
  /** true or false when the condition's value is known; undefined follows both branches */
  branchTaken?: (condition: string) => boolean | undefined;
  /** treat `{ Condition: name }` as a function (the Conditions section only) */
  inConditions?: boolean;
  /** check every function's argument shape on the way (validation) */
  checkShapes?: boolean;
}

export function findReferences(value: unknown, options: FindOptions = {}): FoundReferences {
  const found: FoundReferences = { references: [], conditions: [], functions: [], imports: [] };
  walk(value, options, found);
  return found;
}

function walk(value: unknown, options: FindOptions, found: FoundReferences): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, options, found);
    return;
  }
  if (!isPlainObject(value)) return;
  const call = asFunctionCall(value, options.inConditions);
  if (!call) {
    for (const item of Object.values(value)) walk(item, options, found);
    return;
  }
  if (options.checkShapes) checkFunctionShape(call.name, call.argument);
  found.functions.push(call.name);
  visitFunction(call.name, call.argument, options, found);
}

function visitFunction(name: string, argument: unknown, options: FindOptions, found: FoundReferences): void {
  switch (name) {
    case 'Ref':
      if (typeof argument === 'string') found.references.push({ target: argument, via: 'Ref' });
      return;
    case 'Condition':
      if (typeof argument === 'string') found.conditions.push({ name: argument, via: 'Condition' });
      return;
    case 'Fn::GetAtt': {
      const parts = getAttParts(argument);
      if (!parts) return;
      const reference: Reference = { target: parts.target, via: 'Fn::GetAtt' };
      if (typeof parts.attribute === 'string') reference.attribute = parts.attribute;
      found.references.push(reference);
      walk(parts.attribute, options, found);
      return;
    }
    case 'Fn::Sub':
      visitSub(argument, options, found);
      return;
    case 'Fn::If':
      visitIf(argument, options, found);
      return;
    case 'Fn::ImportValue':
      found.imports.push(argument);
      walk(argument, options, found);
      return;
    default:
      walk(argument, options, found);
  }
}

function visitSub(argument: unknown, options: FindOptions, found: FoundReferences): void {
  const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
  if (typeof text !== 'string') return;
  const local = isPlainObject(variables) ? variables : {};
  for (const variable of subVariables(text)) {
    if (variable in local) continue;
    found.references.push({ ...splitSubVariable(variable), via: 'Fn::Sub' });
  }
  walk(local, options, found);
}

function visitIf(argument: unknown, options: FindOptions, found: FoundReferences): void {
  if (!Array.isArray(argument)) return;
  const [condition, whenTrue, whenFalse] = argument;
  if (typeof condition !== 'string') return;
  found.conditions.push({ name: condition, via: 'Fn::If' });
  const taken = options.branchTaken?.(condition);
  if (taken !== false) walk(whenTrue, options, found);
  if (taken !== true) walk(whenFalse, options, found);
}
