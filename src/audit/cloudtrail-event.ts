/**
 * The shape of one trail record: CloudTrail's event format, eventVersion 1.08, as AWS writes it for
 * API calls (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html,
 * .../cloudtrail-event-reference-user-identity.html). Optional fields are left out when they do not
 * apply, as AWS leaves them out; `requestParameters` and `responseElements` are null when empty.
 *
 * Nothing in a record is a secret: identities carry access key ids only, and parameters and
 * responses are redacted where they are built (parameters.ts).
 */

/** A JSON value as it appears in requestParameters and responseElements. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type IdentityType = 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'Unknown';

export interface SessionIssuer {
  type: 'Role' | 'IAMUser' | 'Root';
  principalId: string;
  arn: string;
  accountId: string;
  userName?: string;
}

export interface SessionContext {
  sessionIssuer?: SessionIssuer;
  attributes: {
    /** when the temporary credentials were issued, whole seconds */
    creationDate: string;
    mfaAuthenticated: 'true' | 'false';
  };
  /** instance credentials: the metadata service version that delivered them */
  ec2RoleDelivery?: '1.0' | '2.0';
  sourceIdentity?: string;
}

export interface UserIdentity {
  type: IdentityType;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: SessionContext;
}

export interface TlsDetails {
  tlsVersion?: string;
  cipherSuite?: string;
  clientProvidedHostHeader?: string;
}

export interface CloudTrailEvent {
  eventVersion: '1.08';
  userIdentity: UserIdentity;
  /** whole seconds, Z */
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: JsonObject | null;
  responseElements: JsonObject | null;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  eventType: 'AwsApiCall';
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: 'Management' | 'Data';
  tlsDetails?: TlsDetails;
}

/** A resource an event touched, as LookupEvents lists it (ResourceType, ResourceName). */
export interface EventResource {
  type: string;
  name: string;
}
