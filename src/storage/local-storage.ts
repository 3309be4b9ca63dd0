// The local-disk driver: files in VIDEO_DIR, laid out by video-files.ts (the key is the file's name there).
// A put streams into a temporary file beside the final one, fsyncs it, renames it into place and fsyncs the
// directory, so a file appears under its name only complete and on disk.
import { constants } from 'node:fs';
import { access, lstat, open, opendir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { moveIntoPlace, writeNewFile } from '../upload/temp-file.js';
import { removeIfPresent, type VideoFileKind, type VideoFiles } from '../video-files.js';
import type { FileRef } from './object-keys.js';
import { checkRange, limitBytes, type ByteRange, type ListedObject, type PutOptions, type Storage, type StoredObject } from './storage.js';

export class LocalStorage implements Storage {
  readonly name = 'local';
  readonly #files: VideoFiles;

  constructor(files: VideoFiles) {
    this.#files = files;
  }

  keyOf(videoId: string, kind: VideoFileKind): string {
    return this.#files.fileName(videoId, kind);
  }

  async put(key: string, source: AsyncIterable<Buffer>, options: PutOptions): Promise<StoredObject> {
    const { videoId } = this.#refOf(key);
    const tempPath = this.#files.tempPath(videoId);
    await writeNewFile(limitBytes(source, options.maxBytes), tempPath, options.signal);
    try {
      await moveIntoPlace(tempPath, this.pathOf(key));
    } catch (error) {
      await removeIfPresent(tempPath);
      throw error;
    }
    return (await this.stat(key))!;
  }

  async putFile(key: string, path: string): Promise<StoredObject> {
    await moveIntoPlace(path, this.pathOf(key));
    return (await this.stat(key))!;
  }

  async read(key: string, range?: ByteRange, signal?: AbortSignal): Promise<Readable | undefined> {
    if (range) checkRange(range);
    const file = await openIfPresent(this.pathOf(key));
    if (!file) return undefined;
    try {
      const { size } = await file.stat();
      const bytes = range ? resolveRange(range, size) : { start: 0 };
      if (!bytes) throw new RangeError(`Range ${JSON.stringify(range)} starts past the end of ${key} (${size} bytes)`);
      const stream = file.createReadStream({ ...bytes, autoClose: true });
      return signal ? addAbortSignal(signal, stream) : stream;
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    return statIfPresent(this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    const { videoId, kind } = this.#refOf(key);
    await this.#files.remove(videoId, kind);
  }

  async *list(): AsyncGenerator<ListedObject> {
    for await (const entry of await opendir(this.#files.dir)) {
      const found = this.#files.classify(entry.name);
      if (!entry.isFile() || (found.kind !== 'video' && found.kind !== 'poster')) continue;
      const stat = await statIfPresent(join(this.#files.dir, entry.name));
      if (stat) yield { key: entry.name, ref: { videoId: found.videoId, kind: found.kind }, ...stat };
    }
  }

  async abortStaleUploads(before: number, isUploading: (videoId: string) => boolean = () => false): Promise<number> {
    let removed = 0;
    for await (const entry of await opendir(this.#files.dir)) {
      const found = this.#files.classify(entry.name);
      if (!entry.isFile() || found.kind !== 'temp' || isUploading(found.videoId)) continue;
      const path = join(this.#files.dir, entry.name);
      const stat = await statIfPresent(path);
      if (stat && stat.mtimeMs < before) {
        await removeIfPresent(path);
        removed++;
      }
    }
    return removed;
  }

  async ping(): Promise<void> {
    await access(this.#files.dir, constants.R_OK | constants.W_OK);
  }

  pathOf(key: string): string {
    const { videoId, kind } = this.#refOf(key);
    return this.#files.finalPath(videoId, kind);
  }

  /** Only names video-files.ts made reach the filesystem: anything else is a TypeError. */
  #refOf(key: string): FileRef {
    const found = this.#files.classify(key);
    if (found.kind !== 'video' && found.kind !== 'poster') throw new TypeError(`Not a video file name: ${JSON.stringify(key)}`);
    return { videoId: found.videoId, kind: found.kind };
  }
}

/** The first and last byte of range in a file of size bytes, or undefined when it starts at or past the end. */
function resolveRange(range: ByteRange, size: number): { start: number; end: number } | undefined {
  if ('suffix' in range) return size === 0 ? undefined : { start: Math.max(0, size - range.suffix), end: size - 1 };
  if (range.start >= size) return undefined;
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

async function openIfPresent(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function statIfPresent(path: string): Promise<StoredObject | undefined> {
  try {
    const stat = await lstat(path);
    return stat.isFile() ? { size: stat.size, mtimeMs: stat.mtimeMs } : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
