// The only owner of the bucket's layout: S3_PREFIX + `videos/<uuid>` and `posters/<uuid>`. Keys are only ever
// built from a UUID; names found in the bucket that do not fit are someone else's and left alone.
import { isVideoId, type VideoFileKind } from '../video-files.js';

const FOLDER: Record<VideoFileKind, string> = { video: 'videos/', poster: 'posters/' };

/** What a stored key names: a video's file or poster. */
export interface FileRef {
  videoId: string;
  kind: VideoFileKind;
}

export class ObjectKeys {
  /** Empty, or ends with "/": `moviedash` and `moviedash/` both put objects under `moviedash/`. */
  readonly prefix: string;

  constructor(prefix: string) {
    const trimmed = prefix.replace(/^\/+/, '');
    this.prefix = trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
  }

  /** Throws TypeError for anything but a lowercase UUID. */
  keyOf(videoId: string, kind: VideoFileKind): string {
    if (!isVideoId(videoId)) throw new TypeError(`Not a video id: ${JSON.stringify(videoId)}`);
    return `${this.prefix}${FOLDER[kind]}${videoId}`;
  }

  /** The file a key names, or undefined for a key outside the layout. */
  refOf(key: string): FileRef | undefined {
    if (!key.startsWith(this.prefix)) return undefined;
    const rest = key.slice(this.prefix.length);
    for (const kind of ['video', 'poster'] as const) {
      const videoId = rest.slice(FOLDER[kind].length);
      if (rest.startsWith(FOLDER[kind]) && isVideoId(videoId)) return { videoId, kind };
    }
    return undefined;
  }
}
