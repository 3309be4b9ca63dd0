// The media backfill: ready videos whose files no reader (or an older one) has read get their duration,
// size and codecs read in the background, a bounded batch per run, so videos uploaded before the media
// reader existed show them too, wherever their files are (VIDEO_DIR or a bucket). A file that cannot be read (or
// is gone) is recorded with nulls and not tried again.
import type { App } from '../app.js';
import { readStoredMediaInfo } from '../media/media-info.js';
import type { Task } from './runner.js';

export const MEDIA_BATCH_SIZE = 50;

export function readMediaTask(app: App): Task<string> {
  return {
    name: 'read-media',
    async *dispatch() {
      yield* app.store.videos.unreadMedia(MEDIA_BATCH_SIZE);
    },
    async execute(videoId) {
      const { storage, key } = app.files.of(videoId, 'video');
      app.store.videos.setMedia(videoId, await readStoredMediaInfo(storage, key));
    },
  };
}
