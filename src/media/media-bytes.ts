// The bytes of one file as the media readers see them: the first and the last 64 KiB (read together: a camera's
// moov and an Ogg stream's last page are most often in the tail), and any range read on demand, whole regions
// (a moov box, a window around a box header) kept in memory once read. Every read is checked against the
// file's size and counted against a budget (reads, bytes, steps, time), so a hostile file cannot make the
// readers work without end.

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
  /** The end of the file read with the head (counted against maxTotalBytes like any later read). */
  tailBytes: number;
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
  tailBytes: 64 * 1024,
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

  /** Reads the head and the tail in one round trip; a file not much larger than both is read whole as its head. */
  static async open(source: ByteSource, limits: MediaLimits = MEDIA_LIMITS): Promise<MediaBytes> {
    const deadline = Date.now() + limits.timeLimitMs;
    const { size } = source;
    const headLength = size <= limits.headBytes + limits.tailBytes ? size : limits.headBytes;
    const tailStart = size - limits.tailBytes;
    const [head, tail] = await allSettled([source.read(0, headLength), headLength < size ? source.read(tailStart, size - tailStart) : undefined]);
    const bytes = new MediaBytes(source, head!, limits, deadline);
    if (tail) bytes.#regions.push({ offset: tailStart, bytes: tail });
    bytes.#count(Math.max(0, headLength - limits.headBytes) + (tail?.length ?? 0), tail ? 1 : 0);
    if (head!.length !== headLength || (tail && tail.length !== size - tailStart)) throw new MediaFormatError('the file changed while it was read');
    return bytes;
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

  /** What is in memory already of [offset, offset + length): all, a start of it, or nothing. */
  held(offset: number, length: number): Buffer {
    const region = this.#regions.find((r) => offset >= r.offset && offset < r.offset + r.bytes.length);
    if (!region) return Buffer.alloc(0);
    const start = offset - region.offset;
    return region.bytes.subarray(start, start + Math.max(0, length));
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
    // A small read (a box or element header, a small box) reads on: the headers that follow it are most often
    // next to it (a large moov's trak headers between its sample tables), and each read is a round trip to
    // the threadpool. It reads ahead the byte budget over the read budget (16 KiB), and never past what is
    // left of the byte budget, so the budgets bound the same work as before.
    const { maxTotalBytes, maxReads, maxReadBytes } = this.#limits;
    const readAhead = Math.min(Math.floor(maxTotalBytes / maxReads), maxTotalBytes - this.#bytesRead, maxReadBytes, this.size - offset);
    const readLength = Math.max(length, readAhead);
    this.#count(readLength, 1);
    this.#checkTime();
    const bytes = await this.#source.read(offset, readLength);
    if (bytes.length !== readLength) throw new MediaFormatError('the file changed while it was read');
    if (readLength === length) return bytes;
    this.#regions.push({ offset, bytes });
    return bytes.subarray(0, length);
  }

  #count(bytes: number, reads: number): void {
    this.#reads += reads;
    this.#bytesRead += bytes;
    if (this.#reads > this.#limits.maxReads || this.#bytesRead > this.#limits.maxTotalBytes) throw new MediaFormatError('too many reads');
  }

  #checkTime(): void {
    if (Date.now() > this.#deadline) throw new MediaFormatError('reading the headers took too long');
  }
}

/**
 * Waits for every read to settle before it throws the first failure: a read still under way must not outlive
 * the reading, whose caller then closes the file (and its descriptor number may be reused).
 */
async function allSettled<T>(reads: (Promise<T> | undefined)[]): Promise<(T | undefined)[]> {
  const settled = await Promise.allSettled(reads);
  return settled.map((result) => {
    if (result.status === 'rejected') throw result.reason;
    return result.value;
  });
}
