// The only owner of VIDEO_DIR's layout. A video's file is `<uuid>`, its poster `<uuid>.poster`, an upload
// in progress `.<uuid>.<random>.part` and a resumable upload's bytes so far `.<uuid>.<upload-id>.resumable`,
// in the same directory (so the final rename is atomic). Paths are only ever built from a UUID or an upload
// id, never from a URL.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

const FINAL_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\.poster)?$/;
const TEMP_NAME = /^\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[0-9a-f]{16}\.part$/;
const RESUMABLE_NAME = /^\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([0-9a-f]{32})\.resumable$/;
const UPLOAD_ID = /^[0-9a-f]{32}$/;

export type VideoFileKind = 'video' | 'poster';

/** What a name found in VIDEO_DIR is, for the sweeps. */
export type VideoDirEntry =
  | { kind: VideoFileKind; videoId: string }
  | { kind: 'temp'; videoId: string }
  | { kind: 'resumable'; videoId: string; uploadId: string }
  | { kind: 'unknown' };

/** A lowercase UUID, 8-4-4-4-12 hex digits. One pass over the characters: a stream request asks twice (its
 *  URL, then its file's path), and the equivalent regex cost four times as much. */
export function isVideoId(id: string): boolean {
  if (id.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = id.charCodeAt(i);
    const isHyphenPlace = i === 8 || i === 13 || i === 18 || i === 23;
    const isValid = isHyphenPlace ? c === 0x2d : (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66);
    if (!isValid) return false;
  }
  return true;
}

/** A resumable upload's id: 128 random bits, unguessable, so it can name the upload in its URL. */
export function newUploadId(): string {
  return randomBytes(16).toString('hex');
}

export function isUploadId(id: string): boolean {
  return UPLOAD_ID.test(id);
}

export class VideoFiles {
  readonly dir: string;
  readonly #onRemoved: (path: string) => void;

  /** onRemoved hears of every file removeAll removes (so open descriptors of it can be closed). */
  constructor(dir: string, onRemoved: (path: string) => void = () => {}) {
    this.dir = resolve(dir);
    this.#onRemoved = onRemoved;
    mkdirSync(this.dir, { recursive: true });
  }

  /** Throws TypeError for anything but a lowercase UUID, so no other name can reach the filesystem. */
  finalPath(videoId: string, kind: VideoFileKind = 'video'): string {
    // dir is absolute and normalized, the name a UUID: joined as is, without path.join's normalizing (a stream
    // request asks for the path every time).
    return `${this.dir}${sep}${this.fileName(videoId, kind)}`;
  }

  /**
   * The name in VIDEO_DIR of a video's file or poster (the local storage's key for it, and the path nginx is
   * told to send behind X-Accel-Redirect).
   */
  fileName(videoId: string, kind: VideoFileKind): string {
    if (!isVideoId(videoId)) throw new TypeError(`Not a video id: ${JSON.stringify(videoId)}`);
    return kind === 'video' ? videoId : `${videoId}.poster`;
  }

  /** A fresh temporary name beside the final one; every upload attempt gets its own. */
  tempPath(videoId: string): string {
    if (!isVideoId(videoId)) throw new TypeError(`Not a video id: ${JSON.stringify(videoId)}`);
    return join(this.dir, `.${videoId}.${randomBytes(8).toString('hex')}.part`);
  }

  /** Where a resumable upload keeps its bytes until the last one arrives. */
  resumablePath(videoId: string, uploadId: string): string {
    if (!isVideoId(videoId)) throw new TypeError(`Not a video id: ${JSON.stringify(videoId)}`);
    if (!isUploadId(uploadId)) throw new TypeError(`Not an upload id: ${JSON.stringify(uploadId)}`);
    return join(this.dir, `.${videoId}.${uploadId}.resumable`);
  }

  classify(fileName: string): VideoDirEntry {
    const final = FINAL_NAME.exec(fileName);
    if (final) return { kind: final[2] ? 'poster' : 'video', videoId: final[1]! };
    const temp = TEMP_NAME.exec(fileName);
    if (temp) return { kind: 'temp', videoId: temp[1]! };
    const resumable = RESUMABLE_NAME.exec(fileName);
    if (resumable) return { kind: 'resumable', videoId: resumable[1]!, uploadId: resumable[2]! };
    return { kind: 'unknown' };
  }

  /** Removes a video's file and poster; a file that is already gone counts as removed. */
  async removeAll(videoId: string): Promise<void> {
    for (const kind of ['video', 'poster'] as const) await this.remove(videoId, kind);
  }

  async remove(videoId: string, kind: VideoFileKind): Promise<void> {
    const path = this.finalPath(videoId, kind);
    await removeIfPresent(path);
    this.#onRemoved(path);
  }
}

export async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
