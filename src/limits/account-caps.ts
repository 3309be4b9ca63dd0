// Per-account caps on what an account can pile up: MAX_PENDING_VIDEOS videos waiting for a file, and
// COMMENT_RATE_PER_MIN comments in any minute. Both are counted in SQLite, inside the insert's transaction,
// so concurrent requests and other workers cannot slip past them.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app.js';
import type { Comment } from '../db/comments.js';
import { timeOrderedUuid } from '../db/time-ordered-id.js';
import type { Video } from '../db/videos.js';
import { tooManyAttempts, unauthorized } from '../http/errors.js';

/** A pending video is not freed by waiting, but by uploading its file or deleting it: come back in a minute. */
const PENDING_RETRY_AFTER_S = 60;
const COMMENT_WINDOW_MS = 60_000;

/** The new pending video; 429 (014) when the account has MAX_PENDING_VIDEOS already, 401 when it is gone. */
export function insertPendingVideo(ctx: AppContext, authorId: number, name: string, description: string): Video {
  const { store, config, limits } = ctx.app;
  const result = store.insertPendingVideo(randomUUID(), authorId, { name, description }, Date.now(), config.maxPendingVideos);
  if (result.kind === 'too-many-pending') {
    const detail = `Too many videos waiting for a file: at most ${config.maxPendingVideos}, upload or delete one first`;
    throw limits.refusals.refuse('pending_videos', tooManyAttempts(detail, PENDING_RETRY_AFTER_S));
  }
  // The account was deleted while the body arrived, and its sessions with it.
  if (result.kind === 'author-gone') throw unauthorized('Session is unknown or has expired');
  return result.video;
}

/** The new comment; 429 (014) once the author has posted COMMENT_RATE_PER_MIN in the last minute; undefined when the video or author is gone. */
export function insertRatedComment(ctx: AppContext, videoId: string, authorId: number, content: string): Comment | undefined {
  const { store, config, limits } = ctx.app;
  const now = Date.now();
  const result = store.insertRatedComment(timeOrderedUuid(now), videoId, authorId, content, now, { windowMs: COMMENT_WINDOW_MS, max: config.commentRatePerMin });
  if (result.kind === 'rate-spent') {
    const detail = `Too many comments: at most ${config.commentRatePerMin} a minute`;
    throw limits.refusals.refuse('comments', tooManyAttempts(detail, (result.allowedAt - now) / 1000));
  }
  return result.kind === 'posted' ? result.comment : undefined;
}
