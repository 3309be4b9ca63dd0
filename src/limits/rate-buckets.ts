// A token bucket per key (a client address): `perMinute` tokens, refilled evenly over a minute, one taken per
// attempt. The table keeps at most `maxKeys` buckets and evicts the least recently used, so a scan from a
// million addresses costs a bounded amount of memory; an evicted bucket starts full again, as does a bucket
// idle for a minute (which would have refilled anyway).

interface Bucket {
  tokens: number;
  /** When tokens was last brought up to date, in ms. */
  at: number;
}

export class RateBuckets {
  /** Insertion order is recency order: a bucket is moved to the end on every use. */
  readonly #buckets = new Map<string, Bucket>();
  readonly #perMs: number;

  constructor(readonly perMinute: number, readonly maxKeys: number) {
    if (!(perMinute >= 1) || !Number.isInteger(maxKeys) || maxKeys < 1) {
      throw new RangeError(`RateBuckets needs perMinute >= 1 and maxKeys >= 1, got ${perMinute} and ${maxKeys}`);
    }
    this.#perMs = perMinute / 60_000;
  }

  get size(): number {
    return this.#buckets.size;
  }

  /** Takes a token for key: 0 when one was free, else how many ms until one will be (nothing is taken). */
  take(key: string, now: number): number {
    const bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      if (this.#buckets.size >= this.maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
      this.#buckets.set(key, { tokens: this.perMinute - 1, at: now });
      return 0;
    }
    this.#buckets.delete(key);
    this.#buckets.set(key, bucket);
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#perMs);
  }
}
