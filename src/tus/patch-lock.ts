// One PATCH at a time per resumable upload, across worker processes: a lock in the upload's row with a
// lease its holder renews every HEARTBEAT_MS. A client whose connection broke without the server noticing
// comes back with a HEAD or PATCH while the old PATCH still holds the lock; that request asks for the lock
// (takeover_wanted), and the holder lets go at its next heartbeat, keeping the bytes it got (tusd does the same).
// A holder that crashed stops renewing, and its lease runs out after LEASE_MS.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ResumableUpload } from '../db/resumable-uploads.js';
import type { Store } from '../db/store.js';
import { logError } from '../log.js';
import { lostClaimError } from '../upload/upload-claim.js';
import type { PublishClaim } from '../upload/publish-video.js';
import { bootId } from './boot.js';

const HEARTBEAT_MS = 500;
const LEASE_MS = 6000;
/** Long enough for a holder to notice a takeover at its heartbeat and fsync what it has. */
const TAKEOVER_WAIT_MS = 3000;
const POLL_MS = 20;

export type LockAttempt = { kind: 'locked'; lock: PatchLock } | { kind: 'busy' } | { kind: 'gone' };

export class PatchLock implements PublishClaim {
  readonly #store: Store;
  readonly #upload: ResumableUpload;
  readonly #expiryMs: number;
  readonly #token: string;
  readonly #lost = new AbortController();
  readonly #heartbeat: NodeJS.Timeout;
  #renewedAt: number;
  #expiresAt: number;

  private constructor(store: Store, upload: ResumableUpload, expiryMs: number, token: string, now: number) {
    this.#store = store;
    this.#upload = upload;
    this.#expiryMs = expiryMs;
    this.#token = token;
    this.#renewedAt = now;
    this.#expiresAt = upload.expiresAt;
    this.#heartbeat = setInterval(() => {
      try {
        this.#renew(Date.now());
      } catch (error) {
        logError('renewing a resumable upload lock failed', error, { upload: upload.id });
      }
    }, HEARTBEAT_MS).unref();
  }

  /** The lock of the upload (as read now, with its recorded offset), waiting a moment for a holder to let go. */
  static async take(store: Store, uploadId: string, expiryMs: number): Promise<LockAttempt> {
    const token = randomUUID();
    const deadline = Date.now() + TAKEOVER_WAIT_MS;
    for (;;) {
      const now = Date.now();
      if (store.resumableUploads.lock(uploadId, token, now, now + LEASE_MS)) {
        return { kind: 'locked', lock: new PatchLock(store, store.resumableUploads.byId(uploadId)!, expiryMs, token, now) };
      }
      const upload = store.resumableUploads.byId(uploadId);
      if (!upload || upload.expiresAt <= now) return { kind: 'gone' };
      if (now >= deadline) return { kind: 'busy' };
      store.resumableUploads.wantTakeover(uploadId);
      await sleep(POLL_MS);
    }
  }

  /** For a reader (HEAD): asks a PATCH in flight to let go and waits a moment until it has recorded its offset. */
  static async waitUntilIdle(store: Store, uploadId: string): Promise<void> {
    const deadline = Date.now() + TAKEOVER_WAIT_MS;
    while (store.resumableUploads.isLocked(uploadId, Date.now()) && Date.now() < deadline) {
      store.resumableUploads.wantTakeover(uploadId);
      await sleep(POLL_MS);
    }
  }

  get upload(): ResumableUpload {
    return this.#upload;
  }

  /** Aborted when another request wants the upload, or the upload is gone (terminated, its video deleted). */
  get signal(): AbortSignal {
    return this.#lost.signal;
  }

  /**
   * Before each write: true while the lock is surely still ours and nobody asked for it. A lease is renewed
   * here too when the heartbeat is late (a busy event loop), so a lock that ran out is never written under.
   */
  isHeld(): boolean {
    const now = Date.now();
    if (this.#lost.signal.aborted) return false;
    return now - this.#renewedAt < HEARTBEAT_MS || this.#renew(now) === 'held';
  }

  /** PublishClaim: right before the file is published, the upload (and so its claim) must still be there. */
  confirm(): void {
    if (this.#renew(Date.now()) === 'lost') throw lostClaimError(this.#store.videos, this.#upload.videoId);
  }

  /**
   * Records the bytes before `written` (in the file) as the upload's, `durable` of them fsynced, and renews its
   * expiry; false once the lock is lost.
   */
  record(written: number, durable: number): boolean {
    const now = Date.now();
    const expiresAt = now + this.#expiryMs;
    const recorded = this.#store.recordResumableOffset(this.#upload, this.#token, { written, durable, boot: bootId() }, now, expiresAt);
    if (recorded) this.#expiresAt = expiresAt;
    else this.#lost.abort(new Error('the upload is gone'));
    return recorded;
  }

  /** When the upload expires if nothing touches it again. */
  get expiresAt(): number {
    return this.#expiresAt;
  }

  /** Idempotent. */
  release(): void {
    clearInterval(this.#heartbeat);
    this.#store.resumableUploads.unlock(this.#upload.id, this.#token);
  }

  #renew(now: number): 'held' | 'wanted' | 'lost' {
    const expiresAt = now + this.#expiryMs;
    const renewed = this.#store.renewResumableLock(this.#upload, this.#token, now, now + LEASE_MS, expiresAt);
    if (!renewed) {
      this.#lost.abort(new Error('the upload is gone'));
      return 'lost';
    }
    this.#renewedAt = now;
    this.#expiresAt = expiresAt;
    if (!renewed.isTakeoverWanted) return 'held';
    this.#lost.abort(new Error('another request wants the upload'));
    return 'wanted';
  }
}
