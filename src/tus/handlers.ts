// The tus 1.0.0 routes: OPTIONS /tus, POST /tus (creation, creation-with-upload), HEAD, PATCH and DELETE
// /tus/:upload-id (core, termination, expiration). Tus-Resumable on every answer comes from the route table.
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../app.js';
import { requireSession } from '../auth/require-session.js';
import { conflict, invalidField, tooLarge, unsupportedMedia } from '../http/errors.js';
import { sendHeadersOnly, sendNoContent } from '../http/respond.js';
import { holdUploadSlot } from '../limits/uploads-at-once.js';
import { requireOwnedVideo } from '../upload/owned-video.js';
import { assertRoomFor } from '../upload/disk-space.js';
import { declaredLength } from '../upload/request-body.js';
import { isVideoId } from '../video-files.js';
import { appendBytes } from './append-bytes.js';
import { parseUploadMetadata } from './metadata.js';
import { PatchLock } from './patch-lock.js';
import { headerOf, httpDate, OFFSET_OCTET_STREAM, parseUploadNumber, requireTusVersion, TUS_EXTENSIONS, TUS_VERSION } from './protocol.js';
import { createUpload, expiryMs, requireOwnedUpload, terminateUpload } from './uploads.js';

const MiB = 1024 * 1024;

export function tusOptions(ctx: AppContext): void {
  sendNoContent(ctx.res, {
    'Tus-Version': TUS_VERSION,
    'Tus-Extension': TUS_EXTENSIONS,
    'Tus-Max-Size': String(ctx.app.config.maxUploadMb * MiB),
  });
}

export async function createTusUpload(ctx: AppContext): Promise<void> {
  requireTusVersion(ctx.req);
  requireSession(ctx);
  const video = requireOwnedVideo(ctx, requireVideoId(ctx.req));
  const length = requireUploadLength(ctx);
  if (video.status !== 'pending') throw conflict('Video is already uploaded');
  const hasBody = carriesBody(ctx.req);
  if (hasBody) requireOffsetOctetStream(ctx.req);
  if ((declaredLength(ctx.req) ?? 0) > length) throw tooLarge(`Invalid body: longer than Upload-Length ${length}`);
  // The whole length is known now: 507 up front rather than when the disk is full.
  await assertRoomFor(ctx.app.config.videoDir, length, ctx.app.config.minFreeDiskMb);
  const upload = createUpload(ctx.app, video, length);
  const headers: Record<string, string> = { Location: `/tus/${upload.id}`, 'Upload-Expires': httpDate(upload.expiresAt) };
  if (hasBody) {
    try {
      holdUploadSlot(ctx, video.authorId);
      const appended = await appendBytes(ctx, upload.id, 0);
      headers['Upload-Offset'] = String(appended.offset);
      headers['Upload-Expires'] = httpDate(appended.expiresAt);
    } catch (error) {
      // Only the 201 tells the client the Location: without it nobody can resume the upload, which would
      // otherwise hold the video until it expired.
      await terminateUpload(ctx.app, upload);
      throw error;
    }
  }
  sendHeadersOnly(ctx.res, 201, headers);
}

export async function headTusUpload(ctx: AppContext): Promise<void> {
  requireTusVersion(ctx.req);
  const { id } = requireOwnedUpload(ctx);
  // A PATCH still running (its client gone without the server seeing it yet) first records what it got.
  await PatchLock.waitUntilIdle(ctx.app.store, id);
  const upload = requireOwnedUpload(ctx);
  sendHeadersOnly(ctx.res, 200, {
    'Upload-Offset': String(upload.offset),
    'Upload-Length': String(upload.length),
    'Upload-Expires': httpDate(upload.expiresAt),
  });
}

export async function patchTusUpload(ctx: AppContext): Promise<void> {
  requireTusVersion(ctx.req);
  const upload = requireOwnedUpload(ctx);
  requireOffsetOctetStream(ctx.req);
  // MAX_UPLOADS_PER_USER: a PATCH receiving bytes is an upload running, like a plain one (429 before the body).
  holdUploadSlot(ctx, upload.ownerId);
  const appended = await appendBytes(ctx, upload.id, requireUploadOffset(ctx.req));
  sendNoContent(ctx.res, { 'Upload-Offset': String(appended.offset), 'Upload-Expires': httpDate(appended.expiresAt) });
}

export async function deleteTusUpload(ctx: AppContext): Promise<void> {
  requireTusVersion(ctx.req);
  const upload = requireOwnedUpload(ctx);
  // A PATCH in flight lets go first, so no write comes after the bytes are removed.
  const attempt = await PatchLock.take(ctx.app.store, upload.id, expiryMs(ctx.app));
  await terminateUpload(ctx.app, upload);
  if (attempt.kind === 'locked') attempt.lock.release();
  sendNoContent(ctx.res);
}

/** The video_id of Upload-Metadata (`video_id <base64 id>`): 400 when malformed or missing. */
function requireVideoId(req: IncomingMessage): string {
  const header = headerOf(req, 'upload-metadata');
  if (header === undefined) throw invalidField('Upload-Metadata', 'is required: video_id <base64 of the video id>');
  const metadata = parseUploadMetadata(header);
  if (metadata.kind === 'malformed') throw invalidField('Upload-Metadata', metadata.reason);
  const videoId = metadata.pairs.get('video_id');
  if (videoId === undefined) throw invalidField('Upload-Metadata', 'must name the video: video_id <base64 of the video id>');
  const id = videoId.toString('latin1');
  if (!isVideoId(id)) throw invalidField('Upload-Metadata', 'video_id must be a video id');
  return id;
}

function requireUploadLength(ctx: AppContext): number {
  const { maxUploadMb } = ctx.app.config;
  const length = parseUploadNumber(headerOf(ctx.req, 'upload-length'));
  if (length.kind === 'missing') throw invalidField('Upload-Length', 'is required (deferred lengths are not supported)');
  if (length.kind === 'invalid') throw invalidField('Upload-Length', 'must be a whole number of bytes');
  if (length.kind === 'too-large' || length.value > maxUploadMb * MiB) throw tooLarge(`Invalid Upload-Length: must be at most ${maxUploadMb} MiB`);
  if (length.value === 0) throw invalidField('Upload-Length', 'must be at least 1 byte');
  return length.value;
}

function requireUploadOffset(req: IncomingMessage): number {
  const offset = parseUploadNumber(headerOf(req, 'upload-offset'));
  if (offset.kind === 'missing') throw invalidField('Upload-Offset', 'is required');
  if (offset.kind === 'invalid') throw invalidField('Upload-Offset', 'must be a whole number of bytes');
  if (offset.kind === 'too-large') throw conflict('Invalid Upload-Offset: beyond the end of any upload');
  return offset.value;
}

function requireOffsetOctetStream(req: IncomingMessage): void {
  const type = headerOf(req, 'content-type')?.split(';')[0]!.trim().toLowerCase();
  if (type !== OFFSET_OCTET_STREAM) throw unsupportedMedia(`Invalid Content-Type: the bytes of an upload go as ${OFFSET_OCTET_STREAM}`);
}

function carriesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
