/**
 * CloudTrail LookupEvents over iamd's trail. AWS allows one lookup attribute per call, so the
 * console sends the most selective filter it has (access key, else event name) and applies the
 * others (principal, result) to the events it gets back.
 */
import { callJson, CLOUDTRAIL, signedInKey } from '../lib/api.js';

export type LookupKey = 'AccessKeyId' | 'EventName' | 'Username';

export interface TrailEvent {
  eventId: string;
  eventName: string;
  eventSource: string;
  eventTime: string;
  readOnly: boolean;
  accessKeyId?: string;
  principalArn?: string;
  identityType?: string;
  sourceIp?: string;
  userAgent?: string;
  errorCode?: string;
  errorMessage?: string;
  /** the whole record, as CloudTrailEvent carries it */
  record: string;
}

export type EventResult = 'succeeded' | 'denied' | 'failed';

const DENIED = /^(AccessDenied|AccessDeniedException|Client\.UnauthorizedOperation|UnauthorizedOperation|InvalidClientTokenId|SignatureDoesNotMatch|ExpiredToken|ExpiredTokenException|AuthFailure|UnrecognizedClientException|IncompleteSignature|MissingAuthenticationToken)$/;

/** Denied: refused by a policy or for its credentials; failed: any other error. */
export function resultOf(event: TrailEvent): EventResult {
  if (event.errorCode === undefined) return 'succeeded';
  return DENIED.test(event.errorCode) ? 'denied' : 'failed';
}

/** A read call made by this console (its polling), signed with the signed-in key from this browser. */
export function isConsoleRead(event: TrailEvent): boolean {
  return event.readOnly && event.accessKeyId === signedInKey() && event.userAgent === navigator.userAgent;
}

interface RawEvent {
  EventId?: unknown;
  EventName?: unknown;
  EventSource?: unknown;
  EventTime?: unknown;
  ReadOnly?: unknown;
  AccessKeyId?: unknown;
  CloudTrailEvent?: unknown;
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function eventTime(value: unknown): string {
  if (typeof value === 'number') return new Date(value * 1000).toISOString();
  return typeof value === 'string' ? value : '';
}

function trailEvent(raw: RawEvent): TrailEvent {
  const recordText = typeof raw.CloudTrailEvent === 'string' ? raw.CloudTrailEvent : '{}';
  let record: Record<string, unknown> = {};
  try {
    record = JSON.parse(recordText) as Record<string, unknown>;
  } catch {
    record = {};
  }
  const identity = (typeof record.userIdentity === 'object' && record.userIdentity !== null ? record.userIdentity : {}) as Record<string, unknown>;
  const optional: Partial<TrailEvent> = {
    accessKeyId: str(raw.AccessKeyId) ?? str(identity.accessKeyId), principalArn: str(identity.arn), identityType: str(identity.type),
    sourceIp: str(record.sourceIPAddress), userAgent: str(record.userAgent), errorCode: str(record.errorCode), errorMessage: str(record.errorMessage),
  };
  return {
    eventId: str(raw.EventId) ?? '', eventName: str(raw.EventName) ?? '', eventSource: str(raw.EventSource) ?? '',
    eventTime: eventTime(raw.EventTime), readOnly: raw.ReadOnly === 'true' || raw.ReadOnly === true, record: recordText,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
  };
}

export interface LookupQuery {
  attribute?: { key: LookupKey; value: string };
  /** epoch seconds, inclusive */
  startTime?: number;
  nextToken?: string;
  maxResults?: number;
}

export async function lookupEvents(query: LookupQuery): Promise<{ events: TrailEvent[]; nextToken?: string }> {
  const input: Record<string, unknown> = { MaxResults: query.maxResults ?? 50 };
  if (query.attribute) input.LookupAttributes = [{ AttributeKey: query.attribute.key, AttributeValue: query.attribute.value }];
  if (query.startTime !== undefined) input.StartTime = query.startTime;
  if (query.nextToken !== undefined) input.NextToken = query.nextToken;
  const answer = (await callJson(CLOUDTRAIL, 'LookupEvents', input)) as { Events?: unknown; NextToken?: unknown };
  const events = Array.isArray(answer.Events) ? answer.Events.map((raw) => trailEvent(raw as RawEvent)) : [];
  const nextToken = str(answer.NextToken);
  return { events, ...(nextToken !== undefined ? { nextToken } : {}) };
}
