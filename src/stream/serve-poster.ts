// GET/HEAD /videos/:vid-id/poster: the uploaded poster, or a placeholder while there is none. Posters are
// small and take no limiter token, only one of the client's own (see limits/client-streams.ts). A poster can
// be replaced, so caches revalidate (ETag, 304) every time. A poster in a bucket is proxied whatever S3_DELIVERY
// says (it is small, and its 304s and placeholder are this route's to answer).
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../app.js';
import type { StoredFile } from '../db/stored-files.js';
import type { Video } from '../db/videos.js';
import { param } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { admitPoster } from '../limits/client-streams.js';
import { isVideoId } from '../video-files.js';
import { sendFileReply, type FileReply } from './file-body.js';
import { openFile } from './open-file.js';
import { PLACEHOLDER_POSTER } from './placeholder-poster.js';
import { fileValidators, isNotModified, validatorHeaders } from './preconditions.js';
import { sendStoredReply } from './stored-reply.js';

const REVALIDATE = 'public, max-age=0, must-revalidate';

export async function servePoster(ctx: AppContext): Promise<void> {
  const video = knownVideo(ctx);
  admitPoster(ctx);
  if (video.posterMime === null) return sendPlaceholder(ctx);
  const remote = ctx.app.files.remote(video.id, 'poster');
  if (remote) return serveStoredPoster(ctx, remote, video.posterMime);
  const file = await openFile(ctx.app.videoFiles.finalPath(video.id, 'poster'));
  if (!file) return sendPlaceholder(ctx);
  await sendFileReply(ctx.req, ctx.res, file, planReply(ctx.req, file, video.posterMime));
}

async function serveStoredPoster(ctx: AppContext, file: StoredFile, mime: string): Promise<void> {
  const storage = ctx.app.storages.get(file.storage);
  if (!(await sendStoredReply(ctx.req, ctx.res, storage, file.key, planReply(ctx.req, file, mime)))) sendPlaceholder(ctx);
}

/** Any video that exists has a poster URL, uploaded yet or not. */
function knownVideo(ctx: AppContext): Video {
  const id = param(ctx, 'vid-id');
  const video = isVideoId(id) ? ctx.app.store.videos.byId(id) : undefined;
  if (!video) throw notFound('video');
  return video;
}

function planReply(req: IncomingMessage, file: { size: number; mtimeMs: number }, mime: string): FileReply {
  const validators = fileValidators(file);
  const headers = { 'Cache-Control': REVALIDATE, ...validatorHeaders(validators) };
  if (isNotModified(req.headers, validators)) return { status: 304, headers };
  return { status: 200, headers: { ...headers, 'Content-Type': mime, 'Content-Length': file.size }, body: { start: 0, end: file.size - 1 } };
}

function sendPlaceholder({ req, res }: AppContext): void {
  const { body, mime, etag } = PLACEHOLDER_POSTER;
  // An SVG opened on its own is a document: this one runs nothing, and the header keeps it that way.
  const headers = { 'Cache-Control': REVALIDATE, ETag: etag, 'Content-Security-Policy': "default-src 'none'" };
  if (isNotModified(req.headers, { etag })) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': mime, 'Content-Length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}
