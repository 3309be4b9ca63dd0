// GET/HEAD /videos/:vid-id in pillarjs/send's order: video (404) -> the client's streams (429) -> token (429) ->
// the open file -> validators -> 304 -> Range and If-Range -> 416/206/200 -> headers -> HEAD ends -> the bytes.
// The route writes its whole head itself, as one array (routes.ts: writesOwnHead): no header object is built
// per request, as a player's many small range requests make this the hottest path of the site.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, AppContext } from '../app.js';
import type { Video } from '../db/videos.js';
import { param } from '../http/context.js';
import { notFound, rangeNotSatisfiable, tooManyStreams } from '../http/errors.js';
import { admitStream } from '../limits/client-streams.js';
import { isVideoId } from '../video-files.js';
import type { KeptFile } from './file-cache.js';
import { sendFileReply, type FileReply } from './file-body.js';
import type { Token } from './limiter.js';
import { isNotModified, isRangeFresh } from './preconditions.js';
import { parseRange, type RangeRequest } from './range.js';

/** A video is uploaded once (a second upload is 409) and its file never changes. */
const CACHE_FOREVER = 'public, max-age=31536000, immutable';
const RETRY_AFTER_S = 1;

export async function streamVideo(ctx: AppContext): Promise<void> {
  // The database row comes first, every time: a cached open file never outlives its video's deletion. The id
  // comes from the row, never from the URL as given: anything but a ready video is 404.
  const id = param(ctx, 'vid-id');
  const video = isVideoId(id) ? ctx.app.videoRows.get(id) : undefined;
  if (!video || video.status !== 'ready') throw notFound('video');
  admitStream(ctx);
  const token = ctx.app.limiter.tryAcquire() ?? (await waitForToken(ctx));
  if (!token) return;
  if (ctx.app.config.accelRedirectPrefix !== '') {
    // nginx sends the bytes, and its limit_conn bounds the streams from here on.
    token.release();
    return sendAccelRedirect(ctx, video);
  }
  if (!holdUntilClosed(ctx.res, token)) return;
  const file = keptVideoFile(ctx.app, video.id) ?? (await openVideoFile(ctx.app, video.id));
  if (!file) throw notFound('video');
  let reply: FileReply;
  try {
    reply = planReply(ctx.req, file, video.mime ?? 'application/octet-stream', ctx.requestId);
  } catch (error) {
    file.release();
    throw error;
  }
  const sending = sendFileReply(ctx.req, ctx.res, file, reply, ctx.app.streamCounters.bytesSent.inc);
  if (sending) await sending;
}

// The only two places the stream route reaches the video's bytes: a file the cache holds open already (no
// tick to wait), or opened now.
function keptVideoFile(app: App, videoId: string): KeptFile | undefined {
  return app.openVideos.kept(app.videoFiles.finalPath(videoId));
}

function openVideoFile(app: App, videoId: string): Promise<KeptFile | undefined> {
  return app.openVideos.open(app.videoFiles.finalPath(videoId));
}

/**
 * The limiter is full: wait in line for up to STREAM_QUEUE_MS. 429 when no token comes in time; undefined
 * when the client left while waiting (nobody to answer).
 */
async function waitForToken(ctx: AppContext): Promise<Token | undefined> {
  const gone = closeSignal(ctx.res);
  let token: Token | undefined;
  try {
    token = await ctx.app.limiter.acquire(gone, ctx.app.config.streamQueueMs);
  } catch (error) {
    if (gone.aborted) return undefined;
    throw error;
  }
  if (!token) {
    ctx.app.streamCounters.rejected.inc();
    throw tooManyStreams(RETRY_AFTER_S);
  }
  return token;
}

/** The token goes back when the response closes, however it ends (finished, failed, cut off); false when it already has. */
function holdUntilClosed(res: ServerResponse, token: Token): boolean {
  if (res.destroyed) {
    token.release();
    return false;
  }
  // 'close' comes once: a plain listener costs less than once()'s wrapper.
  res.on('close', token.release);
  return true;
}

/** Aborts when the response closes: after its last byte, or when the client goes away before that. */
function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  if (res.destroyed) controller.abort();
  else res.once('close', () => controller.abort());
  return controller.signal;
}

/**
 * ACCEL_REDIRECT_PREFIX: nginx serves the file from its internal location (sendfile, Range, If-Range, 304, 416)
 * and passes on Content-Type and Cache-Control from this answer; its ETag and Last-Modified for the file are
 * ours (see videoValidators).
 */
function sendAccelRedirect(ctx: AppContext, video: Video): void {
  ctx.res.writeHead(200, [
    'X-Accel-Redirect', `${ctx.app.config.accelRedirectPrefix}${ctx.app.videoFiles.fileName(video.id, 'video')}`,
    'Content-Type', video.mime ?? 'application/octet-stream',
    'Cache-Control', CACHE_FOREVER,
    'Content-Length', 0,
    'X-Request-Id', ctx.requestId,
    'X-Content-Type-Options', 'nosniff',
  ]);
  ctx.res.end();
}

/** Every answer's head as one flat array, for writeHead without a header object. */
function planReply(req: IncomingMessage, file: KeptFile, mime: string, requestId: string): FileReply {
  const { validators, size } = file;
  if (isNotModified(req.headers, validators)) {
    return {
      status: 304,
      headers: [
        'Accept-Ranges', 'bytes', 'Cache-Control', CACHE_FOREVER, 'ETag', validators.etag, 'Last-Modified', validators.lastModified,
        'X-Request-Id', requestId, 'X-Content-Type-Options', 'nosniff',
      ],
    };
  }
  // The contract: HEAD ignores Range. RFC 9110 13.1.5: a stale If-Range means the whole new file.
  const range: RangeRequest =
    req.method === 'HEAD' || !isRangeFresh(req.headers, validators)
      ? { kind: 'none' }
      : parseRange(req.headers.range, size);
  if (range.kind === 'unsatisfiable') throw rangeNotSatisfiable(size);
  const whole = range.kind === 'none';
  const start = whole ? 0 : range.start;
  const end = whole ? size - 1 : range.end;
  const headers = [
    'Accept-Ranges', 'bytes', 'Cache-Control', CACHE_FOREVER, 'ETag', validators.etag, 'Last-Modified', validators.lastModified,
    'Content-Type', mime, 'Content-Length', end - start + 1,
    'X-Request-Id', requestId, 'X-Content-Type-Options', 'nosniff',
  ];
  if (!whole) headers.push('Content-Range', `bytes ${start}-${end}/${size}`);
  return { status: whole ? 200 : 206, headers, body: { start, end } };
}
