// POST /upload/:vid-id (multipart/form-data, field `file`) and PUT /upload/:vid-id (the raw file): a video's
// one upload, streamed into storage (a temp file renamed into place, or an S3 multipart upload completed) only
// once sniffed, then the video is ready.
import type { AppContext } from '../app.js';
import type { Video } from '../db/videos.js';
import { conflict, invalidField, unsupportedMedia } from '../http/errors.js';
import { sendJson } from '../http/respond.js';
import { holdQuota, type QuotaReservation } from '../limits/storage-quota.js';
import { holdUploadSlot } from '../limits/uploads-at-once.js';
import { MultipartError, parseFormContentType, readMultipart } from './multipart.js';
import { requireOwnedVideo } from './owned-video.js';
import { fileTooLarge, storeFile, type FileRules, type ReceivedFile } from './receive-file.js';
import { publishVideo } from './publish-video.js';
import { bodyLimits, readBody, refuseOnHeaders } from './request-body.js';
import { sniffContainer } from './sniff-container.js';
import { takeUploadClaim } from './upload-claim.js';
import { measureUpload } from './upload-metrics.js';

const FILE_FIELD = 'file';
// Room for the multipart framing and small fields around the file.
const FORM_OVERHEAD_BYTES = 64 * 1024;

export async function uploadVideoForm(ctx: AppContext): Promise<void> {
  const video = requireOwnedVideo(ctx);
  const received = await measureUpload(ctx.app.uploadMetrics, ctx.req, async () => {
    requirePending(video);
    const form = parseFormContentType(ctx.req.headers['content-type']);
    if (form.kind === 'not-form') throw unsupportedMedia('POST needs Content-Type multipart/form-data with a "file" field (PUT takes the raw file)');
    if (form.kind === 'bad-boundary') throw invalidField('Content-Type', 'multipart/form-data needs a boundary of 1-70 characters');
    const rules = videoRules(ctx);
    const quota = holdQuota(ctx, video.authorId, { slackBytes: FORM_OVERHEAD_BYTES });
    const limits = bodyLimits(ctx.app.config, rules.maxBytes + FORM_OVERHEAD_BYTES, () => fileTooLarge(rules), quota);
    await refuseOnHeaders(ctx.req, limits);
    return storeVideo(ctx, video, formFile(readBody(ctx.req, limits), form.boundary), rules, quota);
  });
  sendJson(ctx.res, 201, { id: video.id, size: received.size, mime: received.mime });
}

export async function uploadVideoRaw(ctx: AppContext): Promise<void> {
  const video = requireOwnedVideo(ctx);
  const received = await measureUpload(ctx.app.uploadMetrics, ctx.req, async () => {
    requirePending(video);
    const rules = videoRules(ctx);
    const quota = holdQuota(ctx, video.authorId);
    const limits = bodyLimits(ctx.app.config, rules.maxBytes, () => fileTooLarge(rules), quota);
    await refuseOnHeaders(ctx.req, limits);
    return storeVideo(ctx, video, readBody(ctx.req, limits), rules, quota);
  });
  sendJson(ctx.res, 201, { id: video.id, size: received.size, mime: received.mime });
}

function requirePending(video: Video): void {
  if (video.status !== 'pending') throw conflict('Video is already uploaded');
}

export const videoRules = (ctx: AppContext): FileRules => ({
  field: FILE_FIELD,
  maxBytes: ctx.app.config.maxUploadMb * 1024 * 1024,
  sniff: sniffContainer,
  expected: 'an MP4/MOV, WebM/Matroska or Ogg video',
});

/**
 * Takes one of the account's upload slots (429), claims the video (409 if another upload has it), streams
 * the file into storage, checks its exact size against the quota before the object completes, and publishes
 * it. On any failure nothing of it is left stored and the video stays pending.
 */
async function storeVideo(
  ctx: AppContext,
  video: Video,
  fileBytes: AsyncIterable<Buffer>,
  rules: FileRules,
  quota: QuotaReservation | undefined,
): Promise<ReceivedFile> {
  holdUploadSlot(ctx, video.authorId);
  const claim = await takeUploadClaim(ctx.app.store.videos, video.id);
  try {
    return await publishVideo(ctx.app, video.id, claim, (storage, key) =>
      storeFile(storage, key, fileBytes, rules, { signal: claim.signal, beforeEnd: (file) => quota?.settle(file.size) }),
    );
  } catch (error) {
    claim.release();
    throw claim.signal.aborted ? claim.signal.reason : error;
  } finally {
    claim.release();
    quota?.release();
  }
}

/** The bytes of the form's first `file` part; fields before it and parts after it are read and dropped. */
async function* formFile(body: AsyncIterable<Buffer>, boundary: string): AsyncGenerator<Buffer> {
  let place: 'before' | 'in' | 'after' = 'before';
  try {
    for await (const event of readMultipart(body, boundary)) {
      if (event.kind === 'part') {
        if (place === 'in') place = 'after';
        if (place === 'before' && event.name === FILE_FIELD) place = 'in';
      } else if (place === 'in') {
        yield event.bytes;
      }
    }
  } catch (error) {
    throw error instanceof MultipartError ? invalidField('multipart/form-data body', error.message) : error;
  }
  if (place === 'before') throw invalidField(FILE_FIELD, 'is required: send the video in a form field named "file"');
}
