// Rows kept in memory and read as the database has them at the end of the turn in which they were asked for.
// A lookup waits for the end of the event loop's poll phase (setImmediate), where one data stamp check serves
// every lookup of that turn. The check comes after every request of the batch was read from its socket, so a
// change committed anywhere before a request was sent (a deletion in another worker) is seen by that request,
// while the check's cost (a read transaction: two lock syscalls, ~8 us on a VM) is paid once per turn rather
// than once per request.
import { isSameStamp, type DataStamp } from './data-stamp.js';

export interface RowCacheLimits {
  entries: number;
  /** Characters of the rows' strings, plus ROW_OVERHEAD_CHARS per row. */
  chars: number;
}

/** Per row, for its object and the fields that are not strings. */
const ROW_OVERHEAD_CHARS = 128;
/** Beyond a bound, the least recently used rows go in bulk until the cache is this much under it. */
const EVICT_TO = 7 / 8;

interface Kept<Row> {
  row: Row;
  chars: number;
  /** The cache's clock when the row was last asked for. */
  usedAt: number;
}

interface Lookup<Row> {
  id: string;
  resolve(row: Row | undefined): void;
  reject(error: unknown): void;
}

export class RowCache<Row extends object> {
  readonly #rows = new Map<string, Kept<Row>>();
  #chars = 0;
  #clock = 0;
  #stamp: DataStamp = [-1, -1];
  #batch: Lookup<Row>[] = [];

  /** load: the row as the database has it now (undefined when there is none; such answers are not kept). */
  constructor(
    readonly load: (id: string) => Row | undefined,
    readonly readStamp: () => DataStamp,
    readonly limits: RowCacheLimits,
  ) {}

  /** The row with this id at the end of this turn's reads; rejects with what the database threw. */
  get(id: string): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      if (this.#batch.length === 0) setImmediate(this.#settle);
      this.#batch.push({ id, resolve, reject });
    });
  }

  /** How many rows are kept. */
  get size(): number {
    return this.#rows.size;
  }

  readonly #settle = (): void => {
    const batch = this.#batch;
    this.#batch = [];
    try {
      const stamp = this.readStamp();
      if (!isSameStamp(stamp, this.#stamp)) {
        this.#stamp = stamp;
        this.#rows.clear();
        this.#chars = 0;
      }
    } catch (error) {
      for (const lookup of batch) lookup.reject(error);
      return;
    }
    for (const lookup of batch) {
      try {
        lookup.resolve(this.#lookup(lookup.id));
      } catch (error) {
        lookup.reject(error);
      }
    }
  };

  #lookup(id: string): Row | undefined {
    const kept = this.#rows.get(id);
    if (kept) {
      // Recency by a clock reading, not by Map order: a hit changes no Map (delete-and-set on every request
      // kept growing and copying its table).
      kept.usedAt = ++this.#clock;
      return kept.row;
    }
    const row = this.load(id);
    if (row) this.#keep(id, row);
    return row;
  }

  #keep(id: string, row: Row): void {
    let chars = ROW_OVERHEAD_CHARS;
    for (const value of Object.values(row)) if (typeof value === 'string') chars += value.length;
    if (chars > this.limits.chars) return;
    this.#rows.set(id, { row, chars, usedAt: ++this.#clock });
    this.#chars += chars;
    if (this.#rows.size > this.limits.entries || this.#chars > this.limits.chars) this.#evict();
  }

  /** Drops the least recently used rows until an eighth of each bound is free: one sort per many inserts. */
  #evict(): void {
    const entries = this.limits.entries * EVICT_TO;
    const chars = this.limits.chars * EVICT_TO;
    const byAge = [...this.#rows].sort((a, b) => a[1].usedAt - b[1].usedAt);
    for (const [id, kept] of byAge) {
      if (this.#rows.size <= entries && this.#chars <= chars) return;
      this.#rows.delete(id);
      this.#chars -= kept.chars;
    }
  }
}
