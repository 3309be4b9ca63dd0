// STREAM_STALL_S for responses: one timer for all of them looks at how many bytes the kernel has taken from
// each socket, and cuts a response whose count has not moved for stallMs (the client takes no byte, so the
// socket buffers stay full). Cutting it closes the response, which frees whatever it held (a limiter token).
// Nothing is added per response but its entry here, which the caller forgets when the response closes.
import type { ServerResponse } from 'node:http';

interface Progress {
  bytesTaken: number;
  movedAt: number;
}

/**
 * socket.bytesWritten counts a write once it is handed to libuv (and node's own buffer besides); libuv's queue
 * (the handle's writeQueueSize, which node's net.js reads too) holds what the kernel has not taken yet. Only
 * their difference moves at the client's pace: a 64 KiB chunk to a 1 KiB/s client takes a minute to hand over.
 */
function bytesTaken(res: ServerResponse): number | undefined {
  const socket = res.socket as (ServerResponse['socket'] & { _handle?: { writeQueueSize?: number } }) | null;
  if (!socket) return undefined;
  return socket.bytesWritten - socket.writableLength - (socket._handle?.writeQueueSize ?? 0);
}

export class StallWatch {
  readonly #watched = new Map<ServerResponse, Progress>();
  readonly #checkEveryMs: number;
  readonly #onStall: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly stallMs: number, onStall: () => void = () => {}) {
    // Often enough that a stall is cut within stallMs and two checks, at most a second late.
    this.#checkEveryMs = Math.max(10, Math.min(500, stallMs / 8));
    this.#onStall = onStall;
  }

  get size(): number {
    return this.#watched.size;
  }

  /** Watches res until forget(res): call it when res closes. */
  watch(res: ServerResponse): void {
    this.#watched.set(res, { bytesTaken: bytesTaken(res) ?? 0, movedAt: Date.now() });
    this.#timer ??= setInterval(() => this.#check(), this.#checkEveryMs).unref();
  }

  forget(res: ServerResponse): void {
    this.#watched.delete(res);
  }

  #check(): void {
    const now = Date.now();
    for (const [res, progress] of this.#watched) {
      const taken = bytesTaken(res) ?? progress.bytesTaken;
      // Before its head a reply may be waiting for a limiter token (STREAM_QUEUE_MS): that is not the client's doing.
      if (taken !== progress.bytesTaken || !res.headersSent) {
        progress.bytesTaken = taken;
        progress.movedAt = now;
      } else if (now - progress.movedAt >= this.stallMs) {
        this.#watched.delete(res);
        this.#onStall();
        res.destroy();
      }
    }
    if (this.#watched.size === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
