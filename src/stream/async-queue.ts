// A FIFO of waiting consumers: `take` waits for a value, `offer` hands one straight to the oldest waiter.
// Waiters live in a doubly linked list, so one that times out or is aborted leaves from anywhere in O(1).

interface Waiter<T> {
  prev: Waiter<T> | undefined;
  next: Waiter<T> | undefined;
  settle(value: T | undefined): void;
}

export class AsyncQueue<T> {
  #head: Waiter<T> | undefined;
  #tail: Waiter<T> | undefined;
  #length = 0;

  /** How many consumers are waiting. */
  get length(): number {
    return this.#length;
  }

  /**
   * Resolves with the next offered value, or undefined after timeoutMs; rejects with signal.reason when the
   * signal aborts first. Either way a waiter that gives up is out of the queue before its promise settles.
   */
  take(signal: AbortSignal, timeoutMs: number): Promise<T | undefined> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#remove(waiter);
        clearTimeout(timer);
        reject(signal.reason);
      };
      const waiter: Waiter<T> = {
        prev: this.#tail,
        next: undefined,
        settle: (value) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
      };
      const timer = setTimeout(() => {
        this.#remove(waiter);
        waiter.settle(undefined);
      }, timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      if (this.#tail) this.#tail.next = waiter;
      else this.#head = waiter;
      this.#tail = waiter;
      this.#length++;
    });
  }

  /** Gives value to the oldest waiter and returns true, or returns false when nobody waits. */
  offer(value: T): boolean {
    const waiter = this.#head;
    if (!waiter) return false;
    this.#remove(waiter);
    waiter.settle(value);
    return true;
  }

  #remove(waiter: Waiter<T>): void {
    if (waiter.prev) waiter.prev.next = waiter.next;
    else this.#head = waiter.next;
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.#tail = waiter.prev;
    waiter.prev = waiter.next = undefined;
    this.#length--;
  }
}
