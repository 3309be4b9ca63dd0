// POST /upload/:vid-id (multipart/form-data, field `file`) and PUT /upload/:vid-id (the raw file): a video's
// one upload, streamed into a temp file and renamed into place only when complete, then the video is ready.
import type { AppContext } from '../app.js';
import type { Video } from '../db/videos.js';
import { conflict, invalidField, notFound, unsupportedMedia } from '../http/errors.js';
import { sendJson } from '../http/respond.js';
import { readMediaInfo } from '../media/media-info.js';
import { removeIfPresent } from '../video-files.js';
import { MultipartError, parseFormContentType, readMultipart } from './multipart.js';
import { requireOwnedVideo } from './owned-video.js';
import { fileTooLarge, receiveFile, type FileRules, type ReceivedFile } from './receive-file.js';
import { bodyLimits, readBody, refuseOnHeaders } from './request-body.js';
import { sniffContainer } from './sniff-container.js';
import { moveIntoPlace } from './temp-file.js';
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
    const limits = bodyLimits(ctx.app.config, rules.maxBytes + FORM_OVERHEAD_BYTES, () => fileTooLarge(rules));
    await refuseOnHeaders(ctx.req, limits);
    return storeVideo(ctx, video, formFile(readBody(ctx.req, limits), form.boundary), rules);
  });
  sendJson(ctx.res, 201, { id: video.id, size: received.size, mime: received.mime });
}

export async function uploadVideoRaw(ctx: AppContext): Promise<void> {
  const video = requireOwnedVideo(ctx);
  const received = await measureUpload(ctx.app.uploadMetrics, ctx.req, async () => {
    requirePending(video);
    const rules = videoRules(ctx);
    const limits = bodyLimits(ctx.app.config, rules.maxBytes, () => fileTooLarge(rules));
    await refuseOnHeaders(ctx.req, limits);
    return storeVideo(ctx, video, readBody(ctx.req, limits), rules);
  });
  sendJson(ctx.res, 201, { id: video.id, size: received.size, mime: received.mime });
}

function requirePending(video: Video): void {
  if (video.status !== 'pending') throw conflict('Video is already uploaded');
}

const videoRules = (ctx: AppContext): FileRules => ({
  field: FILE_FIELD,
  maxBytes: ctx.app.config.maxUploadMb * 1024 * 1024,
  sniff: sniffContainer,
  expected: 'an MP4/MOV, WebM/Matroska or Ogg video',
});

/**
 * Claims the video (409 if another upload has it), streams the file to a temp file, reads its media info,
 * renames it into place and marks the video ready. On any failure nothing is left in VIDEO_DIR and the video stays pending.
 */
async function storeVideo(ctx: AppContext, video: Video, fileBytes: AsyncIterable<Buffer>, rules: FileRules): Promise<ReceivedFile> {
  const { store, videoFiles } = ctx.app;
  const claim = await takeUploadClaim(store.videos, video.id);
  const tempPath = videoFiles.tempPath(video.id);
  const finalPath = videoFiles.finalPath(video.id);
  let isPublishing = false;
  try {
    const received = await receiveFile(fileBytes, tempPath, rules, claim.signal);
    const media = await readMediaInfo(tempPath);
    claim.confirm();
    isPublishing = true;
    await moveIntoPlace(tempPath, finalPath);
    // markReady changes only a pending row: false now means the video was deleted in the meantime.
    if (!store.videos.markReady(video.id, { ...received, media })) throw notFound('video');
    return received;
  } catch (error) {
    // Only the claim's holder publishes, so while the claim is held a file at finalPath is ours to remove.
    if (isPublishing) await removeIfPresent(finalPath);
    claim.release();
    await removeIfPresent(tempPath);
    throw claim.signal.aborted ? claim.signal.reason : error;
  } finally {
    claim.release();
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
