// GET/HEAD /videos/:vid-id in pillarjs/send's order: video (404) -> the client's streams (429) -> token (429) ->
// the open file -> validators -> 304 -> Range and If-Range -> 416/206/200 -> headers -> HEAD ends -> the bytes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext } from '../app.js';
import type { Video } from '../db/videos.js';
import { param } from '../http/context.js';
import { notFound, rangeNotSatisfiable, tooManyStreams } from '../http/errors.js';
import { admitStream } from '../limits/client-streams.js';
import { isVideoId } from '../video-files.js';
import { sendFileReply, type FileReply } from './file-body.js';
import type { Token } from './limiter.js';
import type { OpenFile } from './open-file.js';
import { fileValidators, isNotModified, isRangeFresh } from './preconditions.js';
import { parseRange, type RangeRequest } from './range.js';

/** A video is uploaded once (a second upload is 409) and its file never changes. */
const CACHE_FOREVER = 'public, max-age=31536000, immutable';
const RETRY_AFTER_S = 1;

export async function streamVideo(ctx: AppContext): Promise<void> {
  // The database row comes first, every time: a cached open file never outlives its video's deletion.
  const video = readyVideo(ctx);
  admitStream(ctx);
  const token = ctx.app.limiter.tryAcquire() ?? (await waitForToken(ctx));
  if (!token || !holdUntilClosed(ctx.res, token)) return;
  const file = await ctx.app.openVideos.open(ctx.app.videoFiles.finalPath(video.id));
  if (!file) throw notFound('video');
  let reply: FileReply;
  try {
    reply = planReply(ctx.req, file, video.mime ?? 'application/octet-stream');
  } catch (error) {
    file.release();
    throw error;
  }
  await sendFileReply(ctx.req, ctx.res, file, reply, ctx.app.streamCounters.bytesSent.inc);
}

/** The id comes from the database row, never from the URL as given: anything else is 404. */
function readyVideo(ctx: AppContext): Video {
  const id = param(ctx, 'vid-id');
  const video = isVideoId(id) ? ctx.app.store.videos.byId(id) : undefined;
  if (!video || video.status !== 'ready') throw notFound('video');
  return video;
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
  res.once('close', token.release);
  return true;
}

/** Aborts when the response closes: after its last byte, or when the client goes away before that. */
function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  if (res.destroyed) controller.abort();
  else res.once('close', () => controller.abort());
  return controller.signal;
}

/** One object literal per answer: spreading header objects cost ~2.5 us a request, a tenth of a small one. */
function planReply(req: IncomingMessage, file: OpenFile, mime: string): FileReply {
  const validators = fileValidators(file);
  const { etag: ETag, lastModified } = validators;
  if (isNotModified(req.headers, validators)) {
    return { status: 304, headers: { 'Accept-Ranges': 'bytes', 'Cache-Control': CACHE_FOREVER, ETag, 'Last-Modified': lastModified } };
  }
  // The contract: HEAD ignores Range. RFC 9110 13.1.5: a stale If-Range means the whole new file.
  const range: RangeRequest =
    req.method === 'HEAD' || !isRangeFresh(req.headers, validators)
      ? { kind: 'none' }
      : parseRange(req.headers.range, file.size);
  if (range.kind === 'unsatisfiable') throw rangeNotSatisfiable(file.size);
  const { size } = file;
  if (range.kind === 'none') {
    return {
      status: 200,
      headers: { 'Accept-Ranges': 'bytes', 'Cache-Control': CACHE_FOREVER, ETag, 'Last-Modified': lastModified, 'Content-Type': mime, 'Content-Length': size },
      body: { start: 0, end: size - 1 },
    };
  }
  const { start, end } = range;
  return {
    status: 206,
    headers: {
      'Accept-Ranges': 'bytes',
      'Cache-Control': CACHE_FOREVER,
      ETag,
      'Last-Modified': lastModified,
      'Content-Type': mime,
      'Content-Length': end - start + 1,
      'Content-Range': `bytes ${start}-${end}/${size}`,
    },
    body: { start, end },
  };
}
