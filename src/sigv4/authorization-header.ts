/**
 * The header form: `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request,
 * SignedHeaders=host;x-amz-date, Signature=<hex>`, dated by X-Amz-Date or, failing that, by Date.
 * Parameters are comma-separated with optional spaces; all missing parts are reported at once, as
 * AWS does.
 */
import { parseAmzDate, parseHttpDate } from './amz-date.js';
import { BASIC_FORMAT_HINT, incompleteSignature, unsupportedAlgorithm } from './parse-errors.js';
import type { HeaderIndex } from './raw-request.js';
import { ALGORITHM } from './string-to-sign.js';
import type { RawAuthFields } from './raw-auth-fields.js';

/** The three parameters SigV4 reads; any other `name=value` is accepted and ignored, as AWS does. */
interface SigV4Parameters {
  Credential?: string;
  Signature?: string;
  SignedHeaders?: string;
}

const REQUIRED_PARAMETERS = ['Credential', 'Signature', 'SignedHeaders'] as const;

function isSigV4Parameter(name: string): name is keyof SigV4Parameters {
  return name === 'Credential' || name === 'Signature' || name === 'SignedHeaders';
}

function authorizationParameters(parameters: string, wholeHeader: string): SigV4Parameters {
  const found: SigV4Parameters = {};
  // Comma-separated pieces, walked with indexOf rather than split: no array, and this runs per request.
  for (let start = 0; start <= parameters.length; ) {
    const comma = parameters.indexOf(',', start);
    const end = comma < 0 ? parameters.length : comma;
    const part = parameters.slice(start, end).trim();
    start = end + 1;
    if (part === '') continue;
    const equals = part.indexOf('=');
    if (equals < 0) throw incompleteSignature(`'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${wholeHeader}'.`);
    const name = part.slice(0, equals).trim();
    // The first occurrence counts, even when empty (it is then reported missing).
    if (isSigV4Parameter(name) && found[name] === undefined) found[name] = part.slice(equals + 1).trim();
  }
  return found;
}

/** The request time from X-Amz-Date or, failing that, from Date. */
function headerRequestTime(amzDate: string | undefined, date: string | undefined): Date {
  if (amzDate !== undefined) {
    const requestTime = parseAmzDate(amzDate.trim());
    if (!requestTime) throw incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. ${BASIC_FORMAT_HINT}`);
    return requestTime;
  }
  const requestTime = parseHttpDate(date!.trim());
  if (!requestTime) throw incompleteSignature(`Date header must be an HTTP date or in ISO-8601 'basic format'. Got '${date}'.`);
  return requestTime;
}

export function readAuthorizationHeader(headers: HeaderIndex, authorization: string): RawAuthFields {
  const wholeHeader = authorization.trim();
  const space = wholeHeader.indexOf(' ');
  const scheme = space < 0 ? wholeHeader : wholeHeader.slice(0, space);
  if (scheme !== ALGORITHM && scheme.startsWith('AWS4-')) throw unsupportedAlgorithm(scheme);
  // Another scheme (Basic, Bearer, SigV2's "AWS key:sig") counts as no SigV4 parameters at all; only
  // its scheme word is echoed, since what follows may be a credential.
  const isSigV4 = scheme === ALGORITHM;
  const parameters: SigV4Parameters = isSigV4 ? authorizationParameters(wholeHeader.slice(scheme.length), wholeHeader) : {};

  const amzDate = headers.first('x-amz-date');
  const date = headers.first('date');
  let missing = '';
  for (const name of REQUIRED_PARAMETERS) {
    if (!parameters[name]) missing += `Authorization header requires '${name}' parameter. `;
  }
  if (amzDate === undefined && date === undefined) {
    missing += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (missing) throw incompleteSignature(`${missing}Authorization=${isSigV4 ? wholeHeader : scheme}`);

  const fields: RawAuthFields = {
    form: 'header',
    credential: parameters.Credential!,
    signedHeaders: parameters.SignedHeaders!,
    signature: parameters.Signature!,
    amzDate: amzDate ?? date!,
    requestTime: headerRequestTime(amzDate, date),
    dateSource: amzDate !== undefined ? 'X-Amz-Date' : 'Date',
  };
  const securityToken = headers.first('x-amz-security-token');
  if (securityToken !== undefined) fields.securityToken = securityToken;
  return fields;
}
