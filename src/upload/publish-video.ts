// The last step of every video upload, plain or resumable: the video's bytes are stored where STORAGE says
// (streamed in, or a complete resumable file moved there), what their headers say is read, and the video becomes
// ready together with the record of where its file is. One function, so whatever publishing grows to do holds for
// every upload route alike.
import type { App } from '../app.js';
import { storedFileRow } from '../db/stored-files.js';
import { notFound } from '../http/errors.js';
import { logError } from '../log.js';
import { readStoredMediaInfo } from '../media/media-info.js';
import type { Storage } from '../storage/storage.js';
import type { ReceivedFile, StoredUpload } from './receive-file.js';

/** The upload's claim on its video: confirm() throws (409/404) once the claim is no longer the upload's. */
export interface PublishClaim {
  confirm(): void;
}

/**
 * Stores the video's bytes with store (which leaves nothing stored when it fails), reads their media info and
 * marks the video ready. The video turns ready only after the storage has confirmed the object's size (see
 * Storage.put); on any failure no object of it is left and the video stays pending.
 */
export async function publishVideo(
  app: App,
  videoId: string,
  claim: PublishClaim,
  store: (storage: Storage, key: string) => Promise<StoredUpload>,
): Promise<ReceivedFile> {
  const storage = app.storages.current;
  const key = storage.keyOf(videoId, 'video');
  const { file, stored } = await store(storage, key);
  try {
    const media = await readStoredMediaInfo(storage, key, stored.size);
    // The claim must still be ours right before the file is published, or two uploads could both publish.
    claim.confirm();
    // Only a pending row changes: false now means the video was deleted in the meantime.
    if (!app.store.markVideoReady(videoId, { ...file, media }, storedFileRow(storage.name, videoId, 'video', key, stored))) throw notFound('video');
  } catch (error) {
    // Only the claim's holder publishes, so while the claim is held the object at key is ours to remove. If the
    // storage cannot even do that, the sweep removes (or, for a pending video, publishes) it later.
    await storage.remove(key).catch((removeError: unknown) => logError('removing an unpublished upload failed', removeError, { video: videoId, key }));
    throw error;
  }
  return file;
}
