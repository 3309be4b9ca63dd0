// A stream's limiter token: taken at once when one is free, else waited for up to STREAM_QUEUE_MS (429 when none
// comes), and held until the response closes, however it ends. Every way a video's bytes are sent takes one.
import type { ServerResponse } from 'node:http';
import type { AppContext } from '../app.js';
import { tooManyStreams } from '../http/errors.js';
import type { Token } from './limiter.js';

const RETRY_AFTER_S = 1;

/**
 * The limiter is full: wait in line for up to STREAM_QUEUE_MS. 429 when no token comes in time; undefined
 * when the client left while waiting (nobody to answer).
 */
export async function waitForToken(ctx: AppContext): Promise<Token | undefined> {
  const gone = closeSignal(ctx.res);
  let token: Token | undefined;
  try {
    token = await ctx.app.limiter.acquire(gone, ctx.app.config.streamQueueMs);
  } catch (error) {
    if (gone.aborted) return undefined;
    throw error;
  }
  if (!token) {
    ctx.app.streamCounters.rejected.inc();
    throw tooManyStreams(RETRY_AFTER_S);
  }
  return token;
}

/** The token goes back when the response closes, however it ends (finished, failed, cut off); false when it already has. */
export function holdUntilClosed(ctx: AppContext, token: Token): boolean {
  if (ctx.res.destroyed) {
    token.release();
    return false;
  }
  ctx.whenClosed(token.release);
  return true;
}

/** Aborts when the response closes: after its last byte, or when the client goes away before that. */
export function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  if (res.destroyed) controller.abort();
  else res.once('close', () => controller.abort());
  return controller.signal;
}
