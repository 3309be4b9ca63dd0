// Read buffers that are used again instead of allocated per chunk: a fresh 1 MiB buffer per read cost about a
// tenth of the event loop's time under 64 streams, and collecting them as much again. A buffer comes back only
// once the socket has taken its bytes (a write's callback); one that never comes back is collected as usual.

/** The sizes buffers come in: a read takes the smallest that fits. */
export const CHUNK_SIZES = [64 * 1024, 256 * 1024, 512 * 1024, 1024 * 1024] as const;

/** Free buffers kept per size: streams keep theirs in use, so only ended streams' buffers wait here. */
const KEPT_PER_SIZE = 8;

const free = new Map<number, Buffer[]>(CHUNK_SIZES.map((size) => [size, []]));

/** A buffer of at least `bytes` bytes (at most the largest chunk size); its content is whatever was there. */
export function takeBuffer(bytes: number): Buffer {
  const size = CHUNK_SIZES.find((candidate) => candidate >= bytes);
  if (size === undefined) throw new RangeError(`No read buffer holds ${bytes} bytes`);
  return free.get(size)!.pop() ?? Buffer.allocUnsafeSlow(size);
}

/** Gives a buffer from takeBuffer back; nothing may still read or write it. */
export function giveBuffer(buffer: Buffer): void {
  const list = free.get(buffer.length);
  if (list && list.length < KEPT_PER_SIZE) list.push(buffer);
}
