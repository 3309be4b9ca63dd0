// GET /video-delete-record/:vid-id, the Go original's operator endpoint: queues a video's deletion. Served on
// the operator listener only (`curl http://127.0.0.1:9001/video-delete-record/<id>`).
import type { AppContext } from '../app.js';
import { param } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { sendJson } from '../http/respond.js';
import { isVideoId } from '../video-files.js';

export function queueVideoDeletion(ctx: AppContext): void {
  const videoId = param(ctx, 'vid-id');
  if (!isVideoId(videoId)) throw notFound('video');
  ctx.app.store.deleteVideo(videoId, Date.now());
  sendJson(ctx.res, 200, { success: true, video_id: videoId });
}
