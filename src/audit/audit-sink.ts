/**
 * The audit hook: the pipeline hands one record per request to the sink, on every exit path,
 * failures included. The CloudTrail-format trail arrives with the audit issue; until then the
 * default sink keeps nothing. Records are built from redacted fields only: no secret key,
 * session token or signature is ever put in one.
 */
export interface AuditRecord {
  requestId: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  accessKeyId?: string;
  principalArn?: string;
  userIdentityType?: string;
  errorCode?: string;
  errorMessage?: string;
  statusCode: number;
}

export interface AuditSink {
  record(record: AuditRecord): void;
}

export const noAudit: AuditSink = { record() {} };

/** Keeps records in memory: for tests. */
export class MemoryAuditSink implements AuditSink {
  readonly records: AuditRecord[] = [];
  record(record: AuditRecord): void {
    this.records.push(record);
  }
}
