// Expiry of resumable uploads: one untouched for RESUMABLE_EXPIRY_H loses its row, its video's claim (so the
// video can be uploaded again) and its bytes. The row goes first, in one transaction with the claim; a crash
// before the file is removed leaves a file with no row, which the orphan sweep removes.
import type { App } from '../app.js';
import type { ResumableUpload } from '../db/resumable-uploads.js';
import { logInfo } from '../log.js';
import { removeIfPresent } from '../video-files.js';
import type { Task } from './runner.js';

/** Expired uploads handled per run; more wait for the next tick. */
export const EXPIRE_BATCH_SIZE = 100;

export function expireUploadsTask(app: App): Task<ResumableUpload> {
  return {
    name: 'expire-uploads',
    async *dispatch() {
      yield* app.store.resumableUploads.expired(Date.now(), EXPIRE_BATCH_SIZE);
    },
    async execute(upload) {
      // Touched again since it was read (a PATCH began): it lives on.
      if (!app.store.removeExpiredResumableUpload(upload.id, Date.now())) return;
      await removeIfPresent(app.videoFiles.resumablePath(upload.videoId, upload.id));
      logInfo('resumable upload expired', { upload: upload.id, video: upload.videoId, offset: upload.offset, length: upload.length });
    },
  };
}
