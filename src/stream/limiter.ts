// The stream limiter: a bucket of `capacity` tokens. A freed token goes straight to the oldest waiter
// (denoland/std's Semaphore), so a newcomer can never overtake the queue. Invariant: waiting > 0 only
// while inUse === capacity.
import { AsyncQueue } from './async-queue.js';

export interface Token {
  /** Gives the token back; only the first call counts, so every way a response can end may call it. */
  release(): void;
}

/** What /metrics shows of a limiter: slots in use, and acquirers waiting in line. */
export interface LimiterLoad {
  readonly running: number;
  readonly waiting: number;
}

/** A live view of limiter's load (read at each scrape). */
export function loadOf(limiter: Limiter): LimiterLoad {
  return {
    get running() {
      return limiter.inUse;
    },
    get waiting() {
      return limiter.waiting;
    },
  };
}

/** For a wait nothing can call off. */
export const NEVER_ABORTED = new AbortController().signal;

export class Limiter {
  readonly #waiters = new AsyncQueue<Token>();
  #inUse = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`Limiter capacity must be a whole number above 0, got ${capacity}`);
  }

  get inUse(): number {
    return this.#inUse;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /** A token if one is free now, without waiting (and without an AbortSignal to make). */
  tryAcquire(): Token | undefined {
    if (this.#inUse >= this.capacity) return undefined;
    this.#inUse++;
    return this.#newToken();
  }

  /**
   * A token at once if one is free, else the first one freed within waitMs (0 = do not wait), else undefined.
   * Rejects with signal.reason when the signal aborts while waiting, leaving the queue at once.
   */
  acquire(signal: AbortSignal, waitMs: number): Promise<Token | undefined> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const token = this.tryAcquire();
    if (token) return Promise.resolve(token);
    if (waitMs <= 0) return Promise.resolve(undefined);
    return this.#waiters.take(signal, waitMs);
  }

  #newToken(): Token {
    let isHeld = true;
    return {
      release: () => {
        if (!isHeld) return;
        isHeld = false;
        // Hand-off: the slot stays in use, now held by the head waiter (a token is made only for one).
        if (this.#waiters.length === 0 || !this.#waiters.offer(this.#newToken())) this.#inUse--;
      },
    };
  }
}
