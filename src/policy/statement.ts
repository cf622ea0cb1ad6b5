/**
 * One compiled statement: every element turned into matchers when the policy is compiled, so
 * that evaluation only compares. Actions are matched case-insensitively, resources case-sensitively.
 */
import type { CompiledCondition } from './conditions.js';
import type { TextPattern } from './patterns.js';
import type { CompiledPrincipals } from './principals.js';
import type { ContextValue, MatchedStatement } from './types.js';
import type { Glob } from './wildcard.js';

export interface StatementParts {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  matched: MatchedStatement;
  actions: readonly Glob[];
  /** the Action/NotAction entries, lowercased */
  actionTexts: readonly string[];
  actionsNegated: boolean;
  /** undefined: no Resource element (trust policies), which matches any resource */
  resources: readonly TextPattern[] | undefined;
  resourcesNegated: boolean;
  /** undefined in policies attached to identities */
  principals: CompiledPrincipals | undefined;
  principalsNegated: boolean;
  conditions: readonly CompiledCondition[];
}

export class CompiledStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  /** what a decision reports when this statement decides it (built once) */
  readonly matched: MatchedStatement;
  readonly isDeny: boolean;
  readonly actions: readonly Glob[];
  readonly actionTexts: readonly string[];
  readonly actionsNegated: boolean;
  readonly resources: readonly TextPattern[] | undefined;
  readonly resourcesNegated: boolean;
  readonly principals: CompiledPrincipals | undefined;
  readonly principalsNegated: boolean;
  readonly conditions: readonly CompiledCondition[];
  /** the statement as a one-element list, so that a decision it alone decides allocates no list */
  readonly matchedAlone: readonly MatchedStatement[];
  /** context keys the conditions and variables read, lowercased with the policy's spelling */
  readonly referencedKeys: readonly { key: string; name: string }[];
  /** whether any value holds a policy variable */
  readonly hasVariables: boolean;

  constructor(parts: StatementParts) {
    this.index = parts.index;
    if (parts.sid !== undefined) this.sid = parts.sid;
    this.effect = parts.effect;
    this.matched = parts.matched;
    this.matchedAlone = Object.freeze([parts.matched]);
    this.isDeny = parts.effect === 'Deny';
    this.actions = parts.actions;
    this.actionTexts = parts.actionTexts;
    this.actionsNegated = parts.actionsNegated;
    this.resources = parts.resources;
    this.resourcesNegated = parts.resourcesNegated;
    this.principals = parts.principals;
    this.principalsNegated = parts.principalsNegated;
    this.conditions = parts.conditions;
    const keys = new Map<string, string>();
    let hasVariables = false;
    for (const condition of parts.conditions) {
      if (!keys.has(condition.key)) keys.set(condition.key, condition.keyName);
      for (const variable of condition.variableKeys) {
        hasVariables = true;
        if (!keys.has(variable.key)) keys.set(variable.key, variable.name);
      }
    }
    for (const resource of parts.resources ?? []) {
      for (const variable of resource.variableKeys) {
        hasVariables = true;
        if (!keys.has(variable.key)) keys.set(variable.key, variable.name);
      }
    }
    this.hasVariables = hasVariables;
    this.referencedKeys = [...keys].map(([key, name]) => ({ key, name }));
  }

  /** `action` lowercased by the caller. */
  matchesAction(action: string): boolean {
    const actions = this.actions;
    for (let i = 0; i < actions.length; i++) {
      if (actions[i].matches(action)) return !this.actionsNegated;
    }
    return this.actionsNegated;
  }

  matchesResource(resource: string, keys: ReadonlyMap<string, ContextValue>): boolean {
    const resources = this.resources;
    if (resources === undefined) return true;
    if (!this.resourcesNegated) {
      for (let i = 0; i < resources.length; i++) if (resources[i].match(resource, keys) === 1) return true;
      return false;
    }
    // NotResource: every entry must be evaluable and not match.
    for (let i = 0; i < resources.length; i++) if (resources[i].match(resource, keys) !== 0) return false;
    return true;
  }

  conditionsHold(keys: ReadonlyMap<string, ContextValue>): boolean {
    const conditions = this.conditions;
    for (let i = 0; i < conditions.length; i++) if (!conditions[i].evaluate(keys)) return false;
    return true;
  }
}
