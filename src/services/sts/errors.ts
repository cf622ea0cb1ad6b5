import { AwsError } from '../../protocol/aws-error.js';

export function stsValidation(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

export function stsAccessDenied(message: string): AwsError {
  return new AwsError('AccessDenied', message, 403);
}

export function packedPolicyTooLarge(percent: number): AwsError {
  return new AwsError('PackedPolicyTooLarge', `Packed policy consumes ${percent}% of allotted space, please use smaller policy.`, 400);
}
