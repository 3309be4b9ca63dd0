// MAX_UPLOADS_PER_USER: how many uploads one account may have receiving bytes at once, across every worker.
// Every route that receives a video's bytes (a plain upload, a resumable upload's PATCH) holds a slot for as
// long as its request lasts.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app.js';
import { tooManyAttempts } from '../http/errors.js';
import { LEASE_TTL_MS, leaseWhileOpen } from './lease.js';

/** When a slot may be free again cannot be known: a short wait, as for a busy stream. */
const RETRY_AFTER_S = 5;

/** Takes one of the user's upload slots until the request's response closes, or throws 429 (014). */
export function holdUploadSlot(ctx: AppContext, userId: number): void {
  const { store, config, limits } = ctx.app;
  const id = randomUUID();
  if (!store.uploadSlots.take(id, userId, Date.now(), LEASE_TTL_MS, config.maxUploadsPerUser)) {
    const detail = `Too many uploads at once: at most ${config.maxUploadsPerUser} per account, wait for one to finish`;
    throw limits.refusals.refuse('uploads_at_once', tooManyAttempts(detail, RETRY_AFTER_S));
  }
  leaseWhileOpen(ctx, { renew: (now, ttlMs) => store.uploadSlots.renew(id, now, ttlMs), release: () => store.uploadSlots.release(id) }, 'an upload slot');
}
