/**
 * TemplateURL: a template stored as an object in iamd's S3. iamd's S3 service is not part of this
 * build yet, so a TemplateURL is refused with the message AWS gives for a URL it cannot read.
 */
import type { OperationContext } from '../../service.js';
import { validationError } from '../errors.js';

export function readTemplateUrl(_ctx: OperationContext, _url: string): string {
  throw validationError('TemplateURL must reference a valid S3 object to which you have access.');
}
