// STREAMS_PER_CLIENT: how many streams (and poster replies) one client address may have running at once, so a
// few slow viewers cannot hold every limiter token; and STREAM_STALL_S: a reply whose client takes no byte is cut.
import type { AppContext } from '../app.js';
import { tooManyStreams } from '../http/errors.js';
import { addressBlock } from '../http/ip-address.js';
import type { ClientCounts } from './client-counts.js';
import type { RefusalKind } from './refusals.js';

/** The client's own replies must end first: a little longer than the limiter's 1 s. */
const RETRY_AFTER_S = 5;

/** 429 (010) when the client already has STREAMS_PER_CLIENT streams; else holds one until the response closes. */
export function admitStream(ctx: AppContext): void {
  admit(ctx, ctx.app.limits.streamsByClient, 'streams_per_client');
}

/** The same for a poster reply, with a cap of its own (a page shows many posters at once). */
export function admitPoster(ctx: AppContext): void {
  admit(ctx, ctx.app.limits.postersByClient, 'posters_per_client');
}

function admit(ctx: AppContext, counts: ClientCounts, kind: RefusalKind): void {
  const { limits } = ctx.app;
  const client = addressBlock(ctx.clientAddress);
  if (!counts.tryTake(client)) {
    const detail = `Too many at once from your address (at most ${counts.maxPerClient}), try again shortly`;
    throw limits.refusals.refuse(kind, tooManyStreams(RETRY_AFTER_S, detail));
  }
  const watched = limits.stalls.watch(ctx.res);
  ctx.whenClosed(() => {
    counts.give(client);
    limits.stalls.forget(watched);
  });
}
