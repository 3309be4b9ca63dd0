// Video metadata: create (pending), list, search, get, edit and delete. Files are the stream and upload modules' part.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app.js';
import { isSameUser, requireSelf, requireSession } from '../auth/require-session.js';
import type { Video } from '../db/videos.js';
import { param } from '../http/context.js';
import { forbidden, notFound, unauthorized } from '../http/errors.js';
import { readJsonObject } from '../http/json-body.js';
import { sendJson, sendNoContent } from '../http/respond.js';
import { validateNewVideo, validatePageQuery, validateSearchQuery, validateVideoChanges } from '../http/validate.js';
import { decodePageCursor, decodeSearchCursor } from './pagination.js';
import { toVideoJson } from './wire.js';

export async function createVideo(ctx: AppContext): Promise<void> {
  const session = requireSelf(ctx, param(ctx, 'username'));
  const { name, description } = validateNewVideo(await readJsonObject(ctx.req));
  const video = ctx.app.store.videos.insert(randomUUID(), session.userId, name, Date.now(), description);
  // The account was deleted while the body arrived, and its sessions with it.
  if (!video) throw unauthorized('Session is unknown or has expired');
  sendJson(ctx.res, 201, toVideoJson(video));
}

export function listUserVideos(ctx: AppContext): void {
  const { limit, cursor } = validatePageQuery(ctx.query);
  const user = ctx.app.store.users.byName(param(ctx, 'username'));
  if (!user) throw notFound('user');
  const page = ctx.app.store.videos.pageByAuthor(user.id, decodePageCursor(cursor), limit);
  sendJson(ctx.res, 200, { videos: page.items.map(toVideoJson), next_cursor: page.nextCursor });
}

/** Every ready video, newest first; with `?q=`, those matching the words, best match first. */
export function listVideos(ctx: AppContext): void {
  const { limit, cursor } = validatePageQuery(ctx.query);
  const words = validateSearchQuery(ctx.query);
  const { videos } = ctx.app.store;
  const page = words ? videos.search(words, decodeSearchCursor(cursor), limit) : videos.pageReady(decodePageCursor(cursor), limit);
  sendJson(ctx.res, 200, { videos: page.items.map(toVideoJson), next_cursor: page.nextCursor });
}

/** The video named by the path, which must belong to the user named by the path. */
function videoOfPathUser(ctx: AppContext): Video {
  const video = ctx.app.store.videos.byId(param(ctx, 'vid-id'));
  if (!video || video.author.toLowerCase() !== param(ctx, 'username').toLowerCase()) throw notFound('video');
  return video;
}

export function getVideo(ctx: AppContext): void {
  sendJson(ctx.res, 200, toVideoJson(videoOfPathUser(ctx)));
}

export async function editVideo(ctx: AppContext): Promise<void> {
  const session = requireSession(ctx);
  const video = videoOfPathUser(ctx);
  if (!isSameUser(session, video.author)) throw forbidden('Only its owner can edit a video');
  const changes = validateVideoChanges(await readJsonObject(ctx.req));
  // Deleted while the body arrived.
  const edited = ctx.app.store.videos.edit(video.id, changes);
  if (!edited) throw notFound('video');
  sendJson(ctx.res, 200, toVideoJson(edited));
}

export function deleteVideo(ctx: AppContext): void {
  const session = requireSession(ctx);
  const video = videoOfPathUser(ctx);
  if (!isSameUser(session, video.author)) throw forbidden('Only its owner can delete a video');
  ctx.app.store.deleteVideo(video.id, Date.now());
  sendNoContent(ctx.res);
}
