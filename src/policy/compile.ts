/**
 * compilePolicy: parse (with positions), validate with IAM's messages, and turn every element into
 * matchers, once, when a policy is written or loaded. The result is shared between requests and
 * must be treated as immutable (it is typed readonly; freezing every part would cost memory:
 * V8 gives frozen object literals hidden classes of their own).
 */
import { PolicyDocumentError } from './errors.js';
import { countWithoutWhitespace, parseJsonWithPositions } from './json-source.js';
import { MALFORMED } from './messages.js';
import { compileTextPattern } from './patterns.js';
import { CompiledPrincipals } from './principals.js';
import { CompiledStatement } from './statement.js';
import type { CompiledPolicy, MatchedStatement, PolicyKind, PolicySource } from './types.js';
import { readDocument, type StatementModel } from './validate.js';
import { Glob } from './wildcard.js';

const DEFAULT_SOURCE: Record<PolicyKind, PolicySource['kind']> = {
  identity: 'custom',
  resource: 'custom',
  trust: 'trust',
  boundary: 'boundary',
  session: 'session',
};

function compileStatement(model: StatementModel, source: PolicySource, variables: boolean): CompiledStatement {
  const matched: MatchedStatement = {
    source,
    statementIndex: model.index,
    ...(model.sid !== undefined && model.sid !== '' ? { sid: model.sid } : {}),
    effect: model.effect,
    start: { line: model.node.start.line, column: model.node.start.column },
    end: { line: model.node.end.line, column: model.node.end.column },
  };
  const actions = (model.action ?? model.notAction ?? []).map((action) => Glob.fromText(action.toLowerCase()));
  const resourceList = model.resource ?? model.notResource;
  const resources = resourceList?.map((resource) => compileTextPattern(resource, { wildcards: true, variables, ignoreCase: false }));
  const principalValue = model.principal ?? model.notPrincipal;
  return new CompiledStatement({
    index: model.index,
    ...(model.sid !== undefined ? { sid: model.sid } : {}),
    effect: model.effect,
    matched,
    actions,
    actionTexts: (model.action ?? model.notAction ?? []).map((action) => action.toLowerCase()),
    actionsNegated: model.notAction !== undefined,
    resources,
    resourcesNegated: model.notResource !== undefined,
    principals: principalValue === undefined ? undefined : new CompiledPrincipals(principalValue),
    principalsNegated: model.notPrincipal !== undefined,
    conditions: model.conditions,
  });
}

/**
 * A compiled policy, with its statements indexed by the service prefix of the actions they can
 * match, so that a request looks only at the statements that may concern it (in document order).
 */
export class IndexedPolicy implements CompiledPolicy {
  private readonly byVendor = new Map<string, readonly CompiledStatement[]>();
  private readonly anyVendor: readonly CompiledStatement[];

  constructor(
    readonly source: PolicySource,
    readonly kind: PolicyKind,
    readonly version: CompiledPolicy['version'],
    readonly statements: readonly CompiledStatement[],
    readonly sizeWithoutWhitespace: number,
    readonly text: string,
  ) {
    const vendorsOf = (statement: CompiledStatement): string[] | undefined => {
      if (statement.actionsNegated) return undefined;
      const vendors: string[] = [];
      for (const action of statement.actionTexts) {
        const colon = action.indexOf(':');
        const vendor = colon < 0 ? '*' : action.slice(0, colon);
        if (/[*?]/.test(vendor)) return undefined;
        vendors.push(vendor);
      }
      return vendors;
    };
    const anyVendor: CompiledStatement[] = [];
    const vendors = new Set<string>();
    for (const statement of statements) {
      const list = vendorsOf(statement);
      if (list) for (const vendor of list) vendors.add(vendor);
      else anyVendor.push(statement);
    }
    this.anyVendor = Object.freeze(anyVendor);
    for (const vendor of vendors) {
      this.byVendor.set(vendor, Object.freeze(statements.filter((statement) => vendorsOf(statement)?.includes(vendor) ?? true)));
    }
  }

  /** The statements whose actions may match an action of this (lowercased) service prefix. */
  statementsFor(vendor: string): readonly CompiledStatement[] {
    return this.byVendor.get(vendor) ?? this.anyVendor;
  }
}

/**
 * Parses, validates and compiles a policy document. Throws PolicyDocumentError with IAM's
 * MalformedPolicyDocument message. `kind` decides the grammar (Principal forbidden in identity,
 * boundary and session policies; required in resource and trust policies; Resource prohibited in
 * trust policies).
 */
export function compilePolicy(text: string, kind: PolicyKind, label?: PolicySource): CompiledPolicy {
  const source: PolicySource = { ...(label ?? { kind: DEFAULT_SOURCE[kind] }) };
  const document = readDocument(parseJsonWithPositions(text), kind);
  const variables = document.version === '2012-10-17';
  const statements = document.statements.map((statement) => compileStatement(statement, source, variables));
  return new IndexedPolicy(source, kind, document.version, Object.freeze(statements), countWithoutWhitespace(text), text);
}

/**
 * IAM managed policies (CreatePolicy, CreatePolicyVersion) must use policy language 2012-10-17;
 * inline, trust and bucket policies may still say 2008-10-17 or nothing. (Observed: moto's
 * test_iam_policies.py, recorded against AWS.)
 */
export function requireCurrentVersion(policy: CompiledPolicy): void {
  if (policy.version !== '2012-10-17') throw new PolicyDocumentError(MALFORMED.version);
}
