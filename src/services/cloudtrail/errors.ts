/** CloudTrail's errors (JSON protocol: `__type` is the code), as its API reference names them. */
import { AwsError } from '../../protocol/aws-error.js';

export function invalidLookupAttributes(message: string): AwsError {
  return new AwsError('InvalidLookupAttributesException', message, 400);
}

export function invalidMaxResults(message: string): AwsError {
  return new AwsError('InvalidMaxResultsException', message, 400);
}

export function invalidTimeRange(message: string): AwsError {
  return new AwsError('InvalidTimeRangeException', message, 400);
}

export function invalidNextToken(message: string): AwsError {
  return new AwsError('InvalidNextTokenException', message, 400);
}

export function invalidEventCategory(message: string): AwsError {
  return new AwsError('InvalidEventCategoryException', message, 400);
}
