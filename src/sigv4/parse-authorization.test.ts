/** parseSignature: what it reads from each form, and AWS's codes and messages for malformed auth. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsError } from '../protocol/aws-error.js';
import { parseSignature, type SignedHttpRequest } from './index.js';

const CREDENTIAL = 'AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request';
const SIGNATURE = '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7';
const AUTHORIZATION = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=content-type;host;x-amz-date, Signature=${SIGNATURE}`;

function headerRequest(authorization: string | undefined, extraHeaders: Array<[string, string]> = [['X-Amz-Date', '20150830T123600Z']]): SignedHttpRequest {
  const headers: Array<[string, string]> = [['Host', 'iam.amazonaws.com'], ['Content-Type', 'application/x-www-form-urlencoded'], ...extraHeaders];
  if (authorization !== undefined) headers.push(['Authorization', authorization]);
  return { method: 'GET', rawPath: '/', rawQuery: 'Action=ListUsers&Version=2010-05-08', headers };
}

function queryRequest(parameters: Record<string, string>): SignedHttpRequest {
  const rawQuery = Object.entries(parameters).map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  return { method: 'GET', rawPath: '/', rawQuery, headers: [['Host', 'sts.amazonaws.com']] };
}

const PRESIGNED = {
  Action: 'GetCallerIdentity',
  Version: '2011-06-15',
  'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
  'X-Amz-Credential': 'ASIAEXAMPLE/20150830/us-east-1/sts/aws4_request',
  'X-Amz-Date': '20150830T123600Z',
  'X-Amz-Expires': '900',
  'X-Amz-Security-Token': 'token/with+reserved=chars',
  'X-Amz-SignedHeaders': 'host;X-K8s-Aws-Id',
  'X-Amz-Signature': SIGNATURE,
};

function rejects(req: SignedHttpRequest, code: string, status: number, message: string, service?: string): void {
  assert.throws(
    () => parseSignature(req, service !== undefined ? { service } : {}),
    (error: unknown) => {
      assert.ok(error instanceof AwsError);
      assert.equal(error.code, code);
      assert.equal(error.statusCode, status);
      assert.equal(error.message, message);
      return true;
    },
  );
}

const incomplete = (req: SignedHttpRequest, message: string) => rejects(req, 'IncompleteSignature', 400, message);
const badScope = (req: SignedHttpRequest, message: string, service?: string) => rejects(req, 'SignatureDoesNotMatch', 403, message, service);

describe('parseSignature', () => {
  it('returns null when the request carries no SigV4 at all', () => {
    assert.equal(parseSignature(headerRequest(undefined)), null);
    assert.equal(parseSignature(queryRequest({ Action: 'ListUsers', 'X-Amz-Signature': SIGNATURE })), null);
  });

  it('reads the header form', () => {
    const token = 'FwoGZXIvYXdzEXAMPLE';
    assert.deepEqual(parseSignature(headerRequest(AUTHORIZATION, [['x-amz-date', '20150830T123600Z'], ['X-Amz-Security-Token', token]])), {
      form: 'header',
      accessKeyId: 'AKIDEXAMPLE',
      scopeDate: '20150830',
      region: 'us-east-1',
      service: 'iam',
      credentialScope: '20150830/us-east-1/iam/aws4_request',
      signedHeaders: ['content-type', 'host', 'x-amz-date'],
      signature: SIGNATURE,
      amzDate: '20150830T123600Z',
      requestTime: new Date('2015-08-30T12:36:00Z'),
      securityToken: token,
    });
  });

  it('accepts parameters without spaces after the commas', () => {
    const sig = parseSignature(headerRequest(`AWS4-HMAC-SHA256 Credential=${CREDENTIAL},SignedHeaders=host,Signature=${SIGNATURE}`));
    assert.deepEqual(sig?.signedHeaders, ['host']);
  });

  it('falls back to the Date header (HTTP date or ISO 8601 basic)', () => {
    const httpDate = parseSignature(headerRequest(AUTHORIZATION, [['Date', 'Sun, 30 Aug 2015 12:36:00 GMT']]));
    assert.equal(httpDate?.amzDate, 'Sun, 30 Aug 2015 12:36:00 GMT');
    assert.deepEqual(httpDate?.requestTime, new Date('2015-08-30T12:36:00Z'));
    assert.deepEqual(parseSignature(headerRequest(AUTHORIZATION, [['Date', '20150830T123600Z']]))?.requestTime, new Date('2015-08-30T12:36:00Z'));
  });

  it('reads the presigned form (decoded values, lower-cased signed headers)', () => {
    assert.deepEqual(parseSignature(queryRequest(PRESIGNED)), {
      form: 'query',
      accessKeyId: 'ASIAEXAMPLE',
      scopeDate: '20150830',
      region: 'us-east-1',
      service: 'sts',
      credentialScope: '20150830/us-east-1/sts/aws4_request',
      signedHeaders: ['host', 'x-k8s-aws-id'],
      signature: SIGNATURE,
      amzDate: '20150830T123600Z',
      requestTime: new Date('2015-08-30T12:36:00Z'),
      expiresSeconds: 900,
      securityToken: 'token/with+reserved=chars',
    });
  });

  it('reports every missing Authorization part at once, as AWS does', () => {
    incomplete(
      headerRequest('AWS4-HMAC-SHA256', []),
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        'Authorization=AWS4-HMAC-SHA256',
    );
    const noSignature = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host`;
    incomplete(headerRequest(noSignature), `Authorization header requires 'Signature' parameter. Authorization=${noSignature}`);
  });

  it('treats another scheme as no SigV4 parameters, echoing only the scheme word', () => {
    incomplete(
      headerRequest('Bearer eyJhbGciOiJIUzI1NiJ9.secret'),
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization=Bearer",
    );
  });

  it('refuses a parameter without "="', () => {
    const header = `AWS4-HMAC-SHA256 Credential ${CREDENTIAL}, SignedHeaders=host, Signature=${SIGNATURE}`;
    incomplete(headerRequest(header), `'Credential ${CREDENTIAL}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
  });

  it('refuses unsupported algorithms in both forms', () => {
    incomplete(headerRequest(AUTHORIZATION.replace('SHA256', 'SHA512')), "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'");
    incomplete(queryRequest({ ...PRESIGNED, 'X-Amz-Algorithm': 'AWS4-ECDSA-P256-SHA256' }), "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'");
  });

  it('lists the missing presigned parameters', () => {
    incomplete(
      queryRequest({ 'X-Amz-Credential': PRESIGNED['X-Amz-Credential'] }),
      "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Signature'. " +
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. " +
        'Re-examine the query-string parameters.',
    );
    const { 'X-Amz-Date': _date, ...withoutDate } = PRESIGNED;
    incomplete(queryRequest(withoutDate), "AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.");
  });

  it('refuses dates that are not ISO 8601 basic or do not exist', () => {
    for (const date of ['2015-08-30T12:36:00Z', '20150230T123600Z', '20150830T123600', '20150830T246000Z']) {
      incomplete(headerRequest(AUTHORIZATION, [['X-Amz-Date', date]]), `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`);
      incomplete(queryRequest({ ...PRESIGNED, 'X-Amz-Date': date }), `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    }
    incomplete(headerRequest(AUTHORIZATION, [['Date', 'yesterday']]), "Date header must be an HTTP date or in ISO-8601 'basic format'. Got 'yesterday'.");
  });

  it('keeps X-Amz-Expires within 1..604800 seconds', () => {
    const expires = (value: string) => queryRequest({ ...PRESIGNED, 'X-Amz-Expires': value });
    assert.equal(parseSignature(expires('1'))?.expiresSeconds, 1);
    assert.equal(parseSignature(expires('604800'))?.expiresSeconds, 604800);
    incomplete(expires('604801'), 'X-Amz-Expires must be less than a week (in seconds) that is 604800');
    incomplete(expires('0'), 'X-Amz-Expires must be at least 1 second');
    incomplete(expires('-5'), 'X-Amz-Expires must be non-negative');
    incomplete(expires('1e3'), 'X-Amz-Expires should be a number');
    const { 'X-Amz-Expires': _expires, ...withoutExpires } = PRESIGNED;
    assert.equal(parseSignature(queryRequest(withoutExpires))?.expiresSeconds, undefined);
  });

  it('checks the credential scope', () => {
    const withCredential = (credential: string) => headerRequest(AUTHORIZATION.replace(CREDENTIAL, credential));
    incomplete(
      withCredential('AKIDEXAMPLE/20150830/us-east-1/iam'),
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20150830/us-east-1/iam'",
    );
    badScope(withCredential('AKIDEXAMPLE/20150830/US-EAST-1/iam/aws4_request'), "Credential should be scoped to a valid region, not 'US-EAST-1'. ");
    badScope(withCredential('AKIDEXAMPLE/20150830//iam/aws4_request'), "Credential should be scoped to a valid region, not ''. ");
    badScope(withCredential('AKIDEXAMPLE/20150830/us-east-1/iam/aws4_reques'), "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reques'. ");
    badScope(
      withCredential('AKIDEXAMPLE/20150831/us-east-1/iam/aws4_request'),
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150831' != '20150830', from 'X-Amz-Date'.",
    );
    badScope(headerRequest(AUTHORIZATION), "Credential should be scoped to correct service: 'sts'. ", 'sts');
    assert.equal(parseSignature(headerRequest(AUTHORIZATION), { service: 'iam' })?.service, 'iam');
    // Any well-formed region is accepted: clients sign with their own configured region.
    assert.equal(parseSignature(withCredential('AKIDEXAMPLE/20150830/local/iam/aws4_request'))?.region, 'local');
  });

  it('requires Host to be signed', () => {
    const message = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
    incomplete(headerRequest(AUTHORIZATION.replace('content-type;host;x-amz-date', 'content-type;x-amz-date')), message);
    incomplete(queryRequest({ ...PRESIGNED, 'X-Amz-SignedHeaders': 'x-k8s-aws-id' }), message);
  });

  it('refuses a request authenticated both ways', () => {
    const req = { ...headerRequest(AUTHORIZATION), rawQuery: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' };
    incomplete(req, 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified');
  });
});
