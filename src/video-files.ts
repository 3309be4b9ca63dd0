// The only owner of VIDEO_DIR's layout. A video's file is `<uuid>`, its poster `<uuid>.poster`, and an
// upload in progress `.<uuid>.<random>.part` in the same directory (so the final rename is atomic).
// Paths are only ever built from a UUID, never from a URL.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FINAL_NAME = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\.poster)?$/;
const TEMP_NAME = /^\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.[0-9a-f]{16}\.part$/;

export type VideoFileKind = 'video' | 'poster';

/** What a name found in VIDEO_DIR is, for the sweeps. */
export type VideoDirEntry =
  | { kind: VideoFileKind; videoId: string }
  | { kind: 'temp'; videoId: string }
  | { kind: 'unknown' };

export function isVideoId(id: string): boolean {
  return UUID.test(id);
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
    return join(this.dir, this.fileName(videoId, kind));
  }

  /** The name in VIDEO_DIR of a video's file or poster (the local storage's key for it). */
  fileName(videoId: string, kind: VideoFileKind): string {
    if (!isVideoId(videoId)) throw new TypeError(`Not a video id: ${JSON.stringify(videoId)}`);
    return kind === 'video' ? videoId : `${videoId}.poster`;
  }

  /** A fresh temporary name beside the final one; every upload attempt gets its own. */
  tempPath(videoId: string): string {
    if (!isVideoId(videoId)) throw new TypeError(`Not a video id: ${JSON.stringify(videoId)}`);
    return join(this.dir, `.${videoId}.${randomBytes(8).toString('hex')}.part`);
  }

  classify(fileName: string): VideoDirEntry {
    const final = FINAL_NAME.exec(fileName);
    if (final) return { kind: final[2] ? 'poster' : 'video', videoId: final[1]! };
    const temp = TEMP_NAME.exec(fileName);
    if (temp) return { kind: 'temp', videoId: temp[1]! };
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
