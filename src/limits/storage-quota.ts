// USER_QUOTA_MB: the bytes of video and poster files one account may store, uploads in progress included.
import type { AppContext } from '../app.js';
import type { Config } from '../config.js';

const MiB = 1024 * 1024;

/** The account's quota in bytes; null when USER_QUOTA_MB is 0 (no quota). */
export function quotaBytes(config: Config): number | null {
  return config.userQuotaMb === 0 ? null : config.userQuotaMb * MiB;
}

/** What GET /user/:username shows the account itself. */
export function storageOf(ctx: AppContext, userId: number): { used_bytes: number; quota_bytes: number | null } {
  return { used_bytes: ctx.app.store.storageReservations.usedBy(userId, Date.now()), quota_bytes: quotaBytes(ctx.app.config) };
}
