// Every table of the database, plus the changes that span tables and so must be one transaction.
import type { Db } from './open.js';
import { createCaptionsTable } from './captions.js';
import { createCommentPurgesTable } from './comment-purges.js';
import { createCommentsTable } from './comments.js';
import { createSessionsTable } from './sessions.js';
import { createStoredFilesTable } from './stored-files.js';
import { createUsersTable } from './users.js';
import { createVideoDeletionsTable } from './video-deletions.js';
import { createVideosTable } from './videos.js';

export function createStore(db: Db) {
  const users = createUsersTable(db);
  const sessions = createSessionsTable(db);
  const videos = createVideosTable(db);
  const comments = createCommentsTable(db);
  const videoDeletions = createVideoDeletionsTable(db);
  const commentPurges = createCommentPurgesTable(db);
  const storedFiles = createStoredFilesTable(db);
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

  const ping = db.prepare('SELECT 1');
  /** Throws when the database does not answer. */
  const checkHealth = (): void => void ping.get();

  return { db, checkHealth, users, sessions, videos, comments, videoDeletions, commentPurges, storedFiles, captions, deleteVideo, deleteAccount };
}

export type Store = ReturnType<typeof createStore>;
