// The check every upload route makes first, before any of the body: the video of the path (or of a resumable
// upload's metadata), owned by the caller.
import type { AppContext } from '../app.js';
import { requireSession } from '../auth/require-session.js';
import type { Video } from '../db/videos.js';
import { param } from '../http/context.js';
import { forbidden, notFound } from '../http/errors.js';

/** 401 without a session, 404 for an unknown video, 403 for someone else's. */
export function requireOwnedVideo(ctx: AppContext, videoId = param(ctx, 'vid-id')): Video {
  const session = requireSession(ctx);
  const video = ctx.app.store.videos.byId(videoId);
  if (!video) throw notFound('video');
  if (video.authorId !== session.userId) throw forbidden('Only its owner can upload to a video');
  return video;
}
