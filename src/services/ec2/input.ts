/**
 * Reading EC2 requests: EC2's query variant flattens lists as `Name.N` (QueryInput with the 'flat'
 * list style) and answers a missing or bad parameter with MissingParameter / InvalidParameterValue,
 * not with the query protocol's ValidationError. Filters (`Filter.N.Name`, `Filter.N.Value.M`, with
 * EC2's `*` and `?` wildcards), MaxResults/NextToken pages and TagSpecification.N are read here too.
 */
import type { Tag } from '../../directory/types.js';
import { AwsError } from '../../protocol/aws-error.js';
import type { QueryInput } from '../../protocol/query-input.js';
import { invalidFilter, invalidNextToken, invalidParameterCombination, invalidParameterValue, missingParameter } from './errors.js';

export class Ec2Input {
  constructor(private readonly query: QueryInput) {}

  has(name: string): boolean {
    return this.query.has(name);
  }

  string(name: string): string | undefined {
    return this.query.params.get(name);
  }

  /** A parameter the operation cannot do without; `shown` is the name EC2's message uses. */
  required(name: string, shown = name): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw missingParameter(shown);
    return value;
  }

  integer(name: string): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    if (!/^-?\d{1,10}$/.test(text)) throw invalidParameterValue(`Invalid value '${text}' for ${name}. It must be an integer.`);
    return Number(text);
  }

  boolean(name: string): boolean | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const lower = text.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw invalidParameterValue(`Invalid value '${text}' for ${name}. It must be true or false.`);
    return lower === 'true';
  }

  list(name: string): string[] {
    return this.query.list(name);
  }

  structures(name: string): Ec2Input[] {
    return this.query.structures(name).map((inner) => new Ec2Input(inner));
  }

  structure(name: string): Ec2Input {
    return new Ec2Input(this.query.structure(name));
  }

  /** Whether any parameter starts with `name.` (a structure was given). */
  hasStructure(name: string): boolean {
    const prefix = `${name}.`;
    for (const key of this.query.params.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  get dryRun(): boolean {
    return this.boolean('DryRun') ?? false;
  }
}

// --- filters

export interface Filter {
  name: string;
  values: string[];
}

export function filtersOf(input: Ec2Input): Filter[] {
  return input.structures('Filter').map((item) => ({ name: item.required('Name', 'Filter.Name'), values: item.list('Value') }));
}

type FieldValue = string | number | boolean | undefined;
/** How a filter name reads a row: one value or several (a row matches when any value matches). */
export type FilterField<T> = (row: T) => FieldValue | readonly FieldValue[];
export type FilterFields<T> = Readonly<Record<string, FilterField<T>>>;

const patternCache = new Map<string, RegExp>();

/** EC2 filter values: `*` any run of characters, `?` one character, `\` escapes; case-sensitive. */
export function filterPattern(value: string): RegExp {
  let compiled = patternCache.get(value);
  if (compiled) return compiled;
  let source = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char === '\\' && i + 1 < value.length) source += escapeRegExp(value[++i]!);
    else if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else source += escapeRegExp(char);
  }
  compiled = new RegExp(`^${source}$`);
  if (patternCache.size > 1000) patternCache.clear();
  patternCache.set(value, compiled);
  return compiled;
}

function escapeRegExp(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}

/**
 * The rows that match every filter (a filter matches when any of its values does). `tag:KEY`,
 * `tag-key` and `tag-value` work for any row that has tags; an unknown name is EC2's
 * "The filter 'x' is invalid".
 */
export function applyFilters<T>(rows: readonly T[], filters: readonly Filter[], fields: FilterFields<T>, tagsOf?: (row: T) => readonly Tag[]): T[] {
  if (filters.length === 0) return [...rows];
  const tests = filters.map((filter) => filterTest(filter, fields, tagsOf));
  return rows.filter((row) => tests.every((test) => test(row)));
}

function filterTest<T>(filter: Filter, fields: FilterFields<T>, tagsOf?: (row: T) => readonly Tag[]): (row: T) => boolean {
  const patterns = filter.values.map(filterPattern);
  const anyMatches = (values: readonly FieldValue[]): boolean =>
    values.some((value) => value !== undefined && patterns.some((pattern) => pattern.test(String(value))));
  if (tagsOf && filter.name.startsWith('tag:')) {
    const key = filter.name.slice(4);
    return (row) => anyMatches(tagsOf(row).filter((tag) => tag.Key === key).map((tag) => tag.Value));
  }
  if (tagsOf && filter.name === 'tag-key') return (row) => anyMatches(tagsOf(row).map((tag) => tag.Key));
  if (tagsOf && filter.name === 'tag-value') return (row) => anyMatches(tagsOf(row).map((tag) => tag.Value));
  const field = Object.prototype.hasOwnProperty.call(fields, filter.name) ? fields[filter.name] : undefined;
  if (!field) throw invalidFilter(filter.name);
  return (row) => {
    const value = field(row);
    return anyMatches(Array.isArray(value) ? value : [value as FieldValue]);
  };
}

// --- pages

export interface PageRequest {
  maxResults?: number;
  nextToken?: string;
}

/** MaxResults and NextToken; MaxResults outside [min, max] is answered as EC2 does. */
export function pageRequest(input: Ec2Input, range: { min: number; max: number } = { min: 5, max: 1000 }): PageRequest {
  const maxResults = input.integer('MaxResults');
  if (maxResults !== undefined && maxResults < range.min) {
    throw invalidParameterValue(`Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value greater than ${range.min}.`);
  }
  if (maxResults !== undefined && maxResults > range.max) {
    throw invalidParameterValue(`Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value less than ${range.max}.`);
  }
  const nextToken = input.string('NextToken');
  return { ...(maxResults !== undefined ? { maxResults } : {}), ...(nextToken ? { nextToken } : {}) };
}

/**
 * The InstanceId.N list and the page of DescribeInstances and DescribeInstanceStatus: EC2 refuses
 * to page a request that names its instances.
 */
export function instanceIdsOrPage(input: Ec2Input): { ids: string[]; page: PageRequest } {
  const ids = input.list('InstanceId');
  const page = pageRequest(input);
  if (ids.length > 0 && page.maxResults !== undefined) {
    throw invalidParameterCombination('The parameter instancesSet cannot be used with the parameter maxResults');
  }
  return { ids, page };
}

export function paginate<T>(rows: readonly T[], page: PageRequest): { items: T[]; nextToken?: string } {
  const start = page.nextToken === undefined ? 0 : tokenOffset(page.nextToken);
  if (page.maxResults === undefined) return { items: rows.slice(start) };
  const end = start + page.maxResults;
  const items = rows.slice(start, end);
  return end < rows.length ? { items, nextToken: Buffer.from(`ec2:${end}`).toString('base64') } : { items };
}

function tokenOffset(token: string): number {
  const match = /^ec2:(\d{1,9})$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (!match) throw invalidNextToken();
  return Number(match[1]);
}

// --- tags

const MAX_TAGS = 50;

/** Tag.N.Key / Tag.N.Value (TagSpecification.N.Tag.M, CreateTags) as EC2 validates them. */
export function tagListOf(input: Ec2Input, name = 'Tag'): Tag[] {
  const byKey = new Map<string, Tag>();
  for (const item of input.structures(name)) {
    const key = item.string('Key');
    if (key === undefined || key === '') throw invalidParameterValue('Tag key must not be empty.');
    const value = item.string('Value') ?? '';
    validateTag(key, value);
    byKey.set(key, { Key: key, Value: value });
  }
  const tags = [...byKey.values()];
  if (tags.length > MAX_TAGS) throw tagLimitExceeded();
  return tags;
}

export function validateTag(key: string, value: string): void {
  if (key.length > 128) throw invalidParameterValue(`Tag key exceeds the maximum length of 128 characters: '${key}'`);
  if (value.length > 256) throw invalidParameterValue(`Tag value exceeds the maximum length of 256 characters for key '${key}'`);
  if (key.toLowerCase().startsWith('aws:')) throw invalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
}

export function tagLimitExceeded(): AwsError {
  return new AwsError('TagLimitExceeded', `The maximum number of tags per resource is ${MAX_TAGS}.`, 400);
}

/**
 * TagSpecification.N: tags by resource type. A type this operation cannot tag is EC2's
 * "'vpc' is not a valid taggable resource type for this operation."
 */
export function tagSpecificationsOf(input: Ec2Input, allowed: readonly string[]): Map<string, Tag[]> {
  const byType = new Map<string, Tag[]>();
  for (const spec of input.structures('TagSpecification')) {
    const type = spec.string('ResourceType');
    if (type === undefined) throw missingParameter('TagSpecification.ResourceType');
    if (!allowed.includes(type)) throw invalidParameterValue(`'${type}' is not a valid taggable resource type for this operation.`);
    const merged = new Map((byType.get(type) ?? []).map((tag) => [tag.Key, tag]));
    for (const tag of tagListOf(spec, 'Tag')) merged.set(tag.Key, tag);
    if (merged.size > MAX_TAGS) throw tagLimitExceeded();
    byType.set(type, [...merged.values()]);
  }
  return byType;
}
