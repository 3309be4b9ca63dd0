// The responses a listener has not closed yet: what a graceful stop waits for, and what tells whether a connection
// that errs is in the middle of an answer. Under load requests come and go in bursts of dozens per turn of the
// event loop, and a Set of them grew and shrank its table with every burst (a rehash each time): here a response
// that closes is only marked, and the array is compacted once marked entries are half of it.
import type { ServerResponse } from 'node:http';

/** A response's place among those in flight; undefined once it has closed. */
export interface InFlightEntry {
  res: ServerResponse | undefined;
}

/** Fewer marked entries than this are left where they are: compacting a short array saves nothing. */
const COMPACT_AFTER = 64;

export class InFlight {
  #entries: InFlightEntry[] = [];
  #closed = 0;

  add(res: ServerResponse): InFlightEntry {
    const entry = { res };
    this.#entries.push(entry);
    return entry;
  }

  /** The response of entry has closed. */
  remove(entry: InFlightEntry): void {
    if (entry.res === undefined) return;
    entry.res = undefined;
    if (++this.#closed >= COMPACT_AFTER && this.#closed * 2 >= this.#entries.length) {
      this.#entries = this.#entries.filter((kept) => kept.res !== undefined);
      this.#closed = 0;
    }
  }

  /** The responses not yet closed, oldest first. */
  *[Symbol.iterator](): IterableIterator<ServerResponse> {
    for (const { res } of this.#entries) if (res !== undefined) yield res;
  }
}
