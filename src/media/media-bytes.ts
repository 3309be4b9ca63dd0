// The bytes of one file as the media readers see them: the first and the last MiB kept in memory, any
// other range read on demand, every read checked against the file's size and counted against a budget
// (reads, bytes, time) so a hostile file cannot make the readers work without end.
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
  /** Bytes read at each end of the file before anything else. */
  endBytes: number;
  /** The largest single range read besides the two ends (one box or element). */
  maxReadBytes: number;
  /** All reads besides the two ends, together. */
  maxTotalBytes: number;
  maxReads: number;
  /** Boxes, elements or pages looked at. */
  maxSteps: number;
  timeLimitMs: number;
}

export const MEDIA_LIMITS: MediaLimits = {
  endBytes: 1024 * 1024,
  maxReadBytes: 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024,
  maxReads: 512,
  maxSteps: 10_000,
  timeLimitMs: 2000,
};

const YIELD_EVERY_CALLS = 256;

export class MediaBytes {
  readonly size: number;
  readonly head: Buffer;
  #tail: Buffer | undefined;
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
    this.#source = source;
    this.#limits = limits;
    this.#deadline = deadline;
  }

  static async open(source: ByteSource, limits: MediaLimits = MEDIA_LIMITS): Promise<MediaBytes> {
    const deadline = Date.now() + limits.timeLimitMs;
    const head = await source.read(0, Math.min(source.size, limits.endBytes));
    return new MediaBytes(source, head, limits, deadline);
  }

  /** The last endBytes of the file (the whole file when it is smaller), read once. */
  async tail(): Promise<{ offset: number; bytes: Buffer }> {
    const offset = Math.max(0, this.size - this.#limits.endBytes);
    if (offset === 0) return { offset, bytes: this.head };
    this.#checkTime();
    this.#tail ??= await this.#source.read(offset, this.size - offset);
    return { offset, bytes: this.#tail };
  }

  /** Exactly [offset, offset + length): throws when the file is shorter or the range is over the budget. */
  async at(offset: number, length: number): Promise<Buffer> {
    // Ranges in memory resolve at once, so a file of many tiny boxes would hold the event loop: let it turn.
    if (++this.#calls % YIELD_EVERY_CALLS === 0) await new Promise((resolve) => setImmediate(resolve));
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new MediaFormatError(`range ${offset}+${length} is outside the file's ${this.size} bytes`);
    }
    if (offset + length <= this.head.length) return this.head.subarray(offset, offset + length);
    // Headers at the end of a file (a moov written last, an Ogg's last pages) come from the tail read.
    const tail = offset >= this.size - this.#limits.endBytes ? await this.tail() : undefined;
    if (tail) return tail.bytes.subarray(offset - tail.offset, offset - tail.offset + length);
    if (length > this.#limits.maxReadBytes) throw new MediaFormatError(`a ${length}-byte header is over the read limit`);
    this.#reads += 1;
    this.#bytesRead += length;
    if (this.#reads > this.#limits.maxReads || this.#bytesRead > this.#limits.maxTotalBytes) throw new MediaFormatError('too many reads');
    this.#checkTime();
    const bytes = await this.#source.read(offset, length);
    if (bytes.length !== length) throw new MediaFormatError('the file changed while it was read');
    return bytes;
  }

  /** Counts one box, element or page; throws once a file has made the readers take too many. */
  step(): void {
    this.#steps += 1;
    if (this.#steps > this.#limits.maxSteps) throw new MediaFormatError('too many boxes, elements or pages');
    if ((this.#steps & 0xff) === 0) this.#checkTime();
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
