/**
 * The errors parseSignature throws, with the codes and wording of AWS's query services (IAM, STS).
 * auth-errors.ts renames the codes for the other protocol families. Messages echo only what the
 * client sent in the clear (scope, dates, an AWS4 Authorization header); never a secret.
 *
 * Sources for the wording (AWS responses quoted in public reports):
 * - "Authorization header requires 'Credential' parameter. ... Authorization=..." and the
 *   X-Amz-Date/Date variant: aws/aws-sdk-ruby#317, aws/chalice#828, brendanhay/amazonka#316.
 * - "AWS query-string parameters must include '...'. Re-examine the query-string parameters.",
 *   "Unsupported AWS 'algorithm': '...'", "Date must be in ISO-8601 'basic format'. Got '...'":
 *   reproduced verbatim by the AWS emulators dynalite and scratchstack-aws-signature.
 * - "Credential should be scoped to a valid region, not '...'. " (code SignatureDoesNotMatch):
 *   aws/aws-sdk-php#493 (IAM), aws/aws-sdk-js#792; "Credential should be scoped to correct
 *   service: '...'. ": aws/aws-sdk-ruby#431, cllunsford/aws-signing-proxy#25.
 * - "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term,
 *   got '...'": mhart/aws4#97. "'Host' or ':authority' must be a 'SignedHeader' in the AWS
 *   Authorization.": aws/aws-sdk-php#2469.
 * - IncompleteSignature is HTTP 400 in the IAM and STS API references ("Common Errors").
 * The X-Amz-Expires wording is S3's (AuthorizationQueryParametersError); where no AWS wording was
 * found (a bad Date header, X-Amz-Expires=0) the message is ours.
 */
import { AwsError } from '../protocol/aws-error.js';

export function incompleteSignature(message: string): AwsError {
  return new AwsError('IncompleteSignature', message, 400);
}

/** A well-formed signature scoped to the wrong date, region, service or terminator. */
export function badCredentialScope(message: string): AwsError {
  return new AwsError('SignatureDoesNotMatch', message, 403);
}

export function unsupportedAlgorithm(algorithm: string): AwsError {
  return incompleteSignature(`Unsupported AWS 'algorithm': '${algorithm}'`);
}

export const ONE_AUTH_MECHANISM =
  'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified';
export const HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
export const BASIC_FORMAT_HINT = 'See http://en.wikipedia.org/wiki/ISO_8601';
