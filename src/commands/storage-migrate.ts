// `node dist/main.js storage migrate`: moves the video files and posters still in VIDEO_DIR into the S3 bucket, one
// at a time, while the server runs (already with STORAGE=s3, so new uploads go to the bucket and streams follow each
// file as it moves): copy it, check the object's size, record its row with the local mtime (so its ETag, and every
// cache that holds it, stays valid), then remove the local file. Each file is done or not, so a run stopped anywhere
// is picked up by the next; one line per file is printed as it goes.
import type { Config } from '../config.js';
import { openDatabase } from '../db/open.js';
import { createStore, type Store } from '../db/store.js';
import { openStorages } from '../storage/open-storages.js';
import type { ListedObject, Storage } from '../storage/storage.js';
import { VideoFiles } from '../video-files.js';

const MIB = 1024 * 1024;

export async function migrateStorage(config: Config, say: (line: string) => void): Promise<string> {
  if (config.storage !== 's3') throw new Error('the files move to the S3 bucket: set STORAGE=s3 and the S3_* settings (as the server has them)');
  const db = openDatabase(config.dataDir);
  try {
    const store = createStore(db);
    const storages = await openStorages(config, new VideoFiles(config.videoDir));
    const local = storages.get('local');
    const bucket = storages.current;
    await bucket.ping();
    const files: ListedObject[] = [];
    for await (const file of local.list()) files.push(file);
    files.sort((a, b) => a.key.localeCompare(b.key));
    say(`${files.length} files in ${config.videoDir}`);
    let moved = 0;
    let movedBytes = 0;
    for (const [i, file] of files.entries()) {
      const outcome = await moveFile(store, local, bucket, file);
      if (outcome === 'moved') {
        moved++;
        movedBytes += file.size;
      }
      say(`[${i + 1}/${files.length}] ${file.key} (${formatMiB(file.size)}): ${outcome}`);
    }
    return `moved ${moved} of ${files.length} files (${formatMiB(movedBytes)}) into the bucket`;
  } finally {
    db.close();
  }
}

type Outcome = 'moved' | 'already in the bucket, local copy removed' | 'left alone: no such video' | 'left alone: the video is not ready';

async function moveFile(store: Store, local: Storage, bucket: Storage, file: ListedObject): Promise<Outcome> {
  const { videoId, kind } = file.ref;
  const video = store.videos.byId(videoId);
  // Whatever no video owns (the sweep removes it), or an upload a crash left unpublished (the sweep publishes it).
  if (!video) return 'left alone: no such video';
  if (kind === 'video' && video.status !== 'ready') return 'left alone: the video is not ready';
  if (store.storedFiles.one(videoId, kind)?.storage === bucket.name) {
    // A run stopped between recording the row and removing this copy (or a poster replaced in the bucket since).
    await local.remove(file.key);
    return 'already in the bucket, local copy removed';
  }
  const key = bucket.keyOf(videoId, kind);
  const mime = (kind === 'video' ? video.mime : video.posterMime) ?? 'application/octet-stream';
  const bytes = await local.read(file.key);
  if (!bytes) return 'left alone: no such video';
  const stored = await bucket.put(key, bytes, { maxBytes: file.size, contentType: () => mime });
  if (stored.size !== file.size) {
    await bucket.remove(key);
    throw new Error(`${key}: the bucket holds ${stored.size} bytes of the ${file.size} copied`);
  }
  if (!store.recordMovedFile({ videoId, kind, storage: bucket.name, key, size: file.size, mtimeMs: file.mtimeMs })) {
    await bucket.remove(key);
    return 'left alone: no such video';
  }
  await local.remove(file.key);
  return 'moved';
}

function formatMiB(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}
