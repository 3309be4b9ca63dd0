// Comments on a video: list newest first, post (any signed-in user), delete (author or video owner).
import type { AppContext } from '../app.js';
import { requireSession } from '../auth/require-session.js';
import { timeOrderedUuid } from '../db/time-ordered-id.js';
import type { Video } from '../db/videos.js';
import { param } from '../http/context.js';
import { forbidden, notFound, unauthorized } from '../http/errors.js';
import { readJsonObject } from '../http/json-body.js';
import { sendJson, sendNoContent } from '../http/respond.js';
import { validateCommentContent, validatePageQuery } from '../http/validate.js';
import { decodePageCursor } from './pagination.js';
import { toCommentJson } from './wire.js';

function videoOfPath(ctx: AppContext): Video {
  const video = ctx.app.store.videos.byId(param(ctx, 'vid-id'));
  if (!video) throw notFound('video');
  return video;
}

export function listComments(ctx: AppContext): void {
  const { limit, cursor } = validatePageQuery(ctx.query);
  const { store, commentPages } = ctx.app;
  // The stamp is read before the page: a page stored under it is at least as new as the stamp.
  commentPages.sync(store.comments.dataStamp());
  const key = `${param(ctx, 'vid-id')}/${limit}/${cursor ?? ''}`;
  const kept = commentPages.get(key);
  if (kept) return sendJson(ctx.res, 200, kept);
  // The page query joins the video row, so a page with comments proves the video exists: only
  // an empty page, or a cursor that does not decode (an unknown video is 404 before that is 400), asks.
  let beforeSeq: number | undefined;
  try {
    beforeSeq = decodePageCursor(cursor);
  } catch (error) {
    videoOfPath(ctx);
    throw error;
  }
  const page = store.comments.pageByVideo(param(ctx, 'vid-id'), beforeSeq, limit);
  if (page.items.length === 0) videoOfPath(ctx);
  const json = { comments: page.items.map(toCommentJson), next_cursor: page.nextCursor };
  commentPages.set(key, json);
  sendJson(ctx.res, 200, json);
}

export async function postComment(ctx: AppContext): Promise<void> {
  const session = requireSession(ctx);
  const video = videoOfPath(ctx);
  const content = validateCommentContent(await readJsonObject(ctx.req));
  const comment = ctx.app.store.comments.insert(timeOrderedUuid(), video.id, session.userId, content, Date.now());
  if (!comment) {
    // Deleted while the body arrived: the video (404), or else the commenter's account (401).
    videoOfPath(ctx);
    throw unauthorized('Session is unknown or has expired');
  }
  sendJson(ctx.res, 201, toCommentJson(comment));
}

export function deleteComment(ctx: AppContext): void {
  const session = requireSession(ctx);
  const video = videoOfPath(ctx);
  const comment = ctx.app.store.comments.byId(param(ctx, 'comment-id'));
  if (!comment || comment.videoId !== video.id) throw notFound('comment');
  if (session.userId !== comment.authorId && session.userId !== video.authorId) {
    throw forbidden('Only the comment author or the video owner can delete a comment');
  }
  ctx.app.store.comments.remove(comment.id);
  sendNoContent(ctx.res);
}
