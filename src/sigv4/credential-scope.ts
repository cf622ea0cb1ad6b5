/**
 * `AKID/20150830/us-east-1/iam/aws4_request`: the access key and the scope the signing key was
 * derived for. The scope date must be the request's UTC date, the terminator `aws4_request`, and the
 * region any well-formed region name: with a custom endpoint every client signs with its own
 * configured region, even for IAM, so iamd accepts them all. The service is checked only when the
 * caller says which one it expects.
 */
import { formatAmzDay } from './amz-date.js';
import { badCredentialScope, incompleteSignature } from './parse-errors.js';
import type { RawAuthFields } from './raw-auth-fields.js';
import { splitOn } from './split-on.js';

export interface CredentialScope {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  credentialScope: string;
}

const REGION_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TERMINATOR = 'aws4_request';

export function parseCredentialScope(fields: RawAuthFields, expectedService?: string): CredentialScope {
  const parts = splitOn(fields.credential, '/');
  if (parts.length !== 5) {
    throw incompleteSignature(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${fields.credential}'`);
  }
  const [accessKeyId, scopeDate, region, service, terminator] = parts as [string, string, string, string, string];

  const requestDate = formatAmzDay(fields.requestTime);
  if (scopeDate !== requestDate) {
    throw badCredentialScope(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${requestDate}', from '${fields.dateSource}'.`,
    );
  }
  if (!REGION_NAME.test(region)) throw badCredentialScope(`Credential should be scoped to a valid region, not '${region}'. `);
  if (service === '' || (expectedService !== undefined && service !== expectedService)) {
    throw badCredentialScope(`Credential should be scoped to correct service: '${expectedService ?? service}'. `);
  }
  if (terminator !== TERMINATOR) {
    throw badCredentialScope(`Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'. `);
  }
  // Everything after the access key id, which is parts 1..4 joined by '/' again.
  return { accessKeyId, scopeDate, region, service, credentialScope: fields.credential.slice(accessKeyId.length + 1) };
}
