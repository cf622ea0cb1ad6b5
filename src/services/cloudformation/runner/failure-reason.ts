/**
 * A resource's failure as CloudFormation reports it in CREATE_FAILED / UPDATE_FAILED /
 * DELETE_FAILED events. A service's error reads as AWS's resource handlers word it:
 *   Resource handler returned message: "MESSAGE (Service: Iam, Status Code: 403, Request ID: ...)"
 *   (RequestToken: ..., HandlerErrorCode: AccessDenied)
 * A property or template problem is its own message; anything unexpected is "Internal Failure"
 * (the detail goes to iamd's log, never to the event).
 */
import type { App } from '../../../server/app.js';
import { isAwsError } from '../../../protocol/aws-error.js';
import { ServiceCallError } from '../providers/invoker.js';
import { ResourceFailure } from '../providers/properties.js';
import { TemplateError } from '../template/index.js';

const SERVICE_IDS: Record<string, string> = { iam: 'Iam', ec2: 'Ec2', ssm: 'Ssm', s3: 'S3', sts: 'Sts' };

function handlerErrorCode(error: ServiceCallError): string {
  const code = error.code;
  if (code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'UnauthorizedOperation') return 'AccessDenied';
  if (code === 'EntityAlreadyExists' || code.endsWith('.Duplicate') || /AlreadyExists(?:Exception)?$/.test(code)) return 'AlreadyExists';
  if (code === 'NoSuchEntity' || code.endsWith('NotFound')) return 'NotFound';
  if (code === 'LimitExceeded' || code.endsWith('LimitExceeded')) return 'ServiceLimitExceeded';
  if (code === 'Throttling' || code === 'RequestLimitExceeded') return 'Throttling';
  return error.statusCode >= 500 ? 'GeneralServiceException' : 'InvalidRequest';
}

export function failureReason(app: App, error: unknown, requestToken: string): string {
  if (error instanceof ServiceCallError) {
    const service = SERVICE_IDS[error.service] ?? error.service;
    return `Resource handler returned message: "${error.message} (Service: ${service}, Status Code: ${error.statusCode}, Request ID: ${error.requestId})" ` +
      `(RequestToken: ${requestToken}, HandlerErrorCode: ${handlerErrorCode(error)})`;
  }
  if (error instanceof ResourceFailure || error instanceof TemplateError) return error.message;
  if (isAwsError(error)) return error.message;
  app.logger.log('error', 'cloudformation resource handler failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  return 'Internal Failure';
}
