import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { openObjectStorage } from './index.js';
import { bucketNamed, filesUnder, metadataWithEtag, patternedBytes, readAll, scratchDirectory, stageBytes } from './testing.js';
import type { ObjectStorage, PartRecord, UploadRecord } from './types.js';

const WHEN = '2025-03-04T05:06:07.890Z';

function openWithBucket(t: TestContext): { storage: ObjectStorage; dir: string } {
  const dir = scratchDirectory(t);
  const storage = openObjectStorage(dir);
  t.after(() => storage.close());
  storage.createBucket(bucketNamed('b'));
  return { storage, dir };
}

function uploadOf(uploadId: string, key: string, initiated = WHEN): UploadRecord {
  return {
    uploadId,
    bucket: 'b',
    key,
    initiated,
    metadata: { contentType: 'video/mp4', headers: {}, metadata: { camera: 'front' }, checksums: {}, tags: [], storageClass: 'STANDARD' },
    checksumAlgorithm: 'CRC32',
    checksumType: 'COMPOSITE',
    initiator: { arn: 'arn:aws:iam::123456789012:user/ana', id: 'AIDAEXAMPLE' },
  };
}

async function putPart(storage: ObjectStorage, uploadId: string, partNumber: number, bytes: Buffer | string, etag = `part-${partNumber}`): Promise<PartRecord> {
  return storage.putPart(uploadId, { partNumber, etag, checksums: { CRC32: `crc-${partNumber}` }, lastModified: WHEN }, await stageBytes(storage, bytes));
}

const blobFiles = (dir: string): string[] => filesUnder(join(dir, 'blobs'));
const temporaryFiles = (dir: string): string[] => filesUnder(join(dir, 'tmp'));

/** resolves once `completing` has opened its parts and started writing the new body in tmp/ */
async function copyingStarted(dir: string, completing: Promise<unknown>, temporaryBefore = 0): Promise<void> {
  let settled = false;
  completing.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (temporaryFiles(dir).length <= temporaryBefore) {
    if (settled) throw new Error('the completion ended before the test could step in');
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('multipart uploads', () => {
  it('completes three parts uploaded out of order into one body, in part order', async (t) => {
    const { storage, dir } = openWithBucket(t);
    storage.createUpload(uploadOf('up-1', 'movie.mp4'));
    const parts = [patternedBytes(300_000, 1), patternedBytes(200_001, 2), patternedBytes(17, 3)];
    await putPart(storage, 'up-1', 3, parts[2]!);
    await putPart(storage, 'up-1', 1, parts[0]!);
    await putPart(storage, 'up-1', 2, parts[1]!);
    assert.deepEqual(
      storage.listParts('up-1').map((part) => [part.partNumber, part.size, part.etag, part.checksums.CRC32]),
      [
        [1, 300_000, 'part-1', 'crc-1'],
        [2, 200_001, 'part-2', 'crc-2'],
        [3, 17, 'part-3', 'crc-3'],
      ],
    );

    const metadata = metadataWithEtag('abc-3', { contentType: 'video/mp4', partsCount: 3, checksumType: 'COMPOSITE' });
    const object = await storage.completeUpload('up-1', [1, 2, 3], metadata, WHEN);
    assert.deepEqual(object, { bucket: 'b', key: 'movie.mp4', size: 500_018, lastModified: WHEN, ...metadata });
    assert.deepEqual(storage.getObject('b', 'movie.mp4'), object);
    assert.ok((await readAll(storage.openBody(object))).equals(Buffer.concat(parts)));
    assert.ok((await readAll(storage.openBody(object, { start: 299_990, end: 300_009 }))).equals(Buffer.concat(parts).subarray(299_990, 300_010)));

    assert.equal(storage.getUpload('up-1'), undefined);
    assert.deepEqual(storage.listParts('up-1'), []);
    assert.equal(blobFiles(dir).length, 1, 'the parts are gone, only the object body is left');
    assert.deepEqual(temporaryFiles(dir), []);
  });

  it('concatenates in the order given, and may leave parts out', async (t) => {
    const { storage, dir } = openWithBucket(t);
    storage.createUpload(uploadOf('up-1', 'k'));
    await putPart(storage, 'up-1', 1, 'one ');
    await putPart(storage, 'up-1', 2, 'two ');
    await putPart(storage, 'up-1', 5, 'five');
    const object = await storage.completeUpload('up-1', [1, 5], metadataWithEtag('x-2'), WHEN);
    assert.equal((await readAll(storage.openBody(object))).toString(), 'one five');
    assert.equal(object.size, 8);
    assert.equal(blobFiles(dir).length, 1, 'the unlisted part is removed too');
  });

  it('replaces a part uploaded again under the same number', async (t) => {
    const { storage, dir } = openWithBucket(t);
    storage.createUpload(uploadOf('up-1', 'k'));
    await putPart(storage, 'up-1', 1, 'first ');
    await putPart(storage, 'up-1', 2, 'draft', 'old-etag');
    const replacement = await putPart(storage, 'up-1', 2, 'final!', 'new-etag');
    assert.deepEqual(replacement, { partNumber: 2, size: 6, etag: 'new-etag', checksums: { CRC32: 'crc-2' }, lastModified: WHEN });
    assert.deepEqual(storage.listParts('up-1')[1], replacement);
    assert.equal(blobFiles(dir).length, 2, "the replaced part's blob is removed");
    const object = await storage.completeUpload('up-1', [1, 2], metadataWithEtag('x-2'), WHEN);
    assert.equal((await readAll(storage.openBody(object))).toString(), 'first final!');
  });

  it('replaces an existing object on completion, removing its old body', async (t) => {
    const { storage, dir } = openWithBucket(t);
    storage.putObject('b', 'k', metadataWithEtag('plain'), await stageBytes(storage, 'old body'), WHEN);
    storage.createUpload(uploadOf('up-1', 'k'));
    await putPart(storage, 'up-1', 1, 'new body');
    await storage.completeUpload('up-1', [1], metadataWithEtag('x-1'), WHEN);
    assert.equal(storage.getObject('b', 'k')?.etag, 'x-1');
    assert.equal(blobFiles(dir).length, 1);
  });

  it('aborts: the upload, its parts and their files are gone', async (t) => {
    const { storage, dir } = openWithBucket(t);
    storage.createUpload(uploadOf('up-1', 'k'));
    await putPart(storage, 'up-1', 1, 'a');
    await putPart(storage, 'up-1', 2, 'b');
    storage.abortUpload('up-1');
    storage.abortUpload('up-1');
    assert.equal(storage.getUpload('up-1'), undefined);
    assert.deepEqual(storage.listParts('up-1'), []);
    assert.deepEqual(blobFiles(dir), []);
    assert.equal(storage.getObject('b', 'k'), undefined);
    await assert.rejects(storage.completeUpload('up-1', [1, 2], metadataWithEtag('x'), WHEN), /no multipart upload/);
  });

  it('refuses a part for an unknown upload, keeping no file', async (t) => {
    const { storage, dir } = openWithBucket(t);
    await assert.rejects(putPart(storage, 'nope', 1, 'x'), /no multipart upload nope/);
    assert.deepEqual(filesUnder(dir).filter((file) => !file.startsWith('objects.sqlite')), []);
  });

  it('refuses to complete with a part that was never uploaded', async (t) => {
    const { storage } = openWithBucket(t);
    storage.createUpload(uploadOf('up-1', 'k'));
    await putPart(storage, 'up-1', 1, 'a');
    await assert.rejects(storage.completeUpload('up-1', [1, 2], metadataWithEtag('x'), WHEN), /no part 2/);
    assert.ok(storage.getUpload('up-1'));
  });

  it('fails a completion whose upload is aborted meanwhile, leaving no object and no file', async (t) => {
    const { storage, dir } = openWithBucket(t);
    storage.createUpload(uploadOf('up-1', 'k'));
    await putPart(storage, 'up-1', 1, patternedBytes(4 * 1024 * 1024));
    const completing = storage.completeUpload('up-1', [1], metadataWithEtag('x-1'), WHEN);
    await copyingStarted(dir, completing);
    storage.abortUpload('up-1');
    await assert.rejects(completing, /while it was being completed/);
    assert.equal(storage.getObject('b', 'k'), undefined);
    assert.deepEqual(blobFiles(dir), []);
    assert.deepEqual(temporaryFiles(dir), []);
  });

  it('fails a completion whose listed part is replaced meanwhile, keeping the upload', async (t) => {
    const { storage, dir } = openWithBucket(t);
    storage.createUpload(uploadOf('up-1', 'k'));
    await putPart(storage, 'up-1', 1, patternedBytes(4 * 1024 * 1024));
    const replacement = await stageBytes(storage, 'replacement');
    const completing = storage.completeUpload('up-1', [1], metadataWithEtag('x-1'), WHEN);
    await copyingStarted(dir, completing, 1);
    storage.putPart('up-1', { partNumber: 1, etag: 'new', checksums: {}, lastModified: WHEN }, replacement);
    await assert.rejects(completing, /while it was being completed/);
    assert.equal(storage.getObject('b', 'k'), undefined);
    assert.deepEqual(storage.listParts('up-1').map((part) => part.etag), ['new']);
    assert.equal(blobFiles(dir).length, 1);
  });

  it('lists uploads by key, then initiation time, and keeps every field', (t) => {
    const { storage } = openWithBucket(t);
    storage.createBucket(bucketNamed('other'));
    storage.createUpload(uploadOf('up-3', 'zebra', '2025-01-01T00:00:00.000Z'));
    storage.createUpload(uploadOf('up-2', 'apple', '2025-01-02T00:00:00.000Z'));
    storage.createUpload(uploadOf('up-1', 'apple', '2025-01-01T00:00:00.000Z'));
    storage.createUpload({ ...uploadOf('up-4', 'apple'), bucket: 'other' });
    assert.deepEqual(
      storage.listUploads('b').map((upload) => upload.uploadId),
      ['up-1', 'up-2', 'up-3'],
    );
    assert.deepEqual(storage.getUpload('up-3'), uploadOf('up-3', 'zebra', '2025-01-01T00:00:00.000Z'));
    const { checksumAlgorithm: _algorithm, checksumType: _type, ...plain } = uploadOf('up-5', 'k');
    storage.createUpload(plain);
    assert.deepEqual(storage.getUpload('up-5'), plain);
  });

  it('deleting a bucket removes its uploads and their parts', async (t) => {
    const { storage, dir } = openWithBucket(t);
    storage.createBucket(bucketNamed('other'));
    storage.createUpload(uploadOf('up-1', 'a'));
    storage.createUpload(uploadOf('up-2', 'b'));
    storage.createUpload({ ...uploadOf('up-3', 'c'), bucket: 'other' });
    await putPart(storage, 'up-1', 1, 'x');
    await putPart(storage, 'up-2', 1, 'y');
    await putPart(storage, 'up-3', 1, 'z');
    storage.deleteBucket('b');
    assert.equal(storage.getBucket('b'), undefined);
    assert.equal(storage.getUpload('up-1'), undefined);
    assert.equal(storage.getUpload('up-2'), undefined);
    assert.ok(storage.getUpload('up-3'));
    assert.equal(blobFiles(dir).length, 1);
  });
});
