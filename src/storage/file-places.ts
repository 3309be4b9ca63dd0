// Where each video's file and poster is: in a bucket when a stored_files row says so, else in VIDEO_DIR under its
// video-files.ts name. With STORAGE=local no row can name a bucket (start-up refuses a database whose rows do),
// so nothing is looked up: the stream and poster routes' local path costs what it did before buckets existed.
import type { Config } from '../config.js';
import type { StoredFile, StoredFilesTable } from '../db/stored-files.js';
import type { VideoFileKind } from '../video-files.js';
import type { Storages } from './open-storages.js';
import type { Storage } from './storage.js';

export interface FilePlace {
  storage: Storage;
  key: string;
}

export class FilePlaces {
  readonly #storages: Storages;
  readonly #storedFiles: StoredFilesTable;
  readonly #hasRemote: boolean;

  /** Throws when STORAGE=local but the database records files in S3 (they would all be 404). */
  constructor(config: Config, storages: Storages, storedFiles: StoredFilesTable) {
    this.#storages = storages;
    this.#storedFiles = storedFiles;
    this.#hasRemote = config.storage !== 'local';
    const inBucket = this.#hasRemote ? 0 : storedFiles.countIn('s3');
    if (inBucket > 0) {
      throw new Error(`STORAGE=local, but ${inBucket} files are stored in S3 (stored_files): set STORAGE=s3 and the S3_* settings`);
    }
  }

  /** The row of a file kept outside VIDEO_DIR; undefined for a file in VIDEO_DIR (or none at all). */
  remote(videoId: string, kind: VideoFileKind): StoredFile | undefined {
    if (!this.#hasRemote) return undefined;
    const row = this.#storedFiles.one(videoId, kind);
    return row?.storage === 'local' ? undefined : row;
  }

  /** The storage and key the file is (or would be) at. */
  of(videoId: string, kind: VideoFileKind): FilePlace {
    const row = this.remote(videoId, kind);
    if (row) return { storage: this.#storages.get(row.storage), key: row.key };
    const local = this.#storages.get('local');
    return { storage: local, key: local.keyOf(videoId, kind) };
  }
}
