// Every table of the database, plus the changes that span tables and so must be one transaction.
import type { Db } from './open.js';
import { createCaptionsTable } from './captions.js';
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
  const storedFiles = createStoredFilesTable(db);
  const captions = createCaptionsTable(db);

  /** Metadata and comments go at once; the record tells the scheduler to remove the files. */
  const deleteVideo = db.transaction((videoId: string, now: number): boolean => {
    videoDeletions.queue(videoId, now);
    return videos.remove(videoId);
  });

  /** The account, its sessions, videos and comments go at once; every video's files are queued. */
  const deleteAccount = db.transaction((userId: number, now: number): void => {
    videoDeletions.queueByAuthor(userId, now);
    users.remove(userId);
  });

  const ping = db.prepare('SELECT 1');
  /** Throws when the database does not answer. */
  const checkHealth = (): void => void ping.get();

  return { db, checkHealth, users, sessions, videos, comments, videoDeletions, storedFiles, captions, deleteVideo, deleteAccount };
}

export type Store = ReturnType<typeof createStore>;
