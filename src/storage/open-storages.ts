// The storages chosen at start-up. The S3 driver, its client and aws4fetch are loaded only when STORAGE=s3
// (the import() below), so a local-disk install never loads them.
import type { Config } from '../config.js';
import type { VideoFiles } from '../video-files.js';
import { LocalStorage } from './local-storage.js';
import type { S3Observation } from './s3-http.js';
import type { Storage, StorageName } from './storage.js';

/** The storages a running moviedash uses. */
export interface Storages {
  /** Where new files go (STORAGE). */
  current: Storage;
  /** The storage a file recorded as stored in `name` is in; the local disk is always there. */
  get(name: StorageName): Storage;
}

export interface StorageOptions {
  /** Hears of every request to the bucket (for /metrics). */
  observeS3?: (observation: S3Observation) => void;
}

export async function openStorages(config: Config, videoFiles: VideoFiles, options: StorageOptions = {}): Promise<Storages> {
  const local = new LocalStorage(videoFiles);
  const s3 = config.storage === 's3' ? new (await import('./s3-storage.js')).S3Storage(config, options.observeS3) : undefined;
  return {
    current: s3 ?? local,
    get(name) {
      if (name === 'local') return local;
      if (!s3) throw new Error('A file is stored in S3 but STORAGE is not s3: set STORAGE=s3 and the S3_* settings');
      return s3;
    },
  };
}

