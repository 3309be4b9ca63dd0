// The sign_in_failures table: recent failed sign-ins per account name, shared by every worker process. An
// attempt is written as failed before its password is checked and forgotten when it succeeds, so attempts
// in flight count too and a burst of concurrent guesses cannot slip past the limit.
import type { Db } from './open.js';

export interface FailureWindow {
  /** Failures this recent count. */
  windowMs: number;
  /** Failures within the window that lock the account. */
  maxFailures: number;
}

export function createSignInFailuresTable(db: Db) {
  // The failure that, with the newer ones, fills the window: the account is locked until it leaves it.
  const lockingFailure = db
    .prepare<[string, number, number], number>(
      'SELECT failed_at FROM sign_in_failures WHERE user_name = ? AND failed_at > ? ORDER BY failed_at DESC LIMIT 1 OFFSET ?',
    )
    .pluck();
  const insert = db.prepare<[string, number]>('INSERT INTO sign_in_failures (user_name, failed_at) VALUES (?, ?)');
  const removeOldOf = db.prepare<[string, number]>('DELETE FROM sign_in_failures WHERE user_name = ? AND failed_at <= ?');
  const removeAllOf = db.prepare<[string]>('DELETE FROM sign_in_failures WHERE user_name = ?');
  const removeOld = db.prepare<[number]>('DELETE FROM sign_in_failures WHERE failed_at <= ?');

  const begin = db.transaction((userName: string, now: number, { windowMs, maxFailures }: FailureWindow): number | undefined => {
    const since = now - windowMs;
    const oldest = lockingFailure.get(userName, since, maxFailures - 1);
    if (oldest !== undefined) return oldest + windowMs;
    removeOldOf.run(userName, since);
    insert.run(userName, now);
    return undefined;
  });

  return {
    /**
     * Records an attempt on the account as failed and returns undefined, or, when the window already holds
     * maxFailures, records nothing and returns the time (ms) at which the oldest of them leaves the window.
     */
    beginAttempt(userName: string, now: number, window: FailureWindow): number | undefined {
      return begin.immediate(userName, now, window);
    },
    /** A successful sign-in: the account's failures are forgotten. */
    forget(userName: string): void {
      removeAllOf.run(userName);
    },
    /** Returns how many failures older than `before` were purged. */
    purgeBefore(before: number): number {
      return removeOld.run(before).changes;
    },
  };
}

export type SignInFailuresTable = ReturnType<typeof createSignInFailuresTable>;
