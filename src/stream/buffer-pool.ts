// Read buffers that are used again instead of allocated per chunk: a fresh 1 MiB buffer per read cost about a
// tenth of the event loop's time under 64 streams, and collecting them as much again. A buffer comes back only
// once the socket has taken its bytes (a write's callback); one that never comes back is collected as usual.

/** The sizes buffers come in: a read takes the smallest that fits. */
export const CHUNK_SIZES = [64 * 1024, 256 * 1024, 512 * 1024, 1024 * 1024] as const;

/**
 * Free buffers kept, in bytes. Streams keep theirs while they run, so only ended streams' buffers wait here;
 * under 32 concurrent 1 MiB range requests a budget of 8 buffers per size still allocated (and collected)
 * often: 32 MiB served ~5% more requests than 8 MiB.
 */
const KEPT_BYTES = 32 * 1024 * 1024;

const free = new Map<number, Buffer[]>(CHUNK_SIZES.map((size) => [size, []]));
let freeBytes = 0;

/** A buffer of at least `bytes` bytes (at most the largest chunk size); its content is whatever was there. */
export function takeBuffer(bytes: number): Buffer {
  const size = CHUNK_SIZES.find((candidate) => candidate >= bytes);
  if (size === undefined) throw new RangeError(`No read buffer holds ${bytes} bytes`);
  const buffer = free.get(size)!.pop();
  if (!buffer) return Buffer.allocUnsafeSlow(size);
  freeBytes -= size;
  return buffer;
}

/** Gives a buffer from takeBuffer back; nothing may still read or write it. */
export function giveBuffer(buffer: Buffer): void {
  const list = free.get(buffer.length);
  if (!list || freeBytes + buffer.length > KEPT_BYTES) return;
  list.push(buffer);
  freeBytes += buffer.length;
}
