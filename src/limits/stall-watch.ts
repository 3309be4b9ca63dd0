// STREAM_STALL_S for responses: one timer for all of them looks at how many bytes the kernel has taken from
// each socket, and cuts a response whose count has not moved for stallMs (the client takes no byte, so the
// socket buffers stay full). Cutting it closes the response, which frees whatever it held (a limiter token).
// Nothing is added per response but its entry here, which the caller forgets when the response closes.
import type { ServerResponse } from 'node:http';

/** A watched response and its progress; forget it when the response closes. */
export interface Watched {
  /** Undefined once forgotten (or cut). */
  res: ServerResponse | undefined;
  bytesTaken: number;
  movedAt: number;
  /** Its place in the watch's array. */
  at: number;
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

const NOT_READ_YET = -1;

export class StallWatch {
  // An array, not a Map keyed by response: under a load of short replies such a Map grew and shrank its table
  // with every burst of requests (a rehash each time). A forgotten entry leaves at once (the last one takes its
  // place): kept until the next check, the entries of the ~10k replies of half a second outlived the young
  // generation and were promoted, to be collected by the costlier old-generation GC.
  readonly #watched: Watched[] = [];
  readonly #checkEveryMs: number;
  readonly #onStall: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly stallMs: number, onStall: () => void = () => {}) {
    // Often enough that a stall is cut within stallMs and two checks, at most a second late.
    this.#checkEveryMs = Math.max(10, Math.min(500, stallMs / 8));
    this.#onStall = onStall;
  }

  get size(): number {
    return this.#watched.length;
  }

  /**
   * Watches res until forget(the entry returned): call it when res closes. Its count is first read by the next
   * check, which takes that as progress: a watch starts before the reply's head, and every stream request makes one.
   */
  watch(res: ServerResponse): Watched {
    const watched: Watched = { res, bytesTaken: NOT_READ_YET, movedAt: Date.now(), at: this.#watched.length };
    this.#watched.push(watched);
    this.#timer ??= setInterval(() => this.#check(), this.#checkEveryMs).unref();
    return watched;
  }

  forget(watched: Watched): void {
    if (watched.res === undefined) return;
    watched.res = undefined;
    const last = this.#watched.pop()!;
    if (last === watched) return;
    this.#watched[watched.at] = last;
    last.at = watched.at;
  }

  #check(): void {
    const now = Date.now();
    // From the end: a cut entry's place is taken by the last one, which was looked at already.
    for (let i = this.#watched.length - 1; i >= 0; i--) {
      const watched = this.#watched[i]!;
      const res = watched.res!;
      const taken = bytesTaken(res) ?? watched.bytesTaken;
      // Before its head a reply may be waiting for a limiter token (STREAM_QUEUE_MS): that is not the client's doing.
      if (taken !== watched.bytesTaken || !res.headersSent) {
        watched.bytesTaken = taken;
        watched.movedAt = now;
      } else if (now - watched.movedAt >= this.stallMs) {
        this.forget(watched);
        this.#onStall();
        res.destroy();
      }
    }
    if (this.#watched.length === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
