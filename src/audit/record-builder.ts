/**
 * The one place a trail record is built: from what the pipeline knows when a request ends, allowed,
 * denied or failed. It runs on the request path, so it only assembles (identities are cached per
 * caller, the time string per second); serializing and storing happen later, in batches
 * (audit-trail.ts).
 *
 * Choices, with AWS's behaviour they follow:
 * - eventSource is `<signing name>.amazonaws.com`; awsRegion the region the client signed for
 *   (IAM is global: its events are recorded in us-east-1, as on AWS).
 * - sourceIPAddress: a request that came through a running instance's own address (src/network)
 *   comes from inside that instance, so the instance's private IP is recorded, as AWS records calls
 *   made through a VPC endpoint; otherwise the socket's peer address.
 * - readOnly: Get*, List*, Describe*, Lookup*, Head*, Simulate*, and STS's AssumeRole* (AWS marks
 *   AssumeRole readOnly too). responseElements are kept for calls that change something and for
 *   STS's credential operations (redacted: see parameters.ts); null otherwise and on failure.
 * - errorCode is the code the client saw; EC2 prefixes it with Client./Server. as AWS does
 *   (Client.UnauthorizedOperation).
 * - eventCategory Management (managementEvent true), Data for S3's object-level operations.
 * - vpcEndpointId is not recorded (instance addresses are not VPC endpoints).
 */
import type { Caller } from '../auth/caller.js';
import { isoSeconds } from '../domain/clock.js';
import type { AwsError } from '../protocol/aws-error.js';
import type { XmlObject } from '../protocol/xml.js';
import type { App } from '../server/app.js';
import type { ParsedSignature } from '../sigv4/index.js';
import type { CloudTrailEvent, JsonObject, TlsDetails } from './cloudtrail-event.js';
import { jsonRequestParameters, queryRequestParameters, recordedRequestParameters, responseElements } from './parameters.js';
import { claimedIdentity, identityOfCaller } from './user-identity.js';

/** What the pipeline knows about a finished request. */
export interface AuditFacts {
  requestId: string;
  /** when the request completed */
  time: Date;
  /** the SigV4 signing name of the service (sts, iam, ec2, cloudtrail ...) */
  service: string;
  action: string;
  caller: Caller | undefined;
  signature: ParsedSignature | null;
  remoteAddress: string;
  localAddress: string;
  userAgent: string;
  /** the TLS session, when the request came over TLS */
  tls?: { version?: string; cipherSuite?: string; host?: string };
  /** the error as the client received it */
  error: AwsError | undefined;
  /** query-protocol parameters as read, a JSON-protocol input document, or a REST request's parameters as CloudTrail names them */
  params?: ReadonlyMap<string, string>;
  document?: Readonly<Record<string, unknown>>;
  recorded?: Readonly<Record<string, string>>;
  /** the handler's result (success only) */
  result?: XmlObject;
}

const READ_ONLY = /^(?:Get|List|Describe|Lookup|Head|Simulate|AssumeRole)/;
/** STS operations whose responses are recorded although they are read-only. */
const CREDENTIAL_OPERATIONS = /^(?:AssumeRole|GetSessionToken$|GetFederationToken$)/;
/** S3's object-level operations: data events. */
const S3_DATA_EVENTS = new Set([
  'GetObject', 'PutObject', 'HeadObject', 'DeleteObject', 'DeleteObjects', 'CopyObject', 'CreateMultipartUpload', 'UploadPart',
  'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts', 'GetObjectTagging', 'PutObjectTagging',
]);
/** Operations CloudTrail records under another name: S3's ListObjectsV2 is a ListObjects event (with list-type 2 in its parameters). */
const S3_EVENT_NAMES: ReadonlyMap<string, string> = new Map([['ListObjectsV2', 'ListObjects']]);
/** `<service>.amazonaws.com`, made once per service (a string made per record is copied again when the record is handed over). */
const eventSources = new Map<string, string>();

function eventSourceOf(service: string): string {
  let source = eventSources.get(service);
  if (source === undefined) {
    source = `${service}.amazonaws.com`;
    if (eventSources.size < 64) eventSources.set(service, source);
  }
  return source;
}
const MAX_USER_AGENT = 1024;
const MAX_NAME = 128;

export function isReadOnly(eventName: string): boolean {
  return READ_ONLY.test(eventName);
}

let lastSecond = { second: NaN, text: '' };

function eventTimeOf(time: Date): string {
  const second = Math.floor(time.getTime() / 1000);
  if (second !== lastSecond.second) lastSecond = { second, text: isoSeconds(time) };
  return lastSecond.text;
}

function clipped(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}

export function buildAuditEvent(app: App, facts: AuditFacts): CloudTrailEvent {
  const service = clipped(facts.service, MAX_NAME);
  const eventName = clipped((service === 's3' ? S3_EVENT_NAMES.get(facts.action) : undefined) ?? facts.action, MAX_NAME);
  const readOnly = isReadOnly(eventName);
  const error = facts.error;
  const data = service === 's3' && S3_DATA_EVENTS.has(eventName);
  let requestParameters: JsonObject | null = null;
  if (facts.recorded !== undefined) requestParameters = recordedRequestParameters(facts.recorded);
  else if (facts.document !== undefined) requestParameters = jsonRequestParameters(facts.document, `${service}:${facts.action}`);
  else if (facts.params !== undefined) requestParameters = queryRequestParameters(facts.params);
  const keepResponse = error === undefined && (!readOnly || (service === 'sts' && CREDENTIAL_OPERATIONS.test(eventName)));
  const event: CloudTrailEvent = {
    eventVersion: '1.08',
    userIdentity: facts.caller ? identityOfCaller(app, facts.caller) : claimedIdentity(app, facts.signature),
    eventTime: eventTimeOf(facts.time),
    eventSource: eventSourceOf(service),
    eventName,
    awsRegion: service === 'iam' ? 'us-east-1' : (facts.signature?.region ?? app.region),
    sourceIPAddress: app.network.source(facts.localAddress)?.privateIp ?? facts.remoteAddress,
    userAgent: clipped(facts.userAgent, MAX_USER_AGENT),
    // undefined members are left out when the record is serialized; set here to keep AWS's field order
    errorCode: error === undefined ? undefined : service === 'ec2' ? `${error.fault === 'Receiver' ? 'Server' : 'Client'}.${error.code}` : error.code,
    errorMessage: error?.message,
    requestParameters,
    responseElements: keepResponse ? responseElements(facts.result) : null,
    requestID: facts.requestId,
    eventID: app.ids.requestId(),
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: !data,
    recipientAccountId: app.accountId,
    eventCategory: data ? 'Data' : 'Management',
  };
  if (facts.tls) {
    const tls: TlsDetails = {};
    if (facts.tls.version) tls.tlsVersion = facts.tls.version;
    if (facts.tls.cipherSuite) tls.cipherSuite = facts.tls.cipherSuite;
    if (facts.tls.host) tls.clientProvidedHostHeader = clipped(facts.tls.host, 256);
    event.tlsDetails = tls;
  }
  return event;
}
