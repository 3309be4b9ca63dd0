// Every table of the database, plus the changes that span tables and so must be one transaction.
import type { Db } from './open.js';
import { createCaptionsTable } from './captions.js';
import { createCommentPurgesTable } from './comment-purges.js';
import { createCommentsTable, type Comment } from './comments.js';
import { createDataStamp } from './data-stamp.js';
import { createResumableUploadsTable, type RecordedOffsets } from './resumable-uploads.js';
import { createSessionsTable } from './sessions.js';
import { createSignInFailuresTable } from './sign-in-failures.js';
import { createStorageReservationsTable } from './storage-reservations.js';
import { createStoredFilesTable, type StoredFile } from './stored-files.js';
import { createUploadSlotsTable } from './upload-slots.js';
import { createUsersTable } from './users.js';
import { createVideoDeletionsTable } from './video-deletions.js';
import { createVideosTable, type ReadyFile, type Video } from './videos.js';

export type NewVideo = { kind: 'created'; video: Video } | { kind: 'author-gone' } | { kind: 'too-many-pending' };
export type NewComment = { kind: 'posted'; comment: Comment } | { kind: 'video-or-author-gone' } | { kind: 'rate-spent'; allowedAt: number };
/** At most `max` comments per author within any `windowMs`. */
export interface CommentRate {
  windowMs: number;
  max: number;
}

export function createStore(db: Db) {
  // First: it counts the writes of the statements prepared after it.
  const dataStamp = createDataStamp(db);
  const users = createUsersTable(db);
  const sessions = createSessionsTable(db);
  const videos = createVideosTable(db);
  const comments = createCommentsTable(db);
  const videoDeletions = createVideoDeletionsTable(db);
  const commentPurges = createCommentPurgesTable(db);
  const storedFiles = createStoredFilesTable(db);
  const resumableUploads = createResumableUploadsTable(db);
  const signInFailures = createSignInFailuresTable(db);
  const uploadSlots = createUploadSlotsTable(db);
  const storageReservations = createStorageReservationsTable(db);
  const captions = createCaptionsTable(db);

  /**
   * The video row goes at once (and with it every sight of its comments); the records tell the scheduler to
   * remove its files and, in batches, its comments.
   */
  const deleteVideo = db.transaction((videoId: string, now: number): boolean => {
    videoDeletions.queue(videoId, now);
    const isRemoved = videos.remove(videoId);
    if (isRemoved) commentPurges.queueVideo(videoId);
    return isRemoved;
  });

  /** The account, its sessions and videos go at once; every video's files and comments, and its own comments, are queued. */
  const deleteAccount = db.transaction((userId: number, now: number): void => {
    videoDeletions.queueByAuthor(userId, now);
    commentPurges.queueVideosOfAuthor(userId);
    commentPurges.queueAuthor(userId);
    users.remove(userId);
  });

  /**
   * False when the video is gone or already ready. A ready video has no unfinished upload left: the
   * resumable upload whose last byte made it ready ends here, in the same transaction, crash or not. stored
   * records where its file is (none for the local disk).
   */
  const markVideoReady = db.transaction((videoId: string, file: ReadyFile, stored?: StoredFile): boolean => {
    if (!videos.markReady(videoId, file)) return false;
    resumableUploads.removeByVideo(videoId);
    if (stored) storedFiles.record(stored);
    return true;
  });

  /** False when the video is gone (deleted while its poster arrived). */
  const recordPoster = db.transaction((videoId: string, poster: { mime: string; size: number }, stored?: StoredFile): boolean => {
    if (!videos.setPoster(videoId, poster.mime, poster.size)) return false;
    if (stored) storedFiles.record(stored);
    return true;
  });

  /** `storage migrate`: records a file's new place; false when its video is gone meanwhile. */
  const recordMovedFile = db.transaction((stored: StoredFile): boolean => {
    if (!videos.byId(stored.videoId)) return false;
    storedFiles.record(stored);
    return true;
  });

  /**
   * A resumable upload holds its video's upload claim, with the upload's id as the claim's token, for as
   * long as it lives: 'held' when the video is not pending or another upload holds it. Its whole length
   * counts against the owner's quota from now on: 'over-quota' when it does not fit in quotaBytes (null = no
   * quota). An earlier upload of the same owner that never got a byte gives way (the answer to its creation
   * was lost, so its client could not know its URL); the sweep removes its file, which holds no counted byte.
   * Run IMMEDIATE, so that two processes cannot both take the last bytes of a quota.
   */
  const createResumableUpload = db.transaction(
    (
      upload: { id: string; videoId: string; ownerId: number; length: number },
      now: number,
      expiresAt: number,
      quotaBytes: number | null,
    ): 'created' | 'held' | 'over-quota' => {
      for (const untouched of resumableUploads.removeUntouched(upload.videoId, upload.ownerId, now)) {
        videos.releaseUploadClaim(upload.videoId, untouched);
      }
      if (quotaBytes !== null && storageReservations.usedBy(upload.ownerId, now) + upload.length > quotaBytes) return 'over-quota';
      if (!videos.claimUpload(upload.videoId, upload.id, now, expiresAt - now)) return 'held';
      resumableUploads.insert(upload.id, upload.videoId, upload.ownerId, upload.length, now, expiresAt);
      return 'created';
    },
  );

  /** The PATCH lock's lease and the upload's expiry move together, and the claim's with them. */
  const renewResumableLock = db.transaction(
    (upload: { id: string; videoId: string }, token: string, now: number, aliveUntil: number, expiresAt: number) => {
      const renewed = resumableUploads.renewLock(upload.id, token, aliveUntil, expiresAt);
      return renewed && videos.renewUploadClaim(upload.videoId, upload.id, now, expiresAt - now) ? renewed : undefined;
    },
  );

  /** False when the lock or the claim was lost: the upload is no longer this PATCH's to grow. */
  const recordResumableOffset = db.transaction(
    (upload: { id: string; videoId: string }, token: string, offsets: RecordedOffsets, now: number, expiresAt: number): boolean =>
      resumableUploads.recordOffset(upload.id, token, offsets, expiresAt) &&
      videos.renewUploadClaim(upload.videoId, upload.id, now, expiresAt - now),
  );

  /** The row goes and its claim is released at once; the caller removes the partial file. */
  const removeResumableUpload = db.transaction((uploadId: string): boolean => {
    const videoId = resumableUploads.remove(uploadId);
    if (videoId !== undefined) videos.releaseUploadClaim(videoId, uploadId);
    return videoId !== undefined;
  });

  const removeExpiredResumableUpload = db.transaction((uploadId: string, now: number): boolean => {
    const videoId = resumableUploads.removeIfExpired(uploadId, now);
    if (videoId !== undefined) videos.releaseUploadClaim(videoId, uploadId);
    return videoId !== undefined;
  });

  /** Run IMMEDIATE (see below), so that two processes cannot both add the last pending video. */
  const insertPendingVideo = db.transaction(
    (id: string, authorId: number, { name, description }: { name: string; description: string }, now: number, maxPending: number): NewVideo => {
      if (videos.pendingCount(authorId) >= maxPending) return { kind: 'too-many-pending' };
      const video = videos.insert(id, authorId, name, now, description);
      return video ? { kind: 'created', video } : { kind: 'author-gone' };
    },
  );

  /** Run IMMEDIATE, so that two processes cannot both post the author's last allowed comment. */
  const insertRatedComment = db.transaction(
    (id: string, videoId: string, authorId: number, content: string, now: number, rate: CommentRate): NewComment => {
      const allowedAt = comments.nextPostAllowedAt(authorId, now, rate.windowMs, rate.max);
      if (allowedAt !== undefined) return { kind: 'rate-spent', allowedAt };
      const comment = comments.insert(id, videoId, authorId, content, now);
      return comment ? { kind: 'posted', comment } : { kind: 'video-or-author-gone' };
    },
  );

  const ping = db.prepare('SELECT 1');
  /** Throws when the database does not answer. */
  const checkHealth = (): void => void ping.get();

  return {
    db,
    checkHealth,
    dataStamp,
    users,
    sessions,
    videos,
    comments,
    videoDeletions,
    commentPurges,
    storedFiles,
    captions,
    resumableUploads,
    deleteVideo,
    deleteAccount,
    markVideoReady,
    recordPoster,
    recordMovedFile,
    createResumableUpload: createResumableUpload.immediate,
    renewResumableLock,
    recordResumableOffset,
    removeResumableUpload,
    removeExpiredResumableUpload,
    signInFailures,
    uploadSlots,
    storageReservations,
    insertPendingVideo: insertPendingVideo.immediate,
    insertRatedComment: insertRatedComment.immediate,
  };
}

export type Store = ReturnType<typeof createStore>;
