// Sweeps: files in VIDEO_DIR that no video (or resumable upload) row names or whose row names a bucket instead,
// abandoned partial uploads, uploads a crash left unpublished, expired sessions, failed sign-ins too old to count
// and dead processes' leases. Ages are judged by mtime: an upload in progress keeps writing its file, a finished
// one was just renamed. (The bucket's own sweep is sweep-bucket.ts.)
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../app.js';
import { FAILURE_WINDOW_MS } from '../limits/auth-attempts.js';
import type { Counter } from '../metrics.js';
import { logInfo } from '../log.js';
import { removeIfPresent } from '../video-files.js';
import { recoverUpload } from './recover-upload.js';
import type { Task } from './runner.js';

export const SWEEP_EVERY_MS = 60_000;

export interface SweepAges {
  /**
   * A video or poster file with no video row is removed once this old (lets a just-finished upload settle);
   * the video file of a pending video is recovered once this old (see recover-upload.ts).
   */
  orphanGraceMs: number;
  /** A partial upload untouched this long is abandoned. */
  tempMaxAgeMs: number;
}

export const SWEEP_AGES: SweepAges = { orphanGraceMs: 10 * 60_000, tempMaxAgeMs: 6 * 60 * 60_000 };

export interface StaleFile {
  name: string;
  reason: 'orphan' | 'abandoned upload' | 'unpublished upload';
}

/** Regular files in VIDEO_DIR that are stale at `now`; directories, links and unknown names are left alone. */
export async function* staleFiles(app: App, now: number, ages: SweepAges = SWEEP_AGES): AsyncGenerator<StaleFile> {
  const { dir } = app.videoFiles;
  for await (const entry of await opendir(dir)) {
    if (!entry.isFile()) continue;
    const found = app.videoFiles.classify(entry.name);
    let stale: StaleFile | undefined;
    if (found.kind === 'temp') stale = { name: entry.name, reason: 'abandoned upload' };
    // A resumable upload's bytes live as long as its row; expire-uploads.ts removes both when it expires.
    else if (found.kind === 'resumable') stale = resumableStaleness(app, entry.name, found.videoId, found.uploadId);
    else if (found.kind !== 'unknown') stale = finalFileStaleness(app, entry.name, found.kind, found.videoId);
    if (!stale) continue;
    const maxAgeMs = stale.reason === 'abandoned upload' ? ages.tempMaxAgeMs : ages.orphanGraceMs;
    const modifiedAt = await mtimeMs(join(dir, entry.name));
    if (modifiedAt !== undefined && now - modifiedAt >= maxAgeMs) yield stale;
  }
}

function resumableStaleness(app: App, name: string, videoId: string, uploadId: string): StaleFile | undefined {
  return app.store.resumableUploads.byId(uploadId)?.videoId === videoId ? undefined : { name, reason: 'orphan' };
}

function finalFileStaleness(app: App, name: string, kind: 'video' | 'poster', videoId: string): StaleFile | undefined {
  const video = app.store.videos.byId(videoId);
  // A file moved to the bucket (storage migrate stopped before removing it here, or a poster replaced there).
  if (!video || app.files.remote(videoId, kind)) return { name, reason: 'orphan' };
  return kind === 'video' && video.status === 'pending' ? { name, reason: 'unpublished upload' } : undefined;
}

async function mtimeMs(path: string): Promise<number | undefined> {
  try {
    return (await lstat(path)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function sweepFilesTask(app: App, swept: Counter, ages: SweepAges = SWEEP_AGES): Task<StaleFile> {
  return {
    name: 'sweep-files',
    everyMs: SWEEP_EVERY_MS,
    dispatch: () => staleFiles(app, Date.now(), ages),
    async execute(file) {
      if (file.reason === 'unpublished upload') {
        const local = app.storages.get('local');
        if ((await recoverUpload(app, file.name, { storage: local, key: file.name })) !== 'left alone') swept.inc();
        return;
      }
      await removeIfPresent(join(app.videoFiles.dir, file.name));
      swept.inc();
      logInfo('swept file', { file: file.name, reason: file.reason });
    },
  };
}

/** A task that purges rows once a minute and logs how many went. */
function purgeTask(name: string, what: string, purge: () => number): Task<string> {
  return {
    name,
    everyMs: SWEEP_EVERY_MS,
    async *dispatch() {
      yield what;
    },
    async execute() {
      const purged = purge();
      if (purged > 0) logInfo(`purged ${what}`, { count: purged });
    },
  };
}

export function purgeSessionsTask(app: App): Task<string> {
  return purgeTask('purge-sessions', 'expired sessions', () => app.sessions.purgeExpired());
}

/** Failed sign-ins too old to count, and the leases (upload slots, storage reservations) of processes that died. */
export function purgeLimitsTask(app: App): Task<string> {
  const { signInFailures, uploadSlots, storageReservations } = app.store;
  return purgeTask('purge-limits', 'old sign-in failures and expired upload leases', () => {
    const now = Date.now();
    return signInFailures.purgeBefore(now - FAILURE_WINDOW_MS) + uploadSlots.purgeExpired(now) + storageReservations.purgeExpired(now);
  });
}
