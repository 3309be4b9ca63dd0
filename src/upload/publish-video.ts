// The last step of every video upload, plain or resumable: a complete, sniffed file in VIDEO_DIR becomes
// the video's file, what its headers say is read, and the video becomes ready. One function, so whatever publishing grows to do holds for
// every upload route alike.
import type { App } from '../app.js';
import { notFound } from '../http/errors.js';
import { readMediaInfo } from '../media/media-info.js';
import { removeIfPresent } from '../video-files.js';
import type { ReceivedFile } from './receive-file.js';
import { moveIntoPlace } from './temp-file.js';

/** The upload's claim on its video: confirm() throws (409/404) once the claim is no longer the upload's. */
export interface PublishClaim {
  confirm(): void;
}

/**
 * Reads the media info of the file at tempPath, moves it into place and marks the video ready. On failure
 * no file of it is left at the final path, the video stays pending, and tempPath is the caller's to remove.
 */
export async function publishVideo(app: App, videoId: string, tempPath: string, file: ReceivedFile, claim: PublishClaim): Promise<void> {
  const finalPath = app.videoFiles.finalPath(videoId);
  const media = await readMediaInfo(tempPath);
  // The claim must still be ours right before the file is published, or two uploads could both publish.
  claim.confirm();
  try {
    await moveIntoPlace(tempPath, finalPath);
    // Only a pending row changes: false now means the video was deleted in the meantime.
    if (!app.store.markVideoReady(videoId, { ...file, media })) throw notFound('video');
  } catch (error) {
    // Only the claim's holder publishes, so while the claim is held a file at finalPath is ours to remove.
    await removeIfPresent(finalPath);
    throw error;
  }
}
