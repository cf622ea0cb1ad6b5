/**
 * cloudtrail:LookupEvents (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html)
 * over iamd's trail: every API call iamd answered, allowed, denied or failed.
 *
 * As on AWS: at most one lookup attribute (AccessKeyId, EventId, EventName, EventSource, ReadOnly,
 * ResourceName, ResourceType, Username); StartTime/EndTime inclusive, epoch seconds; MaxResults
 * 1-50, default 50; newest first; a NextToken is valid only with the parameters it was issued for
 * (InvalidNextTokenException otherwise). EventCategory `insight` returns nothing (iamd has no
 * Insights events). Each event carries the whole record as the CloudTrailEvent JSON string.
 *
 * Known gaps: no rate limit (AWS allows two lookups per second per account); the trail is kept
 * for the server's retention (default 90 days, as AWS's event history) whatever the region asked.
 */
import { createHash } from 'node:crypto';
import { LOOKUP_ATTRIBUTE_KEYS, type LookupAttributeKey, type StoredTrailEvent, type TrailCursor, type TrailQuery } from '../../audit/trail-store.js';
import { JsonInput } from '../../protocol/json-protocol.js';
import type { QueryInput } from '../../protocol/query-input.js';
import type { XmlObject } from '../../protocol/xml.js';
import { operation } from '../service.js';
import { invalidEventCategory, invalidLookupAttributes, invalidMaxResults, invalidNextToken, invalidTimeRange } from './errors.js';

const DEFAULT_MAX_RESULTS = 50;

interface LookupEventsInput {
  attribute?: { key: LookupAttributeKey; value: string };
  startTime?: number;
  endTime?: number;
  maxResults: number;
  nextToken?: string;
  insight: boolean;
}

function isAttributeKey(key: string): key is LookupAttributeKey {
  return (LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key);
}

function timestamp(query: QueryInput, name: string): number | undefined {
  return query instanceof JsonInput ? query.timestamp(name) : undefined;
}

function readInput(query: QueryInput): LookupEventsInput {
  const attributes = query.structures('LookupAttributes');
  if (attributes.length > 1) throw invalidLookupAttributes('You cannot specify more than one lookup attribute.');
  let attribute: LookupEventsInput['attribute'];
  if (attributes.length === 1) {
    const item = attributes[0]!;
    const key = item.optional('AttributeKey') ?? '';
    const value = item.optional('AttributeValue') ?? '';
    if (!isAttributeKey(key)) throw invalidLookupAttributes(`Invalid attribute key '${key}': it must be one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}.`);
    if (value.length < 1 || value.length > 2000) throw invalidLookupAttributes('The attribute value must be between 1 and 2000 characters long.');
    if (key === 'ReadOnly' && value !== 'true' && value !== 'false') throw invalidLookupAttributes("The ReadOnly attribute value must be 'true' or 'false'.");
    attribute = { key, value };
  }
  const maxResults = query.has('MaxResults') ? readMaxResults(query) : DEFAULT_MAX_RESULTS;
  const startTime = timestamp(query, 'StartTime');
  const endTime = timestamp(query, 'EndTime');
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) throw invalidTimeRange('The start time must not be later than the end time.');
  const category = query.optional('EventCategory');
  if (category !== undefined && category !== 'insight') throw invalidEventCategory(`Invalid event category '${category}': the only category is 'insight'.`);
  const nextToken = query.optional('NextToken');
  return {
    maxResults, insight: category === 'insight',
    ...(attribute ? { attribute } : {}),
    ...(startTime !== undefined ? { startTime: Math.ceil(startTime) } : {}),
    ...(endTime !== undefined ? { endTime: Math.floor(endTime) } : {}),
    ...(nextToken !== undefined ? { nextToken } : {}),
  };
}

function readMaxResults(query: QueryInput): number {
  let value: number | undefined;
  try {
    value = query.integer('MaxResults');
  } catch {
    throw invalidMaxResults('MaxResults must be a whole number from 1 to 50.');
  }
  if (value === undefined || value < 1 || value > 50) throw invalidMaxResults('MaxResults must be a whole number from 1 to 50.');
  return value;
}

/** What a NextToken is bound to: the same attribute and time range. */
function fingerprint(input: LookupEventsInput): string {
  return createHash('sha256').update(JSON.stringify([input.attribute?.key, input.attribute?.value, input.startTime, input.endTime])).digest('base64url').slice(0, 16);
}

function encodeToken(cursor: TrailCursor, input: LookupEventsInput): string {
  return Buffer.from(JSON.stringify({ t: cursor.time, s: cursor.seq, f: fingerprint(input) })).toString('base64url');
}

function decodeToken(token: string, input: LookupEventsInput): TrailCursor {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const fields = decoded as { t?: unknown; s?: unknown; f?: unknown } | undefined;
  if (!fields || typeof fields.t !== 'number' || typeof fields.s !== 'number' || typeof fields.f !== 'string') throw invalidNextToken('Invalid NextToken.');
  if (fields.f !== fingerprint(input)) throw invalidNextToken('The NextToken was issued for a request with different parameters.');
  return { time: fields.t, seq: fields.s };
}

function eventXml(event: StoredTrailEvent): XmlObject {
  return {
    EventId: event.eventId,
    EventName: event.eventName,
    ReadOnly: event.readOnly ? 'true' : 'false',
    AccessKeyId: event.accessKeyId,
    EventTime: new Date(event.time * 1000),
    EventSource: event.eventSource,
    Username: event.username,
    Resources: event.resources.map((resource) => ({ ResourceType: resource.type, ResourceName: resource.name })),
    CloudTrailEvent: event.json,
  };
}

export const lookupEvents = operation<LookupEventsInput>({
  input: readInput,
  authorize: () => ({ action: 'cloudtrail:LookupEvents', resource: '*' }),
  async handle(input, ctx) {
    const after = input.nextToken === undefined ? undefined : decodeToken(input.nextToken, input);
    if (input.insight) return { Events: [] };
    const query: TrailQuery = {
      limit: input.maxResults,
      ...(input.attribute ? { attribute: input.attribute } : {}),
      ...(input.startTime !== undefined ? { startTime: input.startTime } : {}),
      ...(input.endTime !== undefined ? { endTime: input.endTime } : {}),
      ...(after ? { after } : {}),
    };
    const page = await ctx.app.audit.lookup(query);
    return {
      Events: page.events.map(eventXml),
      NextToken: page.next ? encodeToken(page.next, input) : undefined,
    };
  },
});
