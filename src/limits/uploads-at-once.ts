// MAX_UPLOADS_PER_USER: how many uploads one account may have receiving bytes at once, across every worker.
// Every route that receives a video's bytes (a plain upload, a resumable upload's PATCH) holds a slot for as
// long as its request lasts.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app.js';
import { tooManyAttempts } from '../http/errors.js';
import { logError } from '../log.js';

/** A crashed process's slots are free again after this long; a live upload renews its slot well before. */
const SLOT_TTL_MS = 2 * 60_000;
const RENEW_EVERY_MS = 30_000;
/** When a slot may be free again cannot be known: a short wait, as for a busy stream. */
const RETRY_AFTER_S = 5;

/** Takes one of the user's upload slots until the request's response closes, or throws 429 (014). */
export function holdUploadSlot(ctx: AppContext, userId: number): void {
  const { store, config, limits } = ctx.app;
  const id = randomUUID();
  if (!store.uploadSlots.take(id, userId, Date.now(), SLOT_TTL_MS, config.maxUploadsPerUser)) {
    const detail = `Too many uploads at once: at most ${config.maxUploadsPerUser} per account, wait for one to finish`;
    throw limits.refusals.refuse('uploads_at_once', tooManyAttempts(detail, RETRY_AFTER_S));
  }
  const heartbeat = setInterval(() => {
    try {
      store.uploadSlots.renew(id, Date.now(), SLOT_TTL_MS);
    } catch (error) {
      logError('renewing an upload slot failed', error, { rid: ctx.requestId });
    }
  }, RENEW_EVERY_MS).unref();
  const release = () => {
    clearInterval(heartbeat);
    store.uploadSlots.release(id);
  };
  if (ctx.res.destroyed) release();
  else ctx.res.once('close', release);
}
