// A crash between an upload's storing its file and the UPDATE that marks its video ready leaves a complete video
// file (in VIDEO_DIR, or an object in the bucket) while the video stays pending, and no other sweep would ever
// touch it. The file was stored whole before (fsynced and renamed, or a completed multipart upload whose size was
// checked), so it is published rather than thrown away: the person's upload is not lost. Its container is sniffed
// again first; a file that is not a video goes.
import { randomUUID } from 'node:crypto';
import type { App } from '../app.js';
import { storedFileRow } from '../db/stored-files.js';
import { logInfo } from '../log.js';
import { readStoredMediaInfo } from '../media/media-info.js';
import type { FilePlace } from '../storage/file-places.js';
import { SNIFF_BYTES, sniffContainer } from '../upload/sniff-container.js';

/** Long enough to sniff and stat one file; a crash here only delays a real upload by this much. */
const CLAIM_TTL_MS = 60_000;

export type Recovery = 'published' | 'removed' | 'left alone';

/**
 * Publishes (or removes) the video file at place of a pending video. It takes the video's upload claim first, as
 * an upload would, so no upload can be publishing the same file meanwhile: a live claim means "left alone".
 */
export async function recoverUpload(app: App, videoId: string, { storage, key }: FilePlace): Promise<Recovery> {
  const { videos } = app.store;
  const token = randomUUID();
  if (!videos.claimUpload(videoId, token, Date.now(), CLAIM_TTL_MS)) return 'left alone';
  try {
    const object = await storage.stat(key);
    if (!object) return 'left alone';
    const head = object.size === 0 ? undefined : await storage.read(key, { start: 0, end: Math.min(SNIFF_BYTES, object.size) - 1 });
    const verdict = sniffContainer(head ? Buffer.concat(await head.toArray()) : Buffer.alloc(0), true);
    if (verdict.kind === 'match' && object.size > 0) {
      const ready = { size: object.size, mime: verdict.mime, media: await readStoredMediaInfo(storage, key, object.size) };
      if (app.store.markVideoReady(videoId, ready, storedFileRow(storage.name, videoId, 'video', key, object))) {
        logInfo('recovered upload', { video: videoId, size: object.size, mime: verdict.mime });
        return 'published';
      }
    }
    await storage.remove(key);
    logInfo('removed unpublished upload', { video: videoId });
    return 'removed';
  } finally {
    videos.releaseUploadClaim(videoId, token);
  }
}
