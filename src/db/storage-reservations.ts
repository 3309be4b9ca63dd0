// The storage_reservations table, and an account's storage use: the bytes of its video, poster and caption files plus
// what its uploads in progress have reserved (their declared length, or what has arrived so far), and the
// declared length of its live resumable uploads. A reservation is a lease, renewed while its upload runs, so
// one held by a process that died expires.
import type { Db } from './open.js';

export function createStorageReservationsTable(db: Db) {
  const usedBy = db
    .prepare<[{ user: number; now: number }], number>(
      `SELECT (SELECT COALESCE(SUM(COALESCE(size, 0) + COALESCE(poster_size, 0)), 0) FROM video_info WHERE author_id = @user)
            + (SELECT COALESCE(SUM(bytes), 0) FROM storage_reservations WHERE user_id = @user AND expires_at > @now)
            + (SELECT COALESCE(SUM(upload_length), 0) FROM resumable_uploads WHERE owner_id = @user AND expires_at > @now)
            + (SELECT COALESCE(SUM(c.size), 0) FROM video_captions c JOIN video_info v ON v.id = c.video_id WHERE v.author_id = @user)`,
    )
    .pluck();
  const totalStored = db
    .prepare<[], number>(
      `SELECT (SELECT COALESCE(SUM(COALESCE(size, 0) + COALESCE(poster_size, 0)), 0) FROM video_info)
            + (SELECT COALESCE(SUM(c.size), 0) FROM video_captions c JOIN video_info v ON v.id = c.video_id)`,
    )
    .pluck();
  const bytesOf = db.prepare<[string, number], number>('SELECT bytes FROM storage_reservations WHERE id = ? AND expires_at > ?').pluck();
  const upsert = db.prepare<[string, number, number, number]>(
    `INSERT INTO storage_reservations (id, user_id, bytes, expires_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET bytes = excluded.bytes, expires_at = excluded.expires_at`,
  );
  const renew = db.prepare<[number, string]>('UPDATE storage_reservations SET expires_at = ? WHERE id = ?');
  const release = db.prepare<[string]>('DELETE FROM storage_reservations WHERE id = ?');
  const removeExpired = db.prepare<[number]>('DELETE FROM storage_reservations WHERE expires_at <= ?');

  /**
   * Sets reservation id to `bytes` when the user's use, with `bytes` in place of what id held and without
   * `creditBytes` (a poster about to be replaced), stays within quotaBytes; false when it would not.
   */
  const reserve = db.transaction(
    (id: string, userId: number, bytes: number, creditBytes: number, quotaBytes: number, now: number, ttlMs: number): boolean => {
      const used = usedBy.get({ user: userId, now })! - (bytesOf.get(id, now) ?? 0) - creditBytes;
      if (used + bytes > quotaBytes) return false;
      upsert.run(id, userId, bytes, now + ttlMs);
      return true;
    },
  );

  return {
    /** Bytes of the user's files plus their live reservations. */
    usedBy(userId: number, now: number): number {
      return usedBy.get({ user: userId, now })!;
    },
    /** Bytes of every video, poster and caption file. */
    totalStored(): number {
      return totalStored.get()!;
    },
    /** IMMEDIATE: two processes cannot both take the last bytes of a quota. */
    reserve: reserve.immediate,
    renew(id: string, now: number, ttlMs: number): void {
      renew.run(now + ttlMs, id);
    },
    release(id: string): void {
      release.run(id);
    },
    purgeExpired(now: number): number {
      return removeExpired.run(now).changes;
    },
  };
}

export type StorageReservationsTable = ReturnType<typeof createStorageReservationsTable>;
