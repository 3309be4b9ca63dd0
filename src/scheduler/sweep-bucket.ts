// The bucket's sweeps (STORAGE=s3): objects no stored_files row names once they are older than the orphan grace
// (a video deleted while a crash kept the deletion task from its object, an upload the process died publishing),
// and multipart uploads given up long ago (a crash mid-upload leaves its parts in the bucket, billed, unseen).
// An object is judged by the same rules as a file in VIDEO_DIR: no video -> orphan; the file of a pending video ->
// an unpublished upload to recover; an object whose file is still in VIDEO_DIR is a copy `storage migrate` is making.
import type { App } from '../app.js';
import { logInfo } from '../log.js';
import type { Counter } from '../metrics.js';
import type { FileRef } from '../storage/object-keys.js';
import type { ListedObject, Storage } from '../storage/storage.js';
import { recoverUpload } from './recover-upload.js';
import type { Task } from './runner.js';
import { SWEEP_AGES, SWEEP_EVERY_MS, type SweepAges } from './sweeps.js';

export interface StaleObject {
  key: string;
  ref: FileRef;
  reason: 'orphan' | 'unpublished upload';
}

/** Objects in storage that are stale at `now`. */
export async function* staleObjects(app: App, storage: Storage, now: number, ages: SweepAges = SWEEP_AGES): AsyncGenerator<StaleObject> {
  for await (const object of storage.list()) {
    if (now - object.mtimeMs < ages.orphanGraceMs) continue;
    const reason = await stalenessOf(app, storage, object);
    if (reason) yield { key: object.key, ref: object.ref, reason };
  }
}

async function stalenessOf(app: App, storage: Storage, { key, ref }: ListedObject): Promise<StaleObject['reason'] | undefined> {
  // VIDEO_DIR is asked first: `storage migrate` records the row before it removes the local file, so a file
  // found gone here has its row by the time the row is looked for below.
  const local = app.storages.get('local');
  if (await local.stat(local.keyOf(ref.videoId, ref.kind))) return undefined;
  if (app.store.storedFiles.hasKey(storage.name, key)) return undefined;
  const video = app.store.videos.byId(ref.videoId);
  if (video && ref.kind === 'video' && video.status === 'pending') return 'unpublished upload';
  return 'orphan';
}

export function sweepBucketTask(app: App, storage: Storage, swept: Counter, ages: SweepAges = SWEEP_AGES): Task<StaleObject> {
  return {
    name: 'sweep-bucket',
    everyMs: SWEEP_EVERY_MS,
    dispatch: () => staleObjects(app, storage, Date.now(), ages),
    async execute({ key, ref, reason }) {
      if (reason === 'unpublished upload') {
        if ((await recoverUpload(app, ref.videoId, { storage, key })) !== 'left alone') swept.inc();
        return;
      }
      // Judged again right before: a poster put over the key since the listing is fresh, and has its row.
      const object = await storage.stat(key);
      if (!object || Date.now() - object.mtimeMs < ages.orphanGraceMs || app.store.storedFiles.hasKey(storage.name, key)) return;
      await storage.remove(key);
      swept.inc();
      logInfo('swept object', { key, reason });
    },
  };
}

/** Multipart uploads started over tempMaxAgeMs ago and never finished, unless their video's upload still runs. */
export function abortStaleUploadsTask(app: App, storage: Storage, swept: Counter, ages: SweepAges = SWEEP_AGES): Task<string> {
  return {
    name: 'abort-stale-uploads',
    everyMs: SWEEP_EVERY_MS,
    async *dispatch() {
      yield storage.name;
    },
    async execute() {
      const now = Date.now();
      const aborted = await storage.abortStaleUploads(now - ages.tempMaxAgeMs, (videoId) => app.store.videos.isUploading(videoId, now));
      swept.inc({}, aborted);
      if (aborted > 0) logInfo('aborted stale multipart uploads', { count: aborted });
    },
  };
}
