/**
 * The aws-chunked decoder on AWS's documented examples (S3 API reference: "sigv4-streaming", the
 * PUT of 66,560 bytes of "a" in 64 KB + 1 KB + 0 chunks with its seed and chunk signatures; and
 * "sigv4-streaming-trailers", the same upload with a CRC32C trailer and trailer signature), fed in
 * every way a socket could split it, and on the ways a body can be wrong.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { signingKey } from '../../../sigv4/signing-key.js';
import { AwsChunkedDecoder, type AwsChunkedOptions } from './aws-chunked.js';
import { chunkStringToSign, signString, type ChunkSigningContext } from '../../../sigv4/streaming-signature.js';

const DOC_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const DOC_KEY = signingKey(DOC_SECRET, '20130524', 'us-east-1', 's3');
const DOC_DATA = Buffer.alloc(66_560, 'a');

function docContext(seedSignature: string): ChunkSigningContext {
  return { key: DOC_KEY, amzDate: '20130524T000000Z', credentialScope: '20130524/us-east-1/s3/aws4_request', seedSignature };
}

const SIGNED = {
  seed: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
  chunks: [
    'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
    '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
    'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9',
  ],
} as const;

const SIGNED_WITH_TRAILER = {
  seed: '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e',
  chunks: [
    'b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2',
    '1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7',
    '2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992',
  ],
  trailer: 'x-amz-checksum-crc32c:sOO8/Q==\r\n',
  trailerSignature: 'd81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435',
} as const;

function signedBody(signatures: readonly string[], ending = '\r\n'): Buffer {
  return Buffer.concat([
    Buffer.from(`10000;chunk-signature=${signatures[0]}\r\n`),
    DOC_DATA.subarray(0, 65_536),
    Buffer.from(`\r\n400;chunk-signature=${signatures[1]}\r\n`),
    DOC_DATA.subarray(65_536),
    Buffer.from(`\r\n0;chunk-signature=${signatures[2]}\r\n${ending}`),
  ]);
}

function signedTrailerBody(trailer: string = SIGNED_WITH_TRAILER.trailer, trailerSignature: string = SIGNED_WITH_TRAILER.trailerSignature): Buffer {
  return signedBody(SIGNED_WITH_TRAILER.chunks, `${trailer}x-amz-trailer-signature:${trailerSignature}\r\n\r\n`);
}

function unsignedBody(chunks: readonly Buffer[], trailer: string): Buffer {
  const parts: Buffer[] = [];
  for (const chunk of chunks) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  parts.push(Buffer.from(`0\r\n${trailer}\r\n`));
  return Buffer.concat(parts);
}

/** The body cut into pieces of `size` bytes, or at the given offsets. */
function split(body: Buffer, cut: number | readonly number[]): Buffer[] {
  const offsets = typeof cut === 'number' ? Array.from({ length: Math.ceil(body.length / cut) }, (_, index) => index * cut) : [0, ...cut];
  return offsets.map((start, index) => body.subarray(start, offsets[index + 1] ?? body.length)).filter((piece) => piece.length > 0);
}

interface Decoded {
  output: Buffer;
  decoder: AwsChunkedDecoder;
}

async function decode(pieces: readonly Buffer[], options: AwsChunkedOptions): Promise<Decoded> {
  const decoder = new AwsChunkedDecoder(options);
  const output: Buffer[] = [];
  await pipeline(Readable.from(pieces), decoder, async (source: AsyncIterable<Buffer>) => {
    for await (const piece of source) output.push(piece);
  });
  return { output: Buffer.concat(output), decoder };
}

function rejectsWith(promise: Promise<unknown>, code: string, message?: string | RegExp, extraFields?: Record<string, string>): Promise<void> {
  return assert.rejects(promise, (error: Error & { code?: string; statusCode?: number; extraFields?: Record<string, string> }) => {
    assert.equal(error.code, code, error.message);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    if (extraFields) assert.deepEqual(error.extraFields, extraFields);
    return true;
  });
}

const SIGNED_OPTIONS: AwsChunkedOptions = { mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', signing: docContext(SIGNED.seed), decodedContentLength: 66_560 };
const SIGNED_TRAILER_OPTIONS: AwsChunkedOptions = {
  mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  signing: docContext(SIGNED_WITH_TRAILER.seed),
  decodedContentLength: 66_560,
  declaredTrailers: ['x-amz-checksum-crc32c'],
};
const SIGNATURE_MESSAGE = 'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

describe('AWS\'s STREAMING-AWS4-HMAC-SHA256-PAYLOAD example', () => {
  it('has the documented Content-Length and the documented first string to sign', () => {
    assert.equal(signedBody(SIGNED.chunks).length, 66_824);
    const first = chunkStringToSign(docContext(SIGNED.seed), SIGNED.seed, 'bf718b6f653bebc184e1479f1935b8da974d701b893afcf49e701f3e2f9f9c5a');
    assert.equal(signString(DOC_KEY, first).toString('hex'), SIGNED.chunks[0]);
  });

  it('decodes to the 66,560 bytes, verifying each chained signature, however the body is split', async () => {
    const body = signedBody(SIGNED.chunks);
    const splits: Array<number | number[]> = [body.length, 65_536, 4_096, 1_000, 7, 2, [5, 86, 87, 65_625, 65_626, 65_627, 66_700, 66_822, 66_823]];
    for (const cut of splits) {
      const { output, decoder } = await decode(split(body, cut), SIGNED_OPTIONS);
      assert.ok(output.equals(DOC_DATA), `split ${String(cut)}`);
      assert.equal(decoder.decodedLength, 66_560);
      assert.equal(decoder.trailers.size, 0);
    }
  });

  it('decodes it fed one byte at a time', async () => {
    const { output } = await decode(split(signedBody(SIGNED.chunks), 1), SIGNED_OPTIONS);
    assert.ok(output.equals(DOC_DATA));
  });

  it('rejects a wrong chunk signature, a changed data byte, and reordered signatures with S3\'s SignatureDoesNotMatch', async () => {
    const wrong: string[] = [...SIGNED.chunks];
    wrong[1] = wrong[1]!.replace(/^0/, '1');
    await rejectsWith(decode([signedBody(wrong)], SIGNED_OPTIONS), 'SignatureDoesNotMatch', SIGNATURE_MESSAGE);

    const tampered = signedBody(SIGNED.chunks);
    tampered[1_000] = 0x62; // a "b" inside the 64 KB chunk
    await rejectsWith(decode([tampered], SIGNED_OPTIONS), 'SignatureDoesNotMatch');

    const finalFirst = [SIGNED.chunks[0], SIGNED.chunks[2], SIGNED.chunks[1]];
    await rejectsWith(decode([signedBody(finalFirst)], SIGNED_OPTIONS), 'SignatureDoesNotMatch');

    await rejectsWith(decode([signedBody(SIGNED.chunks)], { ...SIGNED_OPTIONS, signing: docContext(SIGNED_WITH_TRAILER.seed) }), 'SignatureDoesNotMatch', undefined);
  });

  it('carries a 403', async () => {
    await assert.rejects(decode([signedBody(SIGNED.chunks.map(() => '0'.repeat(64)))], SIGNED_OPTIONS), { statusCode: 403 });
  });

  it('refuses a chunk without its signature, or with an upper-case or short one, as a malformed body', async () => {
    const unsigned = unsignedBody([DOC_DATA], '');
    await rejectsWith(decode([unsigned], SIGNED_OPTIONS), 'IncompleteBody', 'The request body terminated unexpectedly');
    await rejectsWith(decode([signedBody(SIGNED.chunks.map((signature) => signature.toUpperCase()))], SIGNED_OPTIONS), 'IncompleteBody');
    await rejectsWith(decode([signedBody(SIGNED.chunks.map((signature) => signature.slice(1)))], SIGNED_OPTIONS), 'IncompleteBody');
  });

  it('refuses trailers, which this mode does not have', async () => {
    await rejectsWith(decode([signedBody(SIGNED.chunks, 'x-amz-checksum-crc32:AAAAAA==\r\n\r\n')], SIGNED_OPTIONS), 'MalformedTrailerError');
  });
});

describe('AWS\'s STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER example', () => {
  it('decodes, verifies the trailer signature and exposes the trailer, however split', async () => {
    const body = signedTrailerBody();
    for (const cut of [body.length, 1_000, 3, 1]) {
      const { output, decoder } = await decode(split(body, cut), SIGNED_TRAILER_OPTIONS);
      assert.ok(output.equals(DOC_DATA));
      assert.deepEqual([...decoder.trailers], [['x-amz-checksum-crc32c', 'sOO8/Q==']]);
    }
  });

  it('rejects a trailer changed after signing, and a wrong trailer signature', async () => {
    await rejectsWith(decode([signedTrailerBody('x-amz-checksum-crc32c:AAAAAA==\r\n')], SIGNED_TRAILER_OPTIONS), 'SignatureDoesNotMatch', SIGNATURE_MESSAGE);
    await rejectsWith(decode([signedTrailerBody(undefined, 'e'.repeat(64))], SIGNED_TRAILER_OPTIONS), 'SignatureDoesNotMatch');
  });

  it('requires the trailer signature', async () => {
    const body = signedBody(SIGNED_WITH_TRAILER.chunks, `${SIGNED_WITH_TRAILER.trailer}\r\n`);
    await rejectsWith(decode([body], SIGNED_TRAILER_OPTIONS), 'MalformedTrailerError');
  });

  it('requires the trailer x-amz-trailer declared, and no other', async () => {
    await rejectsWith(decode([signedTrailerBody()], { ...SIGNED_TRAILER_OPTIONS, declaredTrailers: ['x-amz-checksum-crc32'] }), 'MalformedTrailerError');
    await rejectsWith(decode([signedTrailerBody()], { ...SIGNED_TRAILER_OPTIONS, declaredTrailers: [] }), 'MalformedTrailerError',
      'The request contained trailing data that was not well-formed or did not conform to our published schema.');
  });
});

describe('STREAMING-UNSIGNED-PAYLOAD-TRAILER', () => {
  const OPTIONS: AwsChunkedOptions = { mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', decodedContentLength: 20_000, declaredTrailers: ['x-amz-checksum-crc32'] };
  const DATA = Buffer.alloc(20_000, 'z');
  const BODY = unsignedBody([DATA.subarray(0, 8_192), DATA.subarray(8_192, 16_384), DATA.subarray(16_384)], 'x-amz-checksum-crc32:lpGdmQ==\r\n');

  it('decodes the JS SDK\'s framing (bare hex sizes, one trailer), however split', async () => {
    for (const cut of [BODY.length, 8_192, 5, 1]) {
      const { output, decoder } = await decode(split(BODY, cut), OPTIONS);
      assert.ok(output.equals(DATA));
      assert.equal(decoder.trailers.get('x-amz-checksum-crc32'), 'lpGdmQ==');
    }
  });

  it('accepts upper-case hex sizes and an empty body', async () => {
    const upper = Buffer.from(`2000\r\n${'a'.repeat(8_192)}\r\n3E8\r\n${'a'.repeat(1_000)}\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`);
    const { output } = await decode([upper], { ...OPTIONS, decodedContentLength: 9_192 });
    assert.equal(output.length, 9_192);
    const empty = await decode([Buffer.from('0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n')], { ...OPTIONS, decodedContentLength: 0 });
    assert.equal(empty.output.length, 0);
  });

  it('refuses a chunk signature in an unsigned body', async () => {
    const body = Buffer.from(`3;chunk-signature=${'a'.repeat(64)}\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`);
    await rejectsWith(decode([body], { ...OPTIONS, decodedContentLength: 3 }), 'IncompleteBody');
  });

  it('refuses a short chunk that is not the last, naming the chunk that revealed it and the short size (S3\'s numbering)', async () => {
    // versity/versitygw#1665: "hello" in one chunk, then a second non-empty chunk → Chunk 2, BadChunkSize 5.
    const body = Buffer.from('5\r\nhello\r\n1\r\n!\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n');
    await rejectsWith(decode([body], { ...OPTIONS, decodedContentLength: 6 }), 'InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes', {
      Chunk: '2',
      BadChunkSize: '5',
    });
    const relaxed = await decode([body], { ...OPTIONS, decodedContentLength: 6, minChunkSize: 0 });
    assert.equal(relaxed.output.toString(), 'hello!');
  });

  it('refuses a chunk above the maximum before reading it', async () => {
    const body = Buffer.from('ffffffff\r\n');
    await rejectsWith(decode([body], { ...OPTIONS, decodedContentLength: undefined }), 'InvalidChunkSizeError', undefined, { Chunk: '1', BadChunkSize: '4294967295' });
  });

  it('checks x-amz-decoded-content-length: fewer bytes at the end, more bytes as soon as a chunk header promises them', async () => {
    await rejectsWith(decode([BODY], { ...OPTIONS, decodedContentLength: 20_001 }), 'IncompleteBody',
      'You did not provide the number of bytes specified by the Content-Length HTTP header', { NumberBytesExpected: '20001', NumberBytesProvided: '20000' });
    await rejectsWith(decode([BODY], { ...OPTIONS, decodedContentLength: 10_000 }), 'IncompleteBody', undefined, { NumberBytesExpected: '10000', NumberBytesProvided: '16384' });
  });

  it('refuses a body that ends early: mid-line, mid-data, between CR and LF, before the last empty line', async () => {
    for (const end of [2, 100, 8_198, 8_199, BODY.length - 2, BODY.length - 1]) {
      await rejectsWith(decode(split(BODY.subarray(0, end), 7), OPTIONS), 'IncompleteBody', 'The request body terminated unexpectedly');
    }
  });

  it('refuses broken framing: a data chunk not followed by CRLF, a bare LF, a bad size, bytes after the end', async () => {
    const noCrlf = Buffer.from(BODY);
    noCrlf[6 + 8_192] = 0x58;
    await rejectsWith(decode([noCrlf], OPTIONS), 'IncompleteBody');
    await rejectsWith(decode([Buffer.from('2000\n')], OPTIONS), 'IncompleteBody');
    await rejectsWith(decode([Buffer.from('20 00\r\n')], OPTIONS), 'IncompleteBody');
    await rejectsWith(decode([Buffer.from('\r\n')], OPTIONS), 'IncompleteBody');
    await rejectsWith(decode([BODY, Buffer.from('x')], OPTIONS), 'IncompleteBody');
  });

  it('never holds more than one bounded line: a size line without an end fails once past the limit', async () => {
    const endless = Buffer.alloc(5_000, '0');
    await rejectsWith(decode(split(endless, 100), OPTIONS), 'IncompleteBody');
    await rejectsWith(decode([Buffer.from('0'.repeat(40) + '\r\n')], { ...OPTIONS, maxLineLength: 32 }), 'IncompleteBody');
  });

  it('refuses malformed, duplicate, undeclared, too many or too long trailers', async () => {
    const withTrailer = (trailer: string): Buffer => unsignedBody([DATA], trailer);
    const options = { ...OPTIONS, minChunkSize: 0 };
    await rejectsWith(decode([withTrailer('x-amz-checksum-crc32 AAAAAA==\r\n')], options), 'MalformedTrailerError');
    await rejectsWith(decode([withTrailer('x-amz-checksum-crc32:AAAAAA==\r\nx-amz-checksum-crc32:AAAAAA==\r\n')], options), 'MalformedTrailerError');
    await rejectsWith(decode([withTrailer('x-amz-checksum-sha1:AAAAAA==\r\n')], options), 'MalformedTrailerError');
    await rejectsWith(decode([withTrailer('')], options), 'MalformedTrailerError', undefined);
    await rejectsWith(decode([withTrailer(`x-amz-checksum-crc32:${'A'.repeat(5_000)}\r\n`)], options), 'MalformedTrailerError');
    await rejectsWith(decode([withTrailer(`x-amz-trailer-signature:${'a'.repeat(64)}\r\nx-amz-checksum-crc32:AAAAAA==\r\n`)], options), 'MalformedTrailerError');
  });

  it('tolerates spaces around a trailer\'s colon and upper-case trailer names', async () => {
    const { decoder } = await decode([unsignedBody([DATA], 'X-Amz-Checksum-CRC32 : lpGdmQ==\r\n')], OPTIONS);
    assert.equal(decoder.trailers.get('x-amz-checksum-crc32'), 'lpGdmQ==');
  });
});

describe('construction', () => {
  it('needs a signing context for the signed modes', () => {
    assert.throws(() => new AwsChunkedDecoder({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' }), TypeError);
  });
});
