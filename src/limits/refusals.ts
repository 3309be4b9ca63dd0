// moviedash_rate_limited_total{kind}: every request a limit refused, by the limit that refused it.
import type { Counter, Metrics } from '../metrics.js';

export type RefusalKind =
  | 'auth_address'
  | 'auth_account'
  | 'streams_per_client'
  | 'posters_per_client'
  | 'comments'
  | 'pending_videos'
  | 'uploads_at_once'
  | 'storage';

export class Refusals {
  readonly #counter: Counter;
  readonly #byKind = new Map<RefusalKind, { inc(): void }>();

  constructor(metrics: Metrics) {
    this.#counter = metrics.counter('moviedash_rate_limited_total', 'Requests refused by a limit (429, or 507 for storage), by kind');
  }

  /** Counts a refusal and returns the error to throw. */
  refuse<E extends Error>(kind: RefusalKind, error: E): E {
    let series = this.#byKind.get(kind);
    if (!series) this.#byKind.set(kind, (series = this.#counter.series({ kind })));
    series.inc();
    return error;
  }
}
