/**
 * The Condition element: operators compiled once, evaluated per request.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
 *
 * Logic (one operator, one key):
 * - policy values are ORed; for a negated operator (StringNotEquals, NotIpAddress, ArnNotLike...)
 *   they are NORed: the request value must match none of them;
 * - an absent key makes a positive operator false and a negated one true, `...IfExists` true,
 *   `ForAllValues:` true and `ForAnyValue:` false (an empty multi-valued key counts as absent);
 * - a request with several values: no qualifier or `ForAnyValue:` needs one value to satisfy the
 *   operator, `ForAllValues:` needs every value to;
 * - a comparison that cannot be made (a request value that is not a number, date, address or
 *   ARN, a policy variable with no value) satisfies neither a positive nor a negated operator, so
 *   nothing that cannot be evaluated ever evaluates as true.
 * Several keys under one operator, and several operators, are ANDed (in evaluate).
 * Policy variables work in String* and Arn* values only (2012-10-17); Date, Numeric, Bool,
 * Binary, IpAddress and Null values are literal and checked when the policy is compiled.
 */
import { PolicyDocumentError } from './errors.js';
import { MALFORMED } from './messages.js';
import { ArnPattern, compileTextPattern, type Tri } from './patterns.js';
import type { ContextValue } from './types.js';
import { ipInRange, parseBase64, parseBoolean, parseCidr, parseDate, parseNumber, parseRequestDate, type IpRange } from './values.js';

type Family = 'string' | 'numeric' | 'date' | 'bool' | 'binary' | 'ip' | 'arn' | 'null';
type Comparison = 'eq' | 'lt' | 'le' | 'gt' | 'ge';

interface OperatorInfo {
  family: Family;
  negated: boolean;
  /** String: wildcards allowed (Like); Arn: always */
  like?: boolean;
  ignoreCase?: boolean;
  comparison?: Comparison;
}

const OPERATORS: Record<string, OperatorInfo> = {
  StringEquals: { family: 'string', negated: false },
  StringNotEquals: { family: 'string', negated: true },
  StringEqualsIgnoreCase: { family: 'string', negated: false, ignoreCase: true },
  StringNotEqualsIgnoreCase: { family: 'string', negated: true, ignoreCase: true },
  StringLike: { family: 'string', negated: false, like: true },
  StringNotLike: { family: 'string', negated: true, like: true },
  NumericEquals: { family: 'numeric', negated: false, comparison: 'eq' },
  NumericNotEquals: { family: 'numeric', negated: true, comparison: 'eq' },
  NumericLessThan: { family: 'numeric', negated: false, comparison: 'lt' },
  NumericLessThanEquals: { family: 'numeric', negated: false, comparison: 'le' },
  NumericGreaterThan: { family: 'numeric', negated: false, comparison: 'gt' },
  NumericGreaterThanEquals: { family: 'numeric', negated: false, comparison: 'ge' },
  DateEquals: { family: 'date', negated: false, comparison: 'eq' },
  DateNotEquals: { family: 'date', negated: true, comparison: 'eq' },
  DateLessThan: { family: 'date', negated: false, comparison: 'lt' },
  DateLessThanEquals: { family: 'date', negated: false, comparison: 'le' },
  DateGreaterThan: { family: 'date', negated: false, comparison: 'gt' },
  DateGreaterThanEquals: { family: 'date', negated: false, comparison: 'ge' },
  Bool: { family: 'bool', negated: false },
  BinaryEquals: { family: 'binary', negated: false },
  IpAddress: { family: 'ip', negated: false },
  NotIpAddress: { family: 'ip', negated: true },
  ArnEquals: { family: 'arn', negated: false },
  ArnLike: { family: 'arn', negated: false },
  ArnNotEquals: { family: 'arn', negated: true },
  ArnNotLike: { family: 'arn', negated: true },
  Null: { family: 'null', negated: false },
};

export const enum Qualifier {
  None,
  ForAnyValue,
  ForAllValues,
}

export interface ParsedOperator {
  info: OperatorInfo;
  qualifier: Qualifier;
  ifExists: boolean;
}

/** Splits "ForAllValues:StringLikeIfExists" into its parts; undefined for an unknown operator. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let qualifier = Qualifier.None;
  let base = name;
  if (base.startsWith('ForAnyValue:')) {
    qualifier = Qualifier.ForAnyValue;
    base = base.slice('ForAnyValue:'.length);
  } else if (base.startsWith('ForAllValues:')) {
    qualifier = Qualifier.ForAllValues;
    base = base.slice('ForAllValues:'.length);
  }
  let ifExists = false;
  if (base.endsWith('IfExists') && base !== 'IfExists') {
    ifExists = true;
    base = base.slice(0, -'IfExists'.length);
  }
  const info = Object.prototype.hasOwnProperty.call(OPERATORS, base) ? OPERATORS[base] : undefined;
  if (!info) return undefined;
  // "IfExists ... except the Null condition"; set qualifiers on Null have no defined meaning.
  if (info.family === 'null' && (ifExists || qualifier !== Qualifier.None)) return undefined;
  return { info, qualifier, ifExists };
}

function compare(left: number, right: number, comparison: Comparison): boolean {
  switch (comparison) {
    case 'eq': return left === right;
    case 'lt': return left < right;
    case 'le': return left <= right;
    case 'gt': return left > right;
    case 'ge': return left >= right;
  }
}

/** Tests one request value against all the policy values: 1 if one matches, 0 if none, -1 if not comparable. */
type ValueTest = (requestValue: string, keys: ReadonlyMap<string, ContextValue>) => Tri;

function legacy(): PolicyDocumentError {
  return new PolicyDocumentError(MALFORMED.legacy);
}

interface Matcher {
  match(input: string, keys: ReadonlyMap<string, ContextValue>): Tri;
}

function stringTest(patterns: readonly Matcher[], ignoreCase: boolean): ValueTest {
  return (requestValue, keys) => {
    const input = ignoreCase ? requestValue.toLowerCase() : requestValue;
    let unresolved = false;
    for (let i = 0; i < patterns.length; i++) {
      const result = patterns[i].match(input, keys);
      if (result === 1) return 1;
      if (result < 0) unresolved = true;
    }
    return unresolved ? -1 : 0;
  };
}

function numberTest(values: readonly number[], comparison: Comparison, parse: (text: string) => number): ValueTest {
  return (requestValue) => {
    const value = parse(requestValue);
    if (Number.isNaN(value)) return -1;
    for (let i = 0; i < values.length; i++) if (compare(value, values[i], comparison)) return 1;
    return 0;
  };
}

function compileTest(info: OperatorInfo, values: readonly string[], variables: boolean): { test: ValueTest; variableKeys: { key: string; name: string }[] } {
  switch (info.family) {
    case 'string': {
      const patterns = values.map((value) =>
        compileTextPattern(value, { wildcards: info.like === true, variables, ignoreCase: info.ignoreCase === true }));
      const literals = patterns.map((pattern) => pattern.literal);
      if (info.ignoreCase !== true && literals.every((literal) => literal !== undefined)) {
        // Plain values (no wildcard, no variable): direct comparisons.
        return {
          test: (requestValue) => {
            for (let i = 0; i < literals.length; i++) if (literals[i] === requestValue) return 1;
            return 0;
          },
          variableKeys: [],
        };
      }
      return { test: stringTest(patterns, info.ignoreCase === true), variableKeys: patterns.flatMap((pattern) => [...pattern.variableKeys]) };
    }
    case 'arn': {
      const patterns = values.map((value) => new ArnPattern(value, variables));
      return { test: stringTest(patterns, false), variableKeys: patterns.flatMap((pattern) => [...pattern.variableKeys]) };
    }
    case 'numeric': {
      const numbers = values.map((value) => {
        const number = parseNumber(value);
        if (Number.isNaN(number)) throw legacy();
        return number;
      });
      return { test: numberTest(numbers, info.comparison!, parseNumber), variableKeys: [] };
    }
    case 'date': {
      const dates = values.map((value) => {
        const date = parseDate(value);
        if (Number.isNaN(date)) throw legacy();
        return date;
      });
      return { test: numberTest(dates, info.comparison!, parseRequestDate), variableKeys: [] };
    }
    case 'bool': {
      const expected = values.map((value) => {
        const parsed = parseBoolean(value);
        if (parsed < 0) throw legacy();
        return parsed;
      });
      return {
        test: (requestValue) => {
          const actual = parseBoolean(requestValue);
          if (actual < 0) return -1;
          return expected.includes(actual) ? 1 : 0;
        },
        variableKeys: [],
      };
    }
    case 'binary': {
      const expected = values.map((value) => {
        const bytes = parseBase64(value);
        if (!bytes) throw legacy();
        return bytes;
      });
      return {
        test: (requestValue) => {
          const actual = parseBase64(requestValue);
          if (!actual) return -1;
          return expected.some((bytes) => bytes.equals(actual)) ? 1 : 0;
        },
        variableKeys: [],
      };
    }
    case 'ip': {
      const ranges: IpRange[] = values.map((value) => {
        const range = parseCidr(value);
        if (!range) throw legacy();
        return range;
      });
      return {
        test: (requestValue) => {
          for (let i = 0; i < ranges.length; i++) {
            const result = ipInRange(requestValue, ranges[i]);
            if (result !== 0) return result;
          }
          return 0;
        },
        variableKeys: [],
      };
    }
    case 'null':
      throw new Error('Null is compiled separately');
  }
}

/** Set when an evaluation met an absent key (read and cleared by the statement's caller). */
export const conditionTrace = { absentKey: false };

export class CompiledCondition {
  /** lowercased context key */
  readonly key: string;
  /** the key as the policy spells it */
  readonly keyName: string;
  readonly variableKeys: readonly { key: string; name: string }[];
  private readonly negated: boolean;
  private readonly qualifier: Qualifier;
  private readonly ifExists: boolean;
  /** for Null: the accepted answers to "is the key absent?" */
  private readonly nullExpect: readonly boolean[] | undefined;
  private readonly test: ValueTest | undefined;
  private readonly empty: boolean;

  /** Throws PolicyDocumentError (legacy parsing) for a value the operator cannot take. */
  constructor(operator: ParsedOperator, keyName: string, values: readonly string[], variables: boolean) {
    this.key = keyName.toLowerCase();
    this.keyName = keyName;
    this.negated = operator.info.negated;
    this.qualifier = operator.qualifier;
    this.ifExists = operator.ifExists;
    this.empty = values.length === 0;
    if (operator.info.family === 'null') {
      this.nullExpect = values.map((value) => {
        const parsed = parseBoolean(value);
        if (parsed < 0) throw legacy();
        return parsed === 1;
      });
      this.variableKeys = [];
    } else {
      const compiled = compileTest(operator.info, values, variables);
      this.test = compiled.test;
      this.variableKeys = compiled.variableKeys;
    }
  }

  evaluate(keys: ReadonlyMap<string, ContextValue>): boolean {
    // An empty list of policy values states nothing that could be true.
    if (this.empty) return false;
    const value = keys.get(this.key);
    const absent = value === undefined || (typeof value !== 'string' && value.length === 0);
    if (absent) conditionTrace.absentKey = true;
    if (this.nullExpect) return this.nullExpect.includes(absent);
    if (absent) {
      if (this.ifExists || this.qualifier === Qualifier.ForAllValues) return true;
      if (this.qualifier === Qualifier.ForAnyValue) return false;
      return this.negated;
    }
    const test = this.test!;
    // A negated operator is satisfied by a request value that matches none of the policy values.
    const wanted: Tri = this.negated ? 0 : 1;
    if (typeof value === 'string') return test(value, keys) === wanted;
    if (this.qualifier === Qualifier.ForAllValues || (this.qualifier === Qualifier.None && this.negated)) {
      for (let i = 0; i < value.length; i++) if (test(value[i], keys) !== wanted) return false;
      return true;
    }
    for (let i = 0; i < value.length; i++) if (test(value[i], keys) === wanted) return true;
    return false;
  }
}
