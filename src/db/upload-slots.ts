// The upload_slots table: one row per upload receiving bytes, so that MAX_UPLOADS_PER_USER holds across
// worker processes. A slot is a lease: its holder renews it while the bytes flow, and the slot of a process
// that died expires on its own.
import type { Db } from './open.js';

export function createUploadSlotsTable(db: Db) {
  // One statement, so two processes cannot both take the last slot.
  const take = db.prepare<[string, number, number, number, number, number]>(
    `INSERT INTO upload_slots (id, user_id, expires_at)
     SELECT ?, ?, ? WHERE (SELECT count(*) FROM upload_slots WHERE user_id = ? AND expires_at > ?) < ?`,
  );
  const renew = db.prepare<[number, string]>('UPDATE upload_slots SET expires_at = ? WHERE id = ?');
  const release = db.prepare<[string]>('DELETE FROM upload_slots WHERE id = ?');
  const removeExpiredOf = db.prepare<[number, number]>('DELETE FROM upload_slots WHERE user_id = ? AND expires_at <= ?');
  const removeExpired = db.prepare<[number]>('DELETE FROM upload_slots WHERE expires_at <= ?');

  return {
    /** False when the user already holds maxSlots live slots. */
    take(id: string, userId: number, now: number, ttlMs: number, maxSlots: number): boolean {
      removeExpiredOf.run(userId, now);
      return take.run(id, userId, now + ttlMs, userId, now, maxSlots).changes === 1;
    },
    renew(id: string, now: number, ttlMs: number): void {
      renew.run(now + ttlMs, id);
    },
    release(id: string): void {
      release.run(id);
    },
    /** Slots of processes that died. */
    purgeExpired(now: number): number {
      return removeExpired.run(now).changes;
    },
  };
}

export type UploadSlotsTable = ReturnType<typeof createUploadSlotsTable>;
