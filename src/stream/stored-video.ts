// Videos whose file is in a bucket (a stored_files row outside VIDEO_DIR): their rows, kept by the stream route's
// row cache with their validators made once, and how their bytes reach a viewer, chosen once at start-up
// (S3_DELIVERY): proxied through this server, or redirected to the bucket (or a CDN) so they never pass through it.
import type { AppContext } from '../app.js';
import type { Config } from '../config.js';
import type { StoredFile } from '../db/stored-files.js';
import type { Video, VideosTable } from '../db/videos.js';
import { notFound } from '../http/errors.js';
import { admitStream } from '../limits/client-streams.js';
import type { FilePlaces } from '../storage/file-places.js';
import type { Storage } from '../storage/storage.js';
import type { VideoFiles } from '../video-files.js';
import { videoValidators, type FileValidators } from './preconditions.js';
import { sendStoredReply } from './stored-reply.js';
import { holdUntilClosed, waitForToken } from './stream-token.js';
import { planVideoReply } from './video-reply.js';

/** The row of a file in a bucket, with the validators its size and mtime make (the ETag a stream answers with). */
export interface RemoteVideoFile extends StoredFile {
  validators: FileValidators;
}

/** A video as the stream route sees it: where its file is, in VIDEO_DIR or (remoteFile) in a bucket. */
export interface StreamVideo extends Video {
  /** Its file's path in VIDEO_DIR, made once per row: a new string per request was joined, then hashed, by every lookup. */
  localPath: string;
  remoteFile?: RemoteVideoFile;
}

/** The row cache's loader: a video row, and where its file is. */
export function loadStreamVideo(videos: VideosTable, files: FilePlaces, videoFiles: VideoFiles): (id: string) => StreamVideo | undefined {
  return (id) => {
    const video = videos.byId(id);
    if (!video) return undefined;
    const stored = files.remote(id, 'video');
    const remoteFile = stored && { ...stored, validators: videoValidators(stored) };
    return { ...video, localPath: videoFiles.finalPath(id), remoteFile };
  };
}

export interface VideoDelivery {
  /** Answers GET/HEAD /videos/:vid-id for a ready video whose file is in a bucket. */
  send(ctx: AppContext, video: Video, file: RemoteVideoFile): Promise<void>;
  /** Where players are sent for the bytes when that is not this site: the pages must let them load media from it. */
  mediaOrigin?: string | undefined;
}

/** How videos in storage (STORAGE, when a bucket) reach viewers. */
export function videoDeliveryOf(config: Config, storage: Storage): VideoDelivery {
  return config.s3Delivery === 'redirect' ? { send: redirectToBucket, mediaOrigin: storage.downloadOrigin } : { send: proxyFromBucket };
}

/** The checks and answers of a video on disk (per-client cap, limiter token, 304, 416, ranges), one ranged GET for the bytes. */
async function proxyFromBucket(ctx: AppContext, video: Video, file: RemoteVideoFile): Promise<void> {
  admitStream(ctx);
  const token = ctx.app.limiter.tryAcquire() ?? (await waitForToken(ctx));
  if (!token) return;
  if (!holdUntilClosed(ctx, token)) return;
  const reply = planVideoReply(ctx.req, file, video.mime ?? 'application/octet-stream', ctx.requestId);
  const storage = ctx.app.storages.get(file.storage);
  if (!(await sendStoredReply(ctx.req, ctx.res, storage, file.key, reply, ctx.app.streamCounters.bytesSent.inc))) throw notFound('video');
}

/**
 * 302 to a URL the bucket (or S3_PUBLIC_URL's CDN) serves the file at, Range and all: the video was found ready
 * just now, so an unknown or deleted one is still 404. The URL expires (S3_PRESIGN_TTL_S), so nobody may keep it.
 */
async function redirectToBucket(ctx: AppContext, video: Video, file: RemoteVideoFile): Promise<void> {
  const storage = ctx.app.storages.get(file.storage);
  if (!storage.downloadUrl) return proxyFromBucket(ctx, video, file);
  const location = await storage.downloadUrl(file.key);
  ctx.res.writeHead(302, [
    'Location', location,
    'Cache-Control', 'private, no-store',
    'Content-Length', 0,
    'X-Request-Id', ctx.requestId,
    'X-Content-Type-Options', 'nosniff',
  ]);
  ctx.res.end();
}
