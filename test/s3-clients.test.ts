/**
 * S3 with the AWS CLI v2 and boto3: `aws s3 mb/cp/ls/rm` including a 20 MB copy (the CLI switches
 * to a multipart upload above 8 MB) downloaded back byte for byte, `aws s3api` calls, and boto3's
 * upload_file/download_file (multipart too). Skipped locally when the clients are missing; CI
 * requires them.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { aws, awsJson, boto3, realClient } from './helpers/real-clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let dir: string;

before(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), 'iamd-s3-clients-'));
});
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.close();
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function ok(args: string[]): Promise<string> {
  const result = await aws(server, server.root, args);
  assert.equal(result.status, 0, `aws ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

describe('AWS CLI', realClient('aws-cli'), () => {
  it('mb, cp up and down (20 MB multipart), ls, rm, rb', async () => {
    assert.match(await ok(['s3', 'mb', 's3://cli-bucket']), /make_bucket: cli-bucket/);
    const big = randomBytes(20 * 1024 * 1024);
    const small = Buffer.from('hello from the CLI\n');
    writeFileSync(join(dir, 'big.bin'), big);
    writeFileSync(join(dir, 'small.txt'), small);
    await ok(['s3', 'cp', join(dir, 'big.bin'), 's3://cli-bucket/data/big.bin']);
    await ok(['s3', 'cp', join(dir, 'small.txt'), 's3://cli-bucket/data/small.txt']);
    const head = await awsJson<{ ETag: string; ContentLength: number }>(server, server.root, ['s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'data/big.bin']);
    assert.equal(head.ContentLength, big.length);
    assert.match(head.ETag, /^"[0-9a-f]{32}-3"$/, 'the CLI uploaded 20 MB in 8 MB parts');
    const listing = await ok(['s3', 'ls', 's3://cli-bucket/data/']);
    assert.match(listing, /20971520 big\.bin/);
    assert.match(listing, /19 small\.txt/);
    assert.match(await ok(['s3', 'ls']), /cli-bucket/);
    await ok(['s3', 'cp', 's3://cli-bucket/data/big.bin', join(dir, 'big.copy')]);
    assert.equal(sha256(readFileSync(join(dir, 'big.copy'))), sha256(big));
    await ok(['s3', 'cp', 's3://cli-bucket/data/small.txt', join(dir, 'small.copy')]);
    assert.deepEqual(readFileSync(join(dir, 'small.copy')), small);
    const failed = await aws(server, server.root, ['s3', 'rb', 's3://cli-bucket']);
    assert.notEqual(failed.status, 0);
    assert.match(failed.stderr, /BucketNotEmpty/);
    await ok(['s3', 'rm', 's3://cli-bucket', '--recursive']);
    assert.equal((await ok(['s3', 'ls', 's3://cli-bucket/'])).trim(), '');
    await ok(['s3', 'rb', 's3://cli-bucket']);
    const gone = await aws(server, server.root, ['s3', 'ls', 's3://cli-bucket/']);
    assert.match(gone.stderr, /NoSuchBucket/);
  });

  it('s3api put-object with a checksum, get-object-tagging and list-objects-v2', async () => {
    await ok(['s3', 'mb', 's3://cli-api']);
    writeFileSync(join(dir, 'note.txt'), 'note');
    const put = await awsJson<{ ETag: string; ChecksumSHA256?: string }>(server, server.root, [
      's3api', 'put-object', '--bucket', 'cli-api', '--key', 'a/note.txt', '--body', join(dir, 'note.txt'), '--checksum-algorithm', 'SHA256', '--tagging', 'k=v',
    ]);
    assert.equal(put.ETag, `"${createHash('md5').update('note').digest('hex')}"`);
    assert.equal(put.ChecksumSHA256, createHash('sha256').update('note').digest('base64'));
    const tags = await awsJson<{ TagSet: unknown[] }>(server, server.root, ['s3api', 'get-object-tagging', '--bucket', 'cli-api', '--key', 'a/note.txt']);
    assert.deepEqual(tags.TagSet, [{ Key: 'k', Value: 'v' }]);
    const listed = await awsJson<{ Contents: Array<{ Key: string; Size: number }> }>(server, server.root, ['s3api', 'list-objects-v2', '--bucket', 'cli-api', '--prefix', 'a/']);
    assert.deepEqual(listed.Contents.map((entry) => [entry.Key, entry.Size]), [['a/note.txt', 4]]);
  });
});

describe('boto3', realClient('boto3'), () => {
  it('upload_file and download_file (multipart above the threshold), byte for byte', async () => {
    const body = randomBytes(12 * 1024 * 1024);
    writeFileSync(join(dir, 'boto.bin'), body);
    const script = `
from boto3.s3.transfer import TransferConfig
s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1")
s3.create_bucket(Bucket="boto-bucket")
config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
s3.upload_file(os.environ["SOURCE"], "boto-bucket", "x/boto.bin", Config=config)
s3.download_file("boto-bucket", "x/boto.bin", os.environ["TARGET"], Config=config)
head = s3.head_object(Bucket="boto-bucket", Key="x/boto.bin")
keys = [o["Key"] for o in s3.list_objects_v2(Bucket="boto-bucket")["Contents"]]
print(json.dumps({"etag": head["ETag"], "length": head["ContentLength"], "keys": keys}))
`;
    const result = await boto3(server, server.root, script.replace('os.environ["SOURCE"]', JSON.stringify(join(dir, 'boto.bin'))).replace('os.environ["TARGET"]', JSON.stringify(join(dir, 'boto.copy'))));
    assert.equal(result.status, 0, result.stderr);
    const answer = JSON.parse(result.stdout) as { etag: string; length: number; keys: string[] };
    assert.equal(answer.length, body.length);
    assert.match(answer.etag, /^"[0-9a-f]{32}-3"$/);
    assert.deepEqual(answer.keys, ['x/boto.bin']);
    assert.equal(sha256(readFileSync(join(dir, 'boto.copy'))), sha256(body));
  });
});
