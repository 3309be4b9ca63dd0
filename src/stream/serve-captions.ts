// GET/HEAD /videos/:vid-id/captions/:lang: a caption track as text/vtt. Like posters, captions can be
// replaced, so caches revalidate (ETag, 304) every time.
import type { AppContext } from '../app.js';
import { canonicalLanguageTag } from '../captions/language-tag.js';
import { param } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { isVideoId } from '../video-files.js';
import { isNotModified, validatorHeaders, type Validators } from './preconditions.js';

const REVALIDATE = 'public, max-age=0, must-revalidate';

export function serveCaptions(ctx: AppContext): void {
  const videoId = param(ctx, 'vid-id');
  const { store } = ctx.app;
  if (!isVideoId(videoId) || !store.videos.byId(videoId)) throw notFound('video');
  const lang = canonicalLanguageTag(param(ctx, 'lang'));
  const track = lang === undefined ? undefined : store.captions.track(videoId, lang);
  if (!track) throw notFound('captions');
  const validators: Validators = { etag: track.etag, lastModifiedMs: Math.floor(track.updatedAt / 1000) * 1000 };
  const headers = { 'Cache-Control': REVALIDATE, ...validatorHeaders(validators) };
  if (isNotModified(ctx.req.headers, validators)) {
    ctx.res.writeHead(304, headers);
    ctx.res.end();
    return;
  }
  // Replaced or removed since the track was read: the text is what counts.
  const vtt = store.captions.text(videoId, track.lang);
  if (vtt === undefined) throw notFound('captions');
  const body = Buffer.from(vtt);
  ctx.res.writeHead(200, { ...headers, 'Content-Type': 'text/vtt; charset=utf-8', 'Content-Length': body.length });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : body);
}
