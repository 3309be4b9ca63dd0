// Resumable uploads as a whole: creating one on a pending video, finding the caller's, ending one early.
import type { App, AppContext } from '../app.js';
import { requireSession } from '../auth/require-session.js';
import type { ResumableUpload } from '../db/resumable-uploads.js';
import type { Store } from '../db/store.js';
import type { Video } from '../db/videos.js';
import { param } from '../http/context.js';
import { conflict, forbidden, insufficientStorage, notFound } from '../http/errors.js';
import { overQuotaDetail, quotaBytes } from '../limits/storage-quota.js';
import { isUploadId, newUploadId, removeIfPresent } from '../video-files.js';
import { bootId } from './boot.js';

export function expiryMs(app: App): number {
  return app.config.resumableExpiryH * 60 * 60_000;
}

/**
 * A new upload of length bytes holding the video: 409 when another upload holds it or it is ready, 507 when
 * its length does not fit in the owner's quota (it counts whole from creation until it ends).
 */
export function createUpload(app: App, video: Video, length: number): ResumableUpload {
  const now = Date.now();
  const upload: ResumableUpload = {
    id: newUploadId(),
    videoId: video.id,
    ownerId: video.authorId,
    length,
    offset: 0,
    expiresAt: now + expiryMs(app),
  };
  const created = app.store.createResumableUpload(upload, now, upload.expiresAt, quotaBytes(app.config));
  if (created === 'over-quota') {
    const quota = quotaBytes(app.config)!;
    const left = Math.max(0, quota - app.store.storageReservations.usedBy(video.authorId, now));
    throw app.limits.refusals.refuse('storage', insufficientStorage(overQuotaDetail(quota, left, length)));
  }
  if (created === 'held') {
    throw conflict(app.store.videos.byId(video.id)?.status === 'ready' ? 'Video is already uploaded' : 'Video is being uploaded by another request');
  }
  return upload;
}

/** The upload of the path: 401 without a session, 404 unknown or expired, 403 someone else's. */
export function requireOwnedUpload(ctx: AppContext): ResumableUpload {
  const session = requireSession(ctx);
  const id = param(ctx, 'upload-id');
  const upload = isUploadId(id) ? ctx.app.store.resumableUploads.byId(id) : undefined;
  if (!upload || upload.expiresAt <= Date.now()) throw notFound('upload');
  if (upload.ownerId !== session.userId) throw forbidden('Only its owner can use an upload');
  return upload;
}

/** Ends the upload, releases its video and removes its bytes (termination, or a file that is no video). */
export async function terminateUpload(app: App, upload: ResumableUpload): Promise<void> {
  app.store.removeResumableUpload(upload.id);
  await removeIfPresent(app.videoFiles.resumablePath(upload.videoId, upload.id));
}

/**
 * At start-up, before any PATCH can run: the locks a crashed process left need not wait out their lease, and
 * after a reboot an upload counts only the bytes that were fsynced (the rest may not have reached the disk).
 */
export function recoverResumableUploads(store: Store): void {
  store.resumableUploads.unlockAll();
  store.resumableUploads.fallBackToDurable(bootId());
}
