/**
 * How the SQLite trail keeps a record: not its CloudTrail JSON (about 1 KB for a role session's
 * call) but what cannot be read from the row's other columns, as one short JSON array, with the
 * two long strings that recur from call to call (the caller's userIdentity JSON and the user agent)
 * replaced by the id of a copy kept once (the `strings` ids below). A lookup rebuilds the packed
 * record and writes its JSON with packedJson, so it reads back the same text, byte for byte.
 *
 * Why: receiving and storing a record cost the trail's writer thread 14.5-16.3 µs (in process, a
 * role session's GetCallerIdentity), which on a two-core machine is taken from the request thread
 * and the clients; the JSON made for every record and the kilobyte SQLite then wrote (into a page,
 * the WAL, and the database at checkpoint) were about 4 µs of it. The array is about 200 bytes and
 * JSON.stringify writes it in one piece: 9.8-11.9 µs a record, measured alternately.
 *
 * The row's columns give eventName, eventSource, eventID, readOnly, the access key id and the
 * user name. eventTime is kept only when it is not the row's event_time written as isoSeconds
 * (which the record builder always writes).
 */
import { isoSeconds } from '../domain/clock.js';
import type { JsonObject, TlsDetails } from './cloudtrail-event.js';
import type { PackedEvent } from './packed-event.js';

/** The first member of a compact record: its layout, should another ever be needed. */
const LAYOUT = 1;

/** The columns a compact record leaves out. */
export interface RecordColumns {
  time: number;
  eventId: string;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  accessKeyId: string | undefined;
  username: string | undefined;
}

/** Long recurring strings, kept once: the id of a string (used by a record of `time`), and the string of an id. */
export interface StringTable {
  idOf(text: string, time: number): number;
  textOf(id: number): string;
}

type CompactRecord = [
  layout: number,
  eventVersion: string,
  userIdentity: number,
  eventTime: string | null,
  awsRegion: string,
  sourceIPAddress: string,
  userAgent: number,
  errorCode: string | null,
  errorMessage: string | null,
  requestParameters: JsonObject | null,
  responseElements: JsonObject | null,
  requestID: string,
  eventType: string,
  managementEvent: boolean,
  recipientAccountId: string,
  eventCategory: string,
  tlsDetails: TlsDetails | null,
];

let lastTime = { time: NaN, text: '' };

/** eventTime as the record builder writes it, from epoch seconds (records come in time order: the last one is kept). */
export function eventTimeText(time: number): string {
  if (time !== lastTime.time) lastTime = { time, text: isoSeconds(new Date(time * 1000)) };
  return lastTime.text;
}

/**
 * The record as kept, given the columns it is stored with (time: its eventTime in epoch seconds);
 * `strings` gives the ids of its identity's JSON and its user agent.
 */
export function compactRecord(packed: PackedEvent, time: number, strings: Pick<StringTable, 'idOf'>): string {
  const [eventVersion, userIdentityJson, , , eventTime, , , awsRegion, sourceIPAddress, userAgent, errorCode, errorMessage,
    requestParameters, responseElements, requestID, , , eventType, managementEvent, recipientAccountId, eventCategory, tlsDetails] = packed;
  const compact: CompactRecord = [
    LAYOUT, eventVersion, strings.idOf(userIdentityJson, time), eventTime === eventTimeText(time) ? null : eventTime, awsRegion, sourceIPAddress,
    strings.idOf(userAgent, time), errorCode ?? null, errorMessage ?? null, requestParameters, responseElements, requestID, eventType, managementEvent,
    recipientAccountId, eventCategory, tlsDetails ?? null,
  ];
  return JSON.stringify(compact);
}

/** Whether a stored body is a compact record (rows written before it are the record's JSON, an object). */
export function isCompact(body: string): boolean {
  return body.charCodeAt(0) === 0x5b; // [
}

/** The packed record back, from the compact text and its row's columns. */
export function expandRecord(body: string, columns: RecordColumns, strings: StringTable): PackedEvent {
  const [layout, eventVersion, userIdentity, eventTime, awsRegion, sourceIPAddress, userAgent, errorCode, errorMessage, requestParameters,
    responseElements, requestID, eventType, managementEvent, recipientAccountId, eventCategory, tlsDetails] = JSON.parse(body) as CompactRecord;
  if (layout !== LAYOUT) throw new Error(`trail record layout ${layout} is not known to this version of iamd`);
  return [
    eventVersion, strings.textOf(userIdentity), columns.accessKeyId, columns.username, eventTime ?? eventTimeText(columns.time), columns.eventSource,
    columns.eventName, awsRegion, sourceIPAddress, strings.textOf(userAgent), errorCode ?? undefined, errorMessage ?? undefined, requestParameters,
    responseElements, requestID, columns.eventId, columns.readOnly, eventType, managementEvent, recipientAccountId, eventCategory, tlsDetails ?? undefined,
  ];
}
