// USER_QUOTA_MB: the bytes of video and poster files one account may store, counting its uploads in progress
// by their declared length, or by what has arrived so far. Reservations live in SQLite, so every worker sees
// every upload.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../app.js';
import type { Config } from '../config.js';
import { insufficientStorage } from '../http/errors.js';
import { LEASE_TTL_MS, leaseWhileOpen } from './lease.js';

const MiB = 1024 * 1024;
/** A body of unknown length reserves this much more each time it outgrows its reservation. */
const GROW_STEP_BYTES = 8 * MiB;

/** The account's quota in bytes; null when USER_QUOTA_MB is 0 (no quota). */
export function quotaBytes(config: Config): number | null {
  return config.userQuotaMb === 0 ? null : config.userQuotaMb * MiB;
}

/** What GET /user/:username shows the account itself. */
export function storageOf(ctx: AppContext, userId: number): { used_bytes: number; quota_bytes: number | null } {
  return { used_bytes: ctx.app.store.storageReservations.usedBy(userId, Date.now()), quota_bytes: quotaBytes(ctx.app.config) };
}

export interface QuotaOptions {
  /** Bytes of a body that are not the file (multipart framing): a body may exceed what is left by this much. */
  slackBytes?: number;
  /** Bytes the upload frees when it lands (the poster it replaces). */
  creditBytes?: number;
}

/** The upload's reservation against its account's quota, or undefined when there is no quota. */
export function holdQuota(ctx: AppContext, userId: number, options: QuotaOptions = {}): QuotaReservation | undefined {
  const quota = quotaBytes(ctx.app.config);
  return quota === null ? undefined : new QuotaReservation(ctx, userId, quota, options);
}

/**
 * Bytes of one upload, reserved before they are written: all of a declared length up front, a body of
 * unknown length as it grows. Refusals are 507 (013). Released when the upload ends (or its response closes).
 */
export class QuotaReservation {
  readonly #id = randomUUID();
  readonly #ctx: AppContext;
  readonly #userId: number;
  readonly #quotaBytes: number;
  readonly #slackBytes: number;
  readonly #creditBytes: number;
  #reservedBytes = 0;
  #isLeased = false;

  constructor(ctx: AppContext, userId: number, quota: number, { slackBytes = 0, creditBytes = 0 }: QuotaOptions) {
    this.#ctx = ctx;
    this.#userId = userId;
    this.#quotaBytes = quota;
    this.#slackBytes = slackBytes;
    this.#creditBytes = creditBytes;
  }

  /** A body's declared length, before any of it is read. */
  reserveDeclared(bodyBytes: number): void {
    this.#require(Math.max(0, bodyBytes - this.#slackBytes), 0);
  }

  /** The bytes of a body so far: a no-op until they outgrow the reservation. */
  cover(bodyBytes: number): void {
    const needed = bodyBytes - this.#slackBytes;
    if (needed > this.#reservedBytes) this.#require(needed, GROW_STEP_BYTES);
  }

  /** The received file's exact size, before it is published. */
  settle(fileBytes: number): void {
    if (fileBytes !== this.#reservedBytes) this.#require(fileBytes, 0);
  }

  /** Idempotent: when the upload has ended, its bytes are counted by its video (or were removed). */
  release(): void {
    this.#reservedBytes = 0;
    if (this.#isLeased) this.#ctx.app.store.storageReservations.release(this.#id);
  }

  /** Reserves bytes (and headroom, when it fits: a growing body then asks again only after that much). */
  #require(bytes: number, headroom: number): void {
    if (this.#reserve(bytes + headroom)) return;
    const { store, limits } = this.#ctx.app;
    const used = store.storageReservations.usedBy(this.#userId, Date.now()) - this.#reservedBytes - this.#creditBytes;
    const left = Math.max(0, this.#quotaBytes - used);
    if (headroom > 0 && bytes <= left && this.#reserve(left)) return;
    throw limits.refusals.refuse('storage', insufficientStorage(overQuotaDetail(this.#quotaBytes, left, bytes)));
  }

  #reserve(bytes: number): boolean {
    const { store } = this.#ctx.app;
    if (!store.storageReservations.reserve(this.#id, this.#userId, bytes, this.#creditBytes, this.#quotaBytes, Date.now(), LEASE_TTL_MS)) return false;
    this.#reservedBytes = bytes;
    if (!this.#isLeased) {
      this.#isLeased = true;
      const reservations = store.storageReservations;
      leaseWhileOpen(this.#ctx, { renew: (now, ttlMs) => reservations.renew(this.#id, now, ttlMs), release: () => this.release() }, 'a storage reservation');
    }
    return true;
  }
}

/** The 507 text of an upload the quota has no room for. */
export function overQuotaDetail(quota: number, left: number, needed: number): string {
  return `Over your storage quota of ${formatMiB(quota)}: ${formatMiB(left)} left, this upload needs ${formatMiB(needed)}`;
}

function formatMiB(bytes: number): string {
  return `${(bytes / MiB).toFixed(bytes % MiB === 0 ? 0 : 2)} MiB`;
}
