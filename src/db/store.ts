// Every table of the database, plus the changes that span tables and so must be one transaction.
import type { Db } from './open.js';
import { createCommentPurgesTable } from './comment-purges.js';
import { createCommentsTable, type Comment } from './comments.js';
import { createSessionsTable } from './sessions.js';
import { createSignInFailuresTable } from './sign-in-failures.js';
import { createStorageReservationsTable } from './storage-reservations.js';
import { createStoredFilesTable } from './stored-files.js';
import { createUploadSlotsTable } from './upload-slots.js';
import { createUsersTable } from './users.js';
import { createVideoDeletionsTable } from './video-deletions.js';
import { createVideosTable, type Video } from './videos.js';

export type NewVideo = { kind: 'created'; video: Video } | { kind: 'author-gone' } | { kind: 'too-many-pending' };
export type NewComment = { kind: 'posted'; comment: Comment } | { kind: 'video-or-author-gone' } | { kind: 'rate-spent'; allowedAt: number };
/** At most `max` comments per author within any `windowMs`. */
export interface CommentRate {
  windowMs: number;
  max: number;
}

export function createStore(db: Db) {
  const users = createUsersTable(db);
  const sessions = createSessionsTable(db);
  const videos = createVideosTable(db);
  const comments = createCommentsTable(db);
  const videoDeletions = createVideoDeletionsTable(db);
  const commentPurges = createCommentPurgesTable(db);
  const storedFiles = createStoredFilesTable(db);
  const signInFailures = createSignInFailuresTable(db);
  const uploadSlots = createUploadSlotsTable(db);
  const storageReservations = createStorageReservationsTable(db);

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
    users,
    sessions,
    videos,
    comments,
    videoDeletions,
    commentPurges,
    storedFiles,
    signInFailures,
    uploadSlots,
    storageReservations,
    deleteVideo,
    deleteAccount,
    insertPendingVideo: insertPendingVideo.immediate,
    insertRatedComment: insertRatedComment.immediate,
  };
}

export type Store = ReturnType<typeof createStore>;
