/**
 * S3 with the JS SDK v3: buckets, objects (from a Buffer and from a stream, with each checksum
 * algorithm), ranges and conditional requests, listing with prefixes, delimiters and pages,
 * copies, batch deletes, tags, multipart uploads (lib-storage), presigned GET and PUT, and S3's
 * error documents.
 */
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteBucketCommand, DeleteBucketTaggingCommand, DeleteObjectCommand, GetBucketTaggingCommand, PutBucketTaggingCommand, DeleteObjectsCommand, GetBucketLocationCommand, GetObjectCommand, GetObjectTaggingCommand,
  HeadBucketCommand, HeadObjectCommand, ListBucketsCommand, ListMultipartUploadsCommand, ListObjectsCommand, ListObjectsV2Command,
  ListPartsCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client, UploadPartCommand, type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { expectAwsError, s3Client, startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let s3: S3Client;

before(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
  await s3.send(new CreateBucketCommand({ Bucket: 'data' }));
});
after(async () => {
  s3.destroy();
  await server.close();
});

const md5 = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex');

async function bodyOf(bucket: string, key: string, extra: { Range?: string } = {}): Promise<Buffer> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return Buffer.from(await answer.Body!.transformToByteArray());
}

describe('buckets', () => {
  it('creates, lists, heads, locates and deletes a bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'lifecycle-1' }));
    const listed = await s3.send(new ListBucketsCommand({}));
    assert.ok(listed.Buckets!.some((bucket) => bucket.Name === 'lifecycle-1' && bucket.CreationDate instanceof Date));
    assert.ok(listed.Owner?.ID && listed.Owner.ID.length === 64);
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'lifecycle-1' }));
    assert.equal(head.$metadata.httpStatusCode, 200);
    assert.equal(head.BucketRegion, 'us-east-1');
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: 'lifecycle-1' }));
    assert.equal(location.LocationConstraint, undefined);
    await expectAwsError(s3.send(new CreateBucketCommand({ Bucket: 'lifecycle-1' })), 'BucketAlreadyOwnedByYou');
    await s3.send(new PutObjectCommand({ Bucket: 'lifecycle-1', Key: 'x', Body: 'x' }));
    await expectAwsError(s3.send(new DeleteBucketCommand({ Bucket: 'lifecycle-1' })), 'BucketNotEmpty');
    await s3.send(new DeleteObjectCommand({ Bucket: 'lifecycle-1', Key: 'x' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'lifecycle-1' }));
    await expectAwsError(s3.send(new HeadBucketCommand({ Bucket: 'lifecycle-1' })), 'NotFound');
    const error = await expectAwsError(s3.send(new ListObjectsV2Command({ Bucket: 'lifecycle-1' })), 'NoSuchBucket');
    assert.equal((error as unknown as { BucketName?: string }).BucketName, 'lifecycle-1');
  });

  it('tags a bucket', async () => {
    await expectAwsError(s3.send(new GetBucketTaggingCommand({ Bucket: 'data' })), 'NoSuchTagSet');
    await s3.send(new PutBucketTaggingCommand({ Bucket: 'data', Tagging: { TagSet: [{ Key: 'env', Value: 'lab' }, { Key: 'team', Value: 'sec' }] } }));
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket: 'data' }))).TagSet, [{ Key: 'env', Value: 'lab' }, { Key: 'team', Value: 'sec' }]);
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'data' }));
    await expectAwsError(s3.send(new GetBucketTaggingCommand({ Bucket: 'data' })), 'NoSuchTagSet');
  });

  it('keeps a LocationConstraint that matches the signed region and refuses bad names', async () => {
    const client = new S3Client({ endpoint: server.url, region: 'eu-west-1', credentials: server.root, forcePathStyle: true, maxAttempts: 1 });
    await client.send(new CreateBucketCommand({ Bucket: 'in-ireland', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    assert.equal((await client.send(new GetBucketLocationCommand({ Bucket: 'in-ireland' }))).LocationConstraint, 'eu-west-1');
    await expectAwsError(client.send(new CreateBucketCommand({ Bucket: 'elsewhere', CreateBucketConfiguration: { LocationConstraint: 'ap-south-1' } })), 'IllegalLocationConstraintException');
    await expectAwsError(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })), 'InvalidBucketName');
    client.destroy();
  });
});

describe('objects', () => {
  it('puts and gets a Buffer with metadata, headers and an MD5 ETag', async () => {
    const body = randomBytes(1024);
    const put = await s3.send(new PutObjectCommand({
      Bucket: 'data', Key: 'dir/file.bin', Body: body, ContentType: 'application/x-test', Metadata: { owner: 'alice' }, CacheControl: 'max-age=60',
    }));
    assert.equal(put.ETag, `"${md5(body)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'dir/file.bin' }));
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
    assert.equal(got.ContentType, 'application/x-test');
    assert.equal(got.ContentLength, 1024);
    assert.equal(got.CacheControl, 'max-age=60');
    assert.deepEqual(got.Metadata, { owner: 'alice' });
    assert.equal(got.ETag, put.ETag);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'dir/file.bin' }));
    assert.equal(head.ContentLength, 1024);
    assert.equal(head.ETag, put.ETag);
  });

  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
    it(`uploads with ${algorithm} from a Buffer and from a stream, and returns the checksum`, async () => {
      const body = randomBytes(200_000);
      const fromBuffer = await s3.send(new PutObjectCommand({ Bucket: 'data', Key: `sum/${algorithm}/buffer`, Body: body, ChecksumAlgorithm: algorithm as ChecksumAlgorithm }));
      const field = `Checksum${algorithm}` as const;
      assert.ok(fromBuffer[field], `${field} returned`);
      const fromStream = await s3.send(new PutObjectCommand({
        Bucket: 'data', Key: `sum/${algorithm}/stream`, Body: Readable.from([body.subarray(0, 70_000), body.subarray(70_000)]), ContentLength: body.length,
        ChecksumAlgorithm: algorithm as ChecksumAlgorithm,
      }));
      assert.equal(fromStream[field], fromBuffer[field]);
      assert.deepEqual(await bodyOf('data', `sum/${algorithm}/stream`), body);
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: `sum/${algorithm}/stream`, ChecksumMode: 'ENABLED' }));
      assert.equal(head[field], fromBuffer[field]);
    });
  }

  it('refuses a body whose Content-MD5 does not match', async () => {
    const wrong = createHash('md5').update('something else').digest('base64');
    await expectAwsError(s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'md5-checked', Body: 'the body', ContentMD5: wrong })), 'BadDigest');
    await expectAwsError(s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'md5-checked' })), 'NotFound');
    const right = createHash('md5').update('the body').digest('base64');
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'md5-checked', Body: 'the body', ContentMD5: right }));
  });

  it('refuses a body whose checksum does not match, and keeps the old object', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'guarded', Body: 'original' }));
    await expectAwsError(s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'guarded', Body: 'changed', ChecksumCRC32: 'AAAAAA==' })), 'BadDigest');
    assert.equal((await bodyOf('data', 'guarded')).toString(), 'original');
  });

  it('serves ranges and conditional requests', async () => {
    const body = Buffer.from('0123456789abcdef');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'ranged', Body: body }));
    assert.equal((await bodyOf('data', 'ranged', { Range: 'bytes=2-5' })).toString(), '2345');
    assert.equal((await bodyOf('data', 'ranged', { Range: 'bytes=-3' })).toString(), 'def');
    assert.equal((await bodyOf('data', 'ranged', { Range: 'bytes=10-' })).toString(), 'abcdef');
    const ranged = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'ranged', Range: 'bytes=0-0' }));
    assert.equal(ranged.ContentRange, 'bytes 0-0/16');
    await ranged.Body!.transformToByteArray();
    const error = await expectAwsError(s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'ranged', Range: 'bytes=100-' })), 'InvalidRange');
    assert.equal(error.$metadata?.httpStatusCode, 416);
    await expectAwsError(s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'ranged', IfMatch: '"nope"' })), 'PreconditionFailed');
    const notModified = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'ranged', IfNoneMatch: put.ETag })).catch((caught: { $metadata?: { httpStatusCode?: number } }) => caught);
    assert.equal(notModified.$metadata?.httpStatusCode, 304);
    const matched = await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'ranged', IfMatch: put.ETag }));
    assert.equal(Buffer.from(await matched.Body!.transformToByteArray()).toString(), body.toString());
  });

  it('answers each request with its own headers, and an object changed with its new ones', async () => {
    // A client that asks for checksums only when told to (this SDK asks on every GetObject by default).
    const asked = s3Client(server, server.root, { responseChecksumValidation: 'WHEN_REQUIRED' });
    after(() => asked.destroy());
    const get = (extra: Partial<{ Range: string; ResponseContentType: string; ChecksumMode: 'ENABLED' }> = {}) =>
      asked.send(new GetObjectCommand({ Bucket: 'data', Key: 'shared-headers', ...extra }));
    const plain = async (): Promise<void> => {
      const answer = await get();
      assert.equal(answer.ContentType, 'text/plain');
      assert.equal(answer.ContentLength, 16);
      assert.equal(answer.ContentRange, undefined);
      assert.equal(answer.ChecksumCRC32, undefined);
      assert.equal((await answer.Body!.transformToString()), '0123456789abcdef');
    };
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'shared-headers', Body: '0123456789abcdef', ContentType: 'text/plain', ChecksumAlgorithm: 'CRC32' }));
    await plain();
    const overridden = await get({ Range: 'bytes=0-3', ResponseContentType: 'application/json' });
    assert.equal(overridden.ContentType, 'application/json');
    assert.equal(overridden.ContentRange, 'bytes 0-3/16');
    assert.equal(overridden.ContentLength, 4);
    await overridden.Body!.transformToByteArray();
    const withChecksum = await get({ ChecksumMode: 'ENABLED' });
    assert.ok(withChecksum.ChecksumCRC32);
    await withChecksum.Body!.transformToByteArray();
    await plain();
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'shared-headers' }))).TagCount, undefined);
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'data', Key: 'shared-headers', Tagging: { TagSet: [{ Key: 'team', Value: 'blue' }] } }));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'shared-headers' }))).TagCount, 1);
    assert.equal((await get()).TagCount, 1);
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'shared-headers', Body: 'replaced', ContentType: 'text/csv' }));
    const replaced = await get();
    assert.equal(replaced.ContentType, 'text/csv');
    assert.equal(replaced.ContentLength, 8);
    assert.equal(replaced.TagCount, undefined);
    assert.equal(await replaced.Body!.transformToString(), 'replaced');
  });

  it('answers NoSuchKey with the key, and deletes idempotently', async () => {
    const error = await expectAwsError(s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'missing/key' })), 'NoSuchKey');
    assert.equal((error as unknown as { Key?: string }).Key, 'missing/key');
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'missing/key' }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
  });

  it('copies an object, with its metadata or replaced', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'copy/source', Body: 'copy me', Metadata: { a: '1' }, ContentType: 'text/plain' }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: 'data', Key: 'copy/target', CopySource: 'data/copy/source' }));
    assert.equal(copied.CopyObjectResult?.ETag, `"${md5(Buffer.from('copy me'))}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'copy/target' }));
    assert.deepEqual(head.Metadata, { a: '1' });
    assert.equal(head.ContentType, 'text/plain');
    await s3.send(new CopyObjectCommand({ Bucket: 'data', Key: 'copy/target', CopySource: 'data/copy/source', MetadataDirective: 'REPLACE', Metadata: { b: '2' } }));
    assert.deepEqual((await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'copy/target' }))).Metadata, { b: '2' });
    await expectAwsError(s3.send(new CopyObjectCommand({ Bucket: 'data', Key: 'copy/source', CopySource: 'data/copy/source' })), 'InvalidRequest');
    await expectAwsError(s3.send(new CopyObjectCommand({ Bucket: 'data', Key: 'copy/x', CopySource: 'data/copy/nothing' })), 'NoSuchKey');
  });

  it('deletes objects in a batch, and tags objects', async () => {
    for (const key of ['batch/1', 'batch/2', 'batch/3']) await s3.send(new PutObjectCommand({ Bucket: 'data', Key: key, Body: key }));
    const result = await s3.send(new DeleteObjectsCommand({ Bucket: 'data', Delete: { Objects: [{ Key: 'batch/1' }, { Key: 'batch/2' }] } }));
    assert.deepEqual(result.Deleted!.map((entry) => entry.Key).sort(), ['batch/1', 'batch/2']);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'data', Prefix: 'batch/' }));
    assert.deepEqual(left.Contents!.map((entry) => entry.Key), ['batch/3']);
    await s3.send(new PutObjectTaggingCommand({ Bucket: 'data', Key: 'batch/3', Tagging: { TagSet: [{ Key: 'team', Value: 'blue' }] } }));
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: 'data', Key: 'batch/3' }));
    assert.deepEqual(tags.TagSet, [{ Key: 'team', Value: 'blue' }]);
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'batch/4', Body: '4', Tagging: 'a=1&b=two%20words' }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: 'data', Key: 'batch/4' }))).TagSet, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'two words' }]);
  });
});

describe('listing', () => {
  before(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    const keys = ['a.txt', 'photos/2024/jan.jpg', 'photos/2024/feb.jpg', 'photos/2025/mar.jpg', 'photos/index.html', 'videos/x.mp4', 'z ü+.txt'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key: key, Body: key }));
  });

  it('lists in UTF-8 order with a delimiter rolling up common prefixes', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    assert.deepEqual(top.Contents!.map((entry) => entry.Key), ['a.txt', 'z ü+.txt']);
    assert.deepEqual(top.CommonPrefixes!.map((entry) => entry.Prefix), ['photos/', 'videos/']);
    assert.equal(top.KeyCount, 4);
    const photos = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'photos/', Delimiter: '/' }));
    assert.deepEqual(photos.Contents!.map((entry) => entry.Key), ['photos/index.html']);
    assert.deepEqual(photos.CommonPrefixes!.map((entry) => entry.Prefix), ['photos/2024/', 'photos/2025/']);
  });

  it('pages with continuation tokens and start-after (V2) and markers (V1)', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 2, ...(token ? { ContinuationToken: token } : {}) }));
      seen.push(...(page.Contents ?? []).map((entry) => entry.Key!));
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    assert.equal(pages, 4);
    assert.deepEqual(seen, ['a.txt', 'photos/2024/feb.jpg', 'photos/2024/jan.jpg', 'photos/2025/mar.jpg', 'photos/index.html', 'videos/x.mp4', 'z ü+.txt']);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'photos/index.html' }));
    assert.deepEqual(after.Contents!.map((entry) => entry.Key), ['videos/x.mp4', 'z ü+.txt']);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2 }));
    assert.equal(v1.IsTruncated, true);
    assert.deepEqual([...(v1.Contents ?? []).map((entry) => entry.Key), ...(v1.CommonPrefixes ?? []).map((entry) => entry.Prefix)], ['a.txt', 'photos/']);
    const next = await s3.send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', Marker: v1.NextMarker! }));
    assert.deepEqual([...(next.Contents ?? []).map((entry) => entry.Key), ...(next.CommonPrefixes ?? []).map((entry) => entry.Prefix)], ['z ü+.txt', 'videos/']);
  });

  it('url-encodes keys when asked', async () => {
    const encoded = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'z', EncodingType: 'url' }));
    assert.equal(encoded.EncodingType, 'url');
    assert.equal(encoded.Contents![0]!.Key, encodeURIComponent('z ü+.txt'));
  });
});

describe('multipart uploads', () => {
  it('uploads 20 MB with lib-storage and reads it back byte for byte, with a multipart ETag', async () => {
    const body = randomBytes(20 * 1024 * 1024);
    const upload = new Upload({ client: s3, params: { Bucket: 'data', Key: 'big/20mb.bin', Body: body }, partSize: 8 * 1024 * 1024, queueSize: 2 });
    const done = await upload.done();
    assert.match(done.ETag!, /^"[0-9a-f]{32}-3"$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'big/20mb.bin' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(md5(await bodyOf('data', 'big/20mb.bin')), md5(body));
    const parts = [body.subarray(0, 8 * 1024 * 1024), body.subarray(8 * 1024 * 1024, 16 * 1024 * 1024), body.subarray(16 * 1024 * 1024)];
    const expected = createHash('md5').update(Buffer.concat(parts.map((part) => createHash('md5').update(part).digest()))).digest('hex');
    assert.equal(done.ETag, `"${expected}-3"`);
  });

  it('lists parts and uploads, refuses small parts and wrong ETags, and aborts', async () => {
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'data', Key: 'mp/manual', ChecksumAlgorithm: 'CRC32' }));
    const uploadId = created.UploadId!;
    const small = await s3.send(new UploadPartCommand({ Bucket: 'data', Key: 'mp/manual', UploadId: uploadId, PartNumber: 2, Body: Buffer.from('tail'), ChecksumAlgorithm: 'CRC32' }));
    const first = await s3.send(new UploadPartCommand({ Bucket: 'data', Key: 'mp/manual', UploadId: uploadId, PartNumber: 1, Body: Buffer.alloc(100, 1), ChecksumAlgorithm: 'CRC32' }));
    const listed = await s3.send(new ListPartsCommand({ Bucket: 'data', Key: 'mp/manual', UploadId: uploadId }));
    assert.deepEqual(listed.Parts!.map((part) => [part.PartNumber, part.Size, part.ETag]), [[1, 100, first.ETag], [2, 4, small.ETag]]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'data', Prefix: 'mp/' }));
    assert.deepEqual(uploads.Uploads!.map((upload) => upload.UploadId), [uploadId]);
    const parts = [{ PartNumber: 1, ETag: first.ETag! }, { PartNumber: 2, ETag: small.ETag! }];
    await expectAwsError(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'data', Key: 'mp/manual', UploadId: uploadId, MultipartUpload: { Parts: parts } })), 'EntityTooSmall');
    await expectAwsError(s3.send(new CompleteMultipartUploadCommand({
      Bucket: 'data', Key: 'mp/manual', UploadId: uploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] },
    })), 'InvalidPart');
    await expectAwsError(s3.send(new CompleteMultipartUploadCommand({
      Bucket: 'data', Key: 'mp/manual', UploadId: uploadId, MultipartUpload: { Parts: [parts[1]!, parts[0]!] },
    })), 'InvalidPartOrder');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'data', Key: 'mp/manual', UploadId: uploadId }));
    await expectAwsError(s3.send(new ListPartsCommand({ Bucket: 'data', Key: 'mp/manual', UploadId: uploadId })), 'NoSuchUpload');
    await expectAwsError(s3.send(new HeadObjectCommand({ Bucket: 'data', Key: 'mp/manual' })), 'NotFound');
  });
});

describe('presigned URLs', () => {
  const signer = (): SignatureV4 => new SignatureV4({ service: 's3', region: 'us-east-1', credentials: server.root, sha256: Sha256, uriEscapePath: false });

  async function presign(method: string, key: string, expiresIn = 300): Promise<string> {
    const url = new URL(`${server.url}/data/${key}`);
    // As S3's presigner does: the payload is not signed (x-amz-content-sha256 says so, and is hoisted into the query).
    const request = new HttpRequest({
      method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    });
    const signed = await signer().presign(request, { expiresIn });
    const query = new URLSearchParams(signed.query as Record<string, string>).toString();
    return `${server.url}${signed.path}?${query}`;
  }

  it('puts and gets through presigned URLs, and refuses a tampered one', async () => {
    const putUrl = await presign('PUT', 'presigned/file.txt');
    const put = await fetch(putUrl, { method: 'PUT', body: 'via a presigned PUT' });
    assert.equal(put.status, 200, await put.text());
    const getUrl = await presign('GET', 'presigned/file.txt');
    const got = await fetch(getUrl);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'via a presigned PUT');
    const tampered = await fetch(getUrl.replace('presigned/file.txt', 'presigned/other.txt'));
    assert.equal(tampered.status, 403);
    const text = await tampered.text();
    assert.match(text, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.match(text, /<StringToSign>AWS4-HMAC-SHA256\n/);
    assert.doesNotMatch(text, new RegExp(server.root.secretAccessKey));
  });
});
