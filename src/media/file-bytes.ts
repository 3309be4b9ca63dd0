// A file on this machine as a ByteSource: plain fs calls on a descriptor, each one round trip to libuv's
// threadpool (no FileHandle), read into 64 KiB slabs that are reused from one reading to the next. Every upload
// reads a head and a tail: new 64 KiB buffers each time made the garbage collector run every few dozen
// readings, and on a busy machine those pauses were most of the slowest readings.
import { close, fstat, open, read } from 'node:fs';
import { logError } from '../log.js';
import type { ByteSource } from './media-bytes.js';

const SLAB_BYTES = 64 * 1024;
/** Slabs kept between readings: enough for a few at once (uploads and the backfill), 512 KiB at most. */
const MAX_FREE_SLABS = 8;
const freeSlabs: Buffer[] = [];

export interface FileBytes extends ByteSource {
  /**
   * Closes the file (without waiting: a failure is logged) and gives its slabs back, so nothing read may be
   * used after. Call it once, when no read is under way.
   */
  release(): void;
}

/** The file at path, open for reading; size, when the caller knows it, saves asking the file. */
export async function openFileBytes(path: string, size?: number): Promise<FileBytes> {
  const fd = await new Promise<number>((resolve, reject) => open(path, 'r', (error, opened) => (error ? reject(error) : resolve(opened))));
  const closeFile = () => close(fd, (error) => error && logError('media info: closing the file failed', error, { path }));
  try {
    return fileBytes(fd, size ?? (await sizeOf(fd)), closeFile);
  } catch (error) {
    closeFile();
    throw error;
  }
}

function fileBytes(fd: number, size: number, closeFile: () => void): FileBytes {
  const slabs: Buffer[] = [];
  let slabUsed = SLAB_BYTES;
  let isReleased = false;
  // Reads of up to a slab share slabs; a larger one (a whole moov) has its own buffer.
  const bufferFor = (length: number): Buffer => {
    if (length > SLAB_BYTES) return Buffer.allocUnsafeSlow(length);
    if (SLAB_BYTES - slabUsed < length) {
      slabs.push(freeSlabs.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES));
      slabUsed = 0;
    }
    slabUsed += length;
    return slabs.at(-1)!.subarray(slabUsed - length, slabUsed);
  };
  return {
    size,
    async read(offset, length) {
      if (isReleased) throw new Error('the file was released');
      const buffer = bufferFor(length);
      let filled = 0;
      while (filled < length) {
        const bytesRead = await readAt(fd, buffer, filled, length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
    release() {
      if (isReleased) return;
      isReleased = true;
      closeFile();
      for (const slab of slabs) if (freeSlabs.length < MAX_FREE_SLABS) freeSlabs.push(slab);
    },
  };
}

function sizeOf(fd: number): Promise<number> {
  return new Promise((resolve, reject) => fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats.size))));
}

function readAt(fd: number, buffer: Buffer, at: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => read(fd, buffer, at, length, position, (error, bytesRead) => (error ? reject(error) : resolve(bytesRead))));
}
