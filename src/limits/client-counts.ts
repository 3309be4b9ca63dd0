// How many of something (streams, poster replies) each client has running, capped per client. The table is
// bounded by the open connections plus IDLE_KEPT clients with none running.

/**
 * A client whose last one ends keeps its entry (at 0) until this many such entries wait, then all of them go at
 * once. Deleting it at once shrank the Map's table and grew it again on the next request: a rehash per request
 * under a player's back-to-back range requests, each one ending before the next begins (~1.5% of bench C's CPU).
 */
const IDLE_KEPT = 1024;

export class ClientCounts {
  readonly #counts = new Map<string, number>();
  /** Entries at 0. */
  #idle = 0;

  constructor(readonly maxPerClient: number) {}

  /** Clients with at least one running. */
  get clients(): number {
    return this.#counts.size - this.#idle;
  }

  /** Entries in the table, those of clients with none running included (at most IDLE_KEPT of them). */
  get size(): number {
    return this.#counts.size;
  }

  /** Counts one more for key and returns true, or returns false when key already has maxPerClient. */
  tryTake(key: string): boolean {
    const count = this.#counts.get(key);
    const running = count ?? 0;
    if (running >= this.maxPerClient) return false;
    if (count === 0) this.#idle--;
    this.#counts.set(key, running + 1);
    return true;
  }

  /** One of key's has ended: call exactly once per successful tryTake. */
  give(key: string): void {
    const count = this.#counts.get(key);
    if (count === undefined || count === 0) return;
    this.#counts.set(key, count - 1);
    if (count === 1 && ++this.#idle > IDLE_KEPT) this.#forgetIdle();
  }

  #forgetIdle(): void {
    for (const [key, count] of this.#counts) if (count === 0) this.#counts.delete(key);
    this.#idle = 0;
  }
}
