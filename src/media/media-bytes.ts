// The bytes of one file as the media readers see them: the first 64 KiB, and any range read on demand,
// whole regions (a moov box, the file's tail) kept in memory once read. Every read is checked against the
// file's size and counted against a budget (reads, bytes, steps, time), so a hostile file cannot make the
// readers work without end.
import type { FileHandle } from 'node:fs/promises';

/** Random access to a file's bytes: a local file today, anything with ranged reads tomorrow. */
export interface ByteSource {
  readonly size: number;
  /** The bytes [offset, offset + length), fewer only where the file ends. */
  read(offset: number, length: number): Promise<Buffer>;
}

/** The file is not what its headers claim, or would cost more than the budget to read. */
export class MediaFormatError extends Error {
  override readonly name = 'MediaFormatError';
}

export interface MediaLimits {
  headBytes: number;
  /** The largest single read (a region kept whole, one box or element). */
  maxReadBytes: number;
  /** All reads after the head, together. */
  maxTotalBytes: number;
  maxReads: number;
  /** Boxes, elements or pages looked at. */
  maxSteps: number;
  timeLimitMs: number;
}

export const MEDIA_LIMITS: MediaLimits = {
  headBytes: 64 * 1024,
  maxReadBytes: 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024,
  maxReads: 512,
  maxSteps: 10_000,
  timeLimitMs: 2000,
};

const YIELD_EVERY_CALLS = 256;

interface Region {
  offset: number;
  bytes: Buffer;
}

export class MediaBytes {
  readonly size: number;
  readonly head: Buffer;
  readonly #regions: Region[];
  readonly #source: ByteSource;
  readonly #limits: MediaLimits;
  readonly #deadline: number;
  #reads = 0;
  #bytesRead = 0;
  #steps = 0;
  #calls = 0;

  private constructor(source: ByteSource, head: Buffer, limits: MediaLimits, deadline: number) {
    this.size = source.size;
    this.head = head;
    this.#regions = [{ offset: 0, bytes: head }];
    this.#source = source;
    this.#limits = limits;
    this.#deadline = deadline;
  }

  static async open(source: ByteSource, limits: MediaLimits = MEDIA_LIMITS): Promise<MediaBytes> {
    const deadline = Date.now() + limits.timeLimitMs;
    const head = await source.read(0, Math.min(source.size, limits.headBytes));
    return new MediaBytes(source, head, limits, deadline);
  }

  /** Exactly [offset, offset + length): throws when the file is shorter or the range is over the budget. */
  async at(offset: number, length: number): Promise<Buffer> {
    // Ranges in memory resolve at once, so a file of many tiny boxes would hold the event loop: let it turn.
    if (++this.#calls % YIELD_EVERY_CALLS === 0) await new Promise((resolve) => setImmediate(resolve));
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new MediaFormatError(`range ${offset}+${length} is outside the file's ${this.size} bytes`);
    }
    const region = this.#regions.find((r) => offset >= r.offset && offset + length <= r.offset + r.bytes.length);
    if (region) return region.bytes.subarray(offset - region.offset, offset - region.offset + length);
    return this.#read(offset, length);
  }

  /** Reads [offset, offset + length) once so that every later `at` inside it is served from memory. */
  async keep(offset: number, length: number): Promise<void> {
    const bytes = await this.at(offset, Math.min(length, this.size - offset));
    this.#regions.push({ offset, bytes });
  }

  /** The last `length` bytes of the file (all of it when it is smaller), kept. */
  async tail(length: number): Promise<Region> {
    const offset = Math.max(0, this.size - length);
    await this.keep(offset, this.size - offset);
    return this.#regions.at(-1)!;
  }

  /** Counts one box, element or page; throws once a file has made the readers take too many. */
  step(): void {
    this.#steps += 1;
    if (this.#steps > this.#limits.maxSteps) throw new MediaFormatError('too many boxes, elements or pages');
    if ((this.#steps & 0xff) === 0) this.#checkTime();
  }

  async #read(offset: number, length: number): Promise<Buffer> {
    if (length > this.#limits.maxReadBytes) throw new MediaFormatError(`a ${length}-byte read is over the limit`);
    this.#reads += 1;
    this.#bytesRead += length;
    if (this.#reads > this.#limits.maxReads || this.#bytesRead > this.#limits.maxTotalBytes) throw new MediaFormatError('too many reads');
    this.#checkTime();
    const bytes = await this.#source.read(offset, length);
    if (bytes.length !== length) throw new MediaFormatError('the file changed while it was read');
    return bytes;
  }

  #checkTime(): void {
    if (Date.now() > this.#deadline) throw new MediaFormatError('reading the headers took too long');
  }
}

export function fileByteSource(handle: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset, length) {
      const buffer = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return buffer.subarray(0, filled);
    },
  };
}
