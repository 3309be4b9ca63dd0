// PUT and DELETE /upload/:vid-id/captions/:lang: a video's captions in one language, sent as WebVTT or
// SubRip (at most 1 MiB) and stored as clean WebVTT (see captions/captions-file.ts); a new file replaces the old.
import type { AppContext } from '../app.js';
import { readCaptionsFile } from '../captions/captions-file.js';
import { canonicalLanguageTag } from '../captions/language-tag.js';
import { param } from '../http/context.js';
import { invalidField, notFound, tooLarge, unsupportedMedia } from '../http/errors.js';
import { sendJson, sendNoContent } from '../http/respond.js';
import { holdQuota } from '../limits/storage-quota.js';
import { requireOwnedVideo } from './owned-video.js';
import { bodyLimits, readBody, refuseOnHeaders } from './request-body.js';

const MAX_CAPTIONS_BYTES = 1024 * 1024;

const captionsTooLarge = () => tooLarge('Invalid captions: must be at most 1 MiB');

function languageOfPath(ctx: AppContext): string {
  const lang = canonicalLanguageTag(param(ctx, 'lang'));
  if (lang === undefined) throw invalidField('lang', 'must be a BCP 47 language tag such as en, nl or pt-BR');
  return lang;
}

/** The body, at most 1 MiB, refused early (Content-Length) when it says it is more. */
async function readWholeBody(ctx: AppContext): Promise<Buffer> {
  const limits = bodyLimits(ctx.app.config, MAX_CAPTIONS_BYTES, captionsTooLarge);
  await refuseOnHeaders(ctx.req, limits);
  const chunks: Buffer[] = [];
  for await (const chunk of readBody(ctx.req, limits)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The cues as WebVTT text, or the contract's error for a file that is not usable captions. */
async function cleanWebVtt(bytes: Buffer): Promise<{ vtt: string; cueCount: number }> {
  if (bytes.length === 0) throw invalidField('captions', 'must not be empty');
  const file = await readCaptionsFile(bytes);
  switch (file.kind) {
    case 'captions':
      return file;
    case 'unknown-format':
      throw unsupportedMedia('Invalid captions: must be WebVTT or SubRip');
    case 'invalid':
      throw invalidField('captions', file.reason);
    case 'too-many-cues':
      throw tooLarge(`Invalid captions: must have at most ${file.max} cues`);
  }
}

export async function uploadCaptions(ctx: AppContext): Promise<void> {
  const video = requireOwnedVideo(ctx);
  const lang = languageOfPath(ctx);
  const { vtt, cueCount } = await cleanWebVtt(await readWholeBody(ctx));
  const { captions } = ctx.app.store;
  // USER_QUOTA_MB counts the stored text; replacing a language frees what it held.
  const quota = holdQuota(ctx, video.authorId, { creditBytes: captions.track(video.id, lang)?.size ?? 0 });
  let track;
  try {
    quota?.settle(Buffer.byteLength(vtt));
    track = captions.put(video.id, lang, vtt, Date.now());
  } finally {
    quota?.release();
  }
  if (!track) throw notFound('video');
  sendJson(ctx.res, 201, { id: video.id, lang, size: track.size, cues: cueCount });
}

export function deleteCaptions(ctx: AppContext): void {
  const video = requireOwnedVideo(ctx);
  const lang = canonicalLanguageTag(param(ctx, 'lang'));
  if (lang === undefined || !ctx.app.store.captions.remove(video.id, lang)) throw notFound('captions');
  sendNoContent(ctx.res);
}
