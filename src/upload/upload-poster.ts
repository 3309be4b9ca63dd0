// PUT /upload/:vid-id/poster: a JPEG or PNG still for a video (pending or ready), at most 1 MiB, written
// like a video (temp file, fsync, rename) so a reader never sees half a poster; a new one replaces the old.
import type { AppContext } from '../app.js';
import { notFound } from '../http/errors.js';
import { sendJson } from '../http/respond.js';
import { removeIfPresent } from '../video-files.js';
import { requireOwnedVideo } from './owned-video.js';
import { fileTooLarge, receiveFile, type FileRules } from './receive-file.js';
import { bodyLimits, readBody, refuseOnHeaders } from './request-body.js';
import { sniffImage } from './sniff-image.js';
import { moveIntoPlace } from './temp-file.js';
import { measureUpload } from './upload-metrics.js';

const MAX_POSTER_BYTES = 1024 * 1024;

const POSTER_RULES: FileRules = { field: 'poster', maxBytes: MAX_POSTER_BYTES, sniff: sniffImage, expected: 'a JPEG or PNG image' };

export async function uploadPoster(ctx: AppContext): Promise<void> {
  const video = requireOwnedVideo(ctx);
  const { store, videoFiles } = ctx.app;
  const received = await measureUpload(ctx.app.uploadMetrics, ctx.req, async () => {
    const limits = bodyLimits(ctx.app.config, MAX_POSTER_BYTES, () => fileTooLarge(POSTER_RULES));
    await refuseOnHeaders(ctx.req, limits);
    const tempPath = videoFiles.tempPath(video.id);
    const finalPath = videoFiles.finalPath(video.id, 'poster');
    const poster = await receiveFile(readBody(ctx.req, limits), tempPath, POSTER_RULES);
    try {
      await moveIntoPlace(tempPath, finalPath);
    } catch (error) {
      await removeIfPresent(tempPath);
      throw error;
    }
    if (!store.videos.setPoster(video.id, poster.mime)) {
      // Deleted while the poster arrived: the deletion's sweep may already have run, so remove it here.
      await removeIfPresent(finalPath);
      throw notFound('video');
    }
    return poster;
  });
  sendJson(ctx.res, 201, { id: video.id, poster_mime: received.mime, size: received.size });
}
