/** The auth-error table: one verification failure, four protocol spellings. */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { AwsError } from '../protocol/aws-error.js';
import {
  canonicalRequest,
  malformedAuthFor,
  parseSignature,
  signatureFailure,
  signingKey,
  stringToSign,
  verifySignature,
  type ProtocolFamily,
  type SignedHttpRequest,
  type VerifyFailure,
} from './index.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'FwoGZXIvYXdzEXAMPLEsessiontoken';
const PROTOCOLS: ProtocolFamily[] = ['query', 'ec2', 's3', 'json'];
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

const request: SignedHttpRequest = {
  method: 'POST',
  rawPath: '/',
  rawQuery: '',
  headers: [
    ['Host', 'sts.amazonaws.com'],
    ['X-Amz-Date', '20150830T123600Z'],
    ['X-Amz-Security-Token', TOKEN],
    ['Authorization', `AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=${'0'.repeat(64)}`],
  ],
};
const sig = parseSignature(request)!;
const failure = (now: string) => verifySignature(request, sig, SECRET, { payloadHash: EMPTY_SHA256, normalizePath: true, now: new Date(now) }) as VerifyFailure;

const EXPECTED: Record<VerifyFailure['reason'], Record<ProtocolFamily, [string, number, string?]>> = {
  signature: {
    query: ['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'],
    ec2: ['AuthFailure', 401, 'AWS was not able to validate the provided access credentials'],
    s3: ['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
    json: ['InvalidSignatureException', 400],
  },
  expired: {
    query: ['SignatureDoesNotMatch', 403, 'Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)'],
    ec2: ['RequestExpired', 400, 'Request has expired.'],
    s3: ['RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.'],
    json: ['InvalidSignatureException', 400],
  },
  'not-yet-valid': {
    query: ['SignatureDoesNotMatch', 403, 'Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T122000Z + 15 min.)'],
    ec2: ['RequestExpired', 400, 'Request has expired.'],
    s3: ['RequestTimeTooSkewed', 403],
    json: ['InvalidSignatureException', 400],
  },
  'presigned-expired': {
    query: ['RequestExpired', 400, 'Request has expired.'],
    ec2: ['RequestExpired', 400],
    s3: ['AccessDenied', 403, 'Request has expired'],
    json: ['RequestExpired', 400],
  },
};

describe('signatureFailure', () => {
  const failures: Record<VerifyFailure['reason'], VerifyFailure> = {
    signature: failure('2015-08-30T12:40:00Z'),
    expired: failure('2015-08-30T12:52:00Z'),
    'not-yet-valid': failure('2015-08-30T12:20:00Z'),
    'presigned-expired': { ok: false, reason: 'presigned-expired', message: 'Request has expired.', details: { 'X-Amz-Expires': '60', Expires: '2015-08-30T12:37:00Z', ServerTime: '2015-08-30T12:40:00Z' } },
  };

  for (const [reason, byProtocol] of Object.entries(EXPECTED) as Array<[VerifyFailure['reason'], Record<ProtocolFamily, [string, number, string?]>]>) {
    it(`maps '${reason}' per protocol`, () => {
      assert.equal(failures[reason].reason, reason);
      for (const protocol of PROTOCOLS) {
        const [code, status, message] = byProtocol[protocol];
        const error = signatureFailure(failures[reason], protocol);
        assert.ok(error instanceof AwsError);
        assert.equal(error.code, code, `${reason}/${protocol}`);
        assert.equal(error.statusCode, status, `${reason}/${protocol}`);
        if (message !== undefined) assert.equal(error.message, message, `${reason}/${protocol}`);
      }
    });
  }

  it('gives the JSON services the query wording', () => {
    assert.equal(signatureFailure(failures.expired, 'json').message, failures.expired.message);
    assert.match(failures.expired.message, /^Signature expired: /);
  });

  it('adds S3\'s extra fields', () => {
    assert.deepEqual(signatureFailure(failures.expired, 's3').extraFields, {
      RequestTime: '20150830T123600Z',
      ServerTime: '2015-08-30T12:52:00Z',
      MaxAllowedSkewMilliseconds: '900000',
    });
    assert.deepEqual(signatureFailure(failures['presigned-expired'], 's3').extraFields, failures['presigned-expired'].details);
    assert.deepEqual(signatureFailure(failures.expired, 'query').extraFields, {});
  });

  it('never puts the secret, the session token or the expected signature in a message', () => {
    const canonical = canonicalRequest(request, sig, EMPTY_SHA256, { normalizePath: true });
    const expected = createHmac('sha256', signingKey(SECRET, sig.scopeDate, sig.region, sig.service)).update(stringToSign(sig, canonical)).digest('hex');
    for (const result of Object.values(failures)) {
      for (const protocol of PROTOCOLS) {
        const error = signatureFailure(result, protocol);
        const text = error.message + JSON.stringify(error.extraFields);
        for (const forbidden of [SECRET, TOKEN, expected, canonical]) assert.ok(!text.includes(forbidden), `${result.reason}/${protocol} leaks`);
      }
    }
  });
});

describe('malformedAuthFor', () => {
  const incomplete = new AwsError('IncompleteSignature', 'Authorization header requires ...', 400);
  const scope = new AwsError('SignatureDoesNotMatch', "Credential should be scoped to correct service: 'sts'. ", 403);

  it('renames parse errors per family and keeps the message', () => {
    const cases: Array<[AwsError, ProtocolFamily, 'header' | 'query', string, number]> = [
      [incomplete, 'query', 'header', 'IncompleteSignature', 400],
      [scope, 'query', 'header', 'SignatureDoesNotMatch', 403],
      [incomplete, 'json', 'header', 'IncompleteSignatureException', 400],
      [scope, 'json', 'header', 'InvalidSignatureException', 400],
      [incomplete, 'ec2', 'header', 'IncompleteSignature', 400],
      [scope, 'ec2', 'header', 'AuthFailure', 401],
      [incomplete, 's3', 'header', 'AuthorizationHeaderMalformed', 400],
      [incomplete, 's3', 'query', 'AuthorizationQueryParametersError', 400],
    ];
    for (const [error, protocol, form, code, status] of cases) {
      const mapped = malformedAuthFor(error, protocol, form);
      assert.equal(mapped.code, code, `${error.code}/${protocol}/${form}`);
      assert.equal(mapped.statusCode, status);
      assert.equal(mapped.message, error.message);
    }
  });
});
