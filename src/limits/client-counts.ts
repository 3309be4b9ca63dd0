// How many of something (streams, poster replies) each client has running, capped per client. An entry
// lives only while its client has one running, so the table is bounded by the open connections.

export class ClientCounts {
  readonly #counts = new Map<string, number>();

  constructor(readonly maxPerClient: number) {}

  /** Clients with at least one running. */
  get clients(): number {
    return this.#counts.size;
  }

  /** Counts one more for key and returns true, or returns false when key already has maxPerClient. */
  tryTake(key: string): boolean {
    const count = this.#counts.get(key) ?? 0;
    if (count >= this.maxPerClient) return false;
    this.#counts.set(key, count + 1);
    return true;
  }

  /** One of key's has ended: call exactly once per successful tryTake. */
  give(key: string): void {
    const count = this.#counts.get(key) ?? 0;
    if (count <= 1) this.#counts.delete(key);
    else this.#counts.set(key, count - 1);
  }
}
