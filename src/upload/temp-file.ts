// Files that appear under their final name only when complete and on disk: stream into a temporary file
// beside the final one, fsync it, rename it (atomic within one filesystem), fsync the directory.
import { createWriteStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { removeIfPresent } from '../video-files.js';
import { syncToDisk } from './disk-syncs.js';

// Large writes: the stream gathers request chunks into writev calls of up to this many bytes.
const WRITE_BUFFER_BYTES = 1024 * 1024;

/**
 * Streams source into a new file at path (which must not exist) with backpressure, and fsyncs it.
 * On any failure, an abort by signal included, the file is closed and removed before this rejects.
 */
export async function writeNewFile(source: AsyncIterable<Buffer>, path: string, signal?: AbortSignal): Promise<void> {
  const file = createWriteStream(path, { flags: 'wx', highWaterMark: WRITE_BUFFER_BYTES });
  try {
    await pipeline(source, file, { signal });
    await syncPath(path);
  } catch (error) {
    // The stream may still be opening: wait until it has closed, or the unlink could come first.
    if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
    await removeIfPresent(path);
    throw error;
  }
}

/** Renames a finished temp file over finalPath, then fsyncs the directory so the new name survives a power cut. */
export async function moveIntoPlace(tempPath: string, finalPath: string): Promise<void> {
  await rename(tempPath, finalPath);
  await syncPath(dirname(finalPath));
}

/**
 * fsyncs the file at path (a descriptor of its own is enough: an fsync writes out all of the file), or the
 * directory, so that the names created in or renamed into it survive a power cut.
 */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await syncToDisk(handle);
  } finally {
    await handle.close();
  }
}
