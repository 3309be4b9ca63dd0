// The work of a PATCH (and of a POST that carries the first bytes): the body appended to the upload at the
// offset the client names, under the upload's lock. What arrives is kept even when the connection breaks:
// written, then recorded, so the recorded offset never runs ahead of the file, and a crash of the server
// loses none of it (the kernel has the bytes). The answer does not wait for the disk: the bytes are fsynced
// right after it, and only the fsynced ones count after a reboot (recoverResumableUploads). The last byte is
// fsynced before it publishes the video through the same step as a plain upload; a file that is not a video
// ends the upload (415).
import type { AppContext } from '../app.js';
import type { ResumableUpload } from '../db/resumable-uploads.js';
import { conflict, notFound, tooLarge } from '../http/errors.js';
import { logError, logInfo } from '../log.js';
import { publishVideo } from '../upload/publish-video.js';
import { notOfType } from '../upload/receive-file.js';
import { bodyLimits, readBody, refuseOnHeaders } from '../upload/request-body.js';
import { SNIFF_BYTES } from '../upload/sniff-container.js';
import { videoRules } from '../upload/upload-video.js';
import { LostBytesError, PartialFile } from './partial-file.js';
import { PatchLock } from './patch-lock.js';
import { expiryMs, terminateUpload } from './uploads.js';

export interface Appended {
  offset: number;
  expiresAt: number;
}

// An answered PATCH leaves its fsync behind it, with its file open (the syncs wait in line: disk-syncs.ts). Past
// this many at once, a PATCH's answer waits for its own: a client sending many small PATCHes to a slow disk
// cannot pile up open files.
const MAX_SYNCS_AFTER_ANSWER = 32;

/** How reading the body ended; the bytes that came before the end are kept in every case. */
type BodyEnd = { kind: 'complete' } | { kind: 'cut'; error: unknown } | { kind: 'not-a-video' };

/**
 * Appends the request body to the upload: 404 when it is gone, 409 when clientOffset is not its offset or
 * another PATCH will not let go, 413 past its Upload-Length, 415 when its first bytes are not a video.
 */
export async function appendBytes(ctx: AppContext, uploadId: string, clientOffset: number): Promise<Appended> {
  const attempt = await PatchLock.take(ctx.app.store, uploadId, expiryMs(ctx.app));
  if (attempt.kind === 'gone') throw notFound('upload');
  if (attempt.kind === 'busy') throw conflict('Upload is receiving another PATCH, try again shortly');
  const { lock } = attempt;
  try {
    const { upload } = lock;
    if (clientOffset !== upload.offset) throw conflict(`Invalid Upload-Offset: the upload holds ${upload.offset} bytes, not ${clientOffset}`);
    const remaining = upload.length - upload.offset;
    const tooBig = () => tooLarge(`Invalid body: only ${remaining} more bytes fit in Upload-Length ${upload.length}`);
    const limits = bodyLimits(ctx.app.config, remaining, tooBig);
    // 413 past Upload-Length, 507 when the disk has no room for the body (MIN_FREE_DISK_MB)
    await refuseOnHeaders(ctx.req, limits);
    const file = await openPartialFile(ctx, upload);
    try {
      const end = await receiveBody(ctx, lock, file, readBody(ctx.req, limits));
      if (end.kind === 'not-a-video') return await refuseNonVideo(ctx, upload);
      const kept = await file.flush();
      // Every byte is written: publish, whatever happened to the connection after the last one.
      if (kept.failure === undefined && kept.offset === upload.length) return await complete(ctx, lock, file);
      if (!lock.record(kept.offset, file.durable)) throw notFound('upload');
      const failure = end.kind === 'cut' ? end.error : kept.failure;
      if (failure !== undefined) throw failure;
      return { offset: kept.offset, expiresAt: lock.expiresAt };
    } finally {
      const synced = syncAndClose(ctx, upload.id, file);
      ctx.app.background.track(synced);
      if (ctx.app.background.running > MAX_SYNCS_AFTER_ANSWER) await synced;
    }
  } finally {
    lock.release();
  }
}

/**
 * The upload's bytes so far. Bytes the row counts but the file lacks end the upload (404): a crash between
 * publishing's rename and the video becoming ready leaves the file under the video's final name, and the
 * file sweep publishes it once the upload no longer holds the video.
 */
async function openPartialFile(ctx: AppContext, upload: ResumableUpload): Promise<PartialFile> {
  try {
    return await PartialFile.open(ctx.app.videoFiles.resumablePath(upload.videoId, upload.id), upload.offset);
  } catch (error) {
    if (!(error instanceof LostBytesError)) throw error;
    logInfo('resumable upload lost its bytes', { upload: upload.id, video: upload.videoId, offset: upload.offset, reason: error.message });
    await terminateUpload(ctx.app, upload);
    throw notFound('upload');
  }
}

async function receiveBody(ctx: AppContext, lock: PatchLock, file: PartialFile, body: AsyncIterable<Buffer>): Promise<BodyEnd> {
  const { upload } = lock;
  const sniffAt = Math.min(SNIFF_BYTES, upload.length);
  let isSniffed = upload.offset >= sniffAt;
  let recorded = upload.offset;
  // Another request wants the upload, or it is gone: stop reading (that client has most likely left already).
  const stopReading = () => ctx.req.destroy();
  lock.signal.addEventListener('abort', stopReading, { once: true });
  try {
    for await (const chunk of body) {
      if (!lock.isHeld()) return { kind: 'cut', error: lock.signal.reason };
      await file.append(chunk);
      // Sniff early, so a file that is not a video is refused at its first few KiB rather than at its end.
      if (!isSniffed && file.end >= sniffAt) {
        if (videoRules(ctx).sniff(await file.readHead(SNIFF_BYTES), true).kind !== 'match') return { kind: 'not-a-video' };
        isSniffed = true;
      }
      // What the background fsyncs of a long PATCH made durable is recorded as it goes, so a crash (even of
      // the machine) loses little of it; the last byte is recorded by the video becoming ready, never before it.
      if (file.durable > recorded && file.durable < upload.length) {
        if (!lock.record(file.durable, file.durable)) return { kind: 'cut', error: notFound('upload') };
        recorded = file.durable;
      }
    }
    return { kind: 'complete' };
  } catch (error) {
    return { kind: 'cut', error };
  } finally {
    lock.signal.removeEventListener('abort', stopReading);
  }
}

/**
 * After the answer: the bytes the PATCH wrote are fsynced (unless a background fsync already was), recorded
 * as durable, and the file closed. A failed fsync leaves them counted for this boot only.
 */
async function syncAndClose(ctx: AppContext, uploadId: string, file: PartialFile): Promise<void> {
  try {
    await file.sync();
    ctx.app.store.resumableUploads.recordDurable(uploadId, file.durable);
  } catch (error) {
    logError('fsyncing a resumable upload failed', error, { upload: uploadId });
  } finally {
    await file.close().catch((error: unknown) => logError('closing a resumable upload failed', error, { upload: uploadId }));
  }
}

/** Sniffs the whole head once more for its type, fsyncs, and publishes: the upload's row goes as the video becomes ready. */
async function complete(ctx: AppContext, lock: PatchLock, file: PartialFile): Promise<Appended> {
  const { upload } = lock;
  const rules = videoRules(ctx);
  const verdict = rules.sniff(await file.readHead(SNIFF_BYTES), true);
  if (verdict.kind !== 'match') return refuseNonVideo(ctx, upload);
  await file.sync();
  const path = ctx.app.videoFiles.resumablePath(upload.videoId, upload.id);
  const received = { size: upload.length, mime: verdict.mime };
  // The bytes were put together on the local disk; now they move into storage whole (renamed, or sent to the bucket).
  await publishVideo(ctx.app, upload.videoId, lock, async (storage, key) => ({
    file: received,
    stored: await storage.putFile(key, path, { contentType: received.mime }),
  }));
  ctx.app.uploadMetrics.uploads.inc({ result: 'ok' });
  ctx.app.uploadMetrics.bytes.inc({}, upload.length);
  return { offset: upload.length, expiresAt: lock.expiresAt };
}

/** The contract's 415 for a finished upload that is not a video, decided as soon as its head is known. */
async function refuseNonVideo(ctx: AppContext, upload: ResumableUpload): Promise<never> {
  await terminateUpload(ctx.app, upload);
  ctx.app.uploadMetrics.uploads.inc({ result: 'unsupported' });
  throw notOfType(videoRules(ctx));
}
