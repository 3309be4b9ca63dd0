// A row that stands for a request in progress (an upload's slot, its reserved bytes) as a lease: it expires on
// its own if the process dies, so it is renewed while the request lives and removed when its response closes.
import type { AppContext } from '../app.js';
import { logError } from '../log.js';

/** A dead process's leases are free again after this long; a live request renews its leases well before. */
export const LEASE_TTL_MS = 2 * 60_000;
const RENEW_EVERY_MS = 30_000;

export interface LeaseRow {
  renew(now: number, ttlMs: number): void;
  release(): void;
}

/** Keeps row leased until the response closes. */
export function leaseWhileOpen(ctx: AppContext, row: LeaseRow, what: string): void {
  const heartbeat = setInterval(() => {
    try {
      row.renew(Date.now(), LEASE_TTL_MS);
    } catch (error) {
      logError(`renewing ${what} failed`, error);
    }
  }, RENEW_EVERY_MS).unref();
  const release = () => {
    clearInterval(heartbeat);
    try {
      row.release();
    } catch (error) {
      logError(`releasing ${what} failed (it expires on its own)`, error);
    }
  };
  ctx.whenClosed(release);
}
