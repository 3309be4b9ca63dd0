// A crash between an upload's final rename and the UPDATE that marks its video ready leaves a complete
// video file under its final name while the video stays pending, and no other sweep would ever touch it.
// The file was written whole and fsynced before the rename, so it is published rather than thrown away:
// the person's upload is not lost. Its container is sniffed again first; a file that is not a video goes.
import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { App } from '../app.js';
import { logInfo } from '../log.js';
import { readMediaInfo } from '../media/media-info.js';
import { SNIFF_BYTES, sniffContainer } from '../upload/sniff-container.js';
import { removeIfPresent } from '../video-files.js';

/** Long enough to sniff and stat one file; a crash here only delays a real upload by this much. */
const CLAIM_TTL_MS = 60_000;

export type Recovery = 'published' | 'removed' | 'left alone';

/**
 * Publishes (or removes) the final file of a pending video. It takes the video's upload claim first, as an
 * upload would, so no upload can be publishing the same file meanwhile: a live claim means "left alone".
 */
export async function recoverUpload(app: App, videoId: string): Promise<Recovery> {
  const { videos } = app.store;
  const token = randomUUID();
  if (!videos.claimUpload(videoId, token, Date.now(), CLAIM_TTL_MS)) return 'left alone';
  try {
    const path = app.videoFiles.finalPath(videoId);
    const file = await open(path, 'r');
    let size: number;
    let head: Buffer;
    try {
      size = (await file.stat()).size;
      const { buffer, bytesRead } = await file.read({ buffer: Buffer.alloc(SNIFF_BYTES), position: 0 });
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
    const verdict = sniffContainer(head, true);
    if (verdict.kind === 'match' && size > 0 && videos.markReady(videoId, { size, mime: verdict.mime, media: await readMediaInfo(path) })) {
      logInfo('recovered upload', { video: videoId, size, mime: verdict.mime });
      return 'published';
    }
    await removeIfPresent(path);
    logInfo('removed unpublished upload', { video: videoId });
    return 'removed';
  } finally {
    videos.releaseUploadClaim(videoId, token);
  }
}
