// PUT /upload/:vid-id/poster: a JPEG or PNG still for a video (pending or ready), at most 1 MiB, stored like a
// video (whole or not at all) so a reader never sees half a poster; a new one replaces the old.
import type { AppContext } from '../app.js';
import { storedFileRow } from '../db/stored-files.js';
import { notFound } from '../http/errors.js';
import { holdQuota } from '../limits/storage-quota.js';
import { sendJson } from '../http/respond.js';
import { requireOwnedVideo } from './owned-video.js';
import { fileTooLarge, storeFile, type FileRules } from './receive-file.js';
import { bodyLimits, readBody, refuseOnHeaders } from './request-body.js';
import { sniffImage } from './sniff-image.js';
import { measureUpload } from './upload-metrics.js';

const MAX_POSTER_BYTES = 1024 * 1024;

const POSTER_RULES: FileRules = { field: 'poster', maxBytes: MAX_POSTER_BYTES, sniff: sniffImage, expected: 'a JPEG or PNG image' };

export async function uploadPoster(ctx: AppContext): Promise<void> {
  const video = requireOwnedVideo(ctx);
  const { store, storages } = ctx.app;
  const received = await measureUpload(ctx.app.uploadMetrics, ctx.req, async () => {
    // The poster it replaces is freed when it lands.
    const quota = holdQuota(ctx, video.authorId, { creditBytes: video.posterSize ?? 0 });
    const limits = bodyLimits(ctx.app.config, MAX_POSTER_BYTES, () => fileTooLarge(POSTER_RULES), quota);
    await refuseOnHeaders(ctx.req, limits);
    const storage = storages.current;
    const key = storage.keyOf(video.id, 'poster');
    const { file: poster, stored } = await storeFile(storage, key, readBody(ctx.req, limits), POSTER_RULES, {
      beforeEnd: (file) => quota?.settle(file.size),
    });
    if (!store.recordPoster(video.id, poster, storedFileRow(storage.name, video.id, 'poster', key, stored))) {
      // Deleted while the poster arrived: the deletion task may already have run, so remove it here.
      await storage.remove(key);
      throw notFound('video');
    }
    return poster;
  });
  sendJson(ctx.res, 201, { id: video.id, poster_mime: received.mime, size: received.size });
}
