/** S3's canonical user id of the account (64 hex digits), derived from the account id so that it is stable. */
import { createHash } from 'node:crypto';

const cache = new Map<string, string>();

export function canonicalUserId(accountId: string): string {
  let id = cache.get(accountId);
  if (id === undefined) {
    id = createHash('sha256').update(`iamd-canonical-user:${accountId}`).digest('hex');
    cache.set(accountId, id);
  }
  return id;
}
