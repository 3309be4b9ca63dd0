// The deletion task: the dispatcher reads due video-deletion records, the executor removes each video's files
// (each stored_files row's object from its storage, then whatever VIDEO_DIR holds of it), its captions and rows,
// and then its record. Removal is idempotent (a missing file or key counts as removed), so a crash between the
// steps only repeats no-ops.
import type { App } from '../app.js';
import type { DeletionRecord, DueKey } from '../db/video-deletions.js';
import { logInfo } from '../log.js';
import { ItemFailure, type Task } from './runner.js';

export const DELETE_BATCH_SIZE = 50;
export const MAX_RETRY_DELAY_MS = 10 * 60_000;

/** Capped exponential backoff: the n-th failure waits intervalMs * 2^n, at most MAX_RETRY_DELAY_MS. */
export function retryDelayMs(intervalMs: number, attempts: number): number {
  return Math.min(intervalMs * 2 ** attempts, MAX_RETRY_DELAY_MS);
}

/**
 * Every record due when the run starts, each read at most once: pages follow the key, and a failed
 * record's next attempt lies after the run's `now`, so a run ends even when every record fails.
 */
export async function* dueDeletions(app: App, now: number, batchSize = DELETE_BATCH_SIZE): AsyncGenerator<DeletionRecord> {
  let after: DueKey | undefined;
  for (;;) {
    const batch = app.store.videoDeletions.due(now, after, batchSize);
    yield* batch;
    if (batch.length < batchSize) return;
    after = batch.at(-1);
  }
}

export async function deleteVideoFiles(app: App, intervalMs: number, record: DeletionRecord): Promise<void> {
  const { videoDeletions, storedFiles } = app.store;
  try {
    for (const file of storedFiles.byVideo(record.videoId)) await app.storages.get(file.storage).remove(file.key);
    await app.videoFiles.removeAll(record.videoId);
  } catch (error) {
    const attempts = record.attempts + 1;
    const nextAttemptAt = Date.now() + retryDelayMs(intervalMs, attempts);
    videoDeletions.recordFailure(record.videoId, attempts, nextAttemptAt, error instanceof Error ? error.message : String(error));
    throw new ItemFailure(
      'video deletion failed',
      { video: record.videoId, attempt: attempts, next_attempt_at: new Date(nextAttemptAt).toISOString() },
      { cause: error },
    );
  }
  // Captions are rows, not files: removing them again after a crash here is a no-op, like the files.
  app.store.captions.removeAll(record.videoId);
  storedFiles.removeByVideo(record.videoId);
  videoDeletions.remove(record.videoId);
  logInfo('video deleted', { video: record.videoId, attempt: record.attempts + 1 });
}

export function deleteVideosTask(app: App, intervalMs: number): Task<DeletionRecord> {
  return {
    name: 'delete-videos',
    dispatch: () => dueDeletions(app, Date.now()),
    execute: (record) => deleteVideoFiles(app, intervalMs, record),
  };
}
