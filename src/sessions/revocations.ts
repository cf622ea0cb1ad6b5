/**
 * Targeted revocations: the access key ids iamd itself has cut (one session, an instance's sessions,
 * an exfiltration containment). The request path asks `revoked.has(accessKeyId)` right after the
 * session token is opened: a Set lookup, nothing else. `add` writes to the store (kind
 * 'session-revocation') before it changes the Set, and the store's write is durable when it returns,
 * so a revoke is on disk before its API call answers and in effect for the very next request on this
 * node; a restart loads the Set back. A revocation is kept until the session it covers expires (the
 * token is then refused as expired anyway) and dropped with it.
 *
 * The error a revoked session gets is InvalidClientTokenId, "The security token included in the
 * request is invalid.", the answer AWS gives for a credential it no longer accepts (a deleted or
 * deactivated access key) and that iamd gives for a token it cannot open. Not ExpiredToken: that one
 * says the credential's time ran out, which is not what happened (its Expiration is still ahead), and
 * would send whoever reads the audit trail or the client's error the wrong way. Neither code makes
 * the AWS CLI, boto3 or the JS SDK v3 retry or fetch new credentials (CLIENTS.md; smithy's error
 * classification and botocore's retry lists name neither); the Go SDK v1 alone treats ExpiredToken as
 * "refresh and retry", which with static stolen keys only repeats the failure. A revoked instance
 * credential is replaced by the metadata service at the instance's next fetch either way.
 */
import { AwsError } from '../protocol/aws-error.js';
import type { RecordChange, Store } from '../store/store.js';
import type { RevocationRecord } from './types.js';

export const REVOCATION_KIND = 'session-revocation';

/** The answer to a request signed with a revoked session (see above for why this code). */
export function revokedSessionError(): AwsError {
  return new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
}

export class Revocations {
  private readonly records = new Map<string, RevocationRecord>();
  /** the request path's check */
  readonly revoked = new Set<string>();

  constructor(private readonly store: Store) {
    for (const stored of store.loadAll(REVOCATION_KIND)) this.remember(stored.body as RevocationRecord);
  }

  get size(): number {
    return this.revoked.size;
  }

  get(accessKeyId: string): RevocationRecord | undefined {
    return this.records.get(accessKeyId);
  }

  values(): IterableIterator<RevocationRecord> {
    return this.records.values();
  }

  /** Durable first (the store's write returns once it is on disk), then in effect. */
  add(records: readonly RevocationRecord[]): void {
    if (records.length === 0) return;
    this.store.write(records.map((record) => ({ kind: REVOCATION_KIND, key: record.accessKeyId, body: record })));
    for (const record of records) this.remember(record);
  }

  remember(record: RevocationRecord): void {
    this.records.set(record.accessKeyId, record);
    this.revoked.add(record.accessKeyId);
  }

  forget(accessKeyId: string): void {
    this.records.delete(accessKeyId);
    this.revoked.delete(accessKeyId);
  }

  /** Revocations whose session expired at or before `before` (ms); the caller deletes them. */
  expired(before: number): RevocationRecord[] {
    const due: RevocationRecord[] = [];
    for (const record of this.records.values()) if (record.expiresAt <= before) due.push(record);
    return due;
  }

  static deletions(accessKeyIds: Iterable<string>): RecordChange[] {
    return [...accessKeyIds].map((key) => ({ kind: REVOCATION_KIND, key, body: null }));
  }
}
