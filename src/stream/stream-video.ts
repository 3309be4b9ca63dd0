// GET/HEAD /videos/:vid-id in pillarjs/send's order: video (404) -> the client's streams (429) -> token (429) ->
// the open file -> validators -> 304 -> Range and If-Range -> 416/206/200 -> headers -> HEAD ends -> the bytes.
// The route writes its whole head itself, as one array (routes.ts: writesOwnHead): no header object is built
// per request, as a player's many small range requests make this the hottest path of the site. A video whose
// file is in a bucket goes the way S3_DELIVERY chose at start-up (stored-video.ts).
import type { AppContext } from '../app.js';
import type { Video } from '../db/videos.js';
import { param } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { admitStream } from '../limits/client-streams.js';
import { isVideoId } from '../video-files.js';
import type { KeptFile } from './file-cache.js';
import { sendFileReply, type FileReply } from './file-body.js';
import type { Token } from './limiter.js';
import type { StreamVideo } from './stored-video.js';
import { holdUntilClosed, waitForToken } from './stream-token.js';
import { planVideoReply } from './video-reply.js';

export function streamVideo(ctx: AppContext): Promise<void> | undefined {
  // The database row comes first, every time: a cached open file never outlives its video's deletion. The id
  // comes from the row, never from the URL as given: anything but a ready video is 404.
  const id = param(ctx, 'vid-id');
  const video = isVideoId(id) ? ctx.app.videoRows.get(id) : undefined;
  if (!video || video.status !== 'ready') throw notFound('video');
  if (video.remoteFile) return ctx.app.videoDelivery.send(ctx, video, video.remoteFile);
  admitStream(ctx);
  // A free token and a kept file answer a probe from memory before this returns: no promise on that path.
  const token = ctx.app.limiter.tryAcquire();
  return token ? streamWithToken(ctx, video, token) : waitThenStream(ctx, video);
}

async function waitThenStream(ctx: AppContext, video: StreamVideo): Promise<void> {
  const token = await waitForToken(ctx);
  if (token) await streamWithToken(ctx, video, token);
}

function streamWithToken(ctx: AppContext, video: StreamVideo, token: Token): Promise<void> | undefined {
  if (ctx.app.config.accelRedirectPrefix !== '') {
    // nginx sends the bytes, and its limit_conn bounds the streams from here on.
    token.release();
    sendAccelRedirect(ctx, video);
    return undefined;
  }
  if (!holdUntilClosed(ctx, token)) return undefined;
  // A file the cache holds open already is there without a tick to wait.
  const file = ctx.app.openVideos.kept(video.localPath);
  return file ? sendVideoFile(ctx, video, file) : openThenSend(ctx, video);
}

async function openThenSend(ctx: AppContext, video: StreamVideo): Promise<void> {
  const file = await ctx.app.openVideos.open(video.localPath);
  if (!file) throw notFound('video');
  await sendVideoFile(ctx, video, file);
}

function sendVideoFile(ctx: AppContext, video: Video, file: KeptFile): Promise<void> | undefined {
  let reply: FileReply;
  try {
    reply = planVideoReply(ctx.req, file, video.mime ?? 'application/octet-stream', ctx.requestId);
  } catch (error) {
    file.release();
    throw error;
  }
  return sendFileReply(ctx.req, ctx.res, file, reply, ctx.app.streamCounters.bytesSent.inc);
}

/**
 * ACCEL_REDIRECT_PREFIX: nginx serves the file from its internal location (sendfile, Range, If-Range, 304, 416)
 * and passes on Content-Type from this answer; its ETag and Last-Modified for the file are ours (see
 * videoValidators). No Cache-Control: nginx would pass it on to whatever it answers, its 416 and 429 and error pages
 * too, and caches would keep those for a year; the internal location adds it to the answers that carry the file.
 */
function sendAccelRedirect(ctx: AppContext, video: Video): void {
  ctx.res.writeHead(200, [
    'X-Accel-Redirect', `${ctx.app.config.accelRedirectPrefix}${ctx.app.videoFiles.fileName(video.id, 'video')}`,
    'Content-Type', video.mime ?? 'application/octet-stream',
    'Content-Length', 0,
    'X-Request-Id', ctx.requestId,
    'X-Content-Type-Options', 'nosniff',
  ]);
  ctx.res.end();
}
