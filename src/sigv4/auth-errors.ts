/**
 * Auth errors in one table: what each verification failure looks like on the wire, per protocol
 * family. Verification itself is protocol-blind (verify.ts returns a reason); the pipeline turns a
 * failure into an AwsError here.
 *
 * What AWS returns, and where that was found:
 * - Bad signature. Query services (IAM, STS): SignatureDoesNotMatch 403, "The request signature we
 *   calculated does not match the signature you provided. Check your AWS Secret Access Key and signing
 *   method. Consult the service documentation for details." (IAM user guide, "Troubleshoot Signature
 *   Version 4 signing": HTTP 403 SignatureDoesNotMatch; boto/boto3#756 for the text). EC2: AuthFailure
 *   401 "AWS was not able to validate the provided access credentials" (aws/aws-sdk-java#2508,
 *   ansible/ansible#5647). S3: SignatureDoesNotMatch 403 "... Check your key and signing method."
 *   JSON services: InvalidSignatureException 400 (aws/aws-sdk-js#254, aws/aws-sdk-ruby#431).
 * - Clock skew (header form, more than 15 min either way). Query services: SignatureDoesNotMatch
 *   403 "Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z (20220127T015928Z -
 *   15 min.)" from STS GetCallerIdentity (aws/aws-cli#6676) and AssumeRole (devsecops/bootcamp#101);
 *   "Signature not yet current: X is still later than Y (Z + 5 min.)" (serverless/enterprise#11, a
 *   5-minute service; same wording with 15 min for IAM/STS). JSON services: the same messages as
 *   InvalidSignatureException 400 (aws/aws-sdk-js#254). EC2: RequestExpired 400 "Request has
 *   expired." (aws/aws-sdk-java#1443, aws/aws-sdk-go-v2#1674). S3: RequestTimeTooSkewed 403 "The
 *   difference between the request time and the current time is too large." with RequestTime,
 *   ServerTime and MaxAllowedSkewMilliseconds=900000 (ex-aws/ex_aws#159, versity/versitygw#1514).
 * - Expired presigned URL. S3: AccessDenied 403 "Request has expired" with X-Amz-Expires, Expires and
 *   ServerTime (aws/aws-sdk-php#1333, aws/aws-sdk-js#3493). Query, EC2 and JSON services: AWS's
 *   "Common Errors" pages list RequestExpired 400 for a request "more than 15 minutes after the
 *   request expiration date (such as for pre-signed URLs)". Caveat: STS is reported to ignore
 *   X-Amz-Expires and to apply its fixed 15-minute window instead (aws/aws-sdk-go#2167,
 *   kubernetes-sigs/aws-iam-authenticator#160), so a real STS may say "Signature expired" there.
 *
 * Malformed authentication (parseSignature's errors) is renamed per family by malformedAuthFor.
 */
import { AwsError } from '../protocol/aws-error.js';
import type { VerifyFailure, VerifyFailureReason } from './types.js';

export type ProtocolFamily = 'query' | 'ec2' | 's3' | 'json';

/** An AwsError with the extra elements some envelopes carry (S3's <RequestTime>, <ServerTime>, ...). */
export class SignatureFailureError extends AwsError {
  constructor(code: string, message: string, statusCode: number, extraFields: Readonly<Record<string, string>> = {}) {
    super(code, message, statusCode, undefined, extraFields);
  }
}

interface WireError {
  code: string;
  status: number;
  /** Fixed text; absent means the verifier's own message (the query services' wording). */
  message?: string;
  /** Echo the failure's details as extra envelope fields. */
  withDetails?: true;
}

const EC2_EXPIRED: WireError = { code: 'RequestExpired', status: 400, message: 'Request has expired.' };
const S3_SKEWED: WireError = {
  code: 'RequestTimeTooSkewed', status: 403, message: 'The difference between the request time and the current time is too large.', withDetails: true,
};

const SIGNATURE_FAILURES: Record<VerifyFailureReason, Record<ProtocolFamily, WireError>> = {
  signature: {
    query: { code: 'SignatureDoesNotMatch', status: 403 },
    ec2: { code: 'AuthFailure', status: 401, message: 'AWS was not able to validate the provided access credentials' },
    s3: {
      code: 'SignatureDoesNotMatch', status: 403, message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      withDetails: true,
    },
    json: { code: 'InvalidSignatureException', status: 400 },
  },
  expired: {
    query: { code: 'SignatureDoesNotMatch', status: 403 },
    ec2: EC2_EXPIRED,
    s3: S3_SKEWED,
    json: { code: 'InvalidSignatureException', status: 400 },
  },
  'not-yet-valid': {
    query: { code: 'SignatureDoesNotMatch', status: 403 },
    ec2: EC2_EXPIRED,
    s3: S3_SKEWED,
    json: { code: 'InvalidSignatureException', status: 400 },
  },
  'presigned-expired': {
    query: { code: 'RequestExpired', status: 400, message: 'Request has expired.' },
    ec2: EC2_EXPIRED,
    s3: { code: 'AccessDenied', status: 403, message: 'Request has expired', withDetails: true },
    json: { code: 'RequestExpired', status: 400, message: 'Request has expired.' },
  },
};

export function signatureFailure(result: VerifyFailure, protocol: ProtocolFamily): SignatureFailureError {
  const wire = SIGNATURE_FAILURES[result.reason][protocol];
  return new SignatureFailureError(wire.code, wire.message ?? result.message, wire.status, wire.withDetails ? result.details : {});
}

/**
 * parseSignature throws the query services' codes (IncompleteSignature 400, SignatureDoesNotMatch
 * 403 for a bad scope). Other families name them differently; the message is kept. S3's own texts
 * differ ("The authorization header is malformed; ...") and are not reproduced.
 */
export function malformedAuthFor(error: AwsError, protocol: ProtocolFamily, form: 'header' | 'query'): AwsError {
  const badScope = error.code === 'SignatureDoesNotMatch';
  switch (protocol) {
    case 'query':
      return error;
    case 'json':
      return new AwsError(badScope ? 'InvalidSignatureException' : 'IncompleteSignatureException', error.message, 400);
    case 'ec2':
      return badScope ? new AwsError('AuthFailure', error.message, 401) : error;
    case 's3':
      return new AwsError(form === 'header' ? 'AuthorizationHeaderMalformed' : 'AuthorizationQueryParametersError', error.message, 400);
  }
}
