/**
 * The wire protocols the pipeline speaks, each: how lists are spelled in requests, how a result
 * and an error are written, and how the shared error codes are spelled for it (EC2 says
 * UnauthorizedOperation and AuthFailure where IAM and STS say AccessDenied and
 * InvalidClientTokenId).
 */
import type { ProtocolFamily } from '../sigv4/index.js';
import { AwsError } from './aws-error.js';
import type { ListStyle } from './query-input.js';
import { ec2Error, ec2Result, queryError, queryResult, type WireResponse } from './query-protocol.js';
import type { XmlObject } from './xml.js';

export interface WireProtocol {
  family: ProtocolFamily;
  listStyle: ListStyle;
  result(action: string, namespace: string, result: XmlObject | undefined, requestId: string): WireResponse;
  error(error: AwsError, namespace: string, requestId: string): WireResponse;
  /** JSON protocol: the X-Amz-Target prefix of the service's operations (CloudTrail_20131101) */
  targetPrefix?: string;
  /** The error as this protocol spells it on the wire (what `error` writes), for the audit record. */
  spell?(error: AwsError): AwsError;
}

export const queryProtocol: WireProtocol = {
  family: 'query',
  listStyle: 'member',
  result: queryResult,
  error: queryError,
};

/** https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html */
function ec2Spelling(error: AwsError): AwsError {
  switch (error.code) {
    case 'AccessDenied':
      return new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${error.message}`, 403);
    case 'InvalidClientTokenId':
    case 'MissingAuthenticationToken':
      return new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
    default:
      return error;
  }
}

export const ec2Protocol: WireProtocol = {
  family: 'ec2',
  listStyle: 'flat',
  result: ec2Result,
  error: (error, _namespace, requestId) => ec2Error(ec2Spelling(error), requestId),
  spell: ec2Spelling,
};
