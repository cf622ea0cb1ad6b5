/**
 * Where trail records are kept and how they are found again: a small interface with two
 * implementations, SQLite (sqlite-trail-store.ts: the server's) and memory (tests). Records are
 * appended in batches and looked up the way CloudTrail's LookupEvents looks them up: at most one
 * attribute (AccessKeyId, Username, EventName, EventSource, EventId, ReadOnly, ResourceName,
 * ResourceType), a time range, newest first, a page at a time.
 *
 * What LookupEvents filters on is derived from the record when it is stored (off the request
 * path, from the packed record: packed-event.ts): the user name as the console shows it, and the
 * resources the call touched.
 */
import type { CloudTrailEvent, EventResource, JsonObject, JsonValue } from './cloudtrail-event.js';
import { packedJson, packEvent, type PackedEvent } from './packed-event.js';

export const LOOKUP_ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

/** A position in the trail, newest first: events strictly older than this come next. */
export interface TrailCursor {
  /** eventTime, epoch seconds */
  time: number;
  /** insertion order within the trail */
  seq: number;
}

export interface TrailQuery {
  attribute?: { key: LookupAttributeKey; value: string };
  /** epoch seconds, inclusive */
  startTime?: number;
  /** epoch seconds, inclusive */
  endTime?: number;
  limit: number;
  after?: TrailCursor;
}

/** What lookups filter on and show, derived from a record when it is stored. */
export interface TrailFields {
  time: number;
  eventId: string;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  accessKeyId?: string;
  username?: string;
  resources: EventResource[];
}

/** A record ready to be stored: the packed record (packedJson makes its JSON) and its lookup fields. */
export interface TrailEntry extends TrailFields {
  record: PackedEvent;
}

/** A record as a lookup finds it: its CloudTrail JSON, its fields and its place in the trail. */
export interface StoredTrailEvent extends TrailFields {
  seq: number;
  json: string;
}

export interface TrailPage {
  events: StoredTrailEvent[];
  /** set when more events match */
  next?: TrailCursor;
}

export interface TrailStore {
  /** Stores the entries in order, atomically; durable when it returns. */
  append(entries: readonly TrailEntry[]): void;
  lookup(query: TrailQuery): TrailPage;
  /** Deletes up to `limit` events older than `time` (epoch seconds); returns how many. */
  deleteBefore(time: number, limit: number): number;
  count(): number;
}

/** Members of requestParameters and responseElements that name a resource, with its LookupEvents type. */
const RESOURCE_MEMBERS: Readonly<Record<string, string>> = {
  roleArn: 'AWS::IAM::Role',
  roleName: 'AWS::IAM::Role',
  userName: 'AWS::IAM::User',
  groupName: 'AWS::IAM::Group',
  policyArn: 'AWS::IAM::Policy',
  instanceProfileName: 'AWS::IAM::InstanceProfile',
  accessKeyId: 'AWS::IAM::AccessKey',
  instanceId: 'AWS::EC2::Instance',
  vpcId: 'AWS::EC2::VPC',
  subnetId: 'AWS::EC2::Subnet',
  groupId: 'AWS::EC2::SecurityGroup',
  bucketName: 'AWS::S3::Bucket',
};
/** Response members whose `arn` names a session (AssumeRole's assumedRoleUser ...). */
const SESSION_ARNS: Readonly<Record<string, string>> = { assumedRoleUser: 'AWS::STS::AssumedRole', federatedUser: 'AWS::STS::FederatedUser' };

/** Whether `out` already has the resource (a record names a handful at most: a scan is cheaper than a Set). */
function hasResource(out: readonly EventResource[], type: string, name: string): boolean {
  for (const resource of out) if (resource.name === name && resource.type === type) return true;
  return false;
}

function collectResources(value: JsonValue, depth: number, out: EventResource[]): void {
  if (depth < 0 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collectResources(item, depth - 1, out);
    return;
  }
  for (const member in value) {
    const child = value[member]!;
    const type = RESOURCE_MEMBERS[member];
    if (type !== undefined) {
      if (Array.isArray(child)) {
        for (const name of child) if (typeof name === 'string' && name !== '' && !hasResource(out, type, name)) out.push({ type, name });
      } else if (typeof child === 'string' && child !== '' && !hasResource(out, type, child)) out.push({ type, name: child });
      continue;
    }
    const sessionType = SESSION_ARNS[member];
    if (sessionType !== undefined && child !== null && typeof child === 'object' && !Array.isArray(child) && typeof child.arn === 'string') {
      out.push({ type: sessionType, name: child.arn });
    } else collectResources(child, depth - 1, out);
  }
}

/** The resources a call touched, from its parameters and response. */
export function resourcesOf(requestParameters: JsonObject | null, responseElements: JsonObject | null): EventResource[] {
  const out: EventResource[] = [];
  if (requestParameters) collectResources(requestParameters, 3, out);
  if (responseElements) collectResources(responseElements, 3, out);
  return out;
}

let lastEventTime = { text: '', seconds: NaN };

/** eventTime in epoch seconds; records come in time order, so the last one is kept. */
function epochSeconds(eventTime: string): number {
  if (eventTime !== lastEventTime.text) lastEventTime = { text: eventTime, seconds: Math.floor(Date.parse(eventTime) / 1000) };
  return lastEventTime.seconds;
}

/** A record ready to be stored, with the fields lookups use (in the writer thread). */
export function packedEntry(packed: PackedEvent): TrailEntry {
  const [, , accessKeyId, username, eventTime, eventSource, eventName, , , , , , requestParameters, responseElements, , eventId, readOnly] = packed;
  const entry: TrailEntry = {
    time: epochSeconds(eventTime), eventId, eventName, eventSource, readOnly,
    resources: resourcesOf(requestParameters, responseElements),
    record: packed,
  };
  if (accessKeyId !== undefined) entry.accessKeyId = accessKeyId;
  if (username !== undefined) entry.username = username;
  return entry;
}

export function trailEntry(event: CloudTrailEvent): TrailEntry {
  return packedEntry(packEvent(event));
}

/** Whether an entry has the attribute (memory store; the SQLite store asks its indexes). */
export function hasAttribute(entry: TrailFields, attribute: NonNullable<TrailQuery['attribute']>): boolean {
  const { key, value } = attribute;
  switch (key) {
    case 'EventId':
      return entry.eventId === value;
    case 'EventName':
      return entry.eventName === value;
    case 'EventSource':
      return entry.eventSource === value;
    case 'AccessKeyId':
      return entry.accessKeyId === value;
    case 'Username':
      return entry.username === value;
    case 'ReadOnly':
      return entry.readOnly === (value === 'true');
    case 'ResourceName':
      return entry.resources.some((resource) => resource.name === value);
    case 'ResourceType':
      return entry.resources.some((resource) => resource.type === value);
  }
}

/** Newest first: later time, then later insertion. */
function newerFirst(a: StoredTrailEvent, b: StoredTrailEvent): number {
  return b.time - a.time || b.seq - a.seq;
}

function olderThan(event: StoredTrailEvent, cursor: TrailCursor): boolean {
  return event.time < cursor.time || (event.time === cursor.time && event.seq < cursor.seq);
}

/** The trail in memory: for tests, and for an App made without a data directory. */
export class MemoryTrailStore implements TrailStore {
  private readonly entries: StoredTrailEvent[] = [];
  private seq = 0;

  append(entries: readonly TrailEntry[]): void {
    for (const { record, ...fields } of entries) this.entries.push({ ...fields, seq: ++this.seq, json: packedJson(record) });
  }

  lookup(query: TrailQuery): TrailPage {
    const matching = this.entries.filter((event) => (query.attribute === undefined || hasAttribute(event, query.attribute))
      && (query.startTime === undefined || event.time >= query.startTime)
      && (query.endTime === undefined || event.time <= query.endTime)
      && (query.after === undefined || olderThan(event, query.after)));
    matching.sort(newerFirst);
    return pageOf(matching.slice(0, query.limit + 1), query.limit);
  }

  deleteBefore(time: number, limit: number): number {
    let deleted = 0;
    for (let index = this.entries.length - 1; index >= 0 && deleted < limit; index--) {
      if (this.entries[index]!.time < time) {
        this.entries.splice(index, 1);
        deleted++;
      }
    }
    return deleted;
  }

  count(): number {
    return this.entries.length;
  }
}

/** A page from up to limit + 1 matching events, newest first: the extra one says there is more. */
export function pageOf(events: StoredTrailEvent[], limit: number): TrailPage {
  if (events.length <= limit) return { events };
  const page = events.slice(0, limit);
  const last = page[page.length - 1]!;
  return { events: page, next: { time: last.time, seq: last.seq } };
}
