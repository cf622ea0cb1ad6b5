/**
 * A record as the request thread hands it to the trail's writer thread, and its JSON: the text
 * JSON.stringify writes for a record from the record builder (same members, same order, undefined
 * members left out), which lookups answer with and the JSON-lines file holds. The SQLite trail
 * keeps a shorter form of the tuple (compact-record.ts) and writes the JSON when a lookup reads it.
 *
 * Why packed: the request thread is the server's bottleneck. Posting a record as an object costs it
 * a structured clone of every member name and nested object (about 1.0 µs a record, measured in
 * process; a tuple 0.55 µs), and the writer then spent about 2.7 µs in JSON.stringify (Node 20, a
 * 1 KB role-session record). Packed, a record is a flat tuple of the event's members (no member
 * names to clone) whose userIdentity is already JSON: an identity is the same frozen object for
 * every call of a caller (user-identity.ts), so its JSON and lookup user name are made once and
 * kept with it. packedJson writes the record's JSON from the tuple, escaping each string as
 * JSON.stringify does (about 1.2 µs with its lookup fields); strings that recur from one record to
 * the next (time to the second, source, operation, region, address, user agent) are escaped once
 * and kept in a small cache.
 *
 * An event built elsewhere with its members in another order gets the same content in the record
 * builder's order, which is AWS's.
 */
import type { CloudTrailEvent, JsonObject, TlsDetails, UserIdentity } from './cloudtrail-event.js';
import { lookupUsername } from './user-identity.js';

export type PackedEvent = [
  eventVersion: string,
  userIdentityJson: string,
  accessKeyId: string | undefined,
  /** LookupEvents' Username */
  username: string | undefined,
  eventTime: string,
  eventSource: string,
  eventName: string,
  awsRegion: string,
  sourceIPAddress: string,
  userAgent: string,
  errorCode: string | undefined,
  errorMessage: string | undefined,
  requestParameters: JsonObject | null,
  responseElements: JsonObject | null,
  requestID: string,
  eventID: string,
  readOnly: boolean,
  eventType: string,
  managementEvent: boolean,
  recipientAccountId: string,
  eventCategory: string,
  tlsDetails: TlsDetails | undefined,
];

interface PackedIdentity {
  json: string;
  username: string | undefined;
}

const packedIdentities = new WeakMap<UserIdentity, PackedIdentity>();

/** The identity's JSON and user name, kept for frozen (shared, immutable) identities. */
function packIdentity(identity: UserIdentity): PackedIdentity {
  let packed = packedIdentities.get(identity);
  if (packed === undefined) {
    packed = { json: JSON.stringify(identity), username: lookupUsername(identity) };
    if (Object.isFrozen(identity)) packedIdentities.set(identity, packed);
  }
  return packed;
}

/** On the request thread: a few property reads, no serializing. */
export function packEvent(event: CloudTrailEvent): PackedEvent {
  const identity = packIdentity(event.userIdentity);
  return [
    event.eventVersion, identity.json, event.userIdentity.accessKeyId, identity.username, event.eventTime, event.eventSource,
    event.eventName, event.awsRegion, event.sourceIPAddress, event.userAgent, event.errorCode, event.errorMessage,
    event.requestParameters, event.responseElements, event.requestID, event.eventID, event.readOnly, event.eventType,
    event.managementEvent, event.recipientAccountId, event.eventCategory, event.tlsDetails,
  ];
}

/** Quoted strings that recur from one record to the next; cleared when full (a client varying its user agent). */
const quotedCache = new Map<string, string>();
const QUOTED_CACHE_LIMIT = 2048;

function quoted(text: string): string {
  let json = quotedCache.get(text);
  if (json === undefined) {
    json = JSON.stringify(text);
    if (quotedCache.size >= QUOTED_CACHE_LIMIT) quotedCache.clear();
    quotedCache.set(text, json);
  }
  return json;
}

/** A member as JSON.stringify writes it after another, or nothing when its value is undefined. */
function member(name: string, value: unknown): string {
  return value === undefined ? '' : `,"${name}":${JSON.stringify(value)}`;
}

/** The record's CloudTrail JSON (for a lookup, the JSON-lines file, the memory store). */
export function packedJson(packed: PackedEvent): string {
  const [eventVersion, userIdentityJson, , , eventTime, eventSource, eventName, awsRegion, sourceIPAddress, userAgent, errorCode, errorMessage,
    requestParameters, responseElements, requestID, eventID, readOnly, eventType, managementEvent, recipientAccountId, eventCategory, tlsDetails] = packed;
  return `{"eventVersion":${quoted(eventVersion)},"userIdentity":${userIdentityJson},"eventTime":${quoted(eventTime)}`
    + `,"eventSource":${quoted(eventSource)},"eventName":${quoted(eventName)},"awsRegion":${quoted(awsRegion)}`
    + `,"sourceIPAddress":${quoted(sourceIPAddress)},"userAgent":${quoted(userAgent)}`
    + member('errorCode', errorCode) + member('errorMessage', errorMessage)
    + member('requestParameters', requestParameters) + member('responseElements', responseElements)
    + `,"requestID":${JSON.stringify(requestID)},"eventID":${JSON.stringify(eventID)},"readOnly":${readOnly}`
    + `,"eventType":${quoted(eventType)},"managementEvent":${managementEvent},"recipientAccountId":${quoted(recipientAccountId)}`
    + `,"eventCategory":${quoted(eventCategory)}${member('tlsDetails', tlsDetails)}}`;
}
