// Rows kept in memory until the database changes. Every lookup reads the data stamp first (see data-stamp.ts),
// so a change committed anywhere before the lookup (a deletion in another worker) is seen by it; a kept row
// saves the query, and the object the row becomes, on a path asked for again and again.
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

export class RowCache<Row extends object> {
  readonly #rows = new Map<string, Kept<Row>>();
  #chars = 0;
  #clock = 0;
  #stamp: DataStamp = [-1, -1];

  /** load: the row as the database has it now (undefined when there is none; such answers are not kept). */
  constructor(
    readonly load: (id: string) => Row | undefined,
    readonly readStamp: () => DataStamp,
    readonly limits: RowCacheLimits,
  ) {}

  /** The row with this id as the database has it now. */
  get(id: string): Row | undefined {
    const stamp = this.readStamp();
    if (!isSameStamp(stamp, this.#stamp)) {
      this.#stamp = stamp;
      this.#rows.clear();
      this.#chars = 0;
    }
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

  /** How many rows are kept. */
  get size(): number {
    return this.#rows.size;
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
