import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it, type TestContext } from 'node:test';
import { BlobFiles } from './blob-files.js';
import { compareKeys } from './key-range.js';
import { ObjectChangedError, openObjectStorage } from './index.js';
import {
  bucketNamed,
  filesUnder,
  metadataWithEtag,
  patternedBytes,
  readAll,
  scratchDirectory,
  stageBytes,
} from './testing.js';
import type { ObjectStorage } from './types.js';

const WHEN = '2025-03-04T05:06:07.890Z';
const LATER = '2025-03-04T06:00:00.000Z';

function openScratch(t: TestContext, dir = scratchDirectory(t)): { storage: ObjectStorage; dir: string } {
  const storage = openObjectStorage(dir);
  t.after(() => storage.close());
  return { storage, dir };
}

async function putBytes(storage: ObjectStorage, bucket: string, key: string, bytes: Buffer | string, etag = 'etag-' + key) {
  return storage.putObject(bucket, key, metadataWithEtag(etag), await stageBytes(storage, bytes), WHEN);
}

async function bodyOf(storage: ObjectStorage, bucket: string, key: string): Promise<Buffer> {
  const object = storage.getObject(bucket, key);
  assert.ok(object, `${key} exists`);
  return readAll(storage.openBody(object));
}

function blobFiles(dir: string): string[] {
  return filesUnder(join(dir, 'blobs'));
}

describe('buckets', () => {
  it('creates, lists by name, updates policy and tags, and deletes', (t) => {
    const { storage } = openScratch(t);
    storage.createBucket(bucketNamed('zeta'));
    storage.createBucket({ ...bucketNamed('alpha'), region: 'eu-west-1', policy: '{"Version":"2012-10-17"}', tags: [{ Key: 'team', Value: 'iam' }] });
    assert.throws(() => storage.createBucket(bucketNamed('zeta')));
    assert.deepEqual(
      storage.listBuckets().map((bucket) => bucket.name),
      ['alpha', 'zeta'],
    );
    assert.deepEqual(storage.getBucket('alpha'), {
      name: 'alpha',
      region: 'eu-west-1',
      createdAt: '2025-01-02T03:04:05.678Z',
      policy: '{"Version":"2012-10-17"}',
      tags: [{ Key: 'team', Value: 'iam' }],
    });

    storage.updateBucket('alpha', { tags: null });
    assert.deepEqual(storage.getBucket('alpha'), { ...bucketNamed('alpha'), region: 'eu-west-1', policy: '{"Version":"2012-10-17"}' });
    storage.updateBucket('alpha', { policy: null, tags: [{ Key: 'k', Value: 'v' }] });
    assert.deepEqual(storage.getBucket('alpha'), { ...bucketNamed('alpha'), region: 'eu-west-1', tags: [{ Key: 'k', Value: 'v' }] });

    storage.deleteBucket('zeta');
    assert.equal(storage.getBucket('zeta'), undefined);
    assert.deepEqual(
      storage.listBuckets().map((bucket) => bucket.name),
      ['alpha'],
    );
  });

  it('refuses to delete a bucket that still holds objects, changing nothing', async (t) => {
    const { storage } = openScratch(t);
    storage.createBucket(bucketNamed('full'));
    await putBytes(storage, 'full', 'k', 'v');
    assert.equal(storage.hasObjects('full'), true);
    assert.throws(() => storage.deleteBucket('full'));
    assert.equal((await bodyOf(storage, 'full', 'k')).toString(), 'v');
    storage.deleteObject('full', 'k');
    assert.equal(storage.hasObjects('full'), false);
    storage.deleteBucket('full');
    assert.equal(storage.getBucket('full'), undefined);
  });
});

describe('objects', () => {
  it('puts, gets, replaces and deletes, byte for byte, leaving one blob per object', async (t) => {
    const { storage, dir } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    const first = patternedBytes(300_000, 1);
    const metadata = metadataWithEtag('0123', {
      contentType: 'image/png',
      headers: { 'cache-control': 'no-cache' },
      metadata: { owner: 'ana' },
      checksums: { CRC32: 'AAAAAA==' },
      checksumType: 'FULL_OBJECT',
      tags: [{ Key: 'a', Value: 'b' }],
    });
    const put = storage.putObject('b', 'photos/cat.png', metadata, await stageBytes(storage, first), WHEN);
    assert.deepEqual(put, { bucket: 'b', key: 'photos/cat.png', size: first.length, lastModified: WHEN, ...metadata });
    assert.deepEqual(storage.getObject('b', 'photos/cat.png'), put);
    assert.ok((await bodyOf(storage, 'b', 'photos/cat.png')).equals(first));
    assert.equal(blobFiles(dir).length, 1);

    const second = patternedBytes(1234, 2);
    await putBytes(storage, 'b', 'photos/cat.png', second, 'replaced');
    assert.equal(storage.getObject('b', 'photos/cat.png')?.etag, 'replaced');
    assert.equal(storage.getObject('b', 'photos/cat.png')?.size, 1234);
    assert.ok((await bodyOf(storage, 'b', 'photos/cat.png')).equals(second));
    assert.equal(blobFiles(dir).length, 1, 'the replaced body is removed');

    assert.equal(storage.deleteObject('b', 'photos/cat.png'), true);
    assert.equal(storage.deleteObject('b', 'photos/cat.png'), false);
    assert.equal(storage.getObject('b', 'photos/cat.png'), undefined);
    assert.deepEqual(blobFiles(dir), []);
  });

  it('reads small bodies at once, and never serves a cached record or body after a change', async (t) => {
    const { storage } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    await putBytes(storage, 'b', 'k', 'first body', 'one');
    const first = storage.getObject('b', 'k')!;
    assert.equal(storage.readBody(first).toString(), 'first body');
    assert.equal(storage.readBody(first, { start: 6, end: 9 }).toString(), 'body');
    assert.equal(storage.getObject('b', 'k'), first, 'read again from the cache');
    await putBytes(storage, 'b', 'k', 'second body!', 'two');
    const second = storage.getObject('b', 'k')!;
    assert.equal(second.etag, 'two');
    assert.equal(storage.readBody(second).toString(), 'second body!');
    assert.throws(() => storage.readBody(first), ObjectChangedError, 'the replaced record no longer reads');
    storage.updateObject('b', 'k', { tags: [{ Key: 't', Value: 'v' }] });
    assert.deepEqual(storage.getObject('b', 'k')!.tags, [{ Key: 't', Value: 'v' }]);
    assert.equal(storage.getObject('missing', 'k'), undefined);
    assert.equal(storage.getObject('b', 'gone'), undefined);
    await putBytes(storage, 'b', 'gone', 'now here', 'three');
    assert.equal(storage.getObject('b', 'gone')?.etag, 'three', 'a key found missing is found once put');
    storage.deleteObject('b', 'k');
    assert.equal(storage.getObject('b', 'k'), undefined);
  });

  it('keeps an empty body', async (t) => {
    const { storage } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    assert.equal((await putBytes(storage, 'b', 'empty', '')).size, 0);
    assert.equal((await bodyOf(storage, 'b', 'empty')).length, 0);
  });

  it('streams a 20 MiB body in and out intact', async (t) => {
    const { storage } = openScratch(t);
    storage.createBucket(bucketNamed('big'));
    const chunkSize = 64 * 1024;
    const written = createHash('sha256');
    async function* body(): AsyncGenerator<Buffer> {
      for (let index = 0; index < 320; index++) {
        const chunk = Buffer.alloc(chunkSize, index & 0xff);
        chunk.writeUInt32BE(index, chunkSize - 4);
        written.update(chunk);
        yield chunk;
      }
    }
    const object = storage.putObject('big', 'blob.bin', metadataWithEtag('big'), await storage.stage(Readable.from(body())), WHEN);
    assert.equal(object.size, 20 * 1024 * 1024);
    const read = createHash('sha256');
    let largestChunk = 0;
    for await (const chunk of storage.openBody(object)) {
      read.update(chunk as Buffer);
      largestChunk = Math.max(largestChunk, (chunk as Buffer).length);
    }
    assert.equal(read.digest('hex'), written.digest('hex'));
    assert.ok(largestChunk <= 64 * 1024, 'read back in chunks, not in one piece');
  });

  it('serves byte ranges, both ends inclusive', async (t) => {
    const { storage } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    const bytes = patternedBytes(1000, 3);
    const object = await putBytes(storage, 'b', 'k', bytes);
    for (const [start, end] of [[0, 0], [10, 19], [990, 999], [0, 999], [500, 500]] as const) {
      const slice = await readAll(storage.openBody(object, { start, end }));
      assert.ok(slice.equals(bytes.subarray(start, end + 1)), `bytes ${start}-${end}`);
    }
  });

  it('rejects an inverted range without leaking the file it opened', async (t) => {
    const { storage } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    const object = await putBytes(storage, 'b', 'k', '0123456789');
    const openDescriptors = () => readdirSync('/proc/self/fd').length;
    const before = openDescriptors();
    assert.throws(() => storage.openBody(object, { start: 5, end: 2 }), /ERR_OUT_OF_RANGE|"start"/);
    assert.equal(openDescriptors(), before);
  });

  it('updates metadata and tags without touching the body', async (t) => {
    const { storage, dir } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    await putBytes(storage, 'b', 'k', 'body');
    const blobsBefore = blobFiles(dir);
    const tagged = storage.updateObject('b', 'k', { tags: [{ Key: 'x', Value: 'y' }], etag: undefined });
    assert.deepEqual(tagged?.tags, [{ Key: 'x', Value: 'y' }]);
    assert.equal(tagged?.etag, 'etag-k', 'an undefined field leaves the value');
    assert.equal(tagged?.lastModified, WHEN);
    const copied = storage.updateObject('b', 'k', { contentType: 'text/plain', metadata: { note: 'copied' } }, LATER);
    assert.deepEqual(storage.getObject('b', 'k'), copied);
    assert.equal(copied?.lastModified, LATER);
    assert.equal(copied?.contentType, 'text/plain');
    assert.deepEqual(copied?.tags, [{ Key: 'x', Value: 'y' }]);
    assert.equal((await bodyOf(storage, 'b', 'k')).toString(), 'body');
    assert.deepEqual(blobFiles(dir), blobsBefore);
    assert.equal(storage.updateObject('b', 'missing', { contentType: 'x' }), undefined);
  });

  it('stores only metadata fields when handed a whole record as metadata', async (t) => {
    const { storage } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    const original = await putBytes(storage, 'b', 'original', 'abc');
    const copy = storage.putObject('b', 'copy', original, await stageBytes(storage, 'abc'), LATER);
    assert.deepEqual(storage.getObject('b', 'copy'), { ...original, key: 'copy', lastModified: LATER });
    assert.equal(copy.key, 'copy');
  });

  it('keeps reading a body that is replaced, then deleted, while it is read', async (t) => {
    const { storage, dir } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    const original = patternedBytes(2 * 1024 * 1024, 4);
    const object = await putBytes(storage, 'b', 'k', original, 'v1');
    const reader = storage.openBody(object)[Symbol.asyncIterator]();
    const first = await reader.next();
    await putBytes(storage, 'b', 'k', 'new', 'v2');
    storage.deleteObject('b', 'k');
    assert.deepEqual(blobFiles(dir), [], 'the old body is unlinked already');
    const chunks = [first.value as Buffer];
    for (let next = await reader.next(); !next.done; next = await reader.next()) chunks.push(next.value as Buffer);
    assert.ok(Buffer.concat(chunks).equals(original));
  });

  it('refuses to open a body through a record of an object since replaced', async (t) => {
    const { storage } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    const stale = await putBytes(storage, 'b', 'k', 'old', 'v1');
    await putBytes(storage, 'b', 'k', 'newer', 'v2');
    assert.throws(() => storage.openBody(stale), ObjectChangedError);
    storage.deleteObject('b', 'k');
    assert.throws(() => storage.openBody(stale), ObjectChangedError);
  });

  it('leaves no object and no file when the body fails mid-stream', async (t) => {
    const { storage, dir } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(100_000, 7);
      throw new Error('client went away');
    }
    await assert.rejects(storage.stage(Readable.from(failing())), /client went away/);
    assert.equal(storage.getObject('b', 'k'), undefined);
    assert.deepEqual(filesUnder(dir).filter((file) => !file.startsWith('objects.sqlite')), []);
  });

  it('leaves no file when the metadata cannot be committed (no such bucket), nor for a malformed key', async (t) => {
    const { storage, dir } = openScratch(t);
    const staged = await stageBytes(storage, 'orphan?');
    assert.throws(() => storage.putObject('no-such-bucket', 'k', metadataWithEtag('e'), staged, WHEN), /FOREIGN KEY/);
    storage.createBucket(bucketNamed('b'));
    assert.throws(() => storage.putObject('b', 'half \uD83D', metadataWithEtag('e'), staged, WHEN), /already committed or discarded/);
    const another = await stageBytes(storage, 'x');
    assert.throws(() => storage.putObject('b', 'half \uD83D', metadataWithEtag('e'), another, WHEN), /well-formed/);
    assert.deepEqual(filesUnder(dir).filter((file) => !file.startsWith('objects.sqlite')), []);
  });
});

describe('listing', () => {
  const keys = ['b', 'a/2', 'Z', 'é', '\u{1F600}', 'a/1', '\uFFFD', 'a', '\uFF5E', 'a/1/x', '0', 'p\uFFFF', 'p\uFFFFz', 'p\u{10000}', 'q\u{10FFFF}', 'r'];
  const utf8Order = ['0', 'Z', 'a', 'a/1', 'a/1/x', 'a/2', 'b', 'p\uFFFF', 'p\uFFFFz', 'p\u{10000}', 'q\u{10FFFF}', 'r', 'é', '\uFF5E', '\uFFFD', '\u{1F600}'];

  async function filled(t: TestContext): Promise<ObjectStorage> {
    const { storage } = openScratch(t);
    storage.createBucket(bucketNamed('b'));
    storage.createBucket(bucketNamed('other'));
    for (const key of keys) await putBytes(storage, 'b', key, key);
    await putBytes(storage, 'other', 'a/1', 'elsewhere');
    return storage;
  }

  const listedKeys = (storage: ObjectStorage, options: { prefix?: string; after?: string; limit?: number }) =>
    storage.listObjects('b', { limit: 1000, ...options }).map((object) => object.key);

  it('lists in UTF-8 byte order, not UTF-16 order', async (t) => {
    const storage = await filled(t);
    assert.deepEqual([...keys].sort(compareKeys), utf8Order);
    assert.deepEqual(listedKeys(storage, {}), utf8Order);
    assert.ok(utf8Order.indexOf('\uFFFD') < utf8Order.indexOf('\u{1F600}'));
  });

  it('lists by prefix, including prefixes ending in U+FFFF and U+10FFFF', async (t) => {
    const storage = await filled(t);
    assert.deepEqual(listedKeys(storage, { prefix: 'a/' }), ['a/1', 'a/1/x', 'a/2']);
    assert.deepEqual(listedKeys(storage, { prefix: 'a/1' }), ['a/1', 'a/1/x']);
    assert.deepEqual(listedKeys(storage, { prefix: 'p' }), ['p\uFFFF', 'p\uFFFFz', 'p\u{10000}']);
    assert.deepEqual(listedKeys(storage, { prefix: 'p\uFFFF' }), ['p\uFFFF', 'p\uFFFFz']);
    assert.deepEqual(listedKeys(storage, { prefix: 'q\u{10FFFF}' }), ['q\u{10FFFF}']);
    assert.deepEqual(listedKeys(storage, { prefix: '\uFFFD' }), ['\uFFFD']);
    assert.deepEqual(listedKeys(storage, { prefix: 'nothing' }), []);
  });

  it('lists after a key, with or without a prefix', async (t) => {
    const storage = await filled(t);
    assert.deepEqual(listedKeys(storage, { after: '\uFFFD' }), ['\u{1F600}']);
    assert.deepEqual(listedKeys(storage, { after: 'a/1' }), utf8Order.slice(utf8Order.indexOf('a/1') + 1));
    assert.deepEqual(listedKeys(storage, { prefix: 'a/', after: 'a/1' }), ['a/1/x', 'a/2']);
    assert.deepEqual(listedKeys(storage, { prefix: 'a/', after: 'a' }), ['a/1', 'a/1/x', 'a/2'], 'an after below the prefix');
    assert.deepEqual(listedKeys(storage, { prefix: 'a/', after: 'a/3' }), []);
    assert.deepEqual(listedKeys(storage, { after: 'not-a-key' }), utf8Order.slice(utf8Order.indexOf('p\uFFFF')));
  });

  it('pages through everything with limit and after', async (t) => {
    const storage = await filled(t);
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = listedKeys(storage, { limit: 3, ...(after === undefined ? {} : { after }) });
      if (page.length === 0) break;
      pages.push(page);
      after = page[page.length - 1];
    }
    assert.deepEqual(pages.flat(), utf8Order);
    assert.equal(pages[0]!.length, 3);
    assert.deepEqual(listedKeys(storage, { limit: 0 }), []);
  });

  it('returns full records', async (t) => {
    const storage = await filled(t);
    const [first] = storage.listObjects('b', { prefix: 'é', limit: 10 });
    assert.deepEqual(first, storage.getObject('b', 'é'));
    assert.equal(first?.size, Buffer.byteLength('é'));
  });
});

describe('durability', () => {
  it('keeps everything across close and reopen', async (t) => {
    const dir = scratchDirectory(t);
    const first = openObjectStorage(dir);
    first.createBucket({ ...bucketNamed('b'), policy: '{}', tags: [{ Key: 't', Value: 'v' }] });
    const bytes = patternedBytes(100_000, 5);
    const object = first.putObject('b', 'k', metadataWithEtag('e', { metadata: { a: '1' } }), await stageBytes(first, bytes), WHEN);
    first.createUpload({
      uploadId: 'up-1',
      bucket: 'b',
      key: 'big',
      initiated: WHEN,
      metadata: { contentType: 'text/plain', headers: {}, metadata: {}, checksums: {}, tags: [], storageClass: 'STANDARD' },
      initiator: { arn: 'arn:aws:iam::123456789012:user/ana', id: 'AIDAEXAMPLE' },
    });
    const part = first.putPart('up-1', { partNumber: 1, etag: 'p1', checksums: {}, lastModified: WHEN }, await stageBytes(first, 'part one'));
    const upload = first.getUpload('up-1');
    first.close();

    const { storage } = openScratch(t, dir);
    assert.deepEqual(storage.getBucket('b'), { ...bucketNamed('b'), policy: '{}', tags: [{ Key: 't', Value: 'v' }] });
    assert.deepEqual(storage.getObject('b', 'k'), object);
    assert.ok((await bodyOf(storage, 'b', 'k')).equals(bytes));
    assert.deepEqual(storage.getUpload('up-1'), upload);
    assert.deepEqual(storage.listParts('up-1'), [part]);
    assert.equal(blobFiles(dir).length, 2);
  });

  it('sweeps what a crash left at open: temporary files and blobs no row names', async (t) => {
    const dir = scratchDirectory(t);
    const before = openObjectStorage(dir);
    before.createBucket(bucketNamed('b'));
    await putBytes(before, 'b', 'kept', 'kept body');
    before.close();

    // a crash after the rename into blobs/ but before the commit, and one mid-upload
    const files = new BlobFiles(dir);
    const orphan = files.commit(await files.stage(Readable.from([Buffer.from('never committed')])));
    await files.stage(Readable.from([Buffer.from('half an upload')]));
    assert.equal(blobFiles(dir).length, 2);
    assert.equal(filesUnder(join(dir, 'tmp')).length, 1);

    const { storage } = openScratch(t, dir);
    assert.deepEqual(filesUnder(join(dir, 'tmp')), []);
    assert.equal(blobFiles(dir).length, 1);
    assert.ok(!blobFiles(dir).some((file) => file.endsWith(orphan)));
    assert.equal((await bodyOf(storage, 'b', 'kept')).toString(), 'kept body');
  });
});
