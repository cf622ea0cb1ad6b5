/**
 * S3's object storage on local disk: `openObjectStorage(dir)` opens (creating if need be) the
 * store in `dir` and sweeps away what an interrupted run left behind.
 */
import { join } from 'node:path';
import { BlobFiles } from './blob-files.js';
import { DiskObjectStorage } from './disk-object-storage.js';
import { openMetadataDatabase } from './metadata-schema.js';
import type { ObjectStorage } from './types.js';

export { ObjectChangedError } from './disk-object-storage.js';
export type * from './types.js';
export { CHECKSUM_ALGORITHMS } from './types.js';

export function openObjectStorage(dir: string): ObjectStorage {
  const blobs = new BlobFiles(dir);
  const storage = new DiskObjectStorage(openMetadataDatabase(join(dir, 'objects.sqlite')), blobs);
  try {
    storage.sweepOrphans();
  } catch (error) {
    storage.close();
    throw error;
  }
  return storage;
}
