// The comment-purge task: the comments of deleted videos and accounts, removed a small batch per transaction
// with a turn of the event loop between batches, so no deletion holds the site for long however many there
// are. The purge's record goes only after its last batch, so a crash midway just resumes.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { App } from '../app.js';
import type { CommentPurge } from '../db/comment-purges.js';
import { logInfo } from '../log.js';
import type { Task } from './runner.js';

/** Rows per transaction: a millisecond or two of SQLite work with time-ordered comment ids. */
const PURGE_BATCH_ROWS = 250;
/** How long one run works on one purge; the rest waits for the next tick, so stopping never waits long. */
const RUN_BUDGET_MS = 1000;
const PAGE_SIZE = 50;

/** Every queued purge, each read once, in queue order. */
async function* queuedPurges(app: App): AsyncGenerator<CommentPurge> {
  let afterSeq = 0;
  for (;;) {
    const page = app.store.commentPurges.after(afterSeq, PAGE_SIZE);
    yield* page;
    if (page.length < PAGE_SIZE) return;
    afterSeq = page.at(-1)!.seq;
  }
}

/** Removes the purge's comments batch by batch for up to RUN_BUDGET_MS, and the purge once none are left. */
export async function purgeComments(app: App, purge: CommentPurge): Promise<void> {
  const { comments, commentPurges } = app.store;
  const removeBatch = purge.kind === 'video'
    ? () => comments.removeBatchOfVideo(purge.videoId, PURGE_BATCH_ROWS)
    : () => comments.removeBatchByAuthor(purge.authorId, PURGE_BATCH_ROWS);
  const of = purge.kind === 'video' ? { video: purge.videoId } : { author: purge.authorId };
  const deadline = Date.now() + RUN_BUDGET_MS;
  let removed = 0;
  for (;;) {
    const count = removeBatch();
    removed += count;
    if (count < PURGE_BATCH_ROWS) break;
    if (Date.now() >= deadline) {
      logInfo('comments purge goes on next run', { ...of, count: removed });
      return;
    }
    await nextTurn();
  }
  commentPurges.remove(purge.seq);
  if (removed > 0) logInfo('comments purged', { ...of, count: removed });
}

export function purgeCommentsTask(app: App): Task<CommentPurge> {
  return {
    name: 'purge-comments',
    dispatch: () => queuedPurges(app),
    execute: (purge) => purgeComments(app, purge),
  };
}
