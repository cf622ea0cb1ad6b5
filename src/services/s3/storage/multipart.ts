/**
 * Multipart uploads on disk. Each part is a blob of its own; uploading a part number again
 * replaces that part's blob. Completing streams the listed parts' files, in the order given, into
 * one new staged body (never more than a few chunks in memory), then commits the object and drops
 * the upload and its parts in one transaction.
 *
 * Completion is asynchronous, so the upload may change while the parts are copied. The parts' files
 * are opened before copying starts (a part replaced meanwhile is still read whole), and the commit
 * checks that the upload still exists with the same blob for every listed part; if not, it fails
 * and leaves the upload as it now is.
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import type { BlobFiles } from './blob-files.js';
import { metadataOf, type ObjectTable } from './object-table.js';
import type { StoredPart, UploadTable } from './upload-table.js';
import type { ObjectMetadata, ObjectRecord, PartRecord, StagedBlob } from './types.js';

export class MultipartUploads {
  private readonly commitCompletion: (uploadId: string, parts: readonly StoredPart[], object: ObjectRecord, blobId: string) => string[];

  constructor(
    db: Database.Database,
    private readonly uploads: UploadTable,
    private readonly objects: ObjectTable,
    private readonly blobs: BlobFiles,
  ) {
    this.commitCompletion = db.transaction((uploadId: string, parts: readonly StoredPart[], object: ObjectRecord, blobId: string) => {
      for (const part of parts) {
        if (this.uploads.getPart(uploadId, part.record.partNumber)?.blobId !== part.blobId) {
          throw new Error(`multipart upload ${uploadId} changed or ended while it was being completed`);
        }
      }
      const partBlobs = this.uploads.remove(uploadId);
      if (partBlobs === undefined) throw new Error(`multipart upload ${uploadId} ended while it was being completed`);
      const replaced = this.objects.put(object, blobId);
      return replaced === undefined ? partBlobs : [...partBlobs, replaced];
    });
  }

  putPart(uploadId: string, part: Omit<PartRecord, 'size'>, blob: StagedBlob): PartRecord {
    const staged = this.blobs.claim(blob);
    const record: PartRecord = {
      partNumber: part.partNumber,
      size: staged.size,
      etag: part.etag,
      checksums: part.checksums,
      lastModified: part.lastModified,
    };
    this.blobs.commitAndRecord(staged, (blobId) => {
      const replaced = this.uploads.putPart(uploadId, record, blobId);
      return replaced === undefined ? [] : [replaced];
    });
    return record;
  }

  /** `committed` runs right after the object's commit, in the same synchronous step (cache invalidation). */
  async complete(uploadId: string, partNumbers: readonly number[], metadata: ObjectMetadata, lastModified: string, committed?: () => void): Promise<ObjectRecord> {
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new Error(`no multipart upload ${uploadId}`);
    const parts = partNumbers.map((partNumber) => {
      const part = this.uploads.getPart(uploadId, partNumber);
      if (!part) throw new Error(`multipart upload ${uploadId} has no part ${partNumber}`);
      return part;
    });

    const handles = await this.blobs.openAll(parts.map((part) => part.blobId));
    const staged = await this.blobs.stage(Readable.from(concatenate(handles))).finally(() => Promise.all(handles.map((handle) => handle.close())));

    const expectedSize = parts.reduce((total, part) => total + part.record.size, 0);
    if (staged.size !== expectedSize) {
      staged.discard();
      throw new Error(`multipart upload ${uploadId}: the parts' files hold ${staged.size} bytes, their records say ${expectedSize}`);
    }
    const object: ObjectRecord = { bucket: upload.bucket, key: upload.key, size: staged.size, lastModified, ...metadataOf(metadata) };
    try {
      this.blobs.commitAndRecord(staged, (blobId) => this.commitCompletion(uploadId, parts, object, blobId));
    } finally {
      committed?.();
    }
    return object;
  }

  /** removes the upload, its parts and their files; nothing when there is no such upload */
  abort(uploadId: string): void {
    for (const blobId of this.uploads.remove(uploadId) ?? []) this.blobs.remove(blobId);
  }
}

/** the files' bytes one after the other, read as the consumer asks for them */
async function* concatenate(handles: readonly FileHandle[]): AsyncGenerator<Buffer> {
  for (const handle of handles) {
    for await (const chunk of handle.createReadStream({ start: 0, autoClose: false })) yield chunk as Buffer;
  }
}
