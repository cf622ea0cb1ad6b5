/**
 * Reading the AWS query protocol's flattened parameters (`Tags.member.1.Key=...`) with AWS's
 * validation errors. Service handlers read typed values through QueryInput and never see the wire.
 */
import { AwsError } from './aws-error.js';

const NEEDS_DECODING = /[%+]/;

/** `name=value&...` decoded into `params` (a new map by default); a later value of a name replaces an earlier one. */
export function parseFormEncoded(text: string, params = new Map<string, string>()): Map<string, string> {
  if (text.length === 0) return params;
  for (const pair of text.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    params.set(decodeFormComponent(rawName), decodeFormComponent(rawValue));
  }
  return params;
}

function decodeFormComponent(text: string): string {
  if (!NEEDS_DECODING.test(text)) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new AwsError('MalformedQueryString', 'The query string is malformed: it has an invalid percent-encoding.', 400);
  }
}

export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

/** "1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null" */
export function constraintError(name: string, value: string | null, constraint: string): AwsError {
  const shown = value === null ? 'null' : `'${value}'`;
  const member = name.charAt(0).toLowerCase() + name.slice(1);
  return validationError(`1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
}

export interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternText?: string;
}

/**
 * How lists are spelled: the query protocol (IAM, STS) writes `Name.member.N`; EC2's variant
 * writes `Name.N`.
 */
export type ListStyle = 'member' | 'flat';

export class QueryInput {
  constructor(readonly params: ReadonlyMap<string, string>, readonly listStyle: ListStyle = 'member') {}

  has(name: string): boolean {
    return this.params.has(name);
  }

  required(name: string, rule: StringRule = {}): string {
    const value = this.params.get(name);
    if (value === undefined) throw constraintError(name, null, 'Member must not be null');
    return this.check(name, value, rule);
  }

  optional(name: string, rule: StringRule = {}): string | undefined {
    const value = this.params.get(name);
    return value === undefined ? undefined : this.check(name, value, rule);
  }

  integer(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    const text = this.params.get(name);
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text)) throw validationError(`Invalid value '${text}' for parameter ${name}: it must be an integer.`);
    const value = Number(text);
    if (range.min !== undefined && value < range.min) {
      throw constraintError(name, text, `Member must have value greater than or equal to ${range.min}`);
    }
    if (range.max !== undefined && value > range.max) {
      throw constraintError(name, text, `Member must have value less than or equal to ${range.max}`);
    }
    return value;
  }

  /** An enumerated parameter: one of `values`, as written (AWS's enum value set error otherwise). */
  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const value = this.params.get(name);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) throw constraintError(name, value, `Member must satisfy enum value set: [${values.join(', ')}]`);
    return value as T;
  }

  requiredOneOf<T extends string>(name: string, values: readonly T[]): T {
    const value = this.oneOf(name, values);
    if (value === undefined) throw constraintError(name, null, 'Member must not be null');
    return value;
  }

  boolean(name: string): boolean | undefined {
    const text = this.params.get(name);
    if (text === undefined) return undefined;
    const lower = text.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw validationError(`Invalid value '${text}' for parameter ${name}: it must be true or false.`);
    return lower === 'true';
  }

  /** `Name.member.1`, `Name.member.2`, ... (EC2: `Name.1`, `Name.2`, ...) in order. */
  list(name: string): string[] {
    const base = this.listBase(name);
    return this.indexed(base).map((index) => this.params.get(`${base}.${index}`) ?? '');
  }

  /** A list of structures: each element is a QueryInput over `Name.member.N.` (EC2: `Name.N.`). */
  structures(name: string): QueryInput[] {
    const base = this.listBase(name);
    return this.indexed(base).map((index) => this.structure(`${base}.${index}`));
  }

  /** The members of a nested structure `Name.` as a QueryInput of their own. */
  structure(name: string): QueryInput {
    const prefix = `${name}.`;
    const inner = new Map<string, string>();
    for (const [key, value] of this.params) if (key.startsWith(prefix)) inner.set(key.slice(prefix.length), value);
    return new QueryInput(inner, this.listStyle);
  }

  private listBase(name: string): string {
    return this.listStyle === 'member' ? `${name}.member` : name;
  }

  private indexed(prefix: string): number[] {
    const indexes = new Set<number>();
    const start = `${prefix}.`;
    for (const key of this.params.keys()) {
      if (!key.startsWith(start)) continue;
      const match = /^(\d+)/.exec(key.slice(start.length));
      if (match) indexes.add(Number(match[1]));
    }
    return [...indexes].sort((a, b) => a - b);
  }

  protected check(name: string, value: string, rule: StringRule): string {
    if (rule.min !== undefined && value.length < rule.min) {
      throw constraintError(name, value, `Member must have length greater than or equal to ${rule.min}`);
    }
    if (rule.max !== undefined && value.length > rule.max) {
      throw constraintError(name, value, `Member must have length less than or equal to ${rule.max}`);
    }
    if (rule.pattern && !rule.pattern.test(value)) {
      throw constraintError(name, value, `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`);
    }
    return value;
  }
}
