// Sign-up and sign-in attempts: AUTH_RATE_PER_MIN per client address (a token bucket per worker process), and
// per account at most MAX_FAILED_SIGN_INS failures within FAILURE_WINDOW_MS whatever the addresses (in SQLite,
// shared by the workers). Both refuse before any password is hashed.
import type { AppContext } from '../app.js';
import { tooManyAttempts } from '../http/errors.js';
import { addressBlock } from '../http/ip-address.js';

export const MAX_FAILED_SIGN_INS = 10;
export const FAILURE_WINDOW_MS = 15 * 60_000;

/** 429 (014) once the client's address has used up its attempts for now. */
export function takeAuthAttempt(ctx: AppContext): void {
  const { limits } = ctx.app;
  const waitMs = limits.authAttempts.take(addressBlock(ctx.clientAddress), Date.now());
  if (waitMs > 0) {
    throw limits.refusals.refuse('auth_address', tooManyAttempts('Too many sign-in and sign-up attempts from your address, try again later', waitMs / 1000));
  }
}

/**
 * 429 (014) while the account has MAX_FAILED_SIGN_INS recent failures; otherwise the attempt is recorded as a
 * failure until signInSucceeded() forgets it. Unknown names are counted alike, so a lock-out tells nothing.
 */
export function beginSignIn(ctx: AppContext, userName: string): void {
  const now = Date.now();
  const lockedUntil = ctx.app.store.signInFailures.beginAttempt(userName, now, { windowMs: FAILURE_WINDOW_MS, maxFailures: MAX_FAILED_SIGN_INS });
  if (lockedUntil !== undefined) {
    const detail = `Too many failed sign-ins for ${userName}, try again later`;
    throw ctx.app.limits.refusals.refuse('auth_account', tooManyAttempts(detail, (lockedUntil - now) / 1000));
  }
}

export function signInSucceeded(ctx: AppContext, userName: string): void {
  ctx.app.store.signInFailures.forget(userName);
}
