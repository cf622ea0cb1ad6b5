/**
 * TemplateURL: a template stored as an object in iamd's S3, read with GetObject as the caller
 * (CloudFormation reads it with the caller's permissions, so the caller's policies and the
 * bucket's policy decide). The URL may name the object as AWS's S3 URLs do, path-style
 * (https://s3.amazonaws.com/BUCKET/KEY, https://s3.REGION.amazonaws.com/BUCKET/KEY, or iamd's own
 * endpoint http://HOST:PORT/BUCKET/KEY) or virtual-hosted (https://BUCKET.s3.REGION.amazonaws.com/KEY).
 * Anything CloudFormation cannot read answers AWS's ValidationError for an unreadable URL.
 */
import { RestResponse } from '../../../protocol/rest-response.js';
import type { OperationContext } from '../../service.js';
import { validationError } from '../errors.js';
import { responseBody, ServiceCallError, ServiceInvoker } from '../providers/invoker.js';
import { actingCaller } from './common.js';

const unreadable = () => validationError('TemplateURL must reference a valid S3 object to which you have access.');

/** The bucket and key a template URL names. */
export function objectOfUrl(text: string): { bucket: string; key: string } | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const virtualHost = /^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.exec(url.hostname) ?? /^(.+)\.s3\.amazonaws\.com$/.exec(url.hostname);
  if (virtualHost) return path === '' ? undefined : { bucket: virtualHost[1]!, key: path };
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return undefined;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

export async function readTemplateUrl(ctx: OperationContext, url: string): Promise<string> {
  const target = objectOfUrl(url);
  if (!target) throw unreadable();
  const invoker = new ServiceInvoker(ctx.app, actingCaller(ctx));
  try {
    const response = await invoker.callRest('s3', 'GetObject', { method: 'GET', path: `/${target.bucket}/${target.key}` });
    if (!(response instanceof RestResponse)) throw unreadable();
    return (await responseBody(response)).toString('utf8');
  } catch (error) {
    if (error instanceof ServiceCallError) throw unreadable();
    throw error;
  }
}
