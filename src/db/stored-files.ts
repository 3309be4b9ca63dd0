// The stored_files table: where a video's file and poster live (the storage and the key in it), with the size
// and mtime the storage reported, so a stream can answer validators without asking a bucket.
import type { StorageName } from '../storage/storage.js';
import type { VideoFileKind } from '../video-files.js';
import type { Db } from './open.js';

export interface StoredFile {
  videoId: string;
  kind: VideoFileKind;
  storage: StorageName;
  key: string;
  size: number;
  mtimeMs: number;
}

interface StoredFileRow {
  video_id: string;
  kind: VideoFileKind;
  storage: StorageName;
  key: string;
  size: number;
  mtime_ms: number;
}

const toStoredFile = (row: StoredFileRow): StoredFile => ({
  videoId: row.video_id,
  kind: row.kind,
  storage: row.storage,
  key: row.key,
  size: row.size,
  mtimeMs: row.mtime_ms,
});

export function createStoredFilesTable(db: Db) {
  const record = db.prepare<StoredFileRow>(
    `INSERT INTO stored_files (video_id, kind, storage, key, size, mtime_ms)
     VALUES (@video_id, @kind, @storage, @key, @size, @mtime_ms)
     ON CONFLICT (video_id, kind) DO UPDATE
       SET storage = excluded.storage, key = excluded.key, size = excluded.size, mtime_ms = excluded.mtime_ms`,
  );
  const one = db.prepare<[string, VideoFileKind], StoredFileRow>('SELECT * FROM stored_files WHERE video_id = ? AND kind = ?');
  const byVideo = db.prepare<[string], StoredFileRow>('SELECT * FROM stored_files WHERE video_id = ? ORDER BY kind');
  const hasKey = db.prepare<[StorageName, string], number>('SELECT 1 FROM stored_files WHERE storage = ? AND key = ?').pluck();
  const removeByVideo = db.prepare<[string]>('DELETE FROM stored_files WHERE video_id = ?');
  const countIn = db.prepare<[StorageName], number>('SELECT count(*) FROM stored_files WHERE storage = ?').pluck();

  return {
    /** Records where a file was stored; a second record for the same file (a new poster, a move) replaces the first. */
    record(file: StoredFile): void {
      record.run({ video_id: file.videoId, kind: file.kind, storage: file.storage, key: file.key, size: file.size, mtime_ms: Math.floor(file.mtimeMs) });
    },
    /** Undefined for a file never recorded: then it is on the local disk under its video-files.ts name, or absent. */
    one(videoId: string, kind: VideoFileKind): StoredFile | undefined {
      const row = one.get(videoId, kind);
      return row && toStoredFile(row);
    },
    byVideo(videoId: string): StoredFile[] {
      return byVideo.all(videoId).map(toStoredFile);
    },
    /** For the sweeps: whether any row names this key (an object no row names is an orphan once old enough). */
    hasKey(storage: StorageName, key: string): boolean {
      return hasKey.get(storage, key) !== undefined;
    },
    /** How many files are recorded as stored in storage (start-up refuses STORAGE=local while any are in S3). */
    countIn(storage: StorageName): number {
      return countIn.get(storage)!;
    },
    /** After the deletion task has removed the files. */
    removeByVideo(videoId: string): void {
      removeByVideo.run(videoId);
    },
  };
}

export type StoredFilesTable = ReturnType<typeof createStoredFilesTable>;

/**
 * The row that records an object just stored, or undefined for the local disk: a file there needs no row, its
 * video-files.ts name says where it is (as for every file stored before the table existed).
 */
export function storedFileRow(storage: StorageName, videoId: string, kind: VideoFileKind, key: string, object: { size: number; mtimeMs: number }): StoredFile | undefined {
  return storage === 'local' ? undefined : { videoId, kind, storage, key, size: object.size, mtimeMs: object.mtimeMs };
}
