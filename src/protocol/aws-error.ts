/**
 * Errors are data: every failure a client can see is an AwsError carrying AWS's error code, the
 * HTTP status and who is at fault. Handlers only throw; one function per wire protocol turns an
 * AwsError into that protocol's envelope (see query-protocol.ts). Anything else that is thrown
 * becomes InternalError 500 with nothing internal on the wire.
 *
 * A message must never contain a secret: no secret key, session token or signature.
 */
export type Fault = 'Sender' | 'Receiver';

export class AwsError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly fault: Fault;
  /** extra elements some envelopes carry (S3's <RequestTime>, <StringToSign>, <BucketName>, ...) */
  readonly extraFields: Readonly<Record<string, string>>;

  constructor(
    code: string, message: string, statusCode = 400, fault: Fault = statusCode >= 500 ? 'Receiver' : 'Sender',
    extraFields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.statusCode = statusCode;
    this.fault = fault;
    this.extraFields = extraFields;
  }
}

export function isAwsError(error: unknown): error is AwsError {
  return error instanceof AwsError;
}

export function internalError(): AwsError {
  return new AwsError('InternalError', 'We encountered an internal error. Please try again.', 500);
}
