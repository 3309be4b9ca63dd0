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

/** The free buffers of one size, and when a buffer of that size was last asked for (the pool's clock). */
interface Shelf {
  size: number;
  buffers: Buffer[];
  takenAt: number;
}

const shelves: Shelf[] = CHUNK_SIZES.map((size) => ({ size, buffers: [], takenAt: 0 }));
let freeBytes = 0;
let clock = 0;

/** A buffer of at least `bytes` bytes (at most the largest chunk size); its content is whatever was there. */
export function takeBuffer(bytes: number): Buffer {
  const shelf = shelves.find((candidate) => candidate.size >= bytes);
  if (shelf === undefined) throw new RangeError(`No read buffer holds ${bytes} bytes`);
  shelf.takenAt = ++clock;
  const buffer = shelf.buffers.pop();
  if (!buffer) return Buffer.allocUnsafeSlow(shelf.size);
  freeBytes -= shelf.size;
  return buffer;
}

/** Gives a buffer from takeBuffer back; nothing may still read or write it. */
export function giveBuffer(buffer: Buffer): void {
  const shelf = shelves.find((candidate) => candidate.size === buffer.length);
  if (!shelf) return;
  if (freeBytes + shelf.size > KEPT_BYTES) makeRoom(shelf);
  if (freeBytes + shelf.size > KEPT_BYTES) return;
  shelf.buffers.push(buffer);
  freeBytes += shelf.size;
}

/**
 * Drops free buffers of sizes asked for less lately than shelf's, the stalest first, until one of shelf's fits.
 * Without this the budget stayed full of whatever the last load left: after 100 slow streams had ended (28 MiB
 * of 64 and 256 KiB buffers), the next load's 1 MiB buffers found no room, and nearly each of its reads
 * allocated one (the bench's full run: server CPU per 1 MiB range 1.4x what it was in B alone).
 */
function makeRoom(shelf: Shelf): void {
  while (freeBytes + shelf.size > KEPT_BYTES) {
    let stalest: Shelf | undefined;
    for (const other of shelves) {
      if (other.buffers.length > 0 && other.takenAt < shelf.takenAt && (!stalest || other.takenAt < stalest.takenAt)) stalest = other;
    }
    if (!stalest) return;
    stalest.buffers.pop();
    freeBytes -= stalest.size;
  }
}
